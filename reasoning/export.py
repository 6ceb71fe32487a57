"""Exporting the annotated case graph: Turtle, JSON-LD (with the published @context) and GraphML.

The case graph (Result.graph) holds the scenario's facts, the inferences and one rdf:Statement per
inferred triple naming the rule that made it. Turtle and JSON-LD carry it as it is. GraphML (for
Gephi, Cytoscape, yEd, networkx) folds the provenance into the network: every resource is a node
with its labels (en, ja), types and, for acts and assessments, its conclusion or status; every
triple between resources is an edge with its predicate's label and, when inferred, the rules that
inferred it, the provisions they apply and the sources they cite. Literal facts become node
attributes. The explorer's download buttons call `export()`.

The JSON-LD context is `ontology/context.jsonld` (the project's prefixes and a term for each class
and property, chosaku.jsonld_context), embedded in every export so that no consumer needs to fetch
anything. `provenance` chooses how Turtle and JSON-LD carry the provenance of the inferences
(chosaku.provenance_forms): rdf:Statement nodes (default), RDF 1.2 triple terms (Turtle only), or
none. GraphML attributes are typed (`boolean`, `int`, `string`) and named with letters, digits and
underscores only (`kg_published`), which every GraphML reader takes.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .errors import ChosakuError
from .iris import compact
from .labels import provision_code, source_citation, text_in
from .namespaces import KG
from .ontology_graph import load_ontology
from .provenance import inferred_triples, statement_nodes
from .provenance_forms import PROVENANCE_FORMS, check_form, to_rdf_star_turtle, without_provenance
from .serialization import graph_of, load_context, plain_literals, to_jsonld, to_turtle

# format → (media type, file suffix)
FORMATS = {"ttl": ("text/turtle", ".ttl"), "jsonld": ("application/ld+json", ".jsonld"),
           "graphml": ("application/graphml+xml", ".graphml")}


# --- GraphML --------------------------------------------------------------------------------------

LABEL_PREDICATES = (RDFS.label, KG.title, SKOS.prefLabel)


def _labels(ontology: Graph, graph: Graph, node) -> tuple[str, str]:
    """The English and Japanese labels of a node (rdfs:label, kg:title, skos:prefLabel), from the
    case graph first, then the ontology, with labels.text_in's fallback between languages; the
    type and path of the node when it has no label at all."""
    def text(lang: str) -> str:
        return next(filter(None, (text_in(source, node, LABEL_PREDICATES, lang) for source in (graph, ontology))), "")
    english = text("en") or _derived_label(ontology, graph, node)
    return english, text("ja")


def _derived_label(ontology: Graph, graph: Graph, node) -> str:
    """For a node without a label (an act, an assessment): its type's label and its path in the case."""
    if not isinstance(node, URIRef):
        return str(node)
    types = sorted(filter(None, (text_in(ontology, t, RDFS.label, "en") for t in graph.objects(node, RDF.type))))
    text = compact(node)
    path = text.split("/", 1)[1] if text.startswith("case:") and "/" in text else text
    return f"{types[0]}: {path}" if types else text


def _citations(ontology: Graph, rules: list) -> tuple[str, str]:
    provisions = sorted({provision_code(ontology, p) for r in rules for p in ontology.objects(r, KG.ruleProvision)})
    sources = sorted({source_citation(ontology, s) for r in rules for s in ontology.objects(r, KG.citesSource)})
    return "; ".join(provisions), " | ".join(sources)


