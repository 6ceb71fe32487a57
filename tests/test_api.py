"""The REST API (`chosaku api`), started once for the module on a free loopback port: the OpenAPI
3.1 document whose request body is the scenario format's JSON Schema (published as
docs/scenario.schema.json), the answers of each operation, RFC 9457 problems in English and
Japanese with the key at fault, the body limit, and schemathesis run against the live API.

The conclusions asked for are those of the case library: cases/rag-type8-db-and-rag-provider.yaml
(seed 003 (11): input infringing, Art. 30-4 not applicable) and cases/unknown-light-use-minor.yaml
(seed 004 第3: whether the excerpt is minor decides Art. 47-5(1), so light_use.minor is asked)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import yaml
from jsonschema import Draft202012Validator

from case_library import case_files, read_case
from checkout import REPO_ROOT
from chosaku.load import Yaml12Loader
from chosaku.resources import cases_dir
from chosaku.scenario_schema import scenario_schema, schema_text
from processes import stop

TYPE8 = cases_dir() / "rag-type8-db-and-rag-provider.yaml"
MINOR = cases_dir() / "unknown-light-use-minor.yaml"
LIBRARY_KEYS = ("sources", "expected")
# Statuses the API answers by design beyond 2xx: 503 when a request passes the time limit (the
# test runs the API with a short one) and, for a schema-valid scenario, 422 where its facts
# contradict each other (docs/scenario-format.md §2: the shapes find those, not the structural
# schema) or 400 for an act the scenario does not contain. A 500 is never expected.
SCHEMATHESIS_CONFIG = """
[checks.not_a_server_error]
expected-statuses = ["2xx", "3xx", "4xx", "503"]

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "404", "422", "503"]
"""


def scenario_of(path) -> dict:
    return {k: v for k, v in read_case(path).items() if k not in LIBRARY_KEYS}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    env = dict(os.environ, PYTHONUNBUFFERED="1", CHOSAKU_DATA=str(tmp_path_factory.mktemp("api-data")))
    process = subprocess.Popen([sys.executable, "-m", "chosaku", "api", "--port", "0", "--timeout", "8"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    url, deadline = None, time.monotonic() + 120
    while url is None and time.monotonic() < deadline and process.poll() is None:
        line = process.stdout.readline()
        if " at http://" in line:
            url = line.split(" at ", 1)[1].split()[0].rstrip("/")
    if url is None:
        stop(process) if process.poll() is None else None
        pytest.fail(f"the API did not start: {process.stderr.read()}")
    yield url
    stop(process)


def call(url: str, method: str = "GET", body=None, headers: dict | None = None, raw: bytes | None = None):
    """(status, content type, parsed JSON or bytes) of one request."""
    data = raw if raw is not None else (json.dumps(body).encode("utf-8") if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, kind, payload = response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        status, kind, payload = error.code, error.headers["Content-Type"], error.read()
    return status, kind, json.loads(payload) if "json" in (kind or "") else payload


def test_the_published_schema_is_the_generated_one():
    published = REPO_ROOT / "docs" / "scenario.schema.json"
    assert published.read_text(encoding="utf-8") == schema_text(), \
        "docs/scenario.schema.json is out of date: run `chosaku schema --out docs/scenario.schema.json`"
    Draft202012Validator.check_schema(scenario_schema())


def test_every_library_case_fits_the_schema_and_unknown_values_do_not():
    validator = Draft202012Validator(scenario_schema())
    for path in case_files():
        errors = [e.message for e in validator.iter_errors(yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader))]
        assert not errors, f"{path.name}: {errors}"
    properties = scenario_schema()["properties"]
    assert properties["display"]["enum"] == ["full", "none", "partial", None]  # the ontology's value set; null: unknown
    assert properties["light_use"]["properties"]["minor"]["type"] == ["boolean", "null"]
    assert properties["display"]["x-values"]["partial"]["ja"]  # labels of each code in Japanese
    assert not validator.is_valid({**scenario_of(TYPE8), "display": "sometimes"})
    assert not validator.is_valid({**scenario_of(TYPE8), "displays": "full"})


def test_openapi_31_document_takes_the_scenario_format_as_request_body(api):
    status, kind, document = call(f"{api}/openapi.json")
    assert status == 200 and document["openapi"] == "3.1.0"
    body = document["paths"]["/evaluate"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Scenario"}
    assert document["components"]["schemas"]["Scenario"]["properties"] == scenario_schema()["properties"]
    assert {"/evaluate", "/validate", "/whatif", "/missing-facts", "/explain", "/memo", "/provisions/{id}",
            "/cases", "/cases/{id}"} <= set(document["paths"])


def test_evaluate_gives_the_result_with_its_receipt_and_text(api):
    status, kind, result = call(f"{api}/evaluate?lang=ja", "POST", scenario_of(TYPE8))
    assert status == 200 and kind.startswith("application/json")
    acts = {a["act"]: a for a in result["acts"]}
    assert acts["input"]["conclusion"] == "infringing"
    assert acts["input"]["exemptions"]["art30_4"] == "not_applicable"
    assert result["receipt"]["scenario"]["id"] == "rag-type8-db-and-rag-provider"
    assert "[入力]  侵害" in result["text"]
    status, _, agency = call(f"{api}/evaluate?position=agency", "POST", scenario_of(TYPE8))
    assert status == 200 and agency["position"] == "agency" and "text" not in agency


def test_a_refused_scenario_is_a_problem_naming_the_key_in_english_and_japanese(api):
    status, kind, problem = call(f"{api}/evaluate", "POST", {**scenario_of(TYPE8), "display": "sometimes"})
    assert status == 422 and kind == "application/problem+json"
    assert problem["type"].endswith("/invalid-scenario") and problem["status"] == 422 and problem["key"] == "display"
    assert "display: 'sometimes' is not allowed" in problem["detail"]
    assert "display：'sometimes' は使えません" in problem["detail_ja"]
    assert problem["errors"][0]["key"] == "display"
    status, _, contradiction = call(f"{api}/evaluate", "POST", {**scenario_of(TYPE8), "expression_output_purpose": False})
    assert status == 422 and "display" in contradiction["key"] and "expression_output_purpose" in contradiction["key"]
    # the validator's problems and those only the JSON Schema finds (a title that is no string), once each
    status, _, both = call(f"{api}/evaluate", "POST", {**scenario_of(TYPE8), "bogus": 1, "title": 5,
                                                       "works": [{"id": "spec", "kind": "poem"}]})
    assert status == 422 and sorted(e["key"] for e in both["errors"]) == ["bogus", "title", "works[spec].kind"]
    status, _, bad = call(f"{api}/evaluate?position=neutral", "POST", scenario_of(TYPE8))
    assert status == 400 and bad["key"] == "position" and "seeds" in bad["detail"]


def _oversize_post(url: str, length: int):
    """(status, content type, parsed JSON) of a POST announcing `length` bytes of which only the
    first few are sent: the answer must come from the Content-Length alone (sending the whole body
    would race the server closing the connection, a broken pipe on the client's side)."""
    import http.client
    import urllib.parse

    parsed = urllib.parse.urlparse(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    try:
        connection.putrequest("POST", parsed.path)
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        connection.send(b"{")
        response = connection.getresponse()
        return response.status, response.headers["Content-Type"], json.loads(response.read())
    finally:
        connection.close()


def test_limits_and_wrong_requests_are_problems_too(api):
    status, kind, problem = _oversize_post(f"{api}/evaluate", 1_100_000)
    assert status == 413 and kind == "application/problem+json" and "1000000 bytes" in problem["detail"]
    status, _, problem = call(f"{api}/evaluate", "POST", raw=b"id: x", headers={"Content-Type": "application/yaml"})
    assert status == 415 and problem["key"] == "Content-Type"
    status, _, problem = call(f"{api}/evaluate", "POST", raw=b'{"id": "x", "id": "y"}')
    assert status == 400 and problem["detail"] and problem["detail_ja"]
    status, kind, problem = call(f"{api}/evaluate")
    assert status == 405 and kind == "application/problem+json"


def test_validate_reports_every_problem(api):
    status, _, report = call(f"{api}/validate", "POST", scenario_of(TYPE8))
    assert status == 200 and report == {"valid": True, "problems": []}
    status, _, report = call(f"{api}/validate", "POST", {"id": "x", "works": [{"id": "w"}], "display": "full"})
    assert status == 200 and report["valid"] is False
    assert "technique" in {p["key"] for p in report["problems"]}


def test_missing_facts_are_questions_with_their_answers(api):
    status, _, answer = call(f"{api}/missing-facts", "POST", scenario_of(MINOR))
    assert status == 200 and answer["missing_facts"] == ["light_use.minor"]
    question = answer["questions"][0]
    assert question["key"] == "light_use.minor" and question["question"]["ja"].endswith("軽微ですか。")
    assert [a["value"] for a in question["answers"]] == [True, False]
    assert question["can_change"]["conclusions"] >= 1


def test_explain_is_paged_and_cites_the_provision(api):
    status, _, first = call(f"{api}/explain?act=input&exemption=art30_4&per_page=1", "POST", scenario_of(TYPE8))
    assert status == 200 and first["conclusion"] == "infringing" and first["per_page"] == 1
    assert [e["key"] for e in first["exemptions"]] == ["art30_4"]
    checks = {r["key"]: r["status"] for r in first["exemptions"][0]["requirements"]}
    assert checks["no_enjoyment_purpose"] == "unmet"
    assert first["total_steps"] >= 2 and first["next_page"] == 2 and len(first["steps"]) == 1
    status, _, second = call(f"{api}/explain?act=input&exemption=art30_4&per_page=1&page=2", "POST", scenario_of(TYPE8))
    assert status == 200 and second["steps"] != first["steps"]
    status, _, problem = call(f"{api}/explain?act=training", "POST", scenario_of(TYPE8))
    assert status == 400 and problem["key"] == "act"


def test_provisions_and_cases(api):
    status, _, provision = call(f"{api}/provisions/art30_4")
    assert status == 200 and provision["citation"] == {"en": "Art. 30-4", "ja": "第30条の4"}
    assert provision["official_text"].startswith("著作物は、次に掲げる場合その他の")
    assert "no_enjoyment_purpose" in {r["key"] for r in provision["requirements"]}
    status, _, problem = call(f"{api}/provisions/art99")
    assert status == 404 and problem["key"] == "id"
    status, _, cases = call(f"{api}/cases")
    assert status == 200 and len(cases) == len(case_files())
    status, _, case = call(f"{api}/cases/rag-type8-db-and-rag-provider")
    assert status == 200 and case["scenario"]["technique"] == "rag" and case["expected"]["rag_type"] == 8


def test_memo_as_markdown(api):
    status, kind, memo = call(f"{api}/memo?format=md&lang=en", "POST", scenario_of(TYPE8))
    assert status == 200 and kind.startswith("text/markdown")
    assert b"Art. 30-4" in memo


@pytest.mark.skipif(shutil.which("schemathesis", path=os.path.dirname(sys.executable)) is None,
                    reason="schemathesis is not installed (pip install -e .[dev])")
def test_schemathesis_finds_no_server_error_and_no_nonconformance(api, tmp_path):
    config = tmp_path / "schemathesis.toml"
    config.write_text(SCHEMATHESIS_CONFIG, encoding="utf-8")
    command = [os.path.join(os.path.dirname(sys.executable), "schemathesis"), "--config-file", str(config), "run",
               f"{api}/openapi.json", "--checks", "all", "--mode", "all", "--phases", "examples,fuzzing",
               "--max-examples", "4", "--seed", "15", "--workers", "1", "--max-time", "40",
               "--request-timeout", "30", "--max-response-time", "30", "--no-color"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)  # its cache there
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "10 selected / 10 total" in run.stdout and " generated" in run.stdout
