"""The rules' output is pinned: for every case (under its own position and under the Agency's) the
inferred triples, and the rules that inferred each, equal tests/golden/inferred-triples.json.gz.

A change meant to change conclusions regenerates the golden file
(`.venv/bin/python tests/inference_snapshot.py --write`) and the diff is reviewed in the commit;
any other change to the ontology or the engine must leave this test green."""

from __future__ import annotations

import pytest

from inference_snapshot import GOLDEN, POSITIONS, case_paths, diff, inferred, read_golden, snapshot_key


@pytest.fixture(scope="module")
def golden():
    assert GOLDEN.exists(), f"{GOLDEN} is missing: run `python tests/inference_snapshot.py --write`"
    return read_golden()


def test_golden_covers_the_case_library(golden):
    wanted = {snapshot_key(path.stem, position) for path in case_paths() for position in POSITIONS}
    assert set(golden) == wanted, (
        f"cases not in the golden file: {sorted(wanted - set(golden))}; "
        f"golden entries with no case: {sorted(set(golden) - wanted)} "
        "(regenerate with `python tests/inference_snapshot.py --write`)")


@pytest.mark.parametrize("position", POSITIONS, ids=lambda p: p or "own")
@pytest.mark.parametrize("path", case_paths(), ids=lambda p: p.stem)
def test_inference_equals_golden(golden, path, position):
    key = snapshot_key(path.stem, position)
    if key not in golden:
        pytest.fail(f"{key} is not in the golden file (regenerate with `python tests/inference_snapshot.py --write`)")
    text = diff(golden[key], inferred(path, position))
    assert not text, f"{key}: the rules' output changed\n{text}"
