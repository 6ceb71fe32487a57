"""Loading a scenario (YAML, JSON, Turtle, a path or a dict) into a scenario graph.

Values are written into the graph as given: a value the format does not allow becomes a literal
that the scenario shapes then reject with a message naming the key, the value and what was
expected. Keys left out stay out of the graph: unknown, never false."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .errors import ScenarioError
from .facts import FactSpec, blocks
from .formats import names_a_file, scenario_format
from .namespaces import CASE, KG, POS
from .scenario_text import Yaml12Loader, parse_json, parse_yaml  # noqa: F401  (Yaml12Loader: public)
from .turtle_facts import mapping_from_turtle, read_scenario_turtle

ID_PATTERN = re.compile(r"^[a-z0-9-]+$")
MAX_INPUT_BYTES = 1_000_000
# An exported case graph is Turtle that also carries the engine's conclusions and which rule drew
# each (about 170 KB per work of a RAG scenario); they are dropped on reading (turtle_facts), but
# the file must be read to drop them.
MAX_TURTLE_BYTES = 8_000_000
# Keys a scenario file may carry besides the facts: bookkeeping and the case library's expectations.
DOCUMENT_KEYS = {"id", "title", "title_ja", "works", "position", "sources", "expected",
                 "expected_error", "notes"}


@dataclass
class Scenario:
    """A loaded scenario: its id, its title, the raw mapping (if any) and its RDF graph."""

    id: str
    title: str
    data: dict[str, Any] | None
    graph: Graph
    node: URIRef


def _within_limit(text: str, hint: str, where: str) -> str:
    """`text` if it is within the size limit of its format, else a ScenarioError naming the limit."""
    turtle = scenario_format(text, hint) == "turtle"
    limit = MAX_TURTLE_BYTES if turtle else MAX_INPUT_BYTES
    if len(text) > limit or (len(text) * 4 > limit and len(text.encode("utf-8")) > limit):
        kind = "a Turtle scenario" if turtle else "a YAML or JSON scenario"
        raise ScenarioError(f"{where}larger than {limit} bytes, the most {kind} may have",
                            f"{where}{limit} バイトを超えています（シナリオの上限）")
    return text


def read_text(source: str | Path) -> tuple[str, str]:
    """The text of a scenario given as a path or as text, and a hint of its format: the file
    suffix, or '' for inline text. Raises ScenarioError for a missing, too large or non-UTF-8 file
    (YAML and JSON: MAX_INPUT_BYTES; Turtle: MAX_TURTLE_BYTES)."""
    if names_a_file(source):
        path = Path(source)
        if not path.is_file():
            raise ScenarioError(f"{path}: no such file", "ファイルがありません")
        if path.stat().st_size > MAX_TURTLE_BYTES:
            raise ScenarioError(f"{path}: larger than {MAX_TURTLE_BYTES} bytes; a scenario is a short document",
                                f"{MAX_TURTLE_BYTES} バイトを超えています")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError(f"{path}: not UTF-8 text ({exc})", "UTF-8 のテキストではありません") from exc
        return _within_limit(text, path.suffix, f"{path}: "), path.suffix
    return _within_limit(source, "", "scenario text "), ""


def parse_mapping(text: str, hint: str = "") -> dict[str, Any]:
    """A YAML (1.2 booleans) or JSON scenario text as a mapping; `hint` is the file suffix, if any.
    Parsed within limits (scenario_text); raises ScenarioError naming where the text is wrong."""
    data = parse_json(text) if scenario_format(text, hint) == "json" else parse_yaml(text)
    if not isinstance(data, dict):
        raise ScenarioError(f"a scenario must be a mapping of keys to values, got {type(data).__name__}",
                            "シナリオはキーと値の対応（マッピング）でなければなりません")
    return data


def _value_node(spec: FactSpec, value: Any):
    """The RDF term for a fact value; values outside the format stay literals for SHACL to reject."""
    if spec.datatype == XSD.boolean:
        return Literal(value) if isinstance(value, bool) else Literal(str(value))
    if isinstance(value, str) and value in spec.values:  # (a list or mapping is never a code)
        return spec.values[value]
    return Literal(value if isinstance(value, (str, int, float)) else str(value))


def shown_id(value) -> str:
    """An id as the graph records it: control, format and other invisible characters escaped
    (a trailing newline or a bidi override can then never pass for a valid id, in any validator)."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def key_text(key) -> str:
    """A key as messages show it: an empty or blank key as '' (so no message names an empty key)."""
    text = str(key)
    return text if text.strip() else repr(text)


def _add_block(graph: Graph, node: URIRef, block: str | None, mapping: dict, prefix: str,
               case: URIRef | None = None) -> None:
    """Add the facts of one block to `node`; unknown keys are recorded on the case for SHACL."""
    specs = blocks().get(block, {})
    for key, value in mapping.items():
        full_key = f"{prefix}{key_text(key)}"
        spec = specs.get(str(key))
        if spec is None:
            graph.add((case or node, KG.unrecognisedKey, Literal(full_key)))
        elif value is not None:  # an explicit null is an unknown, like a missing key
            graph.add((node, spec.prop, _value_node(spec, value)))


