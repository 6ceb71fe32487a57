"""Generated scenarios (any mix of known and unknown facts): no crash, the same result twice, a
result valid against the contract, and legal invariants that must hold for every scenario.

CI runs a hundred examples (a quarter of that for the slower invariants); set
CHOSAKU_HYPOTHESIS_EXAMPLES for more (the benchmark runs 10,000)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chosaku import ValidationError, evaluate
from chosaku.answers import get_answer, set_answer, spec_of
from chosaku.facts import fact_index

from scenario_strategies import scenarios, values_of as _values

EXAMPLES = int(os.environ.get("CHOSAKU_HYPOTHESIS_EXAMPLES", "100"))
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
    every_unprotected = all(w.get("unprotected_only") is True for w in data["works"])
    if data.get("display") == "full" and "collection" in acts and not every_unprotected:  # seed 004 pattern 1
        assert acts["collection"]["exemptions"].get("art30_4") != "applies"
    for act in result["acts"]:  # the act's conclusion combines its works
        works = {w: e["conclusion"] for w, e in act["works"].items()}
        assert set(works) == {w["id"] for w in data["works"]}, act["act"]
        if act["conclusion"] != "not_at_issue":
            assert act["conclusion"] == ("infringing" if "infringing" in works.values() else
                                         "conditional" if "conditional" in works.values() else "lawful"), act


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


RANK = {"not_at_issue": 0, "lawful": 0, "conditional": 1, "infringing": 2}
OUTPUT_SIDE = {"output", "transmission", "use"}


@st.composite
def unprotected_works(draw):
    """A second work used only for its unprotected elements, with any other facts (known or not)."""
    work = {"id": "unprotected", "unprotected_only": True}
    for key, spec in sorted(fact_index().items()):
        if spec.per_work and key != "works[].unprotected_only" and key != "works[].id" and draw(st.booleans()):
            work[key.removeprefix("works[].")] = draw(st.sampled_from(_values(spec)))
    return work


@settings(max_examples=max(EXAMPLES // 4, 20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), unprotected_works())
def test_a_work_used_only_for_unprotected_elements_never_makes_an_act_infringing(data, extra):
    """Showing only a work's laws, judgments, facts, ideas or non-creative parts reproduces nothing
    (Art. 13; Esashi Oiwake): adding such a work, whatever its other facts, changes no conclusion
    on the output, its transmission or its use, and its own conclusion there is never infringing.
    The acts that copy it (training, collection, input) copy it whole: there, a work used only for
    unprotected elements that has the facts of a work already in the scenario never turns an act's
    conclusion worse (it has no expression output purpose of its own, and its other requirements
    are those of that work)."""
    result = _evaluate(data)
    if result is None:
        return
    before = {a["act"]: a for a in result["acts"]}
    for added in (extra, {**data["works"][0], "id": "unprotected", "unprotected_only": True}):
        after = _evaluate({**data, "works": [*data["works"], added]})
        if after is None:
            continue
        for act in after["acts"]:
            own = act["works"]["unprotected"]["conclusion"]
            was = before[act["act"]]["conclusion"]
            if act["act"] in OUTPUT_SIDE:
                assert own != "infringing", (act["act"], added)
                assert act["conclusion"] == was, (act["act"], added, was, act["conclusion"])
            elif added is not extra:
                assert RANK[act["conclusion"]] <= RANK[was], (act["act"], added, was, act["conclusion"])
