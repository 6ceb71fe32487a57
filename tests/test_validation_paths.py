"""The compiled validator and pyshacl report the same problems, on every kind of input."""

import json
from pathlib import Path

import pytest

from chosaku.errors import ScenarioError
from chosaku.load import load_scenario
from chosaku.validate import reference_problems, validation_problems

from case_library import case_files, invalid_case_files

BAD = Path(__file__).parent / "bad_inputs"
INPUTS = case_files() + invalid_case_files() + sorted(
    BAD / name for name in json.loads((BAD / "expected.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_fast_and_reference_validation_agree(path):
    try:
        graph = load_scenario(path).graph
    except ScenarioError:
        pytest.skip("refused before validation (not a scenario graph)")
    assert validation_problems(graph) == reference_problems(graph)
