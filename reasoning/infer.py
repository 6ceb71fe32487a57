"""Running the ontology's SHACL-AF rules.

Two engines run the same rule text (the sh:construct of each sh:SPARQLRule in ontology/rules/):
- the fast path: each CONSTRUCT once, in sh:order (the SHACL-AF execution order), on a pyoxigraph
  store holding the ontology and the scenario, recording which rule produced each triple. The rules
  are stratified so that a rule reads only what lower orders wrote where it negates or aggregates,
  and what lower or equal orders wrote otherwise in an order that one pass completes;
- the reference path: pyshacl.shacl_rules with iterate_rules=True, which repeats every rule until
  nothing changes. The differential tests check that both reach exactly the same triples, so one
  pass is shown to be the fixpoint on every case and on generated scenarios.
"""

from __future__ import annotations

import re
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .errors import OntologyError
from .namespaces import KG, SH
from .ontology_graph import load_ontology
from .oxrdf import to_ox as _to_ox, to_rdflib as _to_rdflib



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
def _ontology_quads() -> tuple[ox.Quad, ...]:
    """The ontology's triples as pyoxigraph quads of the default graph, converted once."""
    return tuple(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in load_ontology())


def _ontology_store() -> ox.Store:
    """A new in-memory store holding the ontology in its default graph (~12 ms)."""
    store = ox.Store()
    store.extend(_ontology_quads())
    return store


@dataclass
class Inference:
    """What the rules concluded: each new triple, in the order inferred, with the rules that produced it."""

    produced_by: dict[tuple, list[URIRef]]

    @property
    def triples(self) -> Graph:
        """The inferred triples as an rdflib Graph."""
        graph = Graph()
        for triple in self.produced_by:
            graph.add(triple)
        return graph


# pyoxigraph's in-memory store keeps the history of removed quads, and every query over it slows
# down with that history (measured: one evaluation takes 110 ms on a fresh store, 730 ms after 450
# evaluations), while the first evaluations on a new store are slower too. So a store serves until
# this many quads have been written to it and removed: one evaluation writes a few hundred, a pass
# of sixteen scenarios (chosaku.batch) a few thousand. Measured (the rules over every other library
# case twice, p50 / p95): a new store after 2,000 quads 38 / 63 ms, 8,000: 39 / 57 ms, 20,000:
# 43 / 72 ms, 50,000: 43 / 59 ms; a new store every 4 evaluations had given 54 / 101 ms.
QUADS_PER_STORE = 8_000
_store_lock = threading.Lock()
_store_state: dict = {"store": None, "written": 0}


def _base_store() -> ox.Store:
    """The in-memory store holding the ontology in its default graph, shared by evaluations.

    Each evaluation writes its scenario and inferences to a named graph of its own and queries
    the union of that graph and the ontology, so concurrent evaluations never see each other."""
    with _store_lock:
        if _store_state["store"] is None or _store_state["written"] >= QUADS_PER_STORE:
            _store_state.update(store=_ontology_store(), written=0)
        return _store_state["store"]


def _count_written(store: ox.Store, quads: int) -> None:
    with _store_lock:
        if _store_state["store"] is store:
            _store_state["written"] += quads


@contextmanager
def inferred_dataset(scenario: Graph, rules: tuple[Rule, ...] | None = None, provenance: bool = True):
    """Run the rules over `scenario` (one or many kg:Scenario nodes) and yield
    (store, dataset, producers): the shared store, the default-graph list to query the ontology
    plus the scenario and its inferences, and, if `provenance`, the inferred pyoxigraph triples in
    order with the rules that produced each. The evaluation's graph is removed afterwards."""
    rules = rules if rules is not None else load_rules()
    store = _base_store()
    graph = ox.NamedNode(f"urn:chosaku:evaluation:{uuid.uuid4()}")
    dataset = [ox.DefaultGraph(), graph]
    store.extend([ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), graph) for s, p, o in scenario])
    written = len(scenario)
    producers: dict = {}
    try:
        for rule in rules:  # sh:order, once each: the rules are stratified (see rules/prefixes.ttl)
            try:
                results = list(store.query(rule.query, default_graph=dataset))
            except SyntaxError as exc:
                raise OntologyError(f"rule {rule.iri}: SPARQL syntax error: {exc}") from exc
            if not provenance:
                store.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in results])
                written += len(results)
                continue
            fresh = []
            for triple in results:
                rule_list = producers.get(triple)
                if rule_list is None:
                    quad = ox.Quad(triple.subject, triple.predicate, triple.object, graph)
                    if quad not in store:  # (in the store already: given in the scenario, not inferred)
                        producers[triple] = [rule.iri]
                        fresh.append(quad)
                elif rule.iri not in rule_list:
                    rule_list.append(rule.iri)
            store.extend(fresh)
            written += len(fresh)
        yield store, dataset, producers
    finally:
        store.remove_graph(graph)
        _count_written(store, written)


def run_rules(scenario: Graph, rules: tuple[Rule, ...] | None = None) -> Inference:
    """Run the rules over the ontology plus `scenario` (fast path), with provenance."""
    with inferred_dataset(scenario, rules) as (_store, _dataset, producers):
        produced_by = {
            (_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)): rule_list
            for t, rule_list in producers.items()
        }
    return Inference(produced_by=produced_by)


def run_rules_reference(scenario: Graph) -> Graph:
    """Run the same rules through pyshacl (SHACL-AF semantics, iterate_rules) as the reference.

    Returns the triples pyshacl added. The data graph is a pyoxigraph store (pyshacl >= 0.40
    accepts one), which keeps this path usable in tests; it is not the serving path."""
    import pyshacl

    store = _ontology_store()
    store.extend([ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in scenario])
    # compared as pyoxigraph terms, and the store expanded in place: converting and copying the
    # whole ontology to rdflib terms on every call would cost more than the rules themselves
    before = {(q.subject, q.predicate, q.object) for q in store}
    pyshacl.shacl_rules(store, shacl_graph=load_ontology(), advanced=True, iterate_rules=True, inplace=True)
    added = Graph()
    for quad in store:
        if (quad.subject, quad.predicate, quad.object) not in before:
            added.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
    return added
