"""What the endpoint says about itself: the SPARQL 1.1 Service Description at /sparql (GET
without a query) and a VoID / DCAT description of the dataset at /void.

Truthful about the dataset a query sees: the default graph is the union of the ontology graph
and each case's graph as written (`case:<id>`), named in `sd:defaultDataset`; every graph is also
a named graph. The endpoint does not take the union of all named graphs as its default graph (the
other positions' graphs are not in it), so it does not claim `sd:UnionDefaultGraph`."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from .dataset import ONTOLOGY_GRAPH
from .namespaces import BASE, bind_prefixes
from .version import VERSION

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "N-Quads", "TriG", "JSON-LD", "RDF_XML"]
DATASET = URIRef(BASE + "dataset")
TITLE = {"en": "chosaku-kg: Japanese copyright law and generative AI, evaluated cases",
         "ja": "chosaku-kg：著作権法と生成AI — 評価済み事例"}


def _dataset_node(graph: Graph, store) -> BNode:
    dataset, default = BNode("defaultDataset"), BNode("defaultGraph")
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, DCTERMS.description, Literal(
        "The union of the ontology graph and each case's graph as written (case:<id>); the graphs of the other "
        "interpretive positions (case:<id>/position/<key>) are named graphs only.", lang="en")))
    for name in store.default_graphs:
        graph.add((default, DCTERMS.hasPart, URIRef(name)))
    for name in store.graph_names:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    return dataset


def service_description(endpoint_url: str, store) -> str:
    """The Service Description of the endpoint at `endpoint_url` over `store`, as Turtle."""
    graph = bind_prefixes(Graph())
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint_url)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.defaultDataset, _dataset_node(graph, store)))
    graph.add((service, DCTERMS.isPartOf, DATASET))
    return graph.serialize(format="turtle")


def void_description(endpoint_url: str, store) -> str:
    """A VoID and DCAT description of the dataset served at `endpoint_url`, as Turtle."""
    graph = bind_prefixes(Graph())
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    graph.bind("dcterms", DCTERMS)
    graph.bind("sd", SD)
    graph.add((DATASET, RDF.type, VOID.Dataset))
    graph.add((DATASET, RDF.type, DCAT.Dataset))
    for lang, title in TITLE.items():
        graph.add((DATASET, DCTERMS.title, Literal(title, lang=lang)))
    graph.add((DATASET, DCTERMS.hasVersion, Literal(VERSION)))
    graph.add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint_url)))
    graph.add((DATASET, VOID.uriSpace, Literal(BASE)))
    graph.add((DATASET, VOID.vocabulary, URIRef(str(ONTOLOGY_GRAPH) + "#")))
    cases = [name for name in store.default_graphs if name != str(ONTOLOGY_GRAPH)]
    graph.add((DATASET, VOID.entities, Literal(len(cases), datatype=XSD.integer)))
    distribution = BNode("sparql")
    graph.add((DATASET, DCAT.distribution, distribution))
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add((distribution, DCAT.accessURL, URIRef(endpoint_url)))
    graph.add((distribution, DCTERMS.title, Literal("SPARQL 1.1 endpoint (read-only)", lang="en")))
    for name in store.graph_names:
        subset = URIRef(name)
        graph.add((DATASET, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, SD.name, subset))
    return graph.serialize(format="turtle")
