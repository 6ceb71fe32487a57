"""The scenario format as a JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), generated
from the ontology's scenario keys and value sets (chosaku.facts), as the validator's per-key shapes
are. Published as docs/scenario.schema.json (a test checks it equals the generated schema) and
served by the REST API as the request body of /evaluate and the other scenario endpoints.

The schema says what each key may hold: the allowed codes (or true/false), `null` or a left-out
key for an unknown fact, the structure (`works` a non-empty list of works with unique ids, blocks
with their own keys only). Contradictions between facts are the shapes' to find: a scenario valid
against the schema may still be refused by /validate, with both keys named."""

from __future__ import annotations

import json
from functools import lru_cache

from .facts import FactSpec, block_titles, blocks
from .glossary import label_of, positions
from .load import ID_PATTERN, MAX_INPUT_BYTES

SCHEMA_ID = "https://w3id.org/chosaku-kg/scenario.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_MAX_LENGTH = 100
# Keys of a case library file that the engine ignores when it evaluates (docs/cases.md).
LIBRARY_KEYS = {"sources": "The passages the case rests on (case library; ignored by the engine).",
                "expected": "The expected result (case library; ignored by the engine).",
                "expected_error": "The expected refusal (case library; ignored by the engine).",
                "notes": "Free notes (ignored by the engine)."}


def _identifier(description: str) -> dict:
    return {"type": "string", "pattern": ID_PATTERN.pattern, "minLength": 1, "maxLength": ID_MAX_LENGTH,
            "description": description}


def fact_schema(spec: FactSpec) -> dict:
    """The schema of one fact: its allowed values or a boolean, null (unknown), and its labels and
    question in English and Japanese (x-label-ja, x-question-ja, and x-values with each code's labels)."""
    schema: dict = {"title": spec.label_en, "description": spec.help_en or spec.label_en,
                    "x-label-ja": spec.label_ja, "x-question-ja": spec.help_ja, "x-key": spec.key}
    if spec.boolean:
        schema["type"] = ["boolean", "null"]
    else:
        codes = sorted(spec.values)
        schema["enum"] = [*codes, None]
        schema["x-values"] = {code: {"en": label_of(spec.values[code], "en"), "ja": label_of(spec.values[code], "ja")}
                              for code in codes}
    return schema


def _required(schema: dict) -> dict:
    """A fact the format requires: its codes, never null."""
    return {**schema, "enum": [v for v in schema["enum"] if v is not None]}


def _block_schema(name: str, specs: dict[str, FactSpec]) -> dict:
    en, ja = block_titles().get(name, (name, name))
    return {"type": ["object", "null"], "title": en, "x-title-ja": ja, "additionalProperties": False,
            "properties": {key: fact_schema(spec) for key, spec in sorted(specs.items())}}


@lru_cache(maxsize=1)
def scenario_schema() -> dict:
    """The JSON Schema of a scenario (version 1 of the format), from the ontology."""
    grouped = blocks()
    work_facts = {key: fact_schema(spec) for key, spec in sorted(grouped.get("works", {}).items())}
    work = {"type": "object", "title": "Work", "x-title-ja": "著作物", "additionalProperties": False,
            "required": ["id"], "properties": {"id": _identifier("The work's id, unique in the scenario."), **work_facts}}
    properties: dict = {
        "id": _identifier("The scenario's id; it becomes the case IRI (case:<id>)."),
        "title": {"type": "string", "maxLength": 1000, "description": "A title in English."},
        "title_ja": {"type": "string", "maxLength": 1000, "description": "A title in Japanese."},
        "position": {"enum": [*sorted(positions()), None],
                     "description": "The interpretive position to reason under (default: seeds).",
                     "x-values": {key: {"en": label_of(node, "en"), "ja": label_of(node, "ja")}
                                  for key, node in sorted(positions().items())}},
        "works": {"type": "array", "minItems": 1, "items": work, "title": "Works", "x-title-ja": "著作物",
                  "description": "The existing works involved; at least one, ids unique."},
    }
    properties.update({key: fact_schema(spec) for key, spec in sorted(grouped.get(None, {}).items())})
    properties["technique"] = _required(properties["technique"])
    properties.update({name: _block_schema(name, grouped[name]) for name in sorted(n for n in grouped if n)
                       if name != "works"})
    properties.update({key: {"description": text} for key, text in LIBRARY_KEYS.items()})
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "chosaku-kg scenario (format version 1)",
        "x-title-ja": "chosaku-kg のシナリオ（形式 第1版）",
        "description": ("A description of an AI system or an act on existing works (docs/scenario-format.md). "
                        "Leave a fact out (or null) when it is unknown: the engine never guesses it. "
                        f"At most {MAX_INPUT_BYTES} bytes."),
        "type": "object",
        "required": ["id", "technique", "works"],
        "additionalProperties": False,
        "properties": properties,
    }


def schema_text() -> str:
    """The schema as published (docs/scenario.schema.json): indented JSON, keys in a stable order."""
    return json.dumps(scenario_schema(), ensure_ascii=False, indent=2) + "\n"
