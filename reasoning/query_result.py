"""The answer to a query, as both stores give it: rows of rdflib terms, a boolean or triples;
and the conversion of the stores' own terms (pyoxigraph, SPARQL JSON results) into rdflib terms."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from .oxrdf import to_rdflib


@dataclass
class QueryResult:
    """The answer to a query: rows of rdflib terms (SELECT), a boolean (ASK) or triples
    (CONSTRUCT / DESCRIBE). `truncated` is true when the row limit cut the answer short."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple] = field(default_factory=list)
    truncated: bool = False


def term_from_oxigraph(term):
    """A pyoxigraph term as an rdflib term, with xsd:string literals as simple literals."""
    if term is None:
        return None
    converted = to_rdflib(term)
    if isinstance(converted, Literal) and converted.datatype == XSD.string:
        return Literal(str(converted))
    return converted


def term_from_json(binding):
    """A SPARQL JSON results term as an rdflib term."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype)) if datatype and datatype != str(XSD.string) else Literal(value)
