"""Reading a scenario written in Turtle as facts only.

A Turtle scenario is rebuilt into the same mapping a YAML scenario is read into, from the facts
the scenario format knows (the scenario node's and its works' scenario-key properties, its id,
titles and position), so that it goes through exactly the YAML path afterwards. Everything else
in the file is not a fact and never reaches the engine:

- triples about other subjects (acts, assessments, provenance statements of an exported case
  graph, or triples that would relabel an ontology term) are dropped;
- facts the graph's own provenance marks as inferred (an exported case graph records each derived
  fact, e.g. an expression output purpose derived from the display, with kg:inferredBy) are
  dropped: they are the engine's to derive again from the facts that remain;
- properties of the engine's own vocabulary on the scenario or a work (conclusions, RAG type,
  acts, risks, missing facts: anything the ontology declares that is not a scenario key) are
  dropped: the engine draws those itself; so is the provenance the engine records (prov:);
- any other property (a misspelt or foreign one) is refused, as an unknown key is in YAML.

An exported case graph therefore re-evaluates to the result of its scenario."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from .errors import ScenarioError
from .facts import FactSpec, key_of_property
from .labels import local_name
from .namespaces import KG, POS, bind_prefixes
from .ontology_graph import load_ontology
from .oxrdf import to_rdflib_as_parsed
from .provenance import inferred_triples

_RDF_TYPE, _SCENARIO, _HAS_WORK, _STATEMENT_SUBJECT = (ox.NamedNode(str(t)) for t in (RDF.type, KG.Scenario, KG.hasWork,
                                                                                     RDF.subject))

STRUCTURE = {RDF.type, KG.caseId, KG.title, KG.position, KG.hasWork, KG.workId}


@lru_cache(maxsize=1)
def _declared_terms() -> frozenset:
    """Every IRI the ontology declares (has a type for): the engine's own vocabulary."""
    onto = load_ontology()
    return frozenset(s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef))


def _fact_value(spec: FactSpec, term) -> Any:
    """The scenario value of an RDF term: the code of an allowed individual, a Python boolean for a
    proper xsd:boolean; anything else as text, for the shapes to refuse with their message."""
    codes = {iri: code for code, iri in spec.values.items()}
    if isinstance(term, URIRef):
        return codes.get(term, local_name(term) if str(term).startswith(str(KG)) else str(term))
    if isinstance(term, Literal):
        if spec.boolean and term.datatype == XSD.boolean and isinstance(term.toPython(), bool):
            return term.toPython()
        return str(term)
    return str(term)


def _facts(graph: Graph, subject, per_work: bool, where: str, problems: list[tuple[str, str]],
           inferred: set) -> dict:
    """The scenario facts of one node (the scenario or a work) as a nested mapping, leaving out
    the `inferred` triples."""
    specs = key_of_property()
    found: dict = {}
    for predicate in sorted(set(graph.predicates(subject, None)), key=str):
        spec = specs.get(predicate)
        if spec is not None and spec.per_work != per_work:
            place, place_ja = ("a kg:Work", "著作物（kg:Work）") if spec.per_work else ("the kg:Scenario", "シナリオ（kg:Scenario）")
            problems.append((f"{where}{spec.key}: a fact of {place}, given on the wrong node",
                             f"{where}{spec.key}：{place_ja}の事実です。置く場所が違います"))
            continue
        if spec is None:
            if predicate not in STRUCTURE and predicate not in _declared_terms() and not predicate.startswith(str(PROV)):
                problems.append((f"{where}{predicate.n3(graph.namespace_manager)}: not a property of the scenario "
                                 "format (docs/scenario-format.md); check the spelling",
                                 f"{where}{predicate.n3(graph.namespace_manager)}：シナリオ形式にない性質です。"
                                 "綴りを確認してください"))
            continue
        values = sorted((v for v in graph.objects(subject, predicate) if (subject, predicate, v) not in inferred), key=str)
        if not values:
            continue
        if len(values) > 1:
            shown = ", ".join(str(_fact_value(spec, v)) for v in values)
            problems.append((f"{where}{spec.key}: {len(values)} values given ({shown}); a fact has one value",
                             f"{where}{spec.key}：値が{len(values)}個あります（{shown}）。事実の値は一つです"))
            continue
        target = found if spec.block in (None, "works") else found.setdefault(spec.block, {})
        target[spec.local_key] = _fact_value(spec, values[0])
    return found


