"""A case graph (an evaluation Result or an rdflib Graph) as Turtle, or as JSON-LD compacted with
the published context (`ontology/context.jsonld`, the project's prefixes), embedded so that no
consumer needs to fetch anything."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from .errors import ChosakuError
from .namespaces import PREFIXES
from .oxrdf import to_ox
from .resources import jsonld_context_file

# The project's prefixes for Turtle, but case:, whose local parts hold slashes (case/<id>/act/...)
# that a prefixed name would have to escape: case IRIs are written whole.
TURTLE_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items() if prefix != "case"}


@lru_cache(maxsize=1)
def load_context() -> dict:
    """The published JSON-LD @context (the object inside ontology/context.jsonld)."""
    return json.loads(jsonld_context_file().read_text(encoding="utf-8"))["@context"]


def graph_of(case) -> Graph:
    """The rdflib Graph of a Result (its `graph`) or the Graph itself; ChosakuError otherwise."""
    graph = getattr(case, "graph", case)
    if not isinstance(graph, Graph):
        raise ChosakuError(f"cannot export {type(case).__name__}; give an evaluation Result or an rdflib Graph")
    return graph


def plain_literals(graph: Graph) -> Graph:
    """The graph with every xsd:string literal written as a simple literal. RDF 1.1 makes them the
    same term, but rdflib does not: Turtle keeps `^^xsd:string` and JSON-LD drops it, so the two
    exports would read back as different terms. Written plain, every format reads back alike."""
    if not any(isinstance(o, Literal) and o.datatype == XSD.string for o in graph.objects()):
        return graph
    plain = Graph(namespace_manager=graph.namespace_manager)
    for s, p, o in graph:
        plain.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o))
    return plain


def write_turtle(triples: Iterable[ox.Triple]) -> str:
    """pyoxigraph triples as Turtle with the project's prefixes, sorted so that each subject's
    triples come together and the same graph is always written the same way. Simple literals are
    written without ^^xsd:string (RDF 1.1: the same term)."""
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES).decode("utf-8")


def to_turtle(case) -> str:
    """The annotated case graph (a Result or an rdflib Graph) as Turtle."""
    return write_turtle(ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples_of(case))


def triples_of(case) -> Iterable[tuple]:
    """The triples of a Result (without building its rdflib Graph) or of an rdflib Graph."""
    if isinstance(case, Graph):
        return case
    if callable(getattr(case, "triples", None)):
        return case.triples()
    return graph_of(case)  # raises ChosakuError: neither


def to_jsonld(case) -> str:
    """The annotated case graph as JSON-LD, compacted with the published context (embedded)."""
    return plain_literals(graph_of(case)).serialize(format="json-ld", context=dict(load_context()), indent=2)
