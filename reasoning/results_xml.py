"""SPARQL 1.1 Query Results XML, written here: rdflib's writer (7.x) drops the lexical form of a
literal whose value is false-y, so `0`, `0.0` and `false` come out as empty literals (rdflib issue
3138); this writer always writes the lexical form (str(term)) of every term."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef

NS = "http://www.w3.org/2005/sparql-results#"


def _term(term) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if isinstance(term, Literal):
        attributes = ""
        if term.language:
            attributes = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype is not None:
            attributes = f" datatype={quoteattr(str(term.datatype))}"
        return f"<literal{attributes}>{escape(str(term))}</literal>"
    raise TypeError(f"not an RDF term: {term!r}")


def results_xml(form: str, variables=(), rows=(), boolean: bool | None = None) -> bytes:
    """A SELECT (variables, rows of terms or None) or ASK (boolean) answer as SPARQL Results XML."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n', f'<sparql xmlns="{NS}">\n<head>']
    if form == "ASK":
        out.append(f"</head>\n<boolean>{'true' if boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>\n<results>\n")
    for row in rows:
        cells = "".join(f"<binding name={quoteattr(v)}>{_term(t)}</binding>"
                        for v, t in zip(variables, row) if t is not None)
        out.append(f"<result>{cells}</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")
