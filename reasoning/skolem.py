"""Blank nodes as stable IRIs (RDF 1.1 skolemisation, `/.well-known/genid/`), so that a graph can be
sent to a remote store whole (Graph Store Protocol) and read back the same way from every store:
the embedded store loads the same skolemised text, so both answer alike.

A blank node's label in a cache file is fixed when the file is written, so its IRI is stable for
as long as the file is."""

from __future__ import annotations

import re

from .namespaces import BASE

GENID = BASE + ".well-known/genid/"
_LABEL = rb"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
# a blank node as subject (the line's start) or as object (before the optional graph and the final dot)
_SUBJECT = re.compile(rb"^_:(" + _LABEL + rb") ", re.MULTILINE)
_OBJECT = re.compile(rb" _:(" + _LABEL + rb")((?: <[^<>\s]*>)? \.)[ \t]*$", re.MULTILINE)


def skolem_iri(label: str) -> str:
    """The IRI standing for the blank node `_:label`."""
    return GENID + label


def skolemise(text: bytes) -> bytes:
    """N-Triples or N-Quads with every blank node (subject or object) replaced by its skolem IRI."""
    if b"_:" not in text:
        return text
    genid = GENID.encode()
    text = _SUBJECT.sub(lambda m: b"<" + genid + m.group(1) + b"> ", text)
    return _OBJECT.sub(lambda m: b" <" + genid + m.group(1) + b">" + m.group(2), text)
