"""Resolving the citations of a result back to the ontology: a `provision` code to the
provision's node and texts, a `source` string to the source passages it joins.

The result cites provisions by exemption key (`art30_4`) or English citation (`Art. 21`), and
sources as `labels.source_citation` strings joined with "; " (a section may itself contain
"; ", so the string is parsed against the known citations, longest first)."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from .labels import label, source_citation
from .namespaces import KG
from .ontology_graph import load_ontology

SEPARATOR = "; "


def text_in(graph: Graph, node, prop, lang: str) -> str:
    """The value of `prop` in `lang`, else any value, else ''."""
    values = list(graph.objects(node, prop))
    for value in values:
        if getattr(value, "language", None) == lang:
            return str(value)
    return str(values[0]) if values else ""


_text = text_in  # the name other modules import


@lru_cache(maxsize=1)
def provision_index() -> dict[str, URIRef]:
    """Provision code (exemption key or English citation, as results write them) → node."""
    graph = load_ontology()
    index = {}
    for node, citation in graph.subject_objects(KG.citation):
        if getattr(citation, "language", None) == "en":
            index.setdefault(str(citation), node)
    for node, key in graph.subject_objects(KG.exemptionKey):
        index[str(key)] = node
    return index


@lru_cache(maxsize=1)
def source_index() -> dict[str, URIRef]:
    """Citation string (as results write it) → the source node it names."""
    graph = load_ontology()
    cited = set(graph.objects(None, KG.citesSource)) | set(graph.subjects(KG.inSource, None))
    return {source_citation(graph, node): node for node in sorted(cited, key=str)}


def provision_for(code: str | None) -> URIRef | None:
    """The provision node a result's `provision` code names, or None if unknown."""
    return provision_index().get(code) if code else None


def provision_texts(node: URIRef, lang: str = "en") -> dict:
    """What to show for a provision: label, citation, official text (ja), summary and comment."""
    graph = load_ontology()
    return {
        "label": label(graph, node, lang),
        "citation": text_in(graph, node, KG.citation, lang),
        "official_text": text_in(graph, node, KG.officialText, "ja"),
        "summary": text_in(graph, node, KG.summaryText, lang),
        "comment": text_in(graph, node, RDFS.comment, lang),
    }


def split_sources(source: str | None) -> list[tuple[str, URIRef | None]]:
    """Split a result's `source` string into (citation, node) pairs; node None if not found."""
    if not source:
        return []
    index, out, position = source_index(), [], 0
    while position < len(source):
        match = None
        for citation in index:
            end = position + len(citation)
            if source.startswith(citation, position) and (end == len(source) or source.startswith(SEPARATOR, end)):
                if match is None or len(citation) > len(match):
                    match = citation
        if match is None:
            end = source.find(SEPARATOR, position)
            end = len(source) if end < 0 else end
            out.append((source[position:end], None))
        else:
            end = position + len(match)
            out.append((match, index[match]))
        position = end + len(SEPARATOR)
    return out


def passage_texts(node: URIRef, lang: str = "en") -> dict:
    """What to show for a source passage: its document, section, label and the passage (comment)."""
    graph = load_ontology()
    document = graph.value(node, KG.inSource)
    return {
        "document": label(graph, document, lang) if document is not None else label(graph, node, lang),
        "issuer": text_in(graph, document if document is not None else node, KG.issuer, lang),
        "section": str(graph.value(node, KG.section) or ""),
        "label": label(graph, node, lang),
        "text": text_in(graph, node, RDFS.comment, lang),
    }
