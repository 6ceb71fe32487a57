"""The REST API's OpenAPI 3.1 document (`GET /openapi.json`): every operation of chosaku.api, its
parameters, the scenario format as the request body (chosaku.scenario_schema, the JSON Schema
generated from the ontology) and RFC 9457 problem details for every error."""

from __future__ import annotations

from functools import lru_cache

from .api_service import LANGUAGES, PER_PAGE_MAX
from .explain import ACT_ORDER
from .glossary import exemption_nodes, positions
from .receipt import engine_version
from .scenario_schema import scenario_schema

PROBLEM_MEDIA = "application/problem+json"
MEMO_MEDIA = {"pdf": "application/pdf", "md": "text/markdown",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

PROBLEM = {
    "type": "object", "required": ["type", "title", "status", "detail"],
    "description": "RFC 9457 problem details, with the message in English (detail) and Japanese (detail_ja) "
                   "and, where the request is at fault, the key and every problem found.",
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "detail_ja": {"type": "string"}, "instance": {"type": "string"},
        "key": {"type": ["string", "null"]},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "key": {"type": "string"}, "value": {"type": ["string", "null"]},
            "en": {"type": "string"}, "ja": {"type": "string"}}}},
    },
}
RESULT = {"type": "object", "required": ["id", "rag_type", "display_pattern", "acts", "liable", "risks",
                                         "missing_facts", "position", "receipt"],
          "description": "The result contract (docs/scenario-format.md §5) with its receipt; `text` with `lang`."}
TEXT_PAIR = {"type": "object", "properties": {"en": {"type": "string"}, "ja": {"type": "string"}}}


