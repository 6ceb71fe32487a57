"""The MCP server: the official MCP Python client starts `chosaku mcp` over stdio, lists its tools
and resources, and calls evaluate and why_not on a library case, getting the engine's conclusions.

The case (cases/rag-type8-db-and-rag-provider.yaml) is seed 003 (11): a provider that supplies both
the vector DB and the RAG system, whose answers reproduce the works in full. Input is infringing;
Art. 30-4 does not apply because the purpose of outputting the works' expression is an enjoyment
purpose that defeats its requirement `no_enjoyment_purpose` (seed 003 (10)-(11), seed 004 第4 2)."""

from __future__ import annotations

import json
import sys

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client

from case_library import read_case
from chosaku.resources import cases_dir

TYPE8 = cases_dir() / "rag-type8-db-and-rag-provider.yaml"
EXPECTED_TOOLS = {"evaluate", "why_not", "what_if", "missing_facts", "explain", "lookup_provision"}


def _payload(result) -> dict:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        return result.structured_content.get("result", result.structured_content)
    return json.loads(result.content[0].text)


async def _session_run():
    params = StdioServerParameters(command=sys.executable, args=["-m", "chosaku", "mcp"])
    scenario = {k: v for k, v in read_case(TYPE8).items() if k not in ("sources", "expected")}
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            resources = {str(r.uri) for r in (await session.list_resources()).resources}
            evaluated = _payload(await session.call_tool("evaluate", {"scenario": scenario}))
            why = _payload(await session.call_tool("why_not", {"case": "rag-type8-db-and-rag-provider",
                                                               "act": "input", "exemption": "art30_4"}))
            refused = await session.call_tool("evaluate", {"scenario": {**scenario, "display": "sometimes"}})
            provision = await session.read_resource("chosaku://provisions/art30_4")
            return tools, resources, evaluated, why, refused, provision


@pytest.fixture(scope="module")
def session_results():
    return anyio.run(_session_run)


def test_the_server_lists_its_tools_and_tells_the_agent_to_call_the_engine(session_results):
    tools, resources = session_results[0], session_results[1]
    assert set(tools) == EXPECTED_TOOLS
    for tool in tools.values():
        assert "call this tool" in tool.description and "Cite the provision" in tool.description, tool.name
    assert "scenario" in tools["evaluate"].input_schema["properties"]
    assert {"chosaku://provisions", "chosaku://cases", "chosaku://scenario-schema"} <= resources


def test_evaluate_on_a_library_case_gives_the_engines_conclusions(session_results):
    evaluated = session_results[2]
    acts = {a["act"]: a["conclusion"] for a in evaluated["acts"]}
    assert acts == {"collection": "infringing", "input": "infringing", "output": "infringing",
                    "transmission": "infringing"}
    assert evaluated["rag_type"] == 8
    assert evaluated["receipt"]["scenario"]["id"] == "rag-type8-db-and-rag-provider"


def test_why_not_names_the_failing_requirement_with_its_provision_and_sources(session_results):
    why = session_results[3]
    assert (why["act"], why["exemption"], why["status"], why["conclusion"]) == (
        "input", "art30_4", "not_applicable", "infringing")
    failing = {r["key"]: r for r in why["failing_or_unknown"]}
    assert failing["no_enjoyment_purpose"]["status"] == "unmet"
    assert failing["no_enjoyment_purpose"]["provision"]["citation"] == {"en": "Art. 30-4", "ja": "第30条の4"}
    assert any(s.startswith("seed003") for s in failing["no_enjoyment_purpose"]["sources"])


def test_a_refused_scenario_is_a_tool_error_naming_the_key(session_results):
    refused = session_results[4]
    assert refused.is_error
    text = refused.content[0].text
    assert "display: 'sometimes' is not allowed" in text and "display：'sometimes' は使えません" in text


def test_a_provision_is_a_resource_with_its_official_text(session_results):
    provision = json.loads(session_results[5].contents[0].text)
    assert provision["citation"]["ja"] == "第30条の4"
    assert provision["official_text"].startswith("著作物は、次に掲げる場合その他の")
