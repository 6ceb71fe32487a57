"""Every result carries a receipt: the engine and ontology versions, the law files' hashes, the
statute text's date, the position, the evaluation time (UTC) and the canonical scenario with its
hash; the same receipt is in the case graph as PROV; `chosaku evaluate --verify` re-runs a stored
result and names what changed (conclusions, versions, law files)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, XSD

from chosaku import ChosakuError, evaluate
from chosaku.cli import main
from chosaku.namespaces import KG
from chosaku.receipt import TIME_VARIABLE, canonical_json
from chosaku.resources import cases_dir, ontology_dir

TYPE8 = cases_dir() / "rag-type8-db-and-rag-provider.yaml"
LEAK = cases_dir() / "risk-confidential-leak.yaml"
CONTRACT_KEYS = {"id", "rag_type", "display_pattern", "acts", "liable", "risks", "missing_facts"}
SMALL = {"id": "t", "technique": "rag", "display": "full", "works": [{"id": "w", "published": True}]}


@pytest.fixture(scope="module")
def type8():
    return evaluate(TYPE8)


def test_the_receipt_is_added_beside_the_contracts_keys(type8):
    data = type8.to_dict()
    assert CONTRACT_KEYS <= set(data) and "receipt" in data
    assert data["acts"][0]["act"] == "collection" and data["rag_type"] == 8  # the contract as before


def test_versions_are_read_from_the_package_and_the_ontology(type8, ontology):
    receipt = type8.receipt
    assert receipt["engine_version"] == version("chosaku-kg")
    entry = URIRef(receipt["ontology_iri"])
    assert (entry, RDF.type, OWL.Ontology) in ontology
    assert receipt["ontology_version"] == str(ontology.value(entry, OWL.versionInfo))
    version_iri = ontology.value(entry, OWL.versionIRI)
    assert receipt["ontology_version_iri"] == (str(version_iri) if version_iri is not None else None)
    # The ontology's copy of the Copyright Act is the text in force from 1 April 2026: Art. 30-3
    # cites Art. 67-3 (Act No. 33 of 2023), Art. 119 reads 拘禁刑 (statutes/copyright-act.md header).
    assert receipt["statute_text_as_of"] == "2026-04-01"


def test_every_law_file_is_hashed_by_its_path(type8):
    receipt = type8.receipt
    root = ontology_dir()
    files = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*.ttl")}
    assert receipt["law_files"] == files
    assert "copyright-act/art30-4.ttl" in files and "rules/risk-triggers.ttl" in files
    lines = "".join(f"{path}  {digest}\n" for path, digest in sorted(files.items()))
    assert receipt["law_files_sha256"] == hashlib.sha256(lines.encode("utf-8")).hexdigest()


def test_position_and_time(type8, monkeypatch):
    assert type8.receipt["position"] == "seeds"
    assert type8.receipt["evaluated_at"] == os.environ[TIME_VARIABLE]  # fixed for the test session
    assert evaluate(TYPE8, position="agency").receipt["position"] == "agency"
    monkeypatch.delenv(TIME_VARIABLE)
    before = datetime.now(timezone.utc).replace(microsecond=0)
    stamped = evaluate(SMALL).receipt["evaluated_at"]
    after = datetime.now(timezone.utc)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamped)
    assert before <= datetime.strptime(stamped, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) <= after
    monkeypatch.setenv(TIME_VARIABLE, "yesterday")
    with pytest.raises(ChosakuError, match="2026-01-01T00:00:00Z"):
        evaluate(SMALL)


def test_the_scenario_hash_is_canonical(type8):
    receipt = type8.receipt
    assert receipt["scenario"]["id"] == "rag-type8-db-and-rag-provider"
    assert "sources" not in receipt["scenario"] and "expected" not in receipt["scenario"]  # not facts
    assert receipt["scenario_sha256"] == hashlib.sha256(canonical_json(receipt["scenario"])).hexdigest()
    # the same facts written otherwise: keys in another order, JSON text, nulls for unknowns
    reordered = dict(reversed(list(SMALL.items())), context=None)
    json_text = json.dumps(SMALL)
    hashes = {evaluate(s).receipt["scenario_sha256"] for s in (SMALL, reordered, json_text)}
    assert len(hashes) == 1
    assert evaluate(dict(SMALL, display="partial")).receipt["scenario_sha256"] not in hashes
    # the position reasoned under is part of the scenario as evaluated, written or by default
    assert evaluate(SMALL, position="agency").receipt["scenario"]["position"] == "agency"
    assert evaluate(dict(SMALL, position="seeds")).receipt["scenario_sha256"] in hashes


def test_the_receipt_is_prov_in_the_case_graph(type8):
    graph, receipt = type8.graph, type8.receipt
    case = URIRef("https://w3id.org/chosaku-kg/case/rag-type8-db-and-rag-provider")
    activity = graph.value(case, PROV.wasGeneratedBy)
    assert (activity, RDF.type, PROV.Activity) in graph
    assert graph.value(activity, PROV.startedAtTime) == Literal(receipt["evaluated_at"], datatype=XSD.dateTime)
    agent = graph.value(activity, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in graph
    assert str(graph.value(activity, KG.engineVersion)) == receipt["engine_version"]
    assert graph.value(activity, PROV.used) == URIRef(receipt["ontology_version_iri"] or receipt["ontology_iri"])
    assert str(graph.value(activity, KG.lawFilesHash)) == receipt["law_files_sha256"]
    assert str(graph.value(activity, KG.scenarioHash)) == receipt["scenario_sha256"]
    assert graph.value(activity, KG.statuteTextAsOf) == Literal("2026-04-01", datatype=XSD.date)


def test_verify_says_the_same_conclusions(tmp_path, capsys):
    stored = tmp_path / "type8.json"
    assert main(["evaluate", str(TYPE8)]) == 0
    stored.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["evaluate", "--verify", str(stored)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("same conclusions / 結論は同じです")
    assert "law files as in the receipt" in out
    assert main(["evaluate", "--verify", str(stored), str(TYPE8)]) == 0  # the scenario file hashes as recorded
    capsys.readouterr()
    assert main(["evaluate", "--verify", str(stored), str(LEAK)]) == 1
    assert "the scenario given is not the one the receipt names" in capsys.readouterr().out


def test_verify_names_a_conclusion_that_differs_from_the_stored_one(tmp_path, capsys):
    data = evaluate(TYPE8).to_dict()
    data["acts"][0]["conclusion"] = "lawful"  # the stored result says otherwise than the engine
    stored = tmp_path / "edited.json"
    stored.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["evaluate", "--verify", str(stored), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["same"] is False
    assert {"aspect": "conclusion", "act": "collection", "item": None, "before": "lawful",
            "after": "infringing"} in report["changes"]


def test_verify_refuses_a_result_without_a_receipt(tmp_path, capsys):
    data = evaluate(SMALL).to_dict()
    del data["receipt"]
    stored = tmp_path / "old.json"
    stored.write_text(json.dumps(data), encoding="utf-8")
    assert main(["evaluate", "--verify", str(stored)]) == 2
    assert "no complete receipt" in capsys.readouterr().err


def test_verify_detects_a_changed_law_file_in_a_copy_of_the_ontology(tmp_path):
    """The stored result raises confidential_leak (seed 000 No.1); in a copy of the ontology the
    rule of rules/risk-triggers.ttl is changed to raise another risk: --verify names the risk
    that changed and the law file whose hash differs."""
    result = evaluate(LEAK).to_dict()
    assert "confidential_leak" in result["risks"]
    stored = tmp_path / "leak.json"
    stored.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    copy = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), copy)
    rules = copy / "rules" / "risk-triggers.ttl"
    text = rules.read_text(encoding="utf-8")
    assert text.count("CONSTRUCT { $this kg:raisesRisk risk:confidential_leak . }") == 1
    rules.write_text(text.replace("risk:confidential_leak . }", "risk:bias . }"), encoding="utf-8")
    env = dict(os.environ, CHOSAKU_ONTOLOGY=str(copy), CHOSAKU_DATA=str(tmp_path / "data"))
    run = subprocess.run([sys.executable, "-m", "chosaku", "evaluate", "--verify", str(stored)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("conclusions differ / 結論が異なります")
    assert "risk confidential_leak: True -> False" in run.stdout
    assert "risk bias: False -> True" in run.stdout
    assert "law file rules/risk-triggers.ttl: changed" in run.stdout
    assert "law file copyright-act" not in run.stdout  # only the file that changed is named
