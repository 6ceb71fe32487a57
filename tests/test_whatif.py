"""The explorer's non-UI helpers: answers by fact key, Turtle back to a mapping, citations
resolved to the ontology (typed provisions and sources), and the what-if analysis (re-evaluation through evaluate())."""

from pathlib import Path

import pytest

from chosaku import evaluate
from chosaku.answers import answered_keys, get_answer, mapping_of, set_answer
from chosaku.citations import provision_for
from chosaku.contract import because_entry
from chosaku.errors import ScenarioError
from chosaku.load import load_scenario, scenario_from_turtle
from chosaku.errors import ValidationError
from chosaku.whatif import Change, compare, compare_results, what_if

CASES = Path(__file__).resolve().parent.parent / "cases"


def test_set_and_get_answers_by_fact_key():
    scenario = {"id": "x", "works": [{"id": "book", "pirated": False}], "light_use": {"minor": True}}
    assert get_answer(scenario, "works.book.pirated") is False
    assert get_answer(scenario, "light_use.incidental") is None
    changed = set_answer(scenario, "works.book.pirated", True)
    assert changed["works"][0]["pirated"] is True and scenario["works"][0]["pirated"] is False  # a copy
    cleared = set_answer(scenario, "light_use.minor", None)
    assert "light_use" not in cleared  # unknown removes the key, and the empty block with it
    assert answered_keys(changed) == ["works.book.pirated", "light_use.minor"]
    with pytest.raises(ScenarioError, match="not a scenario fact key"):
        get_answer(scenario, "colour")
    with pytest.raises(ScenarioError, match="no work with id 'film'"):
        set_answer(scenario, "works.film.pirated", True)


def test_turtle_scenario_reads_back_as_the_same_mapping():
    loaded = load_scenario(CASES / "semsearch-475-not-incidental.yaml")
    original = {k: v for k, v in loaded.data.items() if k not in ("sources", "expected")}
    again = mapping_of(scenario_from_turtle(loaded.graph.serialize(format="turtle")))
    assert again == original
    assert evaluate(again).to_dict()["acts"] == evaluate(original).to_dict()["acts"]


def test_citations_resolve_to_provision_text_and_passages():
    result = evaluate(CASES / "semsearch-475-not-incidental.yaml")
    entries = [e for act in result.requirements.values() for reqs in act.values() for e in reqs]
    entries += [e for act in result.to_dict()["acts"] for e in act["because"]]
    for entry in entries:
        if entry.get("provision"):
            assert provision_for(entry["provision"]) is not None, entry["provision"]
    cited = [(c.provision, c.sources) for act in result.explanation.acts for e in act.exemptions for c in e.requirements]
    cited += [(s.provision, s.sources) for act in result.explanation.acts for s in act.steps]
    for provision, sources in cited:
        for source in sources:  # every source is resolved to its passage in the ontology
            assert source.iri and source.document.en and source.citation, source
    assert provision_for("art47_5_1").official_text.startswith("電子計算機を用いた情報処理により")
    # a section that itself contains "; " is one passage, not two
    step = next(s for s in result.steps("output")
                if any(x.citation == "seed004 第3 セマンティック検索 3(2); 第3 In-Context Learning 4(2); 第4 RAG(拡張検索) 3(2)"
                       for x in s.sources))
    passage = next(x for x in step.sources if "; " in x.section)
    assert passage.section == "第3 セマンティック検索 3(2); 第3 In-Context Learning 4(2); 第4 RAG(拡張検索) 3(2)"
    assert because_entry(step)["source"] == "; ".join(x.citation for x in step.sources)
    assert passage.text.ja


def test_compare_results_names_each_difference():
    before = {"rag_type": 4, "acts": [{"act": "output", "conclusion": "infringing", "exemptions": {"art30_1": "not_applicable"}}],
              "liable": [{"actor": "ai_user", "role": "direct", "fault": "intent", "remedies": ["injunction"]}], "risks": ["copyright_infringement"]}
    after = {"rag_type": 4, "acts": [{"act": "output", "conclusion": "lawful", "exemptions": {"art30_1": "applies"}},
                                      {"act": "use", "conclusion": "lawful", "exemptions": {}}], "liable": [], "risks": []}
    assert compare_results(before, after) == [
        Change("conclusion", "output", None, "infringing", "lawful"),
        Change("exemption", "output", "art30_1", "not_applicable", "applies"),
        Change("act", "use", None, None, "lawful"),
        Change("liability", None, "ai_user", ("direct", "intent", ("injunction",)), None),
        Change("risk", None, "copyright_infringement", True, False),
    ]


