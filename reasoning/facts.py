"""The scenario vocabulary, read from the ontology: which key maps to which property, which values
each key allows, and how the questionnaire asks it (question, help text, the techniques it is
asked for, the title of its block). The loader, the validator and the explorer all use this index."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .labels import text_in
from .namespaces import KG
from .ontology_graph import load_ontology

WORKS_PREFIX = "works[]."


@dataclass(frozen=True)
class FactSpec:
    """One scenario key: its property, whether it is per work, and its allowed values."""

    key: str                      # e.g. "light_use.minor" or "works[].pirated"
    prop: URIRef
    datatype: URIRef | None       # xsd:boolean / xsd:string for literal facts
    values: dict[str, URIRef] = field(default_factory=dict)  # scenario string -> individual
    label_en: str = ""
    label_ja: str = ""
    help_en: str = ""
    help_ja: str = ""
    # the techniques (scenario values) the questionnaire asks this fact for; None: every technique
    asked_for: frozenset[str] | None = None

    @property
    def boolean(self) -> bool:
        """True for a yes/no fact (xsd:boolean)."""
        return self.datatype == XSD.boolean

    @property
    def per_work(self) -> bool:
        """True for keys that sit on each entry of `works`."""
        return self.key.startswith(WORKS_PREFIX)

    @property
    def local_key(self) -> str:
        """The key inside its block: 'minor' for light_use.minor, 'pirated' for works[].pirated."""
        return self.key.rsplit(".", 1)[-1]

    @property
    def block(self) -> str | None:
        """The enclosing block ('light_use', 'works') or None for a top-level key."""
        if self.per_work:
            return "works"
        return self.key.split(".", 1)[0] if "." in self.key else None


def _values(graph: Graph, value_set: URIRef | None) -> dict[str, URIRef]:
    if value_set is None:
        return {}
    members = {}
    for individual in graph.subjects(RDF.type, value_set):
        code = graph.value(individual, KG.scenarioValue)
        if code is not None:
            members[str(code)] = individual
    return members


def _techniques(graph: Graph, node) -> frozenset[str] | None:
    """The scenario values of a fact's or block's kg:askedForTechnique, None when it has none."""
    found = {str(graph.value(t, KG.scenarioValue)) for t in graph.objects(node, KG.askedForTechnique)}
    return frozenset(found) if found else None


@lru_cache(maxsize=1)
def _block_nodes() -> dict[str, URIRef]:
    graph = load_ontology()
    return {str(key): node for node, key in graph.subject_objects(KG.blockKey)}


def block_titles() -> dict[str, tuple[str, str]]:
    """The title of each block of the scenario format (its key → (en, ja)), from the ontology."""
    graph = load_ontology()
    return {key: (text_in(graph, node, RDFS.label, "en"), text_in(graph, node, RDFS.label, "ja"))
            for key, node in _block_nodes().items()}


@lru_cache(maxsize=1)
def fact_index() -> dict[str, FactSpec]:
    """Every scenario fact key (as written in docs/scenario-format.md) mapped to its FactSpec."""
    graph = load_ontology()
    blocks_asked = {key: _techniques(graph, node) for key, node in _block_nodes().items()}
    index = {}
    for prop, key in graph.subject_objects(KG.scenarioKey):
        key = str(key)
        if key in ("id", "works", "works[].id", "position"):
            continue  # structure, not facts
        is_datatype = (prop, RDF.type, OWL.DatatypeProperty) in graph
        index[key] = FactSpec(
            key=key, prop=prop,
            datatype=graph.value(prop, RDFS.range) if is_datatype else None,
            values=_values(graph, graph.value(prop, KG.valueSet)),
            label_en=text_in(graph, prop, RDFS.label, "en"), label_ja=text_in(graph, prop, RDFS.label, "ja"),
            help_en=text_in(graph, prop, KG.helpText, "en"), help_ja=text_in(graph, prop, KG.helpText, "ja"),
            asked_for=_techniques(graph, prop) or blocks_asked.get(key.split(".", 1)[0] if "." in key else ""),
        )
    return index


@lru_cache(maxsize=1)
def key_of_property() -> dict[URIRef, FactSpec]:
    """The reverse index: property IRI -> FactSpec."""
    return {spec.prop: spec for spec in fact_index().values()}


@lru_cache(maxsize=1)
def blocks() -> dict[str | None, dict[str, FactSpec]]:
    """Fact specs grouped by their block (None = top level, 'works', 'light_use', ...); shared,
    not to be modified."""
    grouped: dict[str | None, dict[str, FactSpec]] = {}
    for spec in fact_index().values():
        grouped.setdefault(spec.block, {})[spec.local_key] = spec
    return grouped

