"""Package data: the scenario library (YAML scenarios with expected results; invalid/ holds scenarios
the validator must refuse). chosaku.resources.cases_dir() finds these files."""
