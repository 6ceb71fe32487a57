"""The SPARQL queries of docs/ontology.md run against the ontology and return what the page says.

Every ```sparql block of the page is run with rdflib over chosaku.ontology_graph.load_ontology(),
with the project's prefixes (chosaku.namespaces.PREFIXES) predeclared, as the page promises.
Each block starts with a comment line naming it (e.g. `# provisos`); the value checks find their
query by that name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from chosaku.namespaces import JPCA, KG, PREFIXES, REQ
from chosaku.ontology_graph import load_ontology

DOC = Path(__file__).resolve().parent.parent / "docs" / "ontology.md"
SPARQL_BLOCK = re.compile(r"^```sparql[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
NAME_LINE = re.compile(r"^\s*#\s*([a-z0-9-]+)\s*$", re.MULTILINE)


def _blocks() -> list[str]:
    return SPARQL_BLOCK.findall(DOC.read_text(encoding="utf-8"))


def _name(query: str) -> str:
    match = NAME_LINE.search(query)
    return match.group(1) if match else query.strip().splitlines()[0][:40]


QUERIES = {_name(query): query for query in _blocks()}


def _run(name: str) -> list:
    assert name in QUERIES, f"docs/ontology.md has no ```sparql block named '# {name}'"
    return list(load_ontology().query(QUERIES[name], initNs=PREFIXES))


def test_the_page_has_at_least_six_named_queries():
    blocks = _blocks()
    assert len(blocks) >= 6
    assert len(QUERIES) == len(blocks), "two ```sparql blocks share a name"


def test_no_block_declares_its_own_prefixes():
    for name, query in QUERIES.items():
        assert not re.search(r"^\s*PREFIX\b", query, re.IGNORECASE | re.MULTILINE), name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_returns_rows(name):
    rows = _run(name)
    assert len(rows) >= 1, f"query '{name}' returned no rows"


def test_exemptions_query_lists_every_exemption_key_with_its_requirements():
    rows = _run("exemptions-and-requirements")
    keys = {str(row.key) for row in rows}
    assert {"art30_4", "art47_5_1", "art47_5_2", "art30_1", "art30_3", "art35", "art32", "art47_7"} <= keys
    art47_5_1 = {(row.requirement, row.kind) for row in rows if str(row.key) == "art47_5_1"}
    assert (REQ.knowingly_pirated, KG.ProvisoCondition) in art47_5_1
    assert (REQ.minor, KG.Requirement) in art47_5_1
    assert all(row.labelJa.language == "ja" and row.labelEn.language == "en" for row in rows)
    # analysis order: Art. 30-4 is weighed first
    assert str(rows[0].key) == "art30_4"


def test_proviso_query_shows_knowingly_pirated_defeating_art47_5_1():
    rows = _run("provisos")
    triples = {(row.defeater, row.defeated, row.kind) for row in rows}
    assert (REQ.knowingly_pirated, JPCA["Art47-5-Para1"], KG.ProvisoCondition) in triples
    assert (JPCA["Art30-4-Proviso"], JPCA["Art30-4"], KG.Proviso) in triples
    pirated = [row for row in rows if row.defeater == REQ.knowingly_pirated]
    assert pirated[0].setBy == JPCA["Art47-5-Para1-Proviso"]


def test_requirement_facts_query_gives_scenario_keys():
    rows = _run("requirement-facts")
    by_requirement = {(row.requirement, str(row.scenarioKey)) for row in rows}
    assert (REQ.knowingly_pirated, "works[].pirated_known") in by_requirement
    necessary = [row for row in rows if row.requirement == REQ.necessary_for_purpose]
    assert [str(row.scenarioKey) for row in necessary] == ["full_text_browsable"]
    assert necessary[0].metWhen == Literal(False)


def test_sources_query_ranks_binding_law_first():
    rows = _run("sources")
    assert rows[0].authority == KG.BindingLaw and rows[0].binding == Literal(True)
    act = [row for row in rows if row.source == JPCA.Act]
    assert act and act[0].type == KG.StatuteText
    assert all(row.binding == Literal(False) for row in rows if row.type == KG.GuidelineDocument)
    sources = {row.source for row in rows}
    ontology = load_ontology()
    assert sources == {s for t in (KG.StatuteText, KG.Judgment, KG.GuidelineDocument,
                                   KG.GovernmentRequest, KG.SeedAnalysis)
                       for s in ontology.subjects(RDF.type, t)}


def test_rag_types_query_gives_each_type_its_restrictions():
    rows = _run("rag-types")
    numbers = {int(row.number) for row in rows}
    assert numbers == set(range(1, 9))
    type3 = {(row.property, row.value) for row in rows if int(row.number) == 3}
    assert type3 == {(KG.collectedBy, KG.ai_user), (KG.collectedOn, KG.provider_server),
                     (KG.inputBy, KG.ai_user), (KG.expressionOutputPurpose, Literal(False))}


def test_rules_query_covers_every_rule():
    rows = _run("rules")
    ontology = load_ontology()
    assert {row.rule for row in rows} == set(ontology.subjects(RDF.type, KG.Rule))
    orders = [float(row.order) for row in rows]
    assert orders == sorted(orders)


def test_positions_query_puts_the_default_first():
    rows = _run("positions")
    assert {str(row.positionKey) for row in rows} == {"seeds", "agency"}
    for point in {str(row.pointKey) for row in rows}:
        first = next(row for row in rows if str(row.pointKey) == point)
        assert str(first.positionKey) == "seeds" and first.isDefault == Literal(True)


def test_risks_query_lists_every_risk_with_countermeasures():
    rows = _run("risks")
    ontology = load_ontology()
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    assert len(rows) == len(concepts)
    assert str(rows[0].notation) == "csam"
    assert all(str(row.countermeasures).strip() for row in rows)


def test_the_prefix_block_declares_exactly_the_predeclared_prefixes():
    text = DOC.read_text(encoding="utf-8")
    declared = dict(re.findall(r"^PREFIX\s+([a-z]+):\s+<([^>]+)>\s*$", text, re.MULTILINE))
    assert declared == {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    # with those lines in front, each query runs in another SPARQL engine (pyoxigraph), which
    # knows no prefixes of its own
    ox = pytest.importorskip("pyoxigraph")
    store = ox.Store()
    store.load(load_ontology().serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    header = "\n".join(f"PREFIX {prefix}: <{iri}>" for prefix, iri in declared.items())
    for name, query in QUERIES.items():
        assert list(store.query(header + "\n" + query)), name