def _work_id(graph: Graph, work, scenario) -> str:
    given = graph.value(work, KG.workId)
    if given is not None:
        return str(given)
    prefix = f"{scenario}/work/"
    return str(work)[len(prefix):] if str(work).startswith(prefix) else local_name(work)


def _parse(text: str) -> dict:
    """The triples of a Turtle text grouped by subject (pyoxigraph terms); ScenarioError if it is
    not Turtle or holds a triple term."""
    by_subject: dict = {}
    try:
        for triple in ox.parse(text, format=ox.RdfFormat.TURTLE):
            if isinstance(triple.subject, ox.Triple) or isinstance(triple.object, ox.Triple):
                raise ScenarioError("not valid Turtle for a scenario: a triple term (<< ... >>) is not a fact; "
                                    "give the facts as plain triples",
                                    "シナリオの Turtle として読めません：トリプル項（<< ... >>）は事実ではありません")
            by_subject.setdefault(triple.subject, []).append(triple)
    except (SyntaxError, ValueError) as exc:
        raise ScenarioError(f"not valid Turtle: {exc}", f"Turtle として読めません：{exc}") from exc
    return by_subject


def read_scenario_turtle(text: str) -> tuple[Graph, list]:
    """(graph, scenario nodes) of a Turtle text: the graph holds what mapping_from_turtle reads,
    the triples about each kg:Scenario and its works and the provenance statements about those
    (an exported case graph's conclusions about acts, requirements and liability stay out: they
    are never facts). Parsed by pyoxigraph: an export of a few hundred kilobytes in a tenth of
    the time rdflib's parser takes, and its errors name the line and column."""
    by_subject = _parse(text)
    nodes = [subject for subject, triples in by_subject.items()
             if any(t.predicate == _RDF_TYPE and t.object == _SCENARIO for t in triples)]
    kept = set(nodes) | {t.object for node in nodes for t in by_subject[node] if t.predicate == _HAS_WORK}
    statements = [subject for subject, triples in by_subject.items()
                  if any(t.predicate == _STATEMENT_SUBJECT and t.object in kept for t in triples)]
    graph = bind_prefixes(Graph())  # the messages name properties as kg:…
    for subject in [*kept, *statements]:
        for triple in by_subject.get(subject, ()):
            graph.add((to_rdflib_as_parsed(triple.subject), to_rdflib_as_parsed(triple.predicate),
                       to_rdflib_as_parsed(triple.object)))
    return graph, [to_rdflib_as_parsed(node) for node in nodes]


def mapping_from_turtle(graph: Graph, node: URIRef, case_id: str) -> dict[str, Any]:
    """The scenario mapping (as YAML would give it) of the kg:Scenario `node` of a Turtle graph.

    Raises ScenarioError naming every property that is not part of the scenario format and every
    fact given more than one value."""
    problems: list[tuple[str, str]] = []
    inferred = set(inferred_triples(graph))
    data: dict[str, Any] = {"id": case_id}
    for title in graph.objects(node, KG.title):
        language = getattr(title, "language", None)
        data["title_ja" if language == "ja" else "title"] = str(title)
    position = graph.value(node, KG.position)
    if position is not None:
        data["position"] = (str(position)[len(str(POS)):] if isinstance(position, URIRef)
                            and str(position).startswith(str(POS)) else str(position))
    data.update(_facts(graph, node, False, "", problems, inferred))
    works = []
    for work in sorted(graph.objects(node, KG.hasWork), key=str):
        work_id = _work_id(graph, work, node)
        works.append({"id": work_id, **_facts(graph, work, True, f"works.{work_id}.", problems, inferred)})
    if works or (node, KG.hasWork, None) in graph:
        data["works"] = works
    if problems:
        raise ScenarioError("; ".join(en for en, _ in problems), "；".join(ja for _, ja in problems))
    return data
