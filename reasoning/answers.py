"""Reading and writing single answers of a scenario mapping by fact key.

A fact key is written as in `missing_facts`: `technique`, `light_use.minor`, or
`works.<work id>.<key>` for a fact about one work. Writing `None` makes the fact unknown: the
key is removed (never set to false), and a block left empty is removed with it. The explorer,
the what-if analysis and anything else that edits scenarios use these functions."""

from __future__ import annotations

import copy
import re
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from .errors import ScenarioError
from .facts import WORKS_PREFIX, FactSpec, fact_index
from .load import Scenario
from .namespaces import KG

WORK_KEY = re.compile(r"^works\.([^.]+)\.([a-z_]+)$")
BLOCK_ORDER = ("collection", "input", "light_use", "output_use", "image", "training")


def spec_of(key: str) -> FactSpec:
    """The FactSpec of a fact key (`works.novel.pirated` → the spec of `works[].pirated`)."""
    match = WORK_KEY.match(key)
    spec = fact_index().get(f"{WORKS_PREFIX}{match.group(2)}" if match else key)
    if spec is None:
        raise ScenarioError(f"{key}: not a scenario fact key; expected one of the keys of "
                            "docs/scenario-format.md (e.g. technique, light_use.minor, works.<id>.pirated)",
                            f"{key} はシナリオの事実のキーではありません")
    return spec


def work_key(work_id: str, spec: FactSpec) -> str:
    """The fact key of a per-work fact for one work: `works.<id>.<key>`."""
    return f"works.{work_id}.{spec.local_key}"


def _find_work(scenario: dict, work_id: str) -> dict | None:
    for work in scenario.get("works") or []:
        if isinstance(work, dict) and str(work.get("id")) == work_id:
            return work
    return None


def get_answer(scenario: dict, key: str) -> Any:
    """The answer given for a fact key, or None when it is unknown (left out or null)."""
    spec = spec_of(key)
    match = WORK_KEY.match(key)
    if match:
        work = _find_work(scenario, match.group(1))
        return work.get(spec.local_key) if work else None
    if spec.block is None:
        return scenario.get(key)
    block = scenario.get(spec.block)
    return block.get(spec.local_key) if isinstance(block, dict) else None


def set_answer(scenario: dict, key: str, value: Any) -> dict:
    """A copy of the scenario with the fact answered `value` (None: unknown, the key removed)."""
    spec = spec_of(key)
    result = copy.deepcopy(scenario)
    match = WORK_KEY.match(key)
    if match:
        work = _find_work(result, match.group(1))
        if work is None:
            raise ScenarioError(f"{key}: the scenario has no work with id {match.group(1)!r}",
                                f"id が {match.group(1)!r} の著作物はありません")
        put_value(work, spec.local_key, value)
        return result
    if spec.block is None:
        put_value(result, key, value)
        return result
    block = result.get(spec.block)
    block = dict(block) if isinstance(block, dict) else {}
    put_value(block, spec.local_key, value)
    if block:
        result[spec.block] = block
    else:
        result.pop(spec.block, None)
    return result


def put_value(mapping: dict, key: str, value: Any) -> None:
    """Set `key` in a mapping, or remove it when `value` is None (unknown)."""
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


def answered_keys(scenario: dict) -> list[str]:
    """Every fact key the scenario answers (non-null), in the order of the fact index."""
    keys = []
    for spec in fact_index().values():
        if spec.per_work:
            keys += [work_key(str(w["id"]), spec) for w in scenario.get("works") or []
                     if isinstance(w, dict) and "id" in w and w.get(spec.local_key) is not None]
        elif get_answer(scenario, spec.key) is not None:
            keys.append(spec.key)
    return keys


def _answer_of(spec: FactSpec, term) -> Any:
    if isinstance(term, URIRef):
        codes = {iri: code for code, iri in spec.values.items()}
        return codes.get(term, str(term))
    if isinstance(term, Literal):
        return term.toPython()
    return str(term)


def _place(mapping: dict, spec: FactSpec, value: Any) -> None:
    if spec.block is None:
        mapping[spec.key] = value
    else:
        mapping.setdefault(spec.block, {})[spec.local_key] = value


def mapping_of(loaded: Scenario) -> dict:
    """The scenario as a mapping in the scenario format, also for one read from Turtle."""
    if loaded.data is not None:
        return copy.deepcopy(loaded.data)
    graph, node = loaded.graph, loaded.node
    mapping: dict[str, Any] = {"id": loaded.id}
    for title in graph.objects(node, KG.title):
        mapping["title_ja" if getattr(title, "language", None) == "ja" else "title"] = str(title)
    position = graph.value(node, KG.position)
    if position is not None:
        mapping["position"] = str(position).rsplit("/", 1)[-1]
    specs = list(fact_index().values())
    for spec in specs:
        value = graph.value(node, spec.prop)
        if value is not None and not spec.per_work:
            _place(mapping, spec, _answer_of(spec, value))
    works = []
    for work in sorted(graph.objects(node, KG.hasWork), key=str):
        if (work, RDF.type, KG.Work) not in graph:
            continue
        entry = {"id": str(graph.value(work, KG.workId) or str(work).rsplit("/", 1)[-1])}
        for spec in specs:
            value = graph.value(work, spec.prop)
            if spec.per_work and value is not None:
                entry[spec.local_key] = _answer_of(spec, value)
        works.append(entry)
    if works:
        mapping["works"] = works
    order = {k: i for i, k in enumerate(("id", "title", "title_ja", "position"))}
    return dict(sorted(mapping.items(), key=lambda kv: (order.get(kv[0], 4), kv[0] in BLOCK_ORDER or kv[0] == "works")))
