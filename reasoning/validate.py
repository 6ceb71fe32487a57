"""Validating a scenario graph with SHACL: per-key shapes generated from the ontology's
scenario keys, plus the hand-written structure and contradiction shapes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD

from .errors import ValidationError
from .facts import FactSpec, fact_index
from .namespaces import KG, SH, SHAPE, bind_prefixes
from .ontology_graph import load_ontology, parse_turtle
from .oxrdf import to_store
from .validate_fast import compile_shapes, violations
from .resources import ontology_dir

SCENARIO_SHAPES = "shapes/scenario-shapes.ttl"


@dataclass(frozen=True)
class Problem:
    """One reason a scenario is refused: the key, the value given and the messages (en, ja)."""

    key: str
    value: str | None
    message_en: str
    message_ja: str

    def __str__(self) -> str:
        return f"{self.message_en} / {self.message_ja}"

    def to_dict(self) -> dict:
        """A JSON-ready view of the problem."""
        return {"key": self.key, "value": self.value, "en": self.message_en, "ja": self.message_ja}


def _expected(spec: FactSpec) -> tuple[str, str]:
    if spec.datatype == XSD.boolean:
        return "true or false (leave the key out if unknown)", "true か false（不明ならキーを省略）"
    codes = ", ".join(sorted(spec.values))
    return f"one of {codes} (leave the key out if unknown)", f"{codes} のいずれか（不明ならキーを省略）"


def _fact_shape(graph: Graph, spec: FactSpec) -> None:
    """Add the shape of one scenario key: allowed values and at most one value."""
    shape = SHAPE[f"key-{spec.key.replace('[]', '').replace('.', '-').replace('_', '-')}"]
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, SH.targetClass, KG.Work if spec.per_work else KG.Scenario))
    exp_en, exp_ja = _expected(spec)
    values = BNode()
    graph.add((shape, SH.property, values))
    graph.add((values, SH.path, spec.prop))
    if spec.datatype == XSD.boolean:
        graph.add((values, SH.datatype, XSD.boolean))
    else:
        members = BNode()
        Collection(graph, members, list(spec.values.values()))
        graph.add((values, SH["in"], members))
    graph.add((values, SH.message, Literal(f"{spec.key}: {{$value}} is not allowed; expected {exp_en}.", lang="en")))
    graph.add((values, SH.message, Literal(f"{spec.key}：{{$value}} は使えません。{exp_ja}を指定してください。", lang="ja")))
    single = BNode()
    graph.add((shape, SH.property, single))
    graph.add((single, SH.path, spec.prop))
    graph.add((single, SH.maxCount, Literal(1)))
    graph.add((single, SH.message, Literal(f"{spec.key}: give one value only.", lang="en")))
    graph.add((single, SH.message, Literal(f"{spec.key}：値は一つだけ指定してください。", lang="ja")))


def _position_shape(graph: Graph) -> None:
    """`position:` must name one of the ontology's interpretive positions."""
    ontology = load_ontology()
    positions = {str(ontology.value(p, KG.positionKey)): p for p in ontology.subjects(RDF.type, KG.InterpretivePosition)}
    shape, prop, members = SHAPE["key-position"], BNode(), BNode()
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, SH.targetClass, KG.Scenario))
    graph.add((shape, SH.property, prop))
    graph.add((prop, SH.path, KG.position))
    graph.add((prop, SH.maxCount, Literal(1)))
    Collection(graph, members, list(positions.values()))
    graph.add((prop, SH["in"], members))
    codes = ", ".join(sorted(positions))
    graph.add((prop, SH.message, Literal(f"position: {{$value}} is not an interpretive position; expected one of {codes}.", lang="en")))
    graph.add((prop, SH.message, Literal(f"position：{{$value}} は解釈上の立場ではありません。{codes} のいずれかを指定してください。", lang="ja")))


# What a scenario graph holds besides its facts (chosaku.load): its structure and the markers of
# input the format refuses (an unknown key, a malformed block, a work id given twice).
SCENARIO_STRUCTURE = (RDF.type, KG.caseId, KG.title, KG.position, KG.hasWork,
                      KG.unrecognisedKey, KG.malformedBlock, KG.duplicateWorkId)
WORK_STRUCTURE = (RDF.type, KG.workId)


def _closed_shape(graph: Graph, name: str, target: URIRef, allowed: list[URIRef], where: str, where_ja: str) -> None:
    """A closed shape: the scenario (or a work) carries only the format's properties, so that a
    graph written by hand (Turtle) with a property the format lacks is refused by any SHACL engine."""
    shape, ignored = SHAPE[name], BNode()
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, SH.targetClass, target))
    graph.add((shape, SH.closed, Literal(True)))
    Collection(graph, ignored, sorted(set(allowed)))
    graph.add((shape, SH.ignoredProperties, ignored))
    graph.add((shape, SH.message, Literal(
        f"{where}: a property the scenario format does not define (with the value {{$value}}); remove it. "
        "The format's keys are listed in docs/scenario-format.md.", lang="en")))
    graph.add((shape, SH.message, Literal(
        f"{where_ja}：シナリオ形式にないプロパティがあります（値 {{$value}}）。削除してください。"
        "形式のキーは docs/scenario-format.md にあります。", lang="ja")))


