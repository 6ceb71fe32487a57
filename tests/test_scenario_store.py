"""SPARQL over one evaluated scenario (chosaku.scenario_store): its result graph and the ontology in a
read-only in-memory store that chosaku.query.run_query answers from, checked and sandboxed as usual."""

import pytest

import chosaku
from chosaku.dataset import StoreError
from chosaku.query import run_query
from chosaku.query_errors import QueryError
from chosaku.resources import cases_dir
from chosaku.scenario_store import scenario_store

CASE = "https://w3id.org/chosaku-kg/case/rag-type4-novel-rewrite"
KG = "https://w3id.org/chosaku-kg/ns#"


@pytest.fixture(scope="module")
def store():
    return scenario_store(chosaku.evaluate(cases_dir() / "rag-type4-novel-rewrite.yaml"))


def test_the_result_graph_answers_under_the_case_name(store):
    """The user's input of the uploaded novel infringes (seed 003 (7) タイプ4: Art. 30-4 fails on
    the enjoyment purpose), read from the scenario's own graph."""
    answer = run_query(store, f"SELECT ?c WHERE {{ GRAPH <{CASE}> {{ <{CASE}/act/input> kg:conclusion ?c }} }}")
    assert [str(row[0]) for row in answer.rows] == [KG + "infringing"]


def test_the_default_graph_joins_the_result_and_the_ontology(store):
    """Labels of the conclusions come from the ontology, the conclusions from the result."""
    answer = run_query(store, f"""SELECT ?label WHERE {{ <{CASE}/act/collection> kg:conclusion ?c .
                                   ?c rdfs:label ?label FILTER(lang(?label) = "ja") }}""")
    assert [str(row[0]) for row in answer.rows] == ["侵害"]


def test_only_the_scenario_and_the_ontology_are_held(store):
    answer = run_query(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert sorted(str(row[0]) for row in answer.rows) == sorted([CASE, KG.rstrip("#")])


def test_the_store_is_read_only_and_queries_are_checked(store):
    with pytest.raises(StoreError, match="read-only"):
        store.replace_graphs({CASE: ""})
    with pytest.raises(QueryError):
        run_query(store, f"DELETE WHERE {{ GRAPH <{CASE}> {{ ?s ?p ?o }} }}")
