"""The command line: evaluate (json, text, ttl), validate, ontology, coverage; exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from rdflib import Graph

from chosaku.cli import main
from chosaku.resources import cases_dir

CASE = str(cases_dir() / "rag-type4-novel-rewrite.yaml")
INVALID = str(cases_dir() / "invalid" / "display-full-without-eop.yaml")
CONTRACT_KEYS = {"id", "rag_type", "display_pattern", "acts", "liable", "risks", "missing_facts"}


def test_evaluate_json_prints_the_contract(capsys):
    assert main(["evaluate", CASE, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert CONTRACT_KEYS <= set(result)
    assert result["rag_type"] == 4 and result["display_pattern"] == 1
    collection = result["acts"][0]
    assert collection["act"] == "collection" and collection["conclusion"] == "infringing"
    assert collection["exemptions"]["art30_4"] == "not_applicable"


def test_evaluate_text_in_one_language(capsys):
    assert main(["evaluate", CASE, "--format", "text", "--lang", "ja"]) == 0
    japanese = capsys.readouterr().out
    assert "[収集・蓄積]  侵害" in japanese and "✗ 享受目的が併存しないこと: 不充足" in japanese
    assert "INFRINGING" not in japanese and "art30_4" not in japanese and "not_applicable" not in japanese
    assert main(["evaluate", CASE, "--format", "text", "--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert "[collection]  infringing" in english and "✗ no coexisting enjoyment purpose: unmet" in english
    assert "不充足" not in english and "適用なし" not in english and "Art. 30-4" in english  # section titles of seeds stay Japanese


def test_evaluate_several_files_prints_one_object_per_line(capsys):
    second = str(cases_dir() / "rag-type3-notebook-no-similar-output.yaml")
    assert main(["evaluate", CASE, second]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(line)["rag_type"] for line in lines] == [4, 3]


def test_evaluate_text_is_bilingual_and_cites(capsys):
    assert main(["evaluate", CASE, "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "[collection / 収集・蓄積]  INFRINGING / 侵害" in text
    assert "第30条の4" in text and "Art. 30-4" in text
    assert "no coexisting enjoyment purpose / 享受目的が併存しないこと: unmet / 不充足" in text
    assert "seed003" in text and "seed004" in text


def test_evaluate_turtle_is_the_case_graph(capsys):
    assert main(["evaluate", CASE, "--format", "ttl"]) == 0
    graph = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(graph) > 500


def test_validate_accepts_a_good_case(capsys):
    assert main(["validate", CASE]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_refuses_a_contradiction_with_both_keys_named(capsys):
    assert main(["validate", INVALID]) == 1
    err = capsys.readouterr().err
    assert "display: full" in err and "expression_output_purpose: false" in err and "矛盾" in err


def test_evaluate_of_an_invalid_scenario_exits_1(capsys):
    assert main(["evaluate", INVALID]) == 1
    assert "invalid scenario" in capsys.readouterr().err


def test_ontology_counts(capsys):
    assert main(["ontology"]) == 0
    out = capsys.readouterr().out
    assert "provisions" in out and "requirements" in out and "risks" in out


def test_console_module_runs():
    done = subprocess.run([sys.executable, "-m", "chosaku", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "evaluate" in done.stdout and "validate" in done.stdout


def test_an_output_path_that_cannot_be_written_is_an_error_message(capsys, tmp_path):
    assert main(["export", CASE, "--format", "ttl", "--out", "/proc/no-such-dir/x.ttl"]) == 2
    err = capsys.readouterr().err
    assert "cannot read or write /proc/no-such-dir/x.ttl" in err and "Traceback" not in err