@lru_cache(maxsize=1)
def scenario_shapes() -> Graph:
    """The whole scenario shapes graph (hand-written file + generated per-key shapes + the closed
    shapes of the scenario and its works)."""
    graph = bind_prefixes(parse_turtle(ontology_dir() / SCENARIO_SHAPES))
    for spec in fact_index().values():
        _fact_shape(graph, spec)
    _position_shape(graph)
    specs = list(fact_index().values())
    _closed_shape(graph, "closed-scenario", KG.Scenario,
                  [*SCENARIO_STRUCTURE, *(s.prop for s in specs if not s.per_work)], "scenario", "シナリオ")
    _closed_shape(graph, "closed-work", KG.Work, [*WORK_STRUCTURE, *(s.prop for s in specs if s.per_work)],
                  "works[]", "works[]")
    return graph


def _show(term) -> str:
    if isinstance(term, Literal):
        return repr(term.toPython()) if not isinstance(term.toPython(), str) else f"'{term}'"
    if isinstance(term, URIRef):
        return str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return str(term)


def _language_of(text: str) -> str:
    """pyshacl drops the language tag of SPARQL constraint messages; tell ja from en by script."""
    cjk = len(re.findall(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]", text))
    return "ja" if cjk > len(text) * 0.3 else "en"


def _keys_named(message: str, work_id) -> str:
    """The scenario keys a message names as `key: value` (a contradiction names two or more), so
    that every problem has a key; '(scenario)' when it names none."""
    found = set()
    for spec in fact_index().values():
        names = (spec.local_key, spec.key) if spec.per_work else (spec.key,)
        if any(re.search(rf"(?<![\w.\[]){re.escape(name)}:", message) for name in names):
            found.add(spec.key.replace("works[]", f"works[{work_id}]") if spec.per_work and work_id is not None
                      else spec.key)
    return ", ".join(sorted(found)) or "(scenario)"


def _problem(report: Graph, result, data: Graph) -> Problem:
    focus = report.value(result, SH.focusNode)
    value = report.value(result, SH.value)
    path = report.value(result, SH.resultPath)
    messages = {(m.language or _language_of(str(m))): str(m)
                for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)}
    shown = _show(value) if value is not None else ""
    en = messages.get("en", next(iter(messages.values()), "invalid scenario")).replace("{$value}", shown)
    ja = messages.get("ja", en).replace("{$value}", shown)
    work_id = data.value(focus, KG.workId)
    if work_id is not None and "works[]" in en:
        en, ja = en.replace("works[]", f"works[{work_id}]"), ja.replace("works[]", f"works[{work_id}]")
    key = (en.split(": ", 1)[0] if ": " in en and not en.startswith("Contradiction") else "") or _keys_named(en, work_id)
    spec = next((s for s in fact_index().values() if s.prop == path), None)
    if path == KG.position:
        key = "position"
    if spec is not None:
        key = spec.key if work_id is None else spec.key.replace("works[]", f"works[{work_id}]")
    return Problem(key=key, value=shown or None, message_en=en, message_ja=ja)


def reference_problems(graph: Graph) -> list[Problem]:
    """All the reasons the scenario graph breaks the format, found by pyshacl (the reference)."""
    # pyshacl on a pyoxigraph store runs the SPARQL constraints without rdflib's per-call parsing.
    conforms, report, _ = pyshacl.validate(to_store(graph), shacl_graph=scenario_shapes(), advanced=True,
                                           inference="none", allow_warnings=False)
    if conforms:
        return []
    problems = {_problem(report, r, graph) for r in report.subjects(RDF.type, SH.ValidationResult)}
    return sorted(problems, key=lambda p: (p.key, p.message_en))


def validation_problems(graph: Graph) -> list[Problem]:
    """All the reasons the scenario graph breaks the format ([] when it conforms): the same
    shapes compiled to SPARQL on pyoxigraph (chosaku.validate_fast), equal to reference_problems."""
    found = violations(compile_shapes(scenario_shapes()), to_store(graph))
    return _problems_from(found, graph)


def _problems_from(found, graph: Graph) -> list[Problem]:
    """Problems from (focus, path, value, messages) rows, worded as for a pyshacl report."""
    report = Graph()
    for index, (focus, path, value, messages) in enumerate(found):
        result = URIRef(f"urn:chosaku:violation:{index}")
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, focus))
        if path is not None:
            report.add((result, SH.resultPath, path))
        if value is not None:
            report.add((result, SH.value, value))
        for message in messages:
            report.add((result, SH.resultMessage, message))
    problems = {_problem(report, r, graph) for r in report.subjects(RDF.type, SH.ValidationResult)}
    return sorted(problems, key=lambda p: (p.key, p.message_en))


def validate_graph(graph: Graph) -> None:
    """Raise ValidationError listing every problem if the scenario graph breaks the format."""
    problems = validation_problems(graph)
    if problems:
        raise ValidationError(problems)
