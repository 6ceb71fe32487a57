"""Turtle scenarios are facts only: an exported case graph re-evaluates to its scenario's result,
an edited fact in Turtle gives what the same edit gives in YAML, and triples the engine did not
derive (a forged conclusion or RAG type, a relabelled ontology term) never reach the result."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from case_library import case_files, read_case
from chosaku import ScenarioError, ValidationError, evaluate
from chosaku.answers import answered_keys, get_answer, set_answer, spec_of
from chosaku.namespaces import CASE, KG
from chosaku.open_store import open_store
from chosaku.oxrdf import to_ox
from chosaku.query import run_query
from chosaku.save import save_case
from chosaku.resources import cases_dir

TYPE8 = cases_dir() / "rag-type8-db-and-rag-provider.yaml"


def outcome(source) -> dict | list:
    """The result's contract JSON, or the sorted validation messages of a refused scenario."""
    try:
        return json.loads(evaluate(source).to_json())
    except ValidationError as exc:
        return sorted(problem.message_en for problem in exc.problems)


def possible_edits(scenario: dict) -> list[tuple[str, object]]:
    """Each scenario-level fact the case answers, with another value it allows."""
    edits = []
    for key in answered_keys(scenario):
        spec = spec_of(key)
        if spec.per_work:
            continue
        others = [v for v in ([True, False] if spec.boolean else sorted(spec.values)) if v != get_answer(scenario, key)]
        if others:
            edits.append((key, others[0]))
    return edits


def edit_cases() -> list[tuple[str, object, object]]:
    """(case file, key, value): the library's cases taking turns at which of their facts is edited
    (the n-th case edits its (n mod k)-th answerable fact), one case kept for each technique and
    fact edited, so that each edit is tried once per technique rather than every case editing the
    same first fact."""
    chosen = {}
    for n, path in enumerate(case_files()):
        scenario = read_case(path)
        edits = possible_edits(scenario)
        assert edits, f"{path.name}: every library case answers at least one scenario-level fact"
        key, value = edits[n % len(edits)]
        chosen.setdefault((scenario["technique"], key), (path, key, value))
    return sorted(chosen.values(), key=lambda edit: edit[0].name)


def term_of(key: str, value):
    spec = spec_of(key)
    return Literal(value) if spec.boolean else spec.values[value]


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.stem)
def test_exported_case_graph_reevaluates_to_its_scenario(path):
    result = evaluate(path)
    assert outcome(result.to_turtle()) == json.loads(result.to_json())


EDITS = edit_cases()


def test_the_edits_tried_cover_every_technique_and_many_facts():
    assert {read_case(path)["technique"] for path, _, _ in EDITS} == {read_case(p)["technique"] for p in case_files()}
    assert len({key for _, key, _ in EDITS}) >= 30 and len(EDITS) >= 50


@pytest.mark.parametrize("path,key,value", EDITS, ids=[f"{p.stem}-{k}" for p, k, _ in EDITS])
def test_a_fact_edited_in_the_exported_turtle_gives_what_the_same_edit_gives_in_yaml(path, key, value):
    """Edited with pyoxigraph (the forged-graph tests below edit with rdflib)."""
    scenario = read_case(path)
    node, prop = to_ox(CASE[scenario["id"]]), to_ox(spec_of(key).prop)
    triples = [t for t in ox.parse(evaluate(path).to_turtle(), format=ox.RdfFormat.TURTLE)
               if (t.subject, t.predicate) != (node, prop)]
    edited = ox.serialize(triples + [ox.Triple(node, prop, to_ox(term_of(key, value)))], format=ox.RdfFormat.TURTLE)
    assert outcome(edited.decode("utf-8")) == outcome(set_answer(scenario, key, value)), key


def test_the_export_of_a_scenario_with_four_works_reevaluates_to_its_result():
    """An exported case graph carries conclusions and provenance besides the facts (about 170 KB per
    work of a RAG scenario): the export of a four-work scenario is over a megabyte, within the limit
    for Turtle (8 MB), and re-evaluates to the same result."""
    scenario = {key: value for key, value in read_case(cases_dir() / "work-protected-work-unpublished-infringing.yaml")
                .items() if key not in ("expected", "sources")}
    scenario["works"] = scenario["works"] + [dict(scenario["works"][0], id=f"extra-{n}") for n in (1, 2)]
    result = evaluate(scenario)
    exported = result.to_turtle()
    assert len(exported.encode("utf-8")) > 1_000_000
    assert outcome(exported) == json.loads(result.to_json())
    assert {act["act"]: sorted(act["works"]) for act in result.to_dict()["acts"]}["output"] == [
        "extra-1", "extra-2", "guide", "memo"]