def test_what_if_ranks_the_missing_47_5_fact_first():
    scenario = mapping_of(load_scenario(CASES / "unknown-light-use-minor.yaml"))
    impacts = what_if(scenario, keys=["light_use.minor", "works.book.kind", "display"])
    assert [i.key for i in impacts][-1] == "works.book.kind"  # changes nothing
    minor = next(i for i in impacts if i.key == "light_use.minor")
    assert minor.current is None and [a.value for a in minor.alternatives] == [True, False]
    yes, no = minor.alternatives
    assert Change("conclusion", "output", None, "conditional", "lawful") in yes.changes
    assert Change("conclusion", "output", None, "conditional", "infringing") in no.changes
    display = next(i for i in impacts if i.key == "display")
    full = next(a for a in display.alternatives if a.value == "full")
    assert Change("conclusion", "output", None, "conditional", "infringing") in full.changes
    # an alternative that contradicts another answer is kept with the validator's messages
    minor_given = mapping_of(load_scenario(CASES / "semsearch-475-not-incidental.yaml"))
    (impact,) = what_if(minor_given, keys=["display"])
    full = next(a for a in impact.alternatives if a.value == "full")
    assert not full.changes and any("light_use.minor" in p.message_en for p in full.problems)


def test_cli_whatif_and_ui_command(capsys):
    from chosaku.cli import main, streamlit_command

    assert main(["whatif", str(CASES / "semsearch-475-not-incidental.yaml"), "--format", "json"]) == 0
    import json

    rows = json.loads(capsys.readouterr().out)
    incidental = next(r for r in rows if r["key"] == "light_use.incidental" and r["alternative"] is True)
    assert {"aspect": "conclusion", "act": "output", "item": None, "before": "infringing", "after": "lawful"} in incidental["changes"]
    command = streamlit_command("127.0.0.1", 8599, "rag-type4-novel-rewrite")
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("app.py")
    assert "--server.headless" in command and command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[-2:] == ["--case", "rag-type4-novel-rewrite"]


def test_what_if_reports_who_performs_an_act():
    """Seed 003 (11) タイプ8 ア (イ) (ⅱ)(ⅲ): where one provider supplies both the database and the RAG
    system, the provider is an actor of the input (and of what follows from it) beside the user; where
    it does not (seed 003 (10) タイプ7 ア (ア)(ⅰ)), the user alone. No conclusion changes (the provider's
    own collection stays infringing), but who acts does, and what-if says so."""
    scenario = mapping_of(load_scenario(CASES / "rag-type8-db-and-rag-provider.yaml"))
    impacts = what_if(scenario, keys=["provider_supplies_db_and_rag", "works.spec.kind"])
    by_key = {i.key: i for i in impacts}
    (separate,) = by_key["provider_supplies_db_and_rag"].alternatives
    assert separate.value is False and not separate.problems
    assert separate.changes == [
        Change("actors", "input", None, ("ai_provider", "ai_user"), ("ai_user",)),
        Change("actors", "output", None, ("ai_provider", "ai_user"), ("ai_user",)),
        Change("actors", "transmission", None, ("ai_provider", "ai_user"), ("ai_user",)),
    ]
    assert separate.weight == (0, 0, 3)  # no conclusion, no exemption, three acts change hands
    # the kind of work (language, image, ...) changes nothing here, and nothing is reported
    kind = by_key["works.spec.kind"]
    assert kind.alternatives and all(not a.changes and not a.problems for a in kind.alternatives)
    assert [i.key for i in impacts] == ["provider_supplies_db_and_rag", "works.spec.kind"]


def test_compare_results_names_a_change_of_actors():
    before = {"acts": [{"act": "input", "actors": ["ai_user", "ai_provider"], "conclusion": "infringing", "exemptions": {}}]}
    after = {"acts": [{"act": "input", "actors": ["ai_user"], "conclusion": "infringing", "exemptions": {}}]}
    assert compare_results(before, after) == [Change("actors", "input", None, ("ai_provider", "ai_user"), ("ai_user",))]
    same_order_differs = {"acts": [{"act": "input", "actors": ["ai_provider", "ai_user"], "conclusion": "infringing", "exemptions": {}}]}
    assert compare_results(before, same_order_differs) == []  # the same actors in another order


