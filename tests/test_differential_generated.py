"""Differential tests on generated scenarios (several works, any mix of known and unknown facts):
the fast rule engine and pyshacl reach the same triples; many scenarios evaluated in one pass give
each what evaluate() gives alone; a what-if in batches gives what it gives one variant at a time.
The library cases are compared the same way in test_reasoning.py, test_batch.py and test_whatif.py.

CI runs a few dozen examples; CHOSAKU_HYPOTHESIS_EXAMPLES raises them (the benchmark's property run)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chosaku import ValidationError, evaluate
from chosaku.batch import evaluate_many
from chosaku.facts import fact_index
from chosaku.answers import work_key
from chosaku.infer import run_rules, run_rules_reference
from chosaku.load import scenario_from_mapping
from chosaku.validate import validate_graph
from chosaku.whatif import what_if

from scenario_strategies import scenarios

EXAMPLES = int(os.environ.get("CHOSAKU_HYPOTHESIS_EXAMPLES", "100"))
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _valid_graph(data: dict):
    """The scenario's graph if it keeps the format, else None (only contradictions may be refused)."""
    graph = scenario_from_mapping(data).graph
    try:
        validate_graph(graph)
    except ValidationError as exc:
        assert all(p.message_en.startswith("Contradiction") for p in exc.problems), exc
        return None
    return graph


@settings(max_examples=max(EXAMPLES // 4, 20), **SETTINGS)
@given(scenarios(max_works=3))
def test_fast_engine_and_pyshacl_infer_the_same_triples_on_generated_scenarios(data):
    graph = _valid_graph(data)
    assume(graph is not None)
    fast = set(run_rules(graph).produced_by)
    reference = set(run_rules_reference(graph))
    assert fast, "the rules concluded nothing"
    assert fast == reference, (sorted(map(str, fast - reference))[:5], sorted(map(str, reference - fast))[:5])


SUMMARY_FIELDS = ("rag_type", "display_pattern", "conclusions", "exemptions", "missing_facts", "liable", "risks")


def _summary_of(result: dict) -> dict:
    """What a batch summary holds, taken from a full result."""
    return {"rag_type": result["rag_type"], "display_pattern": result["display_pattern"],
            "conclusions": {a["act"]: a["conclusion"] for a in result["acts"]},
            "exemptions": {a["act"]: a["exemptions"] for a in result["acts"] if a["exemptions"]},
            "missing_facts": result["missing_facts"],
            "liable": {e["actor"]: e["role"] for e in result["liable"]},
            "risks": sorted(result["risks"])}


@settings(max_examples=max(EXAMPLES // 10, 10), **SETTINGS)
@given(st.lists(scenarios(max_works=3), min_size=2, max_size=6))
def test_scenarios_evaluated_together_give_each_what_it_gives_alone(batch):
    batch = [dict(data, id=f"generated-{n}") for n, data in enumerate(batch)]
    summaries = evaluate_many(batch)
    for data, summary in zip(batch, summaries):
        assert summary["id"] == data["id"]
        assert summary["valid"] == (_valid_graph(data) is not None), data["id"]
        if summary["valid"]:
            batch_view = {key: summary[key] for key in SUMMARY_FIELDS}
            assert batch_view == _summary_of(evaluate(data).to_dict()), data["id"]


def _keys_for(data: dict) -> list[str]:
    """Every fact key of the scenario: its own facts and each work's."""
    keys = []
    for key, spec in sorted(fact_index().items()):
        if key == "works[].id":
            continue
        keys += [work_key(w["id"], spec) for w in data["works"]] if spec.per_work else [key]
    return keys


@settings(max_examples=max(EXAMPLES // 10, 8), **SETTINGS)
@given(scenarios(max_works=2), st.data())
def test_what_if_in_batches_equals_one_variant_at_a_time_on_generated_scenarios(data, draw):
    assume(_valid_graph(data) is not None)
    keys = draw.draw(st.lists(st.sampled_from(_keys_for(data)), min_size=1, max_size=3, unique=True))
    one_by_one = what_if(data, keys=keys, include_unknown=True, per_pass=None)
    assert what_if(data, keys=keys, include_unknown=True) == one_by_one
