"""The fast path of scenario validation: the scenario shapes compiled once into SPARQL and run on
pyoxigraph. pyshacl (chosaku.validate.reference_problems) stays the reference: tests check that
both report the same problems on every case, bad input and generated scenario.

Only the constraint components the scenario shapes use are compiled (sh:targetClass with property
shapes over IRI paths: sh:minCount, sh:maxCount, sh:datatype, sh:in, sh:pattern; sh:closed with
sh:ignoredProperties; and SPARQL-based constraints). Any other construct in the shapes stops compilation with an error, so a constraint
can never be skipped silently."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from .errors import OntologyError
from .namespaces import SH

SUPPORTED_PROPERTY_KEYS = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["in"], SH.pattern, SH.message}
SUPPORTED_NODE_KEYS = {RDF.type, SH.targetClass, SH.property, SH.sparql, SH.message, SH.closed, SH.ignoredProperties}
SUPPORTED_SPARQL_KEYS = {RDF.type, SH.select, SH.message, SH.prefixes}


@dataclass(frozen=True)
class CompiledCheck:
    """One constraint as a SELECT returning ?this (the focus node) and, where there is one, ?value."""

    query: str
    messages: tuple[Literal, ...]
    path: URIRef | None
    sparql_messages: bool  # messages take {?var} from the row, as pyshacl does for SPARQL constraints
    path_in_row: bool = False  # the path is the row's ?path (sh:closed: the property not allowed)


def _term(node) -> str:
    return node.n3()


def _prefix_header(graph: Graph, constraint) -> str:
    lines = []
    for prefixes in graph.objects(constraint, SH.prefixes):
        for decl in graph.objects(prefixes, SH.declare):
            lines.append(f"PREFIX {graph.value(decl, SH.prefix)}: <{graph.value(decl, SH.namespace)}>")
    return "\n".join(sorted(set(lines)))


def _check_keys(graph: Graph, node, allowed, what) -> None:
    unknown = {p for p in graph.predicates(node) if p not in allowed}
    if unknown:
        raise OntologyError(f"{what} {node} uses {sorted(map(str, unknown))}, which the fast validator does not compile",
                            f"{what} {node} が使う {sorted(map(str, unknown))} は高速検証器ではコンパイルできません")


def _property_checks(graph: Graph, target: URIRef, prop, node_messages) -> list[CompiledCheck]:
    _check_keys(graph, prop, SUPPORTED_PROPERTY_KEYS, "property shape")
    path = graph.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise OntologyError(f"property shape {prop}: only IRI paths are compiled, got {path}",
                            f"property shape {prop}：コンパイルできるのはIRIのパスのみです（{path}）")
    messages = tuple(graph.objects(prop, SH.message)) or node_messages
    head = f"?this a {_term(target)} ."
    checks = []
    for count_key, test in ((SH.minCount, "<"), (SH.maxCount, ">")):
        bound = graph.value(prop, count_key)
        if bound is not None:
            checks.append(CompiledCheck(
                f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(?v) AS ?n) WHERE {{ {head} OPTIONAL {{ ?this {_term(path)} ?v }} }} "
                f"GROUP BY ?this }} FILTER (?n {test} {int(bound)}) }}", messages, path, False))
    value_tests = []
    datatype = graph.value(prop, SH.datatype)
    if datatype is not None:
        value_tests.append(f"(!isLITERAL(?value) || DATATYPE(?value) != {_term(datatype)})")
    members = graph.value(prop, SH["in"])
    if members is not None:
        allowed = ", ".join(_term(m) for m in Collection(graph, members))
        value_tests.append(f"(?value NOT IN ({allowed}))")
    pattern = graph.value(prop, SH.pattern)
    if pattern is not None:
        value_tests.append(f"(!REGEX(STR(?value), {Literal(str(pattern)).n3()}))")
    for value_test in value_tests:
        checks.append(CompiledCheck(
            f"SELECT ?this ?value WHERE {{ {head} ?this {_term(path)} ?value . FILTER {value_test} }}",
            messages, path, False))
    return checks


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _sparql_check(graph: Graph, target: URIRef, constraint) -> CompiledCheck:
    _check_keys(graph, constraint, SUPPORTED_SPARQL_KEYS, "SPARQL constraint")
    select = str(graph.value(constraint, SH.select))
    match = _WHERE.search(select)
    text = select[:match.end()] + f" ?this a {_term(target)} . " + select[match.end():]
    return CompiledCheck(_prefix_header(graph, constraint) + "\n" + text.replace("$this", "?this"),
                         tuple(graph.objects(constraint, SH.message)), None, True)


@lru_cache(maxsize=4)
def compile_shapes(shapes: Graph) -> tuple[CompiledCheck, ...]:
    """Every constraint of a shapes graph as a SELECT query (cached per shapes graph)."""
    checks = []
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        targets = list(shapes.objects(shape, SH.targetClass))
        if not targets:
            if shapes.value(shape, SH.property) is not None or shapes.value(shape, SH.sparql) is not None:
                raise OntologyError(f"node shape {shape} has constraints but no sh:targetClass; the fast validator needs one",
                                    f"node shape {shape} に制約がありますが sh:targetClass がありません（高速検証器には必要です）")
            continue
        _check_keys(shapes, shape, SUPPORTED_NODE_KEYS, "node shape")
        node_messages = tuple(shapes.objects(shape, SH.message))
        for target in targets:
            for prop in shapes.objects(shape, SH.property):
                checks += _property_checks(shapes, target, prop, node_messages)
            for constraint in shapes.objects(shape, SH.sparql):
                checks.append(_sparql_check(shapes, target, constraint))
            if shapes.value(shape, SH.closed) == Literal(True):
                checks.append(_closed_check(shapes, target, shape, node_messages))
    return tuple(checks)


def _closed_check(graph: Graph, target: URIRef, shape, messages) -> CompiledCheck:
    """sh:closed: every property of the focus node is a path of the shape's own property shapes or
    one of its sh:ignoredProperties."""
    allowed = {graph.value(prop, SH.path) for prop in graph.objects(shape, SH.property)}
    for ignored in graph.objects(shape, SH.ignoredProperties):
        allowed |= set(Collection(graph, ignored))
    listed = ", ".join(sorted(_term(p) for p in allowed))
    return CompiledCheck(f"SELECT ?this ?path ?value WHERE {{ ?this a {_term(target)} . ?this ?path ?value . "
                         f"FILTER (?path NOT IN ({listed})) }}", messages, None, False, path_in_row=True)


def violations(checks: tuple[CompiledCheck, ...], store: ox.Store, dataset=None):
    """Run the compiled checks: (focus node, path, value, messages) for each violation, the
    messages of SPARQL constraints already filled from the row as pyshacl fills them."""
    from .oxrdf import to_rdflib

    found = []
    for check in checks:
        results = store.query(check.query, default_graph=dataset) if dataset else store.query(check.query)
        names = [variable.value for variable in results.variables]
        for row in results:
            bindings = {name: row[name] for name in names if row[name] is not None}
            focus = to_rdflib(row["this"])
            value = to_rdflib(row["value"]) if "value" in bindings else None
            path = to_rdflib(row["path"]) if check.path_in_row else check.path
            messages = check.messages
            if check.sparql_messages:
                filled = []
                for message in messages:
                    text = str(message)
                    for name, term in bindings.items():
                        shown = str(to_rdflib(term))  # a literal text, never a replacement template
                        text = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _match, shown=shown: shown, text)
                    filled.append(Literal(text, lang=message.language))
                messages = tuple(filled)
            found.append((focus, path, value, messages))
    return found
