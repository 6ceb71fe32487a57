"""Arbitrary JSON-like values at every position of a scenario, through the Python API and as YAML
and JSON text: only ScenarioError or ValidationError, never another exception; every problem names
a non-empty key and says what was expected; the same input gives the same answer twice.

CI runs a few hundred examples; set CHOSAKU_FUZZ_EXAMPLES for more."""

from __future__ import annotations

import copy
import json
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from case_library import read_case
from chosaku import ScenarioError, ValidationError, evaluate
from chosaku.resources import cases_dir

EXAMPLES = int(os.environ.get("CHOSAKU_FUZZ_EXAMPLES", "150"))
BASE = read_case(cases_dir() / "semsearch-475-not-incidental.yaml")
for _key in ("expected", "sources"):
    BASE.pop(_key, None)

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                    st.sampled_from(["", "rag", "full", "true", "\n", "a\u202eb", "012", "0x1f", "1:30", "id"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                      max_leaves=8)


def paths(data, prefix=()):
    """Every position (key path) of a nested scenario."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, prefix + (index,))


POSITIONS = [p for p in paths(BASE) if p]


def replaced(data, path, value):
    data = copy.deepcopy(data)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


def answer(source):
    """The result's JSON, or ('refused', messages) — any other exception fails the test."""
    try:
        return json.loads(evaluate(source).to_json())
    except ValidationError as exc:
        for problem in exc.problems:
            assert problem.key.strip(), f"a problem with an empty key: {problem}"
            assert problem.message_en and problem.message_ja
        return ("refused", sorted(p.message_en for p in exc.problems))
    except ScenarioError as exc:
        assert exc.message_en and exc.message_ja
        assert not exc.message_en.startswith(":"), exc.message_en
        return ("refused", exc.message_en)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(POSITIONS), values)
def test_any_value_at_any_position_is_answered_or_refused_with_a_message(path, value):
    scenario = replaced(BASE, path, value)
    first = answer(scenario)
    assert answer(scenario) == first


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(max_size=8), values, max_size=6))
def test_any_mapping_is_answered_or_refused_with_a_message(mapping):
    answer(mapping)


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(POSITIONS), values)
def test_the_same_scenario_as_yaml_and_json_text(path, value):
    scenario = replaced(BASE, path, value)
    try:
        as_json = json.dumps(scenario, allow_nan=True)
    except (TypeError, ValueError):
        return
    answer(as_json)
    try:
        as_yaml = yaml.safe_dump(scenario, allow_unicode=True)
    except yaml.YAMLError:
        return
    answer(as_yaml)


def test_ids_stay_the_text_written():
    for raw in ("012", "0x1f", "10"):
        text = f"id: {raw}\ntechnique: rag\nworks:\n  - {{id: 007, published: true}}\n"
        assert evaluate(text).to_dict()["id"] == raw
    for raw in ("1:30", "1_000"):
        text = f"id: {raw}\ntechnique: rag\nworks:\n  - {{id: w, published: true}}\n"
        try:
            evaluate(text)
        except ValidationError as exc:
            assert any(f"'{raw}'" in p.message_en and p.key == "id" for p in exc.problems), exc
        else:
            raise AssertionError(f"id {raw} was accepted")
