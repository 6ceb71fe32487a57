"""The RDF namespaces of the project (see docs/ontology-conventions.md)."""

from functools import cache

from rdflib import Namespace as _RdflibNamespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD


class Namespace(_RdflibNamespace):
    """An rdflib Namespace that makes each of its terms once: the explanation names the same few
    hundred terms tens of thousands of times per evaluation, and rdflib checks every IRI it builds."""

    @cache
    def term(self, name: str):
        return super().term(name)


BASE = "https://w3id.org/chosaku-kg/"
KG = Namespace(BASE + "ns#")
JPCA = Namespace(BASE + "law/345AC0000000048/")
LAW = Namespace(BASE + "law/")
REQ = Namespace(BASE + "requirement/")
SRC = Namespace(BASE + "source/")
RISK = Namespace(BASE + "risk/")
POS = Namespace(BASE + "position/")
RULE = Namespace(BASE + "rule/")
CASE = Namespace(BASE + "case/")
SHAPE = Namespace(BASE + "shape/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES = {
    "kg": KG, "jpca": JPCA, "law": LAW, "req": REQ, "src": SRC, "risk": RISK,
    "pos": POS, "rule": RULE, "case": CASE, "shape": SHAPE, "sh": SH,
    "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS,
    "dcterms": DCTERMS, "prov": PROV,
}


def bind_prefixes(graph):
    """Bind the project's prefixes on an rdflib graph, so Turtle output reads well."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph
