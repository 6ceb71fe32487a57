"""Generated scenarios (any mix of known and unknown facts): no crash, the same result twice, a
result valid against the contract, and legal invariants that must hold for every scenario.

CI runs a few hundred examples; set CHOSAKU_HYPOTHESIS_EXAMPLES for more (the benchmark runs 10,000)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chosaku import ValidationError, evaluate
from chosaku.answers import get_answer, set_answer, spec_of, work_key
from chosaku.facts import fact_index

EXAMPLES = int(os.environ.get("CHOSAKU_HYPOTHESIS_EXAMPLES", "200"))
ACTS = {"fine_tuning": {"training"}, "semantic_search": {"collection", "output"},
        "icl": {"collection", "input", "output"}, "rag": {"collection", "input", "output", "transmission"},
        "image_generation": {"output"}}
CONCLUSIONS = {"lawful", "infringing", "conditional", "not_at_issue"}
EXEMPTIONS = {"art30_4", "art47_5_1", "art47_5_2", "art30_1", "art30_3", "art35", "art32", "art47_7"}
STATUSES = {"applies", "not_applicable", "conditional"}
FAULTS = {"intent", "negligence", "none", "unknown"}
ROLES = {"direct", "aider", "none"}
REMEDIES = {"injunction", "damages", "criminal"}
RISKS = {"confidential_leak", "bias", "copyright_infringement", "privacy", "unlicensed_training_criticism",
         "no_copyright_in_output", "misinformation", "over_regulation", "portrait_rights", "defamation",
         "non_consensual_sexual_imagery", "csam", "licence_violation", "opt_out_ignored", "platform_duty"}


def _values(spec):
    return [True, False] if not spec.values else sorted(spec.values)


@st.composite
def scenarios(draw):
    """A scenario with every fact either left out (unknown) or given a value of its vocabulary."""
    data = {"id": "generated", "technique": draw(st.sampled_from(sorted(ACTS))), "works": [{"id": "w"}]}
    for key, spec in sorted(fact_index().items()):
        if key == "technique" or not draw(st.booleans()):
            continue
        data = set_answer(data, work_key("w", spec) if spec.per_work else key, draw(st.sampled_from(_values(spec))))
    return data


def _evaluate(data):
    try:
        return evaluate(data).to_dict()
    except ValidationError as exc:
        assert all(p.message_en.startswith("Contradiction") for p in exc.problems), exc
        return None


def _check_contract(result, data):
    assert result["id"] == "generated"
    assert result["rag_type"] in (None, *range(1, 9))
    assert result["rag_type"] is None or data["technique"] == "rag"
    assert result["display_pattern"] in (None, 1, 2, 3)
    acts = {a["act"] for a in result["acts"]}
    assert acts - {"use"} <= ACTS[data["technique"]]
    for act in result["acts"]:
        assert act["conclusion"] in CONCLUSIONS
        assert set(act["exemptions"]) <= EXEMPTIONS and set(act["exemptions"].values()) <= STATUSES
        assert set(act["fault"].values()) <= FAULTS
        assert act["because"], act["act"]
    for entry in result["liable"]:
        assert entry["role"] in ROLES and entry["fault"] in FAULTS and set(entry["remedies"]) <= REMEDIES
    assert set(result["risks"]) <= RISKS


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_generated_scenarios_keep_the_contract(data):
    result = _evaluate(data)
    if result is None:
        return
    assert _evaluate(data) == result, "the same scenario must give the same result twice"
    _check_contract(result, data)
    acts = {a["act"]: a for a in result["acts"]}
    for key in result["missing_facts"]:  # never ask for a fact the scenario gave
        assert get_answer(data, key) is None, key
    if data.get("display") == "full" and "collection" in acts:  # seed 004 pattern 1
        assert acts["collection"]["exemptions"].get("art30_4") != "applies"


@settings(max_examples=max(EXAMPLES // 4, 20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from(["incidental", "leak_prevention", "contact_published", "guidance_consulted"]))
def test_answers_move_conclusions_only_the_way_the_law_allows(data, field):
    result = _evaluate(data)
    if result is None:
        return
    acts = {a["act"]: a for a in result["acts"]}
    # A failed Art. 47-5 requirement never makes an infringing output lawful.
    if acts.get("output", {}).get("conclusion") == "infringing":
        worse = _evaluate(set_answer(data, f"light_use.{field}", False))
        if worse is not None:
            assert {a["act"]: a for a in worse["acts"]}["output"]["conclusion"] == "infringing", field
    # Answering an unknown fact never turns a lawful act into a conditional one.
    for key in result["missing_facts"][:1]:
        for value in _values(spec_of(key)):
            answered = _evaluate(set_answer(data, key, value))
            if answered is None:
                continue
            for act in answered["acts"]:
                if acts.get(act["act"], {}).get("conclusion") == "lawful":
                    assert act["conclusion"] != "conditional", (key, value, act["act"])
