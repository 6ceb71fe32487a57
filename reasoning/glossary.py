"""The vocabulary in words: the English and Japanese labels of the codes a result and a scenario
use (acts, conclusions, statuses, actors, faults, exemptions, positions, risks), read from the
ontology. Whoever shows a code to a person (the explorer) asks here."""

from __future__ import annotations

from functools import lru_cache

from rdflib.namespace import RDF, RDFS, SKOS

from .labels import label, text_in
from .namespaces import KG
from .ontology_graph import load_ontology


@lru_cache(maxsize=None)
def value_codes(value_set: str) -> dict[str, object]:
    """Contract code → ontology node for a value set named by its class (Conclusion, Fault,
    AIActorRole, Act ...): its individuals, or for acts its subclasses."""
    graph, cls = load_ontology(), KG[value_set]
    nodes = set(graph.subjects(RDF.type, cls)) | set(graph.subjects(RDFS.subClassOf, cls))
    return {str(graph.value(n, KG.scenarioValue)): n for n in nodes if graph.value(n, KG.scenarioValue) is not None}


def label_of(node, lang: str) -> str:
    """The ontology label of a node in a language (its local name when it has none)."""
    return label(load_ontology(), node, lang)


def term(value_set: str, code, lang: str) -> str:
    """The label of a contract code in a value set, the code itself if it has none, '—' for None."""
    if code is None:
        return "—"
    node = value_codes(value_set).get(str(code))
    return label_of(node, lang) if node is not None else str(code)


@lru_cache(maxsize=None)
def exemption_nodes() -> dict[str, object]:
    """Exemption key (art30_4 ...) → provision node."""
    return {str(k): s for s, k in load_ontology().subject_objects(KG.exemptionKey)}


def exemption_label(key: str, lang: str) -> str:
    """The label of an exemption key (the provision's title), else the key."""
    node = exemption_nodes().get(key)
    return label_of(node, lang) if node is not None else key


def exemption_citation(key: str, lang: str) -> str:
    """The short citation of an exemption key ('Art. 35(1)' / '第35条第1項'), else its label."""
    node = exemption_nodes().get(key)
    return text_in(load_ontology(), node, KG.citation, lang, exemption_label(key, lang)) if node is not None else key


@lru_cache(maxsize=None)
def positions() -> dict[str, object]:
    """Interpretive position key (seeds, agency) → position node."""
    graph = load_ontology()
    return {str(graph.value(n, KG.positionKey)): n for n in graph.subjects(KG.positionKey, None)}


def position_label(key: str, lang: str) -> str:
    """The label of an interpretive position key, else the key."""
    node = positions().get(key)
    return label_of(node, lang) if node is not None else key


def risk_concept(code: str):
    """The SKOS concept of a risk identifier (skos:notation), or None."""
    graph = load_ontology()
    for node in graph.subjects(SKOS.notation, None):
        if str(graph.value(node, SKOS.notation)) == code:
            return node
    return None
