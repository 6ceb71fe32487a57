"""The provenance of an exported case graph in three forms (`--provenance`):

- `statements` (the default): one rdf:Statement per inferred triple (rdf:subject, rdf:predicate,
  rdf:object, kg:inferredBy its rules, prov:wasDerivedFrom the case), readable by every RDF tool;
- `rdf-star`: the same statement IRI as the reifier of an RDF 1.2 triple term
  (`<stmt> rdf:reifies <<( s p o )>> ; kg:inferredBy rule:… `), three triples fewer per statement;
  written as Turtle 1.2 by pyoxigraph (rdflib has no triple terms);
- `none`: the facts and the inferences alone.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF

from .errors import ChosakuError
from .oxrdf import to_ox
from .provenance import STATEMENT_LINKS, statement_nodes
from .serialization import write_turtle

PROVENANCE_FORMS = ("statements", "rdf-star", "none")
REIFIES = ox.NamedNode(str(RDF) + "reifies")


def check_form(form: str) -> str:
    """The form, or ChosakuError naming the allowed ones."""
    if form not in PROVENANCE_FORMS:
        raise ChosakuError(f"unknown provenance form '{form}'; expected one of {', '.join(PROVENANCE_FORMS)}")
    return form


def without_provenance(graph: Graph) -> Graph:
    """The facts and inferences of a case graph, its rdf:Statement nodes left out."""
    statements = statement_nodes(graph)
    if not statements:
        return graph
    kept = Graph(namespace_manager=graph.namespace_manager)
    for triple in graph:
        if triple[0] not in statements:
            kept.add(triple)
    return kept


def rdf_star_triples(graph: Graph) -> list[ox.Triple]:
    """The case graph with each rdf:Statement turned into the reifier of a triple term."""
    statements = statement_nodes(graph)
    triples = [ox.Triple(*map(to_ox, t)) for t in graph if t[0] not in statements]
    for statement in sorted(statements):
        parts = [graph.value(statement, link) for link in STATEMENT_LINKS]
        reifier = to_ox(statement)
        triples.append(ox.Triple(reifier, REIFIES, ox.Triple(*map(to_ox, parts))))
        for predicate, value in graph.predicate_objects(statement):
            if predicate not in STATEMENT_LINKS and not (predicate == RDF.type and value == RDF.Statement):
                triples.append(ox.Triple(reifier, to_ox(predicate), to_ox(value)))
    return triples


def to_rdf_star_turtle(graph: Graph) -> str:
    """The case graph as Turtle 1.2 with its provenance as triple terms."""
    return write_turtle(rdf_star_triples(graph))
