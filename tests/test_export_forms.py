"""Exports a tool reads as meant: typed GraphML keys with safe names, a JSON-LD context with term
definitions (generated from the ontology), literals typed alike in every format, files others can
read (mode 0644 under umask 022), the provenance forms (statements, RDF 1.2 triple terms, none),
and the dataset dump with its VoID description, data licence and citation."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID, XSD

from chosaku import evaluate
from chosaku.cli import main
from chosaku.dump import CITATION, LICENCE_TEXT, dump
from chosaku.export import export, to_graphml
from chosaku.jsonld_context import context_text, generated_context
from chosaku.namespaces import CASE, KG
from chosaku.oxrdf import to_ox
from chosaku.resources import cases_dir, jsonld_context_file
from chosaku.version import VERSION

from checkout import REPO_ROOT

CASE_FILE = cases_dir() / "liability-easy-excess-provider-aider.yaml"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def result():
    return evaluate(CASE_FILE)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _keys(document: bytes) -> dict[str, str]:
    root = ET.fromstring(document)
    return {key.get("attr.name"): key.get("attr.type") for key in root.iter(f"{GRAPHML}key")}


def test_graphml_keys_are_typed_and_safely_named(result):
    document = to_graphml(result)
    keys = _keys(document)
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) for name in keys), sorted(keys)
    assert keys["kg_minor"] == keys["kg_published"] == "boolean"
    assert keys["label"] == keys["conclusion"] == "string"
    back = nx.read_graphml(io.BytesIO(document), force_multigraph=True)
    assert back.nodes[f"{CASE}liability-easy-excess-provider-aider"]["kg_minor"] is True
    assert b">True<" not in document and b">true<" in document  # XML Schema booleans


def test_graphml_integers_are_int_and_a_mixed_attribute_is_text():
    graph = Graph()
    case = CASE["x"]
    graph.add((case, RDF.type, KG.Scenario))
    graph.add((case, KG["workCount"], Literal(3)))
    graph.add((case, KG.flag, Literal(True)))
    graph.add((CASE["y"], KG.flag, Literal("maybe")))
    keys = _keys(to_graphml(graph))
    assert (keys["kg_workCount"], keys["kg_flag"]) == ("int", "string")
    assert nx.read_graphml(io.BytesIO(to_graphml(graph))).nodes[str(case)]["kg_workCount"] == 3


def test_the_jsonld_context_defines_terms_and_is_the_generated_one(result):
    assert jsonld_context_file().read_text(encoding="utf-8") == context_text(), \
        "run: python -m chosaku.jsonld_context --write"
    context = generated_context()
    assert context["conclusion"] == {"@id": "kg:conclusion", "@type": "@id"}
    assert context["published"] == {"@id": "kg:published", "@type": "xsd:boolean"}
    assert context["Scenario"] == "kg:Scenario"
    document = json.loads(export(result, "jsonld"))
    nodes = {node["@id"]: node for node in document["@graph"]}
    act = nodes[f"{CASE}liability-easy-excess-provider-aider/act/use"]
    assert act["conclusion"] == "kg:infringing"  # reads as plain JSON, expands to the IRI
    case = next(n for n in document["@graph"] if n.get("@type") == "Scenario")
    assert case["minor"] == "true"  # typed by the term: expands to "true"^^xsd:boolean
    from pyld import jsonld
    expanded = jsonld.expand({"@context": document["@context"], "@id": "x", "minor": case["minor"]},
                             {"documentLoader": lambda url, options=None: pytest.fail(f"fetched {url}")})
    assert expanded[0][str(KG.minor)] == [{"@type": str(XSD.boolean), "@value": "true"}]


def test_literals_read_back_as_the_same_terms_from_turtle_and_jsonld():
    graph = Graph()
    graph.add((CASE["x"], KG.title, Literal("a title", datatype=XSD.string)))
    graph.add((CASE["x"], KG.minor, Literal(True)))
    turtle, jsonld = export(graph, "ttl").decode(), export(graph, "jsonld").decode()
    assert "xsd:string" not in turtle and "XMLSchema#string" not in jsonld
    from_turtle = set(Graph().parse(data=turtle, format="turtle"))
    assert from_turtle == set(Graph().parse(data=jsonld, format="json-ld"))
    assert (CASE["x"], KG.title, Literal("a title")) in from_turtle


def test_exported_files_are_readable_by_others(tmp_path, umask_022):
    out = tmp_path / "case.ttl"
    assert main(["export", str(CASE_FILE), "--out", str(out), "--provenance", "none"]) == 0
    assert oct(out.stat().st_mode & 0o777) == "0o644"


def _inferred(graph: Graph) -> dict:
    """(s, p, o) of each reified statement -> the rules that inferred it."""
    found: dict = {}
    for statement in graph.subjects(RDF.type, RDF.Statement):
        triple = tuple(graph.value(statement, link) for link in (RDF.subject, RDF.predicate, RDF.object))
        found.setdefault(triple, set()).update(str(r) for r in graph.objects(statement, KG.inferredBy))
    return found


def test_provenance_none_statements_and_rdf_star(result, capsys):
    statements = set(result.graph.subjects(RDF.type, RDF.Statement))
    full = Graph().parse(data=export(result, "ttl"), format="turtle")
    bare = Graph().parse(data=export(result, "ttl", provenance="none"), format="turtle")
    assert len(full) == len(result.graph) and not set(bare.subjects(RDF.type, RDF.Statement))
    assert len(bare) == len(result.graph) - sum(1 for t in result.graph if t[0] in statements)
    star = export(result, "ttl", provenance="rdf-star")
    assert b"<<(" in star
    store = ox.Store()
    store.load(star, format=ox.RdfFormat.TURTLE)
    assert len(store) == len(bare) + sum(len(list(result.graph.predicate_objects(s))) - 3 for s in statements)
    rows = store.query("PREFIX kg: <https://w3id.org/chosaku-kg/ns#> SELECT ?s ?p ?o ?rule WHERE { "
                       "?r <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> <<( ?s ?p ?o )>> ; kg:inferredBy ?rule }")
    found: dict = {}
    for row in rows:
        found.setdefault(tuple(str(row[v]) for v in ("s", "p", "o")), set()).add(row["rule"].value)
    expected = {tuple(str(to_ox(term)) for term in triple): rules for triple, rules in _inferred(result.graph).items()}
    assert found == expected
    with pytest.raises(Exception, match="Turtle only"):
        export(result, "jsonld", provenance="rdf-star")
    assert main(["export", str(CASE_FILE), "--format", "jsonld", "--provenance", "rdf-star"]) == 2
    assert "Turtle only" in capsys.readouterr().err


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory):
    cases = tmp_path_factory.mktemp("dump-cases")
    for name in ("liability-easy-excess-provider-aider.yaml", "rag-type4-novel-rewrite.yaml"):
        shutil.copy(cases_dir() / name, cases / name)
    return cases, tmp_path_factory.mktemp("dump-data")


def test_dump_writes_quads_void_licence_and_citation(small_dataset, tmp_path, umask_022):
    cases, data = small_dataset
    written = dump(tmp_path / "out", "nq", cases=cases, data=data)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(["CITATION.cff", "LICENSE-DATA.md", "void.ttl", f"chosaku-kg-{VERSION}.nq.gz"])
    assert all(oct(p.stat().st_mode & 0o777) == "0o644" for p in (tmp_path / "out").iterdir())
    with gzip.open(written.quads, "rb") as handle:
        quads = list(ox.parse(handle.read(), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    assert len(quads) == written.triples and len(graphs) == written.graphs == 1 + 2 * 2  # ontology + 2 cases × 2 positions
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))  # skolemised
    void = Graph().parse(written.void, format="turtle")
    dataset = URIRef("https://w3id.org/chosaku-kg/dataset")
    assert int(void.value(dataset, VOID.triples)) == len(quads)
    assert {str(s) for s in void.objects(dataset, VOID.subset)} == graphs
    assert sum(int(void.value(s, VOID.triples)) for s in void.objects(dataset, VOID.subset)) == len(quads)
    assert str(void.value(dataset, VOID.dataDump)).endswith(written.quads.name)
    assert str(void.value(dataset, URIRef("http://purl.org/dc/terms/license"))) == "https://creativecommons.org/licenses/by/4.0/"
    assert written.licence.read_text(encoding="utf-8") == LICENCE_TEXT and "CC BY 4.0" in LICENCE_TEXT
    assert written.citation.read_text(encoding="utf-8") == CITATION == (REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert (REPO_ROOT / "LICENSE-DATA.md").read_text(encoding="utf-8") == LICENCE_TEXT
    again = dump(tmp_path / "again", "nq", cases=cases, data=data)
    assert again.quads.read_bytes() == written.quads.read_bytes()  # the same dataset, the same bytes


def test_dump_as_trig_through_the_cli(small_dataset, tmp_path, monkeypatch, capsys):
    cases, data = small_dataset
    monkeypatch.setenv("CHOSAKU_CASES", str(cases))
    monkeypatch.setenv("CHOSAKU_DATA", str(data))
    assert main(["dump", str(tmp_path), "--format", "trig", "--no-gzip"]) == 0
    trig = tmp_path / f"chosaku-kg-{VERSION}.trig"
    quads = list(ox.parse(trig.read_bytes(), format=ox.RdfFormat.TRIG))
    assert len({q.graph_name.value for q in quads}) == 5
    assert str(trig) in capsys.readouterr().out