@pytest.mark.parametrize("case, keys", [
    # who performs input and output; a contradicting answer (the copy known pirated, yet not pirated)
    ("rag-type8-db-and-rag-provider", ["provider_supplies_db_and_rag", "input.by", "works.spec.pirated_known"]),
    # an unknown fact answered, and the display changing the RAG pattern
    ("unknown-light-use-minor", ["light_use.minor", "display"]),
    # acts that appear or disappear with the technique, liability moving between actors
    ("liab-db-vendor-separate-rag-operator", ["technique", "collection.by"]),
])
def test_batch_what_if_equals_one_by_one(case, keys):
    """Differential: the alternatives evaluated together in one pass of the rules, sixteen per pass
    (the default), one per pass and each through evaluate() give the same facts, alternatives,
    changes and problems, in the same order."""
    scenario = mapping_of(load_scenario(CASES / f"{case}.yaml"))
    single = what_if(scenario, keys=keys, include_unknown=True, per_pass=None)
    assert any(a.changes for i in single for a in i.alternatives)  # something to compare
    assert what_if(scenario, keys=keys, include_unknown=True, per_pass=100) == single
    assert what_if(scenario, keys=keys, include_unknown=True) == single
    assert what_if(scenario, keys=keys, include_unknown=True, per_pass=1) == single


def test_what_if_refuses_an_empty_pass():
    scenario = mapping_of(load_scenario(CASES / "unknown-light-use-minor.yaml"))
    with pytest.raises(ValueError, match="per_pass must be a positive number"):
        what_if(scenario, keys=["light_use.minor"], per_pass=0)


@pytest.mark.parametrize("left, right, positions", [
    # two scenarios: another RAG type and display, other actors, acts no longer at issue
    ("rag-type4-novel-rewrite", "liability-output-without-works", (None, None)),
    # one scenario under both interpretive positions
    ("pos-agency-rag-pattern3-db-and-input", "pos-agency-rag-pattern3-db-and-input", ("seeds", "agency")),
    # an image generation against a fine-tuning: no act in common
    ("image-lora-one-artist", "ft-ordinary-corpus", (None, None)),
])
def test_compare_in_one_pass_equals_two_evaluations(left, right, positions):
    """Differential: the two sides evaluated together give the changes their full evaluations give."""
    one, other = (mapping_of(load_scenario(CASES / f"{name}.yaml")) for name in (left, right))
    _, _, changes = compare(one, other, *positions)
    expected = compare_results(evaluate(one, position=positions[0]).to_dict(),
                               evaluate(other, position=positions[1]).to_dict())
    assert changes and changes == expected


def test_compare_under_both_positions_names_the_agency_reading_of_query_time_input():
    """Art. 30-4 at the generation phase (ontology/positions.ttl; seed 004 第6 and the 2023 subcommittee
    figure): the seeds let it apply to the input of pattern 3, the agency position does not."""
    scenario = mapping_of(load_scenario(CASES / "pos-agency-rag-pattern3-db-and-input.yaml"))
    seeds, agency, changes = compare(scenario, scenario, "seeds", "agency")
    acts = {a["act"]: a for a in seeds["acts"]}, {a["act"]: a for a in agency["acts"]}
    assert (acts[0]["input"]["conclusion"], acts[1]["input"]["conclusion"]) == ("lawful", "conditional")
    assert (acts[0]["input"]["exemptions"]["art30_4"], acts[1]["input"]["exemptions"]["art30_4"]) == ("applies", "not_applicable")
    assert {a: acts[0][a]["conclusion"] for a in acts[0] if a != "input"} == \
        {a: acts[1][a]["conclusion"] for a in acts[1] if a != "input"}  # only the input's reading differs
    assert Change("conclusion", "input", None, "lawful", "conditional") in changes


def test_compare_refuses_a_scenario_that_breaks_the_format():
    scenario = mapping_of(load_scenario(CASES / "unknown-light-use-minor.yaml"))
    broken = dict(scenario, display="full", expression_output_purpose=False)
    with pytest.raises(ValidationError, match="Contradiction|format"):
        compare(scenario, broken)
