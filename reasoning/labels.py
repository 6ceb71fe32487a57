"""Reading text, labels, codes and citations of ontology terms (for results, text and the explorer).

`text_in` is the one place that picks the literal of a language; everything that shows a label,
a citation, a comment or a definition in English or Japanese goes through it."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from .explanation import Text
from .namespaces import KG, SRC
from .ontology_graph import load_ontology

LABELS = (RDFS.label, SKOS.prefLabel)


def text_in(graph: Graph, node, predicates, lang: str, default: str = "") -> str:
    """The literal of `node` under `predicates` (one predicate or several, in order of preference)
    in the language `lang`.

    Fallback, in this order: a literal in `lang` under any of the predicates; a literal without
    a language tag; the English literal; the literal of any other language (the smallest, so the
    answer is stable); else `default`."""
    if node is None:
        return default
    values = [v for p in ((predicates,) if isinstance(predicates, URIRef) else predicates)
              for v in graph.objects(node, p)]
    for wanted in (lang, None, "en"):
        for value in values:
            if getattr(value, "language", None) == wanted:
                return str(value)
    return min((str(v) for v in values), default=default)


def bilingual(graph: Graph, node, predicates, default: str = "") -> Text:
    """`text_in` in English and in Japanese."""
    return Text(text_in(graph, node, predicates, "en", default), text_in(graph, node, predicates, "ja", default))


def label(graph: Graph, node, lang: str = "en") -> str:
    """The rdfs:label (or skos:prefLabel) of a node in a language (with `text_in`'s fallback),
    else its local name."""
    return text_in(graph, node, LABELS, lang, local_name(node))


def labels(graph: Graph, node) -> Text:
    """The label of a node in English and Japanese."""
    return Text(label(graph, node, "en"), label(graph, node, "ja"))


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
    return text_in(graph, provision, KG.citation, "en") or local_name(provision)


def source_citation(graph: Graph, source: URIRef) -> str:
    """'seed004 第3 3(2)' for a passage (document id and section), the document id otherwise; a
    section the project could not check against the source's text is marked so (kg:locatorUnverified)."""
    document = graph.value(source, KG.inSource)
    if document is None:
        return local_name(source) if str(source).startswith(str(SRC)) else label(graph, source, "en")
    section = graph.value(source, KG.section)
    if section and graph.value(source, KG.locatorUnverified) is not None:
        section = f"{section} 〔locator unverified / 箇所未確認〕"
    return f"{local_name(document)} {section}" if section else local_name(document)


@lru_cache(maxsize=16)
def rag_type_texts(number: int) -> tuple[Text, Text, Text]:
    """The label, example and definition (rdfs:comment) of RAG type `number`, each in en and ja."""
    graph, node = load_ontology(), KG[f"RagType{number}"]
    return labels(graph, node), bilingual(graph, node, KG.example), bilingual(graph, node, RDFS.comment)
