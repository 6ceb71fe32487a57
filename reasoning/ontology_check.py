"""The ontology checks itself: its own SHACL shapes run over the whole ontology."""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .namespaces import SH
from .ontology_graph import load_ontology, parse_turtle
from .resources import ontology_dir

ONTOLOGY_SHAPES = "shapes/ontology-shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One failed ontology check: the term, the path checked and the message (en, ja)."""

    focus: str
    path: str
    message_en: str
    message_ja: str

    def __str__(self) -> str:
        where = f" [{self.path}]" if self.path else ""
        return f"{self.focus}{where}: {self.message_en} / {self.message_ja}"


def _messages(report: Graph, result) -> tuple[str, str]:
    texts = {lit.language: str(lit) for lit in report.objects(result, SH.resultMessage)
             if isinstance(lit, Literal)}
    fallback = next(iter(texts.values()), "")
    return texts.get("en", fallback), texts.get("ja", fallback)


def check_ontology(graph: Graph | None = None) -> list[Violation]:
    """Validate the ontology against ontology/shapes/ontology-shapes.ttl; [] when it conforms."""
    data = graph if graph is not None else load_ontology()
    shapes = parse_turtle(ontology_dir() / ONTOLOGY_SHAPES)
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=False,
    )
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        en, ja = _messages(report, result)
        violations.append(Violation(
            focus=str(focus), path=str(path) if isinstance(path, URIRef) else "",
            message_en=en, message_ja=ja,
        ))
    return sorted(violations, key=lambda v: (v.focus, v.path, v.message_en))