def attribute_name(predicate) -> str:
    """A GraphML attribute name for a predicate: its prefixed name with every character other than
    a letter, digit or underscore as an underscore (kg:published -> kg_published)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", compact(predicate))


def _literal_value(literal: Literal):
    """A literal as a GraphML value: a Python bool or int for xsd:boolean and xsd:integer (typed
    keys `boolean`, `int`), text otherwise (with its language tag)."""
    value = literal.toPython()
    if isinstance(value, bool) or (isinstance(value, int) and literal.datatype is not None):
        return value
    return str(literal) + (f"@{literal.language}" if literal.language else "")


def _one_type_per_attribute(network) -> None:
    """An attribute that is not of one type on every node, or has several values on one node,
    becomes text everywhere, so that each GraphML key has one declared type."""
    kinds: dict[str, set] = {}
    for _, attributes in network.nodes(data=True):
        for name, value in attributes.items():
            kinds.setdefault(name, set()).add(type(value))
    mixed = {name for name, found in kinds.items() if len(found) > 1}
    for _, attributes in network.nodes(data=True):
        for name in mixed & set(attributes):
            value = attributes[name]
            attributes[name] = str(value).lower() if isinstance(value, bool) else str(value)


def to_networkx(case, ontology: Graph | None = None):
    """The annotated case graph as a networkx MultiDiGraph (one edge per triple between resources)."""
    graph = graph_of(case)
    ontology = ontology if ontology is not None else load_ontology()
    statements, inferred = statement_nodes(graph), inferred_triples(graph)

    def provenance(triple) -> list:
        return inferred.get(triple, [])
    network = nx.MultiDiGraph()

    def add_node(node):
        key = str(node)
        if key in network:
            return key
        en, ja = _labels(ontology, graph, node)
        types = sorted(compact(t) for t in graph.objects(node, RDF.type))
        rules = sorted({r for t in graph.objects(node, RDF.type) for r in provenance((node, RDF.type, t))})
        attributes = {"iri": key, "label": en, "label_ja": ja, "type": " ".join(types),
                      "origin": "inferred" if rules else ("scenario" if (node, None, None) in graph else "ontology")}
        if rules:
            attributes["inferred_by"] = " ".join(compact(r) for r in rules)
        for prop, name in ((KG.conclusion, "conclusion"), (KG.status, "status"), (KG.liabilityRole, "role"),
                           (KG.fault, "fault")):
            value = graph.value(node, prop)
            if value is not None:
                attributes[name] = str(ontology.value(value, KG.scenarioValue) or compact(value))
        network.add_node(key, **attributes)
        return key

    for subject, predicate, obj in sorted(graph):
        if subject in statements:
            continue
        source = add_node(subject)
        rules = provenance((subject, predicate, obj))
        if isinstance(obj, Literal):
            name = attribute_name(predicate)
            values = network.nodes[source].get(name)
            value = _literal_value(obj)
            network.nodes[source][name] = value if values is None else f"{values} | {value}"
            continue
        target = add_node(obj)
        provisions, sources = _citations(ontology, rules)
        network.add_edge(source, target, key=compact(predicate), predicate=compact(predicate),
                         label=_labels(ontology, graph, predicate)[0],
                         origin="inferred" if rules else "scenario",
                         inferred_by=" ".join(compact(r) for r in rules), provision=provisions, source=sources)
    _one_type_per_attribute(network)
    return network


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _xml_schema_types(document: bytes) -> bytes:
    """networkx writes Python ints as `long` and booleans as `True`/`False`; GraphML takes the
    XML Schema forms: counts are `int`, and booleans `true`/`false` (as yEd, Gephi and igraph read them)."""
    ET.register_namespace("", GRAPHML_NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ET.fromstring(document)
    boolean_keys = set()
    for key in root.iter(f"{{{GRAPHML_NS}}}key"):
        if key.get("attr.type") == "long":
            key.set("attr.type", "int")
        if key.get("attr.type") == "boolean":
            boolean_keys.add(key.get("id"))
    for data in root.iter(f"{{{GRAPHML_NS}}}data"):
        if data.get("key") in boolean_keys and data.text:
            data.text = data.text.strip().lower()
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def to_graphml(case, ontology: Graph | None = None) -> bytes:
    """The annotated case graph as GraphML (UTF-8 bytes), attributes typed `boolean`, `int` or `string`."""
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(case, ontology), buffer, encoding="utf-8", prettyprint=False)
    return _xml_schema_types(buffer.getvalue())


def export(case, fmt: str, provenance: str = "statements") -> bytes:
    """The case graph in one of FORMATS ('ttl', 'jsonld', 'graphml') as bytes, for a download;
    `provenance` one of PROVENANCE_FORMS (GraphML always folds it into its edges)."""
    check_form(provenance)
    if fmt not in FORMATS:
        raise ChosakuError(f"unknown export format '{fmt}'; expected one of {', '.join(FORMATS)}")
    if fmt == "graphml":
        return to_graphml(case)
    if fmt == "ttl" and provenance == "statements":
        return to_turtle(case).encode("utf-8")  # written from the result's triples: no Graph to build
    graph = plain_literals(graph_of(case))
    if provenance == "rdf-star":
        if fmt != "ttl":
            raise ChosakuError("--provenance rdf-star is written as Turtle only (JSON-LD has no triple terms); "
                               "use --format ttl, or --provenance statements or none")
        return to_rdf_star_turtle(graph).encode("utf-8")
    if provenance == "none":
        graph = without_provenance(graph)
    return (to_turtle(graph) if fmt == "ttl" else to_jsonld(graph)).encode("utf-8")


__all__ = ["FORMATS", "PROVENANCE_FORMS", "export", "attribute_name", "to_turtle", "to_jsonld", "to_graphml",
           "to_networkx", "load_context"]
