"""Counts of what the ontology models, by SPARQL over the ontology graph."""

from __future__ import annotations

from rdflib import Graph

from .namespaces import PREFIXES

COUNT_QUERIES = {
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a owl:Class . FILTER(isIRI(?c) && STRSTARTS(STR(?c), 'https://w3id.org/chosaku-kg/')) }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { VALUES ?t { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty } ?p a ?t . FILTER(STRSTARTS(STR(?p), 'https://w3id.org/chosaku-kg/')) }",
    "provisions": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { VALUES ?t { kg:Article kg:Paragraph kg:Item kg:Proviso kg:Provision } ?p a ?t }",
    "provisions with official text": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:officialText ?t }",
    "exemptions": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Exemption }",
    "requirements": "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { VALUES ?t { kg:Requirement kg:ProvisoCondition kg:ExemptionCondition } ?r a ?t }",
    "sources": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?t { kg:Source kg:GuidelineDocument kg:SeedAnalysis kg:GovernmentRequest kg:Judgment kg:StatuteText } ?s a ?t }",
    "source passages": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kg:SourcePassage }",
    "RAG types": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c kg:ragTypeNumber ?k }",
    "risks": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a skos:Concept }",
    "countermeasures": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:Countermeasure }",
    "interpretive positions": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:InterpretivePosition }",
    "rules": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:Rule }",
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}


def ontology_counts(graph: Graph) -> dict[str, int]:
    """How many classes, provisions, requirements, sources, risks ... the graph holds."""
    return {name: int(next(iter(graph.query(query, initNs=PREFIXES)))[0])
            for name, query in COUNT_QUERIES.items()}
