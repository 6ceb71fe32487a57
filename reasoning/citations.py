"""Resolving what a step cites to typed objects (chosaku.explanation): a rule, a provision with
its citation and official text, a source passage with its document, section, issuer, authority
and legal force. Each is read once from the ontology and cached (the ontology does not change
while the process runs)."""

from __future__ import annotations

from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import RDFS

from .explanation import Provision, Rule, Source, Text
from .labels import bilingual, label, labels, local_name, provision_code, source_citation, text_in
from .namespaces import KG
from .ontology_graph import load_ontology


def binding(node: URIRef) -> bool:
    """Whether a document (or instrument) binds: only if it says kg:binding true."""
    value = load_ontology().value(node, KG.binding)
    return bool(value is not None and value.toPython() is True)


def document_of(source: URIRef) -> URIRef:
    """The document a passage belongs to (a document is its own document)."""
    return load_ontology().value(source, KG.inSource) or source


@lru_cache(maxsize=512)
def rule_of(node: URIRef) -> Rule:
    """A rule of the ontology: IRI, local name and label (en, ja)."""
    return Rule(iri=str(node), name=local_name(node), label=labels(load_ontology(), node))


@lru_cache(maxsize=512)
def provision_of(node: URIRef) -> Provision:
    """A provision: its contract code, exemption key, citation, label, official text (ja),
    summary and comment."""
    graph = load_ontology()
    key = graph.value(node, KG.exemptionKey)
    return Provision(
        iri=str(node), code=provision_code(graph, node), key=str(key) if key is not None else None,
        citation=Text(*(text_in(graph, node, KG.citation, lang, label(graph, node, lang)) for lang in ("en", "ja"))),
        label=labels(graph, node),
        official_text=text_in(graph, node, KG.officialText, "ja"),
        summary=bilingual(graph, node, KG.summaryText), comment=bilingual(graph, node, RDFS.comment))


@lru_cache(maxsize=1024)
def source_of(node: URIRef) -> Source:
    """A source passage (or document): citation string, document, section, issuer, authority,
    whether it binds, and the passage's label and text."""
    graph = load_ontology()
    document = document_of(node)
    authority = graph.value(document, KG.authority)
    section = graph.value(node, KG.section)
    return Source(
        iri=str(node), citation=source_citation(graph, node), document_iri=str(document),
        document=labels(graph, document), section=str(section) if section is not None else "",
        issuer=bilingual(graph, document, KG.issuer),
        authority=labels(graph, authority) if authority is not None else Text("", ""),
        binding=binding(document), label=labels(graph, node), text=bilingual(graph, node, RDFS.comment))


def sources_of(nodes) -> tuple[Source, ...]:
    """Typed sources of several nodes, in the order of their citation strings."""
    return tuple(sorted((source_of(n) for n in nodes), key=lambda s: s.citation))


@lru_cache(maxsize=1)
def provision_index() -> dict[str, URIRef]:
    """Provision code (exemption key or English citation, as results write them) → node."""
    graph = load_ontology()
    index = {}
    for node in sorted(set(graph.subjects(KG.citation, None)), key=str):
        citation = text_in(graph, node, KG.citation, "en")
        index.setdefault(citation, node)
    for node, key in graph.subject_objects(KG.exemptionKey):
        index[str(key)] = node
    return index


def provision_for(code: str | None) -> Provision | None:
    """The provision a result's `provision` code names, or None if unknown."""
    node = provision_index().get(code) if code else None
    return provision_of(node) if node is not None else None
