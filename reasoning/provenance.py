"""Reading a result graph's provenance: the rdf:Statement recorded for every inferred triple and
the rules (kg:inferredBy) that inferred it."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF

from .namespaces import KG

STATEMENT_LINKS = (RDF.subject, RDF.predicate, RDF.object)


def statement_nodes(graph: Graph) -> set:
    """The provenance statements (rdf:Statement nodes) of a result graph (an rdflib Graph, or a
    chosaku.triple_index.TripleIndex of its triples)."""
    return set(graph.subjects(RDF.type, RDF.Statement))


def inferred_triples(graph: Graph) -> dict[tuple, list]:
    """(subject, predicate, object) of each inferred triple → the rules that inferred it, sorted
    (`graph` as for statement_nodes)."""
    rules: dict[tuple, list] = {}
    for statement in statement_nodes(graph):
        triple = tuple(graph.value(statement, link) for link in STATEMENT_LINKS)
        rules.setdefault(triple, []).extend(graph.objects(statement, KG.inferredBy))
    return {triple: sorted(set(found)) for triple, found in rules.items()}
