"""The MCP server (`chosaku mcp`): the engine as tools and resources for LLM agents, with the
official MCP Python SDK, over stdio or (with --port) streamable HTTP at /mcp.

Tools: evaluate, why_not, what_if, missing_facts, explain (paged), lookup_provision. Resources:
the provisions and the case library, and the scenario format's JSON Schema. Every tool answers
from the engine (chosaku.api_service, as the REST API does); its description tells the agent to
call the engine rather than reason about the law itself, and to cite the provision and source
each step of the answer gives."""

from __future__ import annotations

import json
from typing import Any

from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError

from . import api_service as service
from .errors import ChosakuError, ValidationError
from .receipt import engine_version
from .scenario_schema import schema_text

CALL_THE_ENGINE = ("Do not work out Japanese copyright law yourself: call this tool and report what it returns. "
                   "Cite the provision (e.g. Art. 30-4 / 第30条の4) and the source passage (e.g. seed004 第4 2) "
                   "that each step of the answer gives; say 'conditional' where the engine does, and ask the user "
                   "the missing facts instead of assuming them. Not legal advice.")
SCENARIO_HELP = ("`scenario`: a scenario object in the chosaku-kg format (resource chosaku://scenario-schema; "
                 "leave unknown facts out), or `case`: the id of a case of the library (resource chosaku://cases).")
INSTRUCTIONS = ("chosaku-kg is a deterministic reasoning engine for Japanese copyright law and generative AI "
                "(RAG, semantic search, in-context learning, fine-tuning, image generation). " + CALL_THE_ENGINE)


def _scenario(scenario: dict | None, case: str | None) -> dict:
    if (scenario is None) == (case is None):
        raise ToolError("give either `scenario` (an object in the scenario format) or `case` (a case id) / "
                            "scenario（シナリオ）か case（事例のid）のどちらか一方を指定してください")
    return scenario if scenario is not None else service.case_detail(case)["scenario"]


def _call(function, *args, refused=ToolError):
    """Run an engine function; a refusal becomes a tool (or resource) error naming each key at
    fault and what was expected, in English and Japanese."""
    try:
        return function(*args)
    except ValidationError as exc:
        raise refused("the scenario breaks the format / シナリオが形式に合いません:\n" + "\n".join(
            f"- {p.key}: {p.message_en} / {p.message_ja}" for p in exc.problems)) from None
    except service.ParameterError as exc:
        raise refused(f"{exc.key}: {exc.message_en} / {exc.message_ja}") from None
    except ChosakuError as exc:
        raise refused(f"{exc.message_en} / {exc.message_ja}") from None


def evaluate(scenario: dict[str, Any] | None = None, case: str | None = None, position: str | None = None) -> dict:
    """The result of a scenario (or a library case) with its receipt."""
    return _call(service.evaluate_scenario, _scenario(scenario, case), position)


def why_not(act: str, exemption: str, scenario: dict[str, Any] | None = None, case: str | None = None,
            position: str | None = None) -> dict:
    """Why an exemption does not (or may not) cover an act."""
    return _call(service.why_not, _scenario(scenario, case), act, exemption, position)


def what_if(scenario: dict[str, Any] | None = None, case: str | None = None, position: str | None = None) -> dict:
    """Which conclusions change if each fact were answered otherwise."""
    return _call(service.what_if_report, _scenario(scenario, case), position)


def missing_facts(scenario: dict[str, Any] | None = None, case: str | None = None, position: str | None = None) -> dict:
    """The facts still needed, as questions, most decisive first."""
    return _call(service.missing_fact_questions, _scenario(scenario, case), position)


def explain(act: str, scenario: dict[str, Any] | None = None, case: str | None = None, exemption: str | None = None,
            position: str | None = None, page: int = 1, per_page: int = 10) -> dict:
    """The explanation tree of one act, paged."""
    return _call(service.explain_act, _scenario(scenario, case), act, exemption, position, page, per_page)