def test_forged_conclusions_and_labels_are_dropped():
    truth = evaluate(TYPE8).to_dict()
    graph = Graph().parse(data=evaluate(TYPE8).to_turtle(), format="turtle")
    node = CASE["rag-type8-db-and-rag-provider"]
    for act in graph.objects(node, KG.hasAct):
        graph.set((act, KG.conclusion, KG.lawful))
    graph.set((node, KG.ragType, KG.RagType1))
    graph.set((KG.ai_provider, RDFS.label, Literal("Nobody", lang="en")))
    forged = evaluate(graph.serialize(format="turtle")).to_dict()
    assert forged == truth
    assert {act["act"]: act["conclusion"] for act in forged["acts"]} == {
        "collection": "infringing", "input": "infringing", "output": "infringing", "transmission": "infringing"}
    assert forged["rag_type"] == 8
    assert "Nobody" not in evaluate(graph.serialize(format="turtle")).to_turtle()


def minimal_turtle(extra: str = "") -> str:
    return f"""@prefix kg: <https://w3id.org/chosaku-kg/ns#> .
@prefix case: <https://w3id.org/chosaku-kg/case/> .
case:t a kg:Scenario ; kg:caseId "t" ; kg:technique kg:rag ; kg:display kg:full ; kg:hasWork <https://w3id.org/chosaku-kg/case/t/work/w> {extra} .
<https://w3id.org/chosaku-kg/case/t/work/w> a kg:Work ; kg:workId "w" ; kg:published true .
"""


def test_a_misspelt_property_is_refused_by_name():
    with pytest.raises(ScenarioError) as refused:
        evaluate(minimal_turtle('; kg:displai kg:partial'))
    assert "kg:displai: not a property of the scenario format" in refused.value.message_en
    assert "kg:displai" in refused.value.message_ja


def test_a_foreign_property_is_refused():
    with pytest.raises(ScenarioError) as refused:
        evaluate(minimal_turtle('; <http://evil.example/p> "x"'))
    assert "<http://evil.example/p>" in refused.value.message_en


def test_a_fact_with_two_values_is_refused():
    with pytest.raises(ScenarioError) as refused:
        evaluate(minimal_turtle('; kg:display kg:partial'))
    assert "display: 2 values given (full, partial)" in refused.value.message_en


def test_the_case_id_must_match_the_iri():
    text = minimal_turtle().replace('kg:caseId "t"', 'kg:caseId "other"')
    with pytest.raises(ScenarioError, match="does not match its kg:caseId"):
        evaluate(text)


def test_turtle_and_yaml_of_the_same_facts_give_one_result():
    yaml_result = evaluate({"id": "t", "technique": "rag", "display": "full",
                            "works": [{"id": "w", "published": True}]}).to_dict()
    assert evaluate(minimal_turtle()).to_dict() == yaml_result


def test_engine_vocabulary_on_the_scenario_is_dropped_not_refused():
    forged = minimal_turtle("; kg:ragType kg:RagType1 ; kg:missingFact kg:context ; kg:raisesRisk kg:csam")
    assert evaluate(forged).to_dict() == evaluate(minimal_turtle()).to_dict()


def test_a_work_fact_on_the_scenario_node_is_refused():
    with pytest.raises(ScenarioError) as refused:
        evaluate(minimal_turtle("; kg:pirated true"))
    assert "works[].pirated: a fact of a kg:Work, given on the wrong node" in refused.value.message_en


def test_saving_a_forged_turtle_keeps_only_its_facts_and_the_engine_s_conclusions(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "icl-pattern3-answer-only.yaml").write_bytes((cases_dir() / "icl-pattern3-answer-only.yaml").read_bytes())
    scenario = dict(read_case(TYPE8), id="my-forged-service")
    for key in ("expected", "sources"):
        scenario.pop(key)
    graph = Graph().parse(data=evaluate(scenario).to_turtle(), format="turtle")
    node = CASE["my-forged-service"]
    for act in graph.objects(node, KG.hasAct):
        graph.set((act, KG.conclusion, KG.lawful))
    graph.set((KG.ai_provider, RDFS.label, Literal("Nobody", lang="en")))
    data = tmp_path / "data"
    store = open_store(data, cases)
    saved = save_case(graph.serialize(format="turtle"), data=data, cases=cases, store=store)
    kept = saved.path.read_text(encoding="utf-8")
    assert saved.path.suffix == ".ttl" and "conclusion" not in kept and "Nobody" not in kept
    answers = run_query(store, f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ <{CASE}my-forged-service/act/output> "
                               "kg:conclusion ?c } }")
    assert {row[0] for row in answers.rows} == {KG.infringing}
    labels = run_query(store, "SELECT ?l WHERE { GRAPH ?g { kg:ai_provider rdfs:label ?l } }")
    assert "Nobody" not in {str(row[0]) for row in labels.rows}
