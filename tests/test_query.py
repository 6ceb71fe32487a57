"""`chosaku query` and the example queries of queries/: every example answers its research
question on the shipped cases, checked against the cases' own expectations (cases/*.yaml
`expected`, written from the sources) and against concrete values; updates and SERVICE are
refused by parsing; a runaway query is stopped by the time limit; the row limit holds."""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from collections import Counter

import pytest
from rdflib import URIRef

from chosaku.cli import main
from chosaku.namespaces import CASE, KG, RULE, SRC, JPCA
from checkout import REPO_ROOT
from chosaku.open_store import open_store
from chosaku.query import run_query
from chosaku.query_catalogue import example_queries
from chosaku.query_check import prepare
from chosaku.query_errors import QueryRefused, QuerySyntaxError, QueryTimeout
from chosaku.query_output import format_table, serialize
from chosaku.resources import cases_dir

from case_library import case_files, read_case
from heavy_queries import counting_query

EXAMPLES = {example.name: example for example in example_queries()}
# cases built to fail exactly one requirement of Art. 47-5 (their files say which)
SINGLE_47_5_FAILURES = {
    "rag-475-no-contact-point": "contact_published", "rag-475-no-guidance-consulted": "guidance_consulted",
    "rag-475-no-leak-prevention": "leak_prevention", "semsearch-475-no-source-shown": "source_shown",
    "semsearch-475-not-incidental": "incidental", "semsearch-475-not-minor": "minor",
    "semsearch-475-unpublished-work": "published_work", "semsearch-475-known-pirated": "knowingly_pirated",
    "rag-475-full-text-browsable": "necessary_for_purpose",
}


@pytest.fixture(scope="module")
def store(shipped):
    return open_store(shipped)


@pytest.fixture(scope="module")
def library():
    """The shipped cases' expectations, by case id."""
    return {read_case(path)["id"]: read_case(path).get("expected") or {} for path in case_files()}


def _rows(store, name):
    """The example's answer as a list of dicts of plain strings (IRIs compacted by local name where noted)."""
    result = run_query(store, EXAMPLES[name].text)
    return [{v: (None if t is None else str(t)) for v, t in zip(result.variables, row)} for row in result.rows]


def _case(iri: str) -> str:
    return iri[len(str(CASE)):]


# --- the example queries ---------------------------------------------------------------------------

