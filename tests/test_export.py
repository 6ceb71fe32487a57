"""Exports of the annotated case graph, read back by tools we did not write: pyld expands the
JSON-LD with the published context and no network, and its triples are the Turtle export's;
networkx reads the GraphML back with the same nodes and edges, labels, conclusions and provenance."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from pyld import jsonld
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from chosaku import evaluate
from chosaku.cli import main
from chosaku.errors import ChosakuError
from chosaku.resources import jsonld_context_file
from chosaku.export import FORMATS, export, load_context, to_graphml, to_jsonld, to_networkx, to_turtle
from chosaku.namespaces import CASE, KG, PREFIXES
from chosaku.labels import label
from chosaku.ontology_graph import load_ontology
from chosaku.resources import cases_dir

CASE_FILE = cases_dir() / "liability-easy-excess-provider-aider.yaml"


@pytest.fixture(scope="module")
def result():
    return evaluate(CASE_FILE)


def _no_network(url, options=None):
    raise AssertionError(f"the JSON-LD processor tried to fetch {url}")


def test_the_published_context_starts_with_the_projects_prefixes():
    document = json.loads(jsonld_context_file().read_text(encoding="utf-8"))
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    assert {k: v for k, v in document["@context"].items() if k in prefixes} == prefixes
    assert list(document["@context"])[:len(prefixes)] == list(prefixes)  # then the terms (test_export_forms)


def test_pyld_expands_the_jsonld_export_offline_to_the_turtle_exports_triples(result):
    document = json.loads(to_jsonld(result))
    assert document["@context"] == load_context()  # embedded: nothing to fetch
    expanded = jsonld.expand(document, {"documentLoader": _no_network})
    act = f"{CASE}liability-easy-excess-provider-aider/act/use"
    node = next(n for n in expanded if n["@id"] == act)
    assert node[str(KG.conclusion)] == [{"@id": str(KG.infringing)}]
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": _no_network})
    from_pyld = Graph().parse(data=nquads, format="nt")
    from_turtle = Graph().parse(data=to_turtle(result), format="turtle")
    assert len(from_pyld) == len(from_turtle) == len(result.graph)
    assert isomorphic(from_pyld, from_turtle)


def test_networkx_reads_the_graphml_back_with_the_same_nodes_and_edges(result):
    network = to_networkx(result)
    back = nx.read_graphml(io.BytesIO(to_graphml(result)), force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (network.number_of_nodes(), network.number_of_edges())
    statements = set(result.graph.subjects(RDF.type, RDF.Statement))
    between_resources = [t for t in result.graph if t[0] not in statements and not isinstance(t[2], Literal)]
    assert back.number_of_edges() == len(between_resources)
    assert not any(str(s) in back for s in statements)  # provenance is folded into the edges


def test_graphml_nodes_and_edges_carry_labels_conclusions_and_provenance(result):
    back = nx.read_graphml(io.BytesIO(to_graphml(result)), force_multigraph=True)
    case = f"{CASE}liability-easy-excess-provider-aider"
    conclusions = {a["act"]: a["conclusion"] for a in result.to_dict()["acts"]}
    for act, conclusion in conclusions.items():
        assert back.nodes[f"{case}/act/{act}"]["conclusion"] == conclusion
    assert back.nodes[case]["label"] == "RAG service easily exceeding minor use: provider aids the user"
    assert back.nodes[case]["label_ja"].startswith("軽微利用を超える出力")
    assert back.nodes[case]["kg_minor"] is True  # literal facts become typed attributes
    provider = back.nodes[str(KG.ai_provider)]
    assert provider["origin"] == "ontology" and provider["label_ja"]
    liability = f"{case}/liability/ai_provider"
    assert back.nodes[liability]["role"] == "aider" and back.nodes[liability]["inferred_by"]
    role = [d for _, target, d in back.out_edges(liability, data=True) if target == str(KG.aider)]
    assert role and role[0]["predicate"] == "kg:liabilityRole" and role[0]["origin"] == "inferred"
    assert role[0]["inferred_by"] == "rule:liability-provider-aider" and "seed004" in role[0]["source"]
    given = [d for _, target, d in back.out_edges(case, data=True) if target == str(KG.partial)]
    assert given and given[0]["origin"] == "scenario" and given[0]["inferred_by"] == ""
    assert given[0]["label"] == label(load_ontology(), KG.display, "en")


def test_export_formats_and_the_cli(result, tmp_path, capsys):
    assert set(FORMATS) == {"ttl", "jsonld", "graphml"}
    assert export(result, "ttl").decode("utf-8") == to_turtle(result)
    with pytest.raises(ChosakuError, match="unknown export format 'pdf'"):
        export(result, "pdf")
    out = tmp_path / "case.graphml"
    assert main(["export", str(CASE_FILE), "--format", "graphml", "--out", str(out)]) == 0
    assert nx.read_graphml(out, force_multigraph=True).number_of_edges() == to_networkx(result).number_of_edges()
    assert [p.name for p in tmp_path.iterdir()] == ["case.graphml"]  # no temporary file left behind
    assert main(["export", str(CASE_FILE), "--format", "jsonld"]) == 0
    assert json.loads(capsys.readouterr().out)["@context"]["kg"] == str(KG)
    assert main(["export", str(cases_dir() / "invalid" / "no-such.yaml"), "--format", "ttl"]) == 1
