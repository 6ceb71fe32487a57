"""Reading labels, codes and citations of ontology terms (for results, text and the explorer)."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from .namespaces import KG, SRC


def label(graph: Graph, node, lang: str = "en") -> str:
    """The rdfs:label (or skos:prefLabel) of a node in a language, falling back to its local name."""
    for prop in (RDFS.label, SKOS.prefLabel):
        for value in graph.objects(node, prop):
            if getattr(value, "language", None) == lang:
                return str(value)
    return local_name(node)


def local_name(node) -> str:
    """The last segment of an IRI (after # or /)."""
    text = str(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def code(graph: Graph, node) -> str | None:
    """The contract string of a value individual or act class (kg:scenarioValue)."""
    value = graph.value(node, KG.scenarioValue)
    return str(value) if value is not None else None


def provision_code(graph: Graph, provision: URIRef) -> str:
    """An exemption's contract key (art30_4 ...) or the provision's English citation."""
    key = graph.value(provision, KG.exemptionKey)
    if key is not None:
        return str(key)
    for citation in graph.objects(provision, KG.citation):
        if getattr(citation, "language", None) == "en":
            return str(citation)
    return local_name(provision)


def source_citation(graph: Graph, source: URIRef) -> str:
    """'seed004 第3 3(2)' for a passage (document id and section), the document id otherwise."""
    document = graph.value(source, KG.inSource)
    if document is None:
        return local_name(source) if str(source).startswith(str(SRC)) else label(graph, source, "en")
    section = graph.value(source, KG.section)
    return f"{local_name(document)} {section}" if section else local_name(document)
