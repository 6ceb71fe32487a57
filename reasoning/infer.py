"""Running the ontology's SHACL-AF rules.

Two engines run the same rule text (the sh:construct of each sh:SPARQLRule in ontology/rules/):
- the fast path: each CONSTRUCT on a pyoxigraph store holding the ontology and the scenario,
  order by order (sh:order), each order to a fixpoint, recording which rule produced each triple;
- the reference path: pyshacl.shacl_rules (SHACL-AF semantics), used by the differential tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from .errors import OntologyError
from .namespaces import KG, SH
from .ontology import load_ontology

MAX_ROUNDS = 50


@dataclass(frozen=True)
class Rule:
    """One SHACL-AF SPARQL rule: its IRI, stratum and the CONSTRUCT text run by the fast path."""

    iri: URIRef
    order: float
    query: str


def _prefix_header(graph: Graph, rule_node) -> str:
    lines = []
    for prefixes in graph.objects(rule_node, SH.prefixes):
        for decl in graph.objects(prefixes, SH.declare):
            prefix = graph.value(decl, SH.prefix)
            namespace = graph.value(decl, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _fast_query(header: str, construct: str, rule_iri) -> str:
    """Bind $this the way SHACL does for a shape targeting kg:Scenario: ?this a kg:Scenario."""
    match = _WHERE.search(construct)
    if match is None:
        raise OntologyError(f"rule {rule_iri}: sh:construct has no WHERE clause")
    text = construct[:match.end()] + f" ?this a <{KG.Scenario}> . " + construct[match.end():]
    return header + "\n" + text.replace("$this", "?this")


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """Every sh:SPARQLRule of the ontology, sorted by sh:order then IRI."""
    graph = load_ontology()
    rules = []
    for node in graph.subjects(RDF.type, SH.SPARQLRule):
        construct = graph.value(node, SH.construct)
        if construct is None:
            raise OntologyError(f"rule {node} has no sh:construct")
        order = graph.value(node, SH.order)
        rules.append(Rule(iri=node, order=float(order.toPython()) if order is not None else 0.0,
                          query=_fast_query(_prefix_header(graph, node), str(construct), node)))
    return tuple(sorted(rules, key=lambda r: (r.order, str(r.iri))))


@lru_cache(maxsize=1)
def _ontology_ntriples() -> bytes:
    return load_ontology().serialize(format="nt", encoding="utf-8")


def _to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or "http://www.w3.org/2001/XMLSchema#string")))


@dataclass
class Inference:
    """What the rules concluded: the new triples and, for each, the rules that produced it."""

    triples: Graph
    produced_by: dict[tuple, list[URIRef]]


def run_rules(scenario: Graph, rules: tuple[Rule, ...] | None = None) -> Inference:
    """Run the rules to fixpoint over the ontology plus `scenario` (fast path)."""
    rules = rules if rules is not None else load_rules()
    store = ox.Store()
    store.load(_ontology_ntriples(), format=ox.RdfFormat.N_TRIPLES)
    store.extend([ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in scenario])
    inferred = Graph()
    produced_by: dict[tuple, list[URIRef]] = {}
    for _order, stratum in groupby(rules, key=lambda r: r.order):
        stratum = list(stratum)
        for _round in range(MAX_ROUNDS):
            added = 0
            for rule in stratum:
                try:
                    results = store.query(rule.query)
                except SyntaxError as exc:
                    raise OntologyError(f"rule {rule.iri}: SPARQL syntax error: {exc}") from exc
                for triple in results:
                    quad = ox.Quad(triple.subject, triple.predicate, triple.object)
                    key = (_to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object))
                    producers = produced_by.setdefault(key, [])
                    if rule.iri not in producers:
                        producers.append(rule.iri)
                    if quad not in store:
                        store.add(quad)
                        inferred.add(key)
                        added += 1
            if not added:
                break
        else:
            raise OntologyError(f"rules of order {_order} did not reach a fixpoint in {MAX_ROUNDS} rounds")
    scenario_triples = set(scenario)
    produced_by = {k: v for k, v in produced_by.items() if k in inferred or k not in scenario_triples}
    return Inference(triples=inferred, produced_by={k: v for k, v in produced_by.items() if k in inferred})


def run_rules_reference(scenario: Graph) -> Graph:
    """Run the same rules through pyshacl (SHACL-AF semantics, iterate_rules) as the reference.

    Returns the triples pyshacl added. The data graph is a pyoxigraph store (pyshacl >= 0.40
    accepts one), which keeps this path usable in tests; it is not the serving path."""
    import pyshacl

    store = ox.Store()
    store.load(_ontology_ntriples(), format=ox.RdfFormat.N_TRIPLES)
    store.extend([ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in scenario])
    before = {tuple(_to_rdflib(t) for t in (q.subject, q.predicate, q.object)) for q in store}
    expanded = pyshacl.shacl_rules(store, shacl_graph=load_ontology(), advanced=True, iterate_rules=True)
    added = Graph()
    for row in expanded:  # rdflib terms (s, p, o[, g])
        triple = tuple(row[:3])
        if triple not in before:
            added.add(triple)
    return added