def _query(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


POSITION = _query("position", {"type": "string", "enum": sorted(positions())},
                  "Interpretive position (default: the scenario's own, else seeds).")
LANG = _query("lang", {"type": "string", "enum": list(LANGUAGES)}, "Language of the added `text` explanation.")
ACT = _query("act", {"type": "string", "enum": ACT_ORDER}, "The act to explain.", required=True)
EXEMPTION = _query("exemption", {"type": "string", "enum": sorted(exemption_nodes())},
                   "One exemption weighed for the act (default: all).")
PAGE = _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page of the steps, from 1.")
PER_PAGE = _query("per_page", {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX, "default": 10},
                  "Steps per page.")
IDENTIFIER = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(op_id: str, summary: str, description: str, parameters: list, ok: dict, body: bool,
               tag: str, body_schema: dict | None = None) -> dict:
    operation = {"operationId": op_id, "summary": summary, "description": description, "tags": [tag],
                 "parameters": parameters,
                 "responses": {"200": ok, "default": {"description": "A problem (RFC 9457)",
                                                      "content": {PROBLEM_MEDIA: {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}
    if body:
        operation["requestBody"] = {"required": True, "description": "A scenario (docs/scenario-format.md) as JSON.",
                                    "content": {"application/json": {"schema": body_schema if body_schema is not None
                                                                     else {"$ref": "#/components/schemas/Scenario"}}}}
    return operation


def _scenario_components() -> dict:
    """The scenario schema as an OpenAPI component (its $schema and $id kept out of the component)."""
    return {k: v for k, v in scenario_schema().items() if k not in ("$schema", "$id")}


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    """The OpenAPI 3.1 document of the REST API."""
    engine = "Call the engine; it reasons, the caller does not: cite the provision and source each step gives."
    paths = {
        "/evaluate": {"post": _operation(
            "evaluate", "Evaluate a scenario",
            "The result contract: per act its conclusion, exemptions, actors, fault and the steps with rule, "
            "provision and source; liability, risks, missing facts; and the receipt (versions, law file hashes, "
            "statute text date, position, time, scenario hash). " + engine,
            [POSITION, LANG], _json(RESULT, "The result"), True, "reasoning")},
        "/validate": {"post": _operation(
            "validate", "Check a scenario against the format",
            "Every reason the scenario breaks the format (unknown keys or values, contradictions), "
            "in English and Japanese with the key at fault. Any JSON body is reported on (200); one that "
            "is not JSON is a 400.", [],
            _json({"type": "object", "required": ["valid", "problems"],
                   "properties": {"valid": {"type": "boolean"}, "problems": PROBLEM["properties"]["errors"]}},
                  "The validation report"), True, "reasoning", body_schema={})},
        "/whatif": {"post": _operation(
            "whatif", "What if a fact were answered otherwise",
            "For each fact, the conclusions, exemptions, liability and risks another answer would change, "
            "most decisive first.", [POSITION],
            _json({"type": "object", "required": ["impacts"], "properties": {"impacts": {"type": "array"}}},
                  "The impacts"), True, "reasoning")},
        "/missing-facts": {"post": _operation(
            "missing_facts", "The questions to ask next",
            "The facts the engine needs, as questions in English and Japanese with their allowed answers, "
            "most decisive first.", [POSITION],
            _json({"type": "object", "required": ["id", "missing_facts", "questions"],
                   "properties": {"missing_facts": {"type": "array", "items": {"type": "string"}},
                                  "questions": {"type": "array", "items": {"type": "object", "properties": {
                                      "key": {"type": "string"}, "label": TEXT_PAIR, "question": TEXT_PAIR,
                                      "answers": {"type": "array"}}}}}}, "The questions"), True, "reasoning")},
        "/explain": {"post": _operation(
            "explain", "Explain one act (or one exemption for it)",
            "The typed explanation tree of one act: exemptions with their requirement checklists, per-work "
            "status, and the steps (rule, provision, sources, finding), paged. " + engine,
            [ACT, EXEMPTION, POSITION, PAGE, PER_PAGE],
            _json({"type": "object", "required": ["act", "conclusion", "exemptions", "steps", "page", "total_steps"]},
                  "The explanation"), True, "reasoning")},
        "/memo": {"post": _operation(
            "memo", "A memo to file",
            "The memo on the scenario (facts, conclusions, reasons, liability, risks, open questions, "
            "authorities; dated, with versions and the scenario hash) as PDF, Word or Markdown.",
            [_query("format", {"type": "string", "enum": list(MEMO_MEDIA)}, "pdf (default), docx or md."),
             _query("lang", {"type": "string", "enum": list(LANGUAGES)}, "ja (default) or en."), POSITION],
            {"description": "The memo", "content": {media: {"schema": {"type": "string", "format": "binary"}}
                                                     for media in MEMO_MEDIA.values()}}, True, "reasoning")},
        "/provisions": {"get": _operation(
            "provisions", "The provisions the ontology carries", "Id, citation and label of each.", [],
            _json({"type": "array", "items": {"type": "object", "required": ["id", "citation", "label"]}},
                  "The provisions"), False, "law")},
        "/provisions/{id}": {"get": _operation(
            "provision", "One provision",
            "Its official text (Japanese) or marked summary, citation, label, the requirements it sets and its "
            "sources. The id is an exemption key (art30_4) or the IRI's last segment (Art30-4).", [IDENTIFIER],
            _json({"type": "object", "required": ["id", "iri", "citation", "official_text", "requirements", "sources"]},
                  "The provision"), False, "law")},
        "/cases": {"get": _operation(
            "cases", "The case library", "Id, titles and technique of each case.", [],
            _json({"type": "array", "items": {"type": "object", "required": ["id"]}}, "The cases"), False, "cases")},
        "/cases/{id}": {"get": _operation(
            "case", "One case of the library", "Its scenario, sources and expected result.", [IDENTIFIER],
            _json({"type": "object", "required": ["id", "scenario", "sources", "expected"]}, "The case"),
            False, "cases")},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "chosaku-kg", "version": engine_version(),
                 "description": "Japanese copyright law and generative AI: which exemptions apply to each act, who "
                                "is liable, what is still unknown — every step with its rule, provision and source. "
                                "Read-only. Not legal advice. 生成AIと著作権法の推論エンジン。",
                 "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {"schemas": {"Scenario": _scenario_components(), "Problem": PROBLEM}},
    }