def test_there_are_at_least_twelve_documented_examples():
    assert len(EXAMPLES) >= 12
    readme = (REPO_ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    for name, example in EXAMPLES.items():
        assert example.title and example.title_ja and example.question.endswith("?"), name
        assert example.question_ja and not example.question_ja.isascii(), name  # the question in Japanese too
        assert f"{name}.rq" in readme, f"queries/README.md does not document {name}.rq"
        assert any(line.startswith("PREFIX ") for line in example.text.splitlines()), name  # portable as written
    forms = Counter(prepare(e.text).form for e in EXAMPLES.values())
    assert forms["SELECT"] >= 10 and forms["ASK"] >= 1 and forms["CONSTRUCT"] >= 1


def test_every_example_has_a_check_here():
    assert set(EXAMPLES) == set(CHECKS)


def check_provider_liability(store, library):
    rows = _rows(store, "provider-liability")
    by_case = {_case(r["case"]): r for r in rows}
    direct = by_case["liability-pattern1-provider-direct"]
    assert (direct["role"], direct["fault"], direct["rule"]) == ("direct", "intent", str(RULE["liability-direct"]))
    assert set(direct["remedies"].split()) == {"injunction", "damages", "criminal"}
    assert set(direct["acts"].split()) == {"collection", "input", "output", "transmission"}
    assert "seed004 第8 複数主体が関与する場合 2(2)" in direct["sources"]
    aider = by_case["liability-easy-excess-provider-aider"]
    assert (aider["role"], aider["rule"]) == ("aider", str(RULE["liability-provider-aider"]))
    assert "liability-strict-pattern2-provider-not-aider" not in by_case
    # agrees with every expectation of the case library about the provider
    for case_id, expected in library.items():
        for entry in expected.get("liable") or []:
            if entry["actor"] == "ai_provider" and entry.get("role") in ("direct", "aider"):
                assert by_case[case_id]["role"] == entry["role"], case_id
        if "ai_provider" in (expected.get("not_liable") or []):
            assert case_id not in by_case, case_id


def check_blocking_47_5_requirements(store, library):
    rows = _rows(store, "blocking-47-5-requirements")
    counts = [int(r["cases"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    for row in rows:
        assert row["exemption"] in ("art47_5_1", "art47_5_2") and int(row["cases"]) == len(row["inCases"].split())
    for case_id, requirement in SINGLE_47_5_FAILURES.items():
        cases = [r["inCases"].split() for r in rows if r["requirement"].endswith("/" + requirement)
                 and r["exemption"] == "art47_5_1"]
        assert cases and case_id in cases[0], (case_id, requirement)


def check_guidance_by_provision(store, library):
    rows = _rows(store, "guidance-by-provision")
    pairs = {(r["document"], r["provision"]) for r in rows}
    assert (str(SRC["bunka-kangaekata-2024"]), str(JPCA["Art30-4"])) in pairs
    kangaekata = next(r for r in rows if r["document"] == str(SRC["bunka-kangaekata-2024"]))
    assert "requirement/reaches_generation_phase" in kangaekata["through"].split()
    assert {r["type"] for r in rows} <= {str(KG.GuidelineDocument), str(KG.GovernmentRequest)}


def check_positions_compared(store, library):
    rows = _rows(store, "positions-compared")
    found = {(_case(r["case"]), r["act"]): (r["seeds"], r["agency"], r["requirementsThatChanged"]) for r in rows}
    assert found[("icl-pattern3-answer-only", "input")] == ("lawful", "conditional", "reaches_generation_phase")
    assert found[("rag-type7-full-text-browsable", "input")][:2] == ("lawful", "infringing")
    assert all(seeds != agency for seeds, agency, _ in found.values())
    assert not any(case == "liability-pattern1-provider-direct" for case, _ in found)


def check_conclusion_provenance(store, library):
    rows = _rows(store, "conclusion-provenance")
    conclusion = [r for r in rows if r["finding"] == "conclusion"]
    assert {r["value"] for r in conclusion} == {"infringing"}
    assert {r["rule"] for r in conclusion} == {str(RULE["act-conclusion"])}
    assert all(r["provision"] == "Art. 21" and r["document"] == str(SRC.seed004) for r in conclusion)
    actor = [r for r in rows if r["finding"] == "actor" and r["rule"] == str(RULE["actor-transmission-provider-pattern1"])]
    assert actor and actor[0]["value"] == "ai_provider" and actor[0]["section"] == "第8 複数主体が関与する場合 2(2)"
    status = {r["finding"]: r for r in rows if r["finding"].startswith("status of ")}
    assert status["status of art47_5_1"]["value"] == "not_applicable"
    assert status["status of art47_5_1"]["provision"] == "Art. 47-5(1)"


def check_art30_4_failures(store, library):
    rows = _rows(store, "art30-4-failures")
    found = {(_case(r["case"]), r["act"], r["requirement"]): r for r in rows}
    assert found[("ft-enjoyment-purpose-style", "training", "no_enjoyment_purpose")]["proviso"] == "false"
    assert found[("ft-analysis-database-work", "training", "unreasonable_prejudice")]["proviso"] == "true"
    assert all(r["sources"] for r in rows)
    failing = {(case, act) for case, act, _ in found}
    for case_id, expected in library.items():
        for act, want in (expected.get("acts") or {}).items():
            if (want.get("exemptions") or {}).get("art30_4") == "not_applicable":
                assert (case_id, act) in failing, (case_id, act)
            if (want.get("exemptions") or {}).get("art30_4") == "applies":
                assert (case_id, act) not in failing, (case_id, act)


def check_missing_facts(store, library):
    rows = _rows(store, "missing-facts")
    by_case: dict[str, set] = {}
    for row in rows:
        assert int(row["cases"]) == len(row["inCases"].split())
        for case_id in row["inCases"].split():
            by_case.setdefault(case_id, set()).add(row["fact"])
    assert by_case["unknown-light-use-minor"] == {"light_use.minor"}
    for case_id, expected in library.items():
        if "missing_facts" in expected:
            assert by_case.get(case_id, set()) == set(expected["missing_facts"]), case_id


def check_exemption_outcomes(store, library):
    rows = _rows(store, "exemption-outcomes")
    assert [r["exemption"] for r in rows][:3] == ["art30_4", "art47_5_2", "art47_5_1"]
    assert {r["exemption"] for r in rows} == {"art30_4", "art47_5_1", "art47_5_2", "art30_1", "art30_3", "art35",
                                              "art32", "art47_7"}
    table = {r["exemption"]: r for r in rows}
    for row in rows:
        assert int(row["applies"]) + int(row["notApplicable"]) + int(row["conditional"]) == int(row["weighed"])
    column = {"applies": "applies", "not_applicable": "notApplicable", "conditional": "conditional"}
    asserted = Counter((key, status) for expected in library.values() for act in (expected.get("acts") or {}).values()
                       for key, status in (act.get("exemptions") or {}).items() if status is not None)  # null: not weighed
    for (key, status), count in asserted.items():
        assert int(table[key][column[status]]) >= count, (key, status)


def check_rag_types(store, library):
    rows = _rows(store, "rag-types")
    by_case = {_case(r["case"]): r for r in rows}
    for case_id, expected in library.items():
        if expected.get("rag_type") is not None:
            assert int(by_case[case_id]["type"]) == expected["rag_type"], case_id
    type8 = by_case["rag-type8-db-and-rag-provider"]
    assert (type8["collectedBy"], type8["inputBy"], type8["output"]) == ("ai_provider", "ai_user", "infringing")


def check_risks_and_countermeasures(store, library):
    rows = _rows(store, "risks-and-countermeasures")
    raised = {(_case(r["case"]), r["risk"]) for r in rows}
    for case_id, expected in library.items():
        for risk in expected.get("risks_include") or []:
            assert (case_id, risk) in raised, (case_id, risk)
    severities = [int(r["severity"]) for r in rows if r["severity"] is not None]
    assert severities == sorted(severities, reverse=True)
    copyright_rows = [r for r in rows if r["risk"] == "copyright_infringement"]
    assert copyright_rows and all(r["countermeasures"] for r in copyright_rows)


def check_rule_authority(store, library):
    rows = _rows(store, "rule-authority")
    pivotal = [r for r in rows if r["rule"] == str(RULE["actor-input-provider-pivotal"])]
    assert pivotal and int(pivotal[0]["strongestRank"]) == 5
    assert "SupremeCourtPrecedent" in pivotal[0]["authorities"].split()
    ranks = [int(r["strongestRank"]) for r in rows]
    assert ranks == sorted(ranks, reverse=True)
    cited = run_query(store, "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a kg:Rule ; kg:citesSource ?s }").rows[0][0]
    assert len({r["rule"] for r in rows}) == int(cited)


def check_user_liable_alone(store, library):
    rows = _rows(store, "user-liable-alone")
    found = {_case(r["case"]): r["fault"] for r in rows}
    assert found["rag-type4-novel-rewrite"] == "intent"
    # the user republishes an excerpt shown with its source: it knows it uses another's work
    assert found["liability-strict-pattern2-provider-not-aider"] == "intent"
    assert "liability-easy-excess-provider-aider" not in found and "rag-type8-db-and-rag-provider" not in found


def check_provider_aider_exists(store, library):
    assert run_query(store, EXAMPLES["provider-aider-exists"].text).boolean is True


def check_conclusion_network(store, library):
    triples = set(run_query(store, EXAMPLES["conclusion-network"].text).triples)
    act = URIRef(f"{CASE}liability-pattern1-provider-direct/act/transmission")
    assert (act, KG.conclusion, KG.infringing) in triples
    assert (URIRef(f"{CASE}liability-pattern1-provider-direct"), KG.hasAct, act) in triples
    acts = run_query(store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?c kg:hasAct ?a . ?a kg:conclusion ?x }").rows[0][0]
    assert sum(1 for t in triples if t[1] == KG.conclusion) == int(acts)


# each check_<name> checks the example queries/<name>.rq (underscores for hyphens)
CHECKS = {name[len("check_"):].replace("_", "-"): function for name, function in dict(globals()).items()
          if name.startswith("check_")}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_query_answers_its_question_on_the_shipped_cases(name, store, library):
    CHECKS[name](store, library)


# --- checking and refusing -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "DROP ALL",
    "CLEAR GRAPH <urn:g>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "INSERT DATA { this is not even valid",
])
def test_updates_are_refused_with_a_message(text):
    with pytest.raises(QueryRefused, match="read-only") as caught:
        prepare(text)
    assert caught.value.status == 403


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s a kg:Scenario OPTIONAL { SERVICE SILENT <http://example.org/> { ?s ?p ?o } } }",
    "ASK { { SELECT ?x WHERE { SERVICE ?endpoint { ?x ?y ?z } } } }",
])
def test_service_is_refused_wherever_it_appears(text):
    with pytest.raises(QueryRefused, match="SERVICE") as caught:
        prepare(text)
    assert caught.value.status == 403


def test_a_malformed_query_names_the_problem():
    with pytest.raises(QuerySyntaxError, match="not a valid SPARQL 1.1 query") as caught:
        prepare("SELECT ?x WHERE { ?x kg:conclusion }")
    assert caught.value.status == 400
    with pytest.raises(QuerySyntaxError, match="empty"):
        prepare("# only a comment\n")


def test_prefixes_are_predeclared_and_a_query_may_redeclare_them(store):
    assert run_query(store, "ASK { jpca:Art30-4 a kg:Exemption }").boolean is True
    assert run_query(store, "PREFIX kg: <http://example.org/other#>\nASK { ?x a kg:Exemption }").boolean is False


def test_from_selects_one_case_graph(store):
    graph = f"{CASE}icl-pattern3-answer-only/position/agency"
    rows = run_query(store, f"SELECT ?c WHERE {{ <{CASE}icl-pattern3-answer-only/act/input> kg:conclusion ?c }}").rows
    assert [r[0] for r in rows] == [KG.lawful]
    rows = run_query(store, f"SELECT ?c FROM <{graph}> WHERE {{ <{CASE}icl-pattern3-answer-only/act/input> kg:conclusion ?c }}").rows
    assert [r[0] for r in rows] == [KG.conditional]


def test_a_runaway_query_is_stopped_at_the_time_limit_and_the_store_still_answers(store):
    started = time.monotonic()
    runaway = counting_query(5)  # CPU without memory: the time limit is what stops it
    with pytest.raises(QueryTimeout, match="time limit of 1.5 s") as caught:
        run_query(store, runaway, timeout=1.5)
    assert 1.4 < time.monotonic() - started < 5 and caught.value.status == 503
    assert run_query(store, "ASK { ?l kg:liabilityRole kg:aider }").boolean is True


def test_the_row_limit_cuts_the_answer_and_says_so(store):
    result = run_query(store, "SELECT ?s WHERE { ?s a kg:RequirementAssessment }", limit=7)
    assert len(result.rows) == 7 and result.truncated
    assert "cut at the row limit" in format_table(result)
    graph = run_query(store, "CONSTRUCT { ?s a kg:Act } WHERE { ?s kg:conclusion ?c }", limit=3)
    assert len(graph.triples) == 3 and graph.truncated
    whole = run_query(store, "SELECT ?e WHERE { ?e a kg:Exemption }", limit=8)
    assert len(whole.rows) == 8 and not whole.truncated


def test_formats_table_csv_json(store):
    result = run_query(store, "SELECT ?key ?e WHERE { ?e kg:exemptionKey ?key } ORDER BY ?key")
    table = format_table(result)
    assert "jpca:Art30-4" in table and table.splitlines()[0].split() == ["key", "e"] and "(8 rows)" in table
    rows = list(csv.reader(io.StringIO(serialize(result, "csv").decode("utf-8"))))
    assert rows[0] == ["key", "e"] and ["art30_4", str(JPCA["Art30-4"])] in rows and len(rows) == 9
    data = json.loads(serialize(result, "json"))
    assert data["head"]["vars"] == ["key", "e"]
    assert data["results"]["bindings"][0]["e"]["type"] == "uri"
    assert {b["key"]["value"] for b in data["results"]["bindings"]} >= {"art30_4", "art47_5_1"}
    tsv = serialize(result, "tsv").decode("utf-8").splitlines()
    assert tsv[0] == "?key\t?e" and f'"art30_4"\t<{JPCA["Art30-4"]}>' in tsv


# --- the command line ----------------------------------------------------------------------------

def test_cli_query_runs_a_file_and_an_inline_query(tmp_path, monkeypatch, capsys):
    """On a library of two cases, one with the provider as aider (each command loads its store)."""
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("liability-easy-excess-provider-aider.yaml", "icl-pattern3-answer-only.yaml"):
        shutil.copy(cases_dir() / name, cases / name)
    monkeypatch.setenv("CHOSAKU_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("CHOSAKU_CASES", str(cases))
    assert main(["query", str(REPO_ROOT / "queries" / "provider-aider-exists.rq")]) == 0
    assert capsys.readouterr().out.strip() == "true"
    assert main(["query", "SELECT ?key WHERE { ?e kg:exemptionKey ?key } ORDER BY ?key", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "key" and lines[1:4] == ["art30_1", "art30_3", "art30_4"]
    assert main(["query", "ASK { ?s ?p ?o }", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"head": {}, "boolean": True}


def test_cli_query_refuses_an_update_before_loading_anything(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHOSAKU_DATA", str(tmp_path / "never-created"))
    assert main(["query", "DELETE WHERE { ?s ?p ?o }"]) == 2
    assert "SPARQL Update is refused" in capsys.readouterr().err
    assert not (tmp_path / "never-created").exists()
    assert main(["query", "queries/no-such-query.rq"]) == 2
    assert "no such query file" in capsys.readouterr().err
