"""The engine's exceptions: each names what was wrong and what was expected."""


class ChosakuError(Exception):
    """Base class of the engine's errors."""


class OntologyError(ChosakuError):
    """The ontology or a shapes/rules file cannot be read."""


class ScenarioError(ChosakuError):
    """A scenario cannot be read at all (not YAML/JSON/Turtle, not a mapping, unreadable file)."""


class ValidationError(ChosakuError):
    """A scenario breaks the format; `problems` lists each with key, value and messages (en, ja)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
