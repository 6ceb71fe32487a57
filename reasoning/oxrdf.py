"""Moving RDF terms and graphs between rdflib and pyoxigraph."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD


# The same few thousand IRIs (the ontology's and each scenario's) cross between the two libraries
# on every evaluation; rdflib checks each IRI it builds, so the terms are kept once made.
@lru_cache(maxsize=1 << 16)
def _uri(value: str) -> URIRef:
    return URIRef(value)


@lru_cache(maxsize=1 << 16)
def _named_node(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return _uri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=_uri(term.datatype.value))


_XSD_STRING = str(XSD.string)


def to_rdflib_as_parsed(term):
    """A pyoxigraph term as rdflib's own Turtle parser makes it: a simple literal (xsd:string,
    RDF 1.1's default datatype) without a datatype, every other term as `to_rdflib` makes it."""
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return to_rdflib(term)


def to_ox(term):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return _named_node(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=_named_node(str(term.datatype or XSD.string)))


def to_store(graph: Graph) -> ox.Store:
    """A fresh in-memory pyoxigraph store holding the triples of an rdflib graph."""
    store = ox.Store()
    store.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph])
    return store