def lookup_provision(id: str) -> dict:  # noqa: A002 (the tool's parameter name)
    """One provision: text, requirements, sources."""
    return _call(service.provision_info, id)


TOOLS = {
    "evaluate": (evaluate, "Evaluate a scenario: for each act (training, collection, input, output, transmission, "
                           "use) the conclusion (lawful, infringing, conditional, not_at_issue), the exemptions "
                           "weighed (Arts. 30-4, 47-5, 30(1), 30-3, 35, 32, 47-7) with their status, the actors, "
                           "fault, liability, risks and missing facts, every step with rule, provision and source; "
                           "and a receipt (versions, statute text date, scenario hash). "),
    "why_not": (why_not, "Why an exemption does not (or may not) cover an act: its status and every requirement "
                         "that is unmet or unknown, with its rule, provision and sources. `act`: training, "
                         "collection, input, output, transmission or use; `exemption`: art30_4, art47_5_1, "
                         "art47_5_2, art30_1, art30_3, art35, art32 or art47_7. "),
    "what_if": (what_if, "Which conclusions would change if each fact were answered otherwise, most decisive "
                         "first. "),
    "missing_facts": (missing_facts, "The facts the engine still needs, as questions in English and Japanese "
                                     "with their allowed answers, most decisive first: ask the user these. "),
    "explain": (explain, "The explanation tree of one act (or one exemption for it): requirement checklists, "
                         "per-work status and the steps (rule, provision, sources with their passages, finding), "
                         "paged: fetch the next page while `next_page` is not null. "),
    "lookup_provision": (lookup_provision, "One provision: its official Japanese text (or a summary marked as "
                                           "such), citation, the requirements it sets and its sources. `id`: an "
                                           "exemption key (art30_4) or a provision id (Art30-4, Art119-Para1). "),
}


def build_server():
    """One provision: text, requirements, sources."""
    """The MCP server with its tools and resources."""
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("chosaku-kg", instructions=INSTRUCTIONS, version=engine_version())
    for name, (function, description) in TOOLS.items():
        takes_scenario = "scenario" in function.__code__.co_varnames
        server.add_tool(function, name=name, description=description + (SCENARIO_HELP + " " if takes_scenario else "")
                        + CALL_THE_ENGINE)

    @server.resource("chosaku://scenario-schema", name="scenario-schema", mime_type="application/schema+json",
                     description="The scenario format as JSON Schema (generated from the ontology).")
    def scenario_schema_resource() -> str:
        return schema_text()

    @server.resource("chosaku://provisions", name="provisions", mime_type="application/json",
                     description="The provisions the ontology carries: id, citation, label.")
    def provisions_resource() -> str:
        return json.dumps(service.provision_list(), ensure_ascii=False)

    @server.resource("chosaku://provisions/{id}", name="provision", mime_type="application/json",
                     description="One provision: official text, requirements, sources.")
    def provision_resource(id: str) -> str:  # noqa: A002
        return json.dumps(_call(service.provision_info, id, refused=ResourceNotFoundError), ensure_ascii=False)

    @server.resource("chosaku://cases", name="cases", mime_type="application/json",
                     description="The case library: id, titles, technique of each case.")
    def cases_resource() -> str:
        return json.dumps(service.case_list(), ensure_ascii=False)

    @server.resource("chosaku://cases/{id}", name="case", mime_type="application/json",
                     description="One case: its scenario, sources and expected result.")
    def case_resource(id: str) -> str:  # noqa: A002
        return json.dumps(_call(service.case_detail, id, refused=ResourceNotFoundError), ensure_ascii=False)

    return server


def run_mcp(host: str = "127.0.0.1", port: int | None = None) -> None:
    """Serve over stdio, or over streamable HTTP at http://host:port/mcp when `port` is given."""
    server = build_server()
    if port is None:
        server.run("stdio")
    else:
        server.run("streamable-http", host=host, port=port)
