"""The published JSON-LD context (ontology/context.jsonld), generated from the ontology: the
project's prefixes, and a term for each class and property of the vocabulary (kg:) with how its
values are written — an IRI (`"@type": "@id"`) for object properties, the datatype of its range
(xsd:boolean, xsd:integer, ...) for data properties — so that a JSON-LD export reads as plain JSON
(`"conclusion": "kg:infringing"`; `"published": "true"`, typed xsd:boolean by its term) and expands
to the Turtle export's triples.

Regenerate after changing the vocabulary: `python -m chosaku.jsonld_context --write`; the tests
check that the file equals the generated context."""

from __future__ import annotations

import json
import sys

from rdflib.namespace import OWL, RDF, RDFS, XSD

from .atomic import atomic_write
from .namespaces import KG, PREFIXES
from .ontology_graph import load_ontology
from .resources import jsonld_context_file

# the provenance of an export: what a statement is about and which rule made it
STATEMENT_TERMS = {"subject": ("rdf:subject", "@id"), "predicate": ("rdf:predicate", "@id"),
                   "wasDerivedFrom": ("prov:wasDerivedFrom", "@id"), "wasGeneratedBy": ("prov:wasGeneratedBy", "@id"),
                   "used": ("prov:used", "@id")}
# datatypes a term coerces its values to (a string range stays a plain string)
COERCED = {XSD.boolean, XSD.integer, XSD.decimal, XSD.anyURI, XSD.dateTime, XSD.date}


def _term(iri, coercion=None):
    compact = f"kg:{str(iri)[len(str(KG)):]}"
    return {"@id": compact, "@type": coercion} if coercion else compact


def generated_context() -> dict:
    """The @context: prefixes, then one term per class and property of the vocabulary."""
    ontology = load_ontology()
    context: dict = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    terms: dict = {}
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for iri in sorted(ontology.subjects(RDF.type, kind)):
            if not str(iri).startswith(str(KG)):
                continue
            name = str(iri)[len(str(KG)):]
            if kind == OWL.ObjectProperty:
                terms[name] = _term(iri, "@id")
            elif kind == OWL.DatatypeProperty:
                datatype = ontology.value(iri, RDFS.range)
                terms[name] = _term(iri, f"xsd:{str(datatype)[len(str(XSD)):]}" if datatype in COERCED else None)
            else:
                terms[name] = _term(iri)
    for name, (iri, coercion) in STATEMENT_TERMS.items():
        terms.setdefault(name, {"@id": iri, "@type": coercion})
    context.update({name: terms[name] for name in sorted(terms) if name not in context})
    return context


def context_text() -> str:
    """The file's text."""
    return json.dumps({"@context": generated_context()}, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        atomic_write(jsonld_context_file(), context_text())
        print(jsonld_context_file())
    else:
        print(context_text(), end="")
