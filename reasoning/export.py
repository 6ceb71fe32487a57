"""Exporting the annotated case graph: Turtle, JSON-LD (with the published @context) and GraphML.

The case graph (Result.graph) holds the scenario's facts, the inferences and one rdf:Statement per
inferred triple naming the rule that made it. Turtle and JSON-LD carry it as it is. GraphML (for
Gephi, Cytoscape, yEd, networkx) folds the provenance into the network: every resource is a node
with its labels (en, ja), types and, for acts and assessments, its conclusion or status; every
triple between resources is an edge with its predicate's label and, when inferred, the rules that
inferred it, the provisions they apply and the sources they cite. Literal facts become node
attributes. The explorer's download buttons call `export()`.

The JSON-LD context is `ontology/context.jsonld` (the project's prefixes), embedded in every
export so that no consumer needs to fetch anything.
"""

from __future__ import annotations

import io

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .errors import ChosakuError
from .iris import compact
from .labels import provision_code, source_citation, text_in
from .namespaces import KG
from .ontology_graph import load_ontology
from .provenance import inferred_triples, statement_nodes
from .serialization import graph_of, load_context, to_jsonld, to_turtle

# format → (media type, file suffix)
FORMATS = {"ttl": ("text/turtle", ".ttl"), "jsonld": ("application/ld+json", ".jsonld"),
           "graphml": ("application/graphml+xml", ".graphml")}


# --- GraphML --------------------------------------------------------------------------------------

LABEL_PREDICATES = (RDFS.label, KG.title, SKOS.prefLabel)


def _labels(ontology: Graph, graph: Graph, node) -> tuple[str, str]:
    """The English and Japanese labels of a node (rdfs:label, kg:title, skos:prefLabel), from the
    case graph first, then the ontology, with labels.text_in's fallback between languages; the
    type and path of the node when it has no label at all."""
    def text(lang: str) -> str:
        return next(filter(None, (text_in(source, node, LABEL_PREDICATES, lang) for source in (graph, ontology))), "")
    english = text("en") or _derived_label(ontology, graph, node)
    return english, text("ja")


def _derived_label(ontology: Graph, graph: Graph, node) -> str:
    """For a node without a label (an act, an assessment): its type's label and its path in the case."""
    if not isinstance(node, URIRef):
        return str(node)
    types = sorted(filter(None, (text_in(ontology, t, RDFS.label, "en") for t in graph.objects(node, RDF.type))))
    text = compact(node)
    path = text.split("/", 1)[1] if text.startswith("case:") and "/" in text else text
    return f"{types[0]}: {path}" if types else text


def _citations(ontology: Graph, rules: list) -> tuple[str, str]:
    provisions = sorted({provision_code(ontology, p) for r in rules for p in ontology.objects(r, KG.ruleProvision)})
    sources = sorted({source_citation(ontology, s) for r in rules for s in ontology.objects(r, KG.citesSource)})
    return "; ".join(provisions), " | ".join(sources)


def to_networkx(case, ontology: Graph | None = None):
    """The annotated case graph as a networkx MultiDiGraph (one edge per triple between resources)."""
    graph = graph_of(case)
    ontology = ontology if ontology is not None else load_ontology()
    statements, inferred = statement_nodes(graph), inferred_triples(graph)

    def provenance(triple) -> list:
        return inferred.get(triple, [])
    network = nx.MultiDiGraph()

    def add_node(node):
        key = str(node)
        if key in network:
            return key
        en, ja = _labels(ontology, graph, node)
        types = sorted(compact(t) for t in graph.objects(node, RDF.type))
        rules = sorted({r for t in graph.objects(node, RDF.type) for r in provenance((node, RDF.type, t))})
        attributes = {"iri": key, "label": en, "label_ja": ja, "type": " ".join(types),
                      "origin": "inferred" if rules else ("scenario" if (node, None, None) in graph else "ontology")}
        if rules:
            attributes["inferred_by"] = " ".join(compact(r) for r in rules)
        for prop, name in ((KG.conclusion, "conclusion"), (KG.status, "status"), (KG.liabilityRole, "role"),
                           (KG.fault, "fault")):
            value = graph.value(node, prop)
            if value is not None:
                attributes[name] = str(ontology.value(value, KG.scenarioValue) or compact(value))
        network.add_node(key, **attributes)
        return key

    for subject, predicate, obj in sorted(graph):
        if subject in statements:
            continue
        source = add_node(subject)
        rules = provenance((subject, predicate, obj))
        if isinstance(obj, Literal):
            name = compact(predicate)
            values = network.nodes[source].get(name)
            text = str(obj) + (f"@{obj.language}" if obj.language else "")
            network.nodes[source][name] = text if values is None else f"{values} | {text}"
            continue
        target = add_node(obj)
        provisions, sources = _citations(ontology, rules)
        network.add_edge(source, target, key=compact(predicate), predicate=compact(predicate),
                         label=_labels(ontology, graph, predicate)[0],
                         origin="inferred" if rules else "scenario",
                         inferred_by=" ".join(compact(r) for r in rules), provision=provisions, source=sources)
    return network


def to_graphml(case, ontology: Graph | None = None) -> bytes:
    """The annotated case graph as GraphML (UTF-8 bytes)."""
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(case, ontology), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def export(case, fmt: str) -> bytes:
    """The case graph in one of FORMATS ('ttl', 'jsonld', 'graphml') as bytes, for a download."""
    if fmt == "ttl":
        return to_turtle(case).encode("utf-8")
    if fmt == "jsonld":
        return to_jsonld(case).encode("utf-8")
    if fmt == "graphml":
        return to_graphml(case)
    raise ChosakuError(f"unknown export format '{fmt}'; expected one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "export", "to_turtle", "to_jsonld", "to_graphml", "to_networkx", "load_context"]