def scenario_from_mapping(data: dict[str, Any]) -> Scenario:
    """Build the scenario graph of a mapping in the scenario format (version 1). The graph binds
    no prefixes (binding them costs more than building a small scenario): bind_prefixes before
    serialising it. It is a plain triple store without contexts (rdflib's SimpleMemory), which
    the explanation, reading it thousands of times per evaluation, reads faster."""
    graph = Graph(store="SimpleMemory")
    raw_id = data.get("id")
    if isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)  # YAML reads `id: 42` as a number; the id is its text
    case_id = raw_id if isinstance(raw_id, str) and ID_PATTERN.fullmatch(raw_id) and len(raw_id) <= 100 else None
    node = CASE[case_id] if case_id else CASE["invalid-id"]
    graph.add((node, RDF.type, KG.Scenario))
    if raw_id is not None:
        graph.add((node, KG.caseId, Literal(shown_id(raw_id))))
    if "title" in data:
        graph.add((node, KG.title, Literal(str(data["title"]), lang="en")))
    if "title_ja" in data:
        graph.add((node, KG.title, Literal(str(data["title_ja"]), lang="ja")))
    if data.get("position") is not None:
        position = data["position"]
        graph.add((node, KG.position, POS[position] if isinstance(position, str) and ID_PATTERN.fullmatch(position)
                   else Literal(str(position))))

    top = {k: v for k, v in data.items() if k not in DOCUMENT_KEYS and not isinstance(v, dict)}
    _add_block(graph, node, None, top, "")
    for key, value in data.items():
        if key in DOCUMENT_KEYS or not isinstance(value, dict):
            continue
        if key in blocks() and key != "works":
            _add_block(graph, node, key, value, f"{key}.")
        elif key in blocks().get(None, {}):  # a fact given a mapping: the shapes refuse the value
            _add_block(graph, node, None, {key: value}, "")
        else:
            graph.add((node, KG.unrecognisedKey, Literal(key_text(key))))

    works = data.get("works")
    if works is not None and not isinstance(works, list):
        graph.add((node, KG.malformedBlock, Literal("works")))
        works = []
    seen = set()
    for index, work in enumerate(works or []):
        if not isinstance(work, dict):
            graph.add((node, KG.malformedBlock, Literal(f"works[{index}]")))
            continue
        work_id = work.get("id")
        valid = isinstance(work_id, str) and ID_PATTERN.fullmatch(work_id) and len(work_id) <= 100
        if valid and work_id in seen:
            graph.add((node, KG.duplicateWorkId, Literal(work_id)))
            continue
        if valid:
            seen.add(work_id)
        work_node = URIRef(f"{node}/work/{work_id if valid else f'_{index}'}")
        graph.add((node, KG.hasWork, work_node))
        graph.add((work_node, RDF.type, KG.Work))
        if work_id is not None:
            graph.add((work_node, KG.workId, Literal(shown_id(work_id))))
        _add_block(graph, work_node, "works", {k: v for k, v in work.items() if k != "id"},
                   f"works.{work_id if valid else index}.", case=node)
    for key in ("collection", "input", "light_use", "output_use", "image", "training"):
        if key in data and data[key] is not None and not isinstance(data[key], dict):
            graph.add((node, KG.malformedBlock, Literal(key)))

    title = data.get("title") if isinstance(data.get("title"), str) else ""
    return Scenario(id=case_id or str(raw_id), title=title, data=data, graph=graph, node=node)


def scenario_from_turtle(text: str) -> Scenario:
    """Read a scenario written in Turtle in the ontology's terms (one kg:Scenario), as facts only:
    it is rebuilt into a mapping (turtle_facts) and then read exactly as YAML is, so that no
    triple the engine did not derive (a conclusion, a label) reaches the evaluation."""
    graph, nodes = read_scenario_turtle(text)
    if len(nodes) != 1:
        raise ScenarioError(f"a Turtle scenario must describe exactly one kg:Scenario, found {len(nodes)}",
                            f"Turtle のシナリオには kg:Scenario が一つだけ必要です（{len(nodes)}個）")
    node = nodes[0]
    if not isinstance(node, URIRef) or not str(node).startswith(str(CASE)):
        raise ScenarioError(f"the scenario IRI must be in the case namespace {CASE}, got {node}",
                            f"シナリオのIRIは {CASE} の下になければなりません")
    case_id = str(graph.value(node, KG.caseId) or str(node)[len(str(CASE)):])
    if str(node) != f"{CASE}{case_id}":
        raise ScenarioError(f"the scenario IRI {node} does not match its kg:caseId \"{case_id}\"",
                            f"シナリオのIRI {node} と kg:caseId「{case_id}」が一致しません")
    return scenario_from_mapping(mapping_from_turtle(graph, node, case_id))


def load_scenario(source: str | Path | dict) -> Scenario:
    """Load a scenario from a path, YAML / JSON / Turtle text, or a mapping."""
    if isinstance(source, dict):
        return scenario_from_mapping(source)
    if not isinstance(source, (str, Path)):
        raise ScenarioError(f"cannot read a scenario from {type(source).__name__}; give a path, text or a dict",
                            "パス・テキスト・辞書のいずれかを指定してください")
    text, hint = read_text(source)
    if scenario_format(text, hint) == "turtle":
        return scenario_from_turtle(text)
    return scenario_from_mapping(parse_mapping(text, hint))
