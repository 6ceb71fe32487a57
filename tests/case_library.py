"""Reading the case library: each cases/*.yaml holds a scenario, its sources and its expected result."""

from __future__ import annotations

from pathlib import Path

import yaml

from chosaku.load import Yaml12Loader
from chosaku.resources import cases_dir


# two shipped cases that evaluate fast, for tests of the dataset and its stores (tests/conftest.py: small_cases)
SMALL_CASES = ["liability-pattern1-provider-direct.yaml", "icl-pattern3-answer-only.yaml"]

# shipped cases on which every example query has an answer (both positions, every liability role)
EVERY_QUERY_ANSWERED = [
    "pos-agency-rag-pattern3-db-and-input", "pos-agency-icl-pattern3-input", "liability-easy-excess-provider-aider",
    "liability-pattern1-provider-direct", "rag-type4-no-display-frequent-similar", "rag-type8-db-and-rag-provider",
    "icl-pattern1-full-reference", "ft-analysis-database-work", "image-similar-relied-sale",
    "liab-input-by-unknown-rag", "semsearch-475-not-minor", "req-art30-1-all-met", "unknown-light-use-minor",
    "liab-db-vendor-separate-rag-operator"]


def case_files() -> list[Path]:
    """The valid cases (cases/*.yaml), sorted."""
    return sorted(cases_dir().glob("*.yaml"))


def invalid_case_files() -> list[Path]:
    """The deliberately invalid scenarios (cases/invalid/*.yaml), sorted."""
    return sorted((cases_dir() / "invalid").glob("*.yaml"))


def read_case(path: Path) -> dict:
    """The case file as a mapping (YAML 1.2 booleans, as the engine reads it)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def mismatches(expected: dict, result: dict) -> list[str]:
    """Every field of `expected` that the result contradicts (only the fields given are compared)."""
    problems = []
    for key in ("rag_type", "display_pattern"):
        if key in expected and expected[key] != result.get(key):
            problems.append(f"{key}: expected {expected[key]!r}, got {result.get(key)!r}")
    acts = {a["act"]: a for a in result["acts"]}
    for name, want in (expected.get("acts") or {}).items():
        got = acts.get(name)
        if got is None:
            problems.append(f"acts.{name}: expected the act, the result has {sorted(acts)}")
            continue
        if "actors" in want and set(want["actors"]) != set(got["actors"]):
            problems.append(f"acts.{name}.actors: expected {sorted(want['actors'])}, got {got['actors']}")
        if "conclusion" in want and want["conclusion"] != got["conclusion"]:
            problems.append(f"acts.{name}.conclusion: expected {want['conclusion']}, got {got['conclusion']}")
        for key, status in (want.get("exemptions") or {}).items():
            if got["exemptions"].get(key) != status:
                problems.append(f"acts.{name}.exemptions.{key}: expected {status}, got {got['exemptions'].get(key)}")
        if "rights" in want and list(want["rights"]) != got.get("rights"):
            problems.append(f"acts.{name}.rights: expected {want['rights']}, got {got.get('rights')}")
        for actor, fault in (want.get("fault") or {}).items():
            if got["fault"].get(actor) != fault:
                problems.append(f"acts.{name}.fault.{actor}: expected {fault}, got {got['fault'].get(actor)}")
        for work, want_work in (want.get("works") or {}).items():
            got_work = (got.get("works") or {}).get(work)
            if got_work is None:
                problems.append(f"acts.{name}.works.{work}: expected the work, the result has {sorted(got.get('works') or {})}")
                continue
            for key in ("conclusion", "protected_expression"):
                if key in want_work and want_work[key] != got_work.get(key):
                    problems.append(f"acts.{name}.works.{work}.{key}: expected {want_work[key]}, got {got_work.get(key)}")
            for key, status in (want_work.get("exemptions") or {}).items():
                if got_work["exemptions"].get(key) != status:
                    problems.append(f"acts.{name}.works.{work}.exemptions.{key}: expected {status}, "
                                    f"got {got_work['exemptions'].get(key)}")
    for want in expected.get("liable") or []:
        if not any(all(entry.get(k) == (sorted(v) if isinstance(v, list) and k == "acts" else v)
                       for k, v in want.items()) for entry in result["liable"]):
            problems.append(f"liable: expected an entry {want}, got {result['liable']}")
    for actor in expected.get("not_liable") or []:
        if any(e["actor"] == actor and e["role"] in ("direct", "aider") for e in result["liable"]):
            problems.append(f"liable: expected {actor} not liable, got {result['liable']}")
    for risk in expected.get("risks_include") or []:
        if risk not in result["risks"]:
            problems.append(f"risks: expected {risk} among {result['risks']}")
    for risk in expected.get("risks_exclude") or []:
        if risk in result["risks"]:
            problems.append(f"risks: expected {risk} not to be raised, got {result['risks']}")
    if "missing_facts" in expected and sorted(expected["missing_facts"]) != sorted(result["missing_facts"]):
        problems.append(f"missing_facts: expected {sorted(expected['missing_facts'])}, got {result['missing_facts']}")
    problems += _risk_detail_mismatches(expected.get("risk_details") or {}, result.get("risk_details") or [])
    return problems


def _risk_detail_mismatches(expected: dict, details: list[dict]) -> list[str]:
    """`expected.risk_details.<risk>`: legal bases (citations in English) and countermeasure ids that
    must or must not appear, and whether the risk is conditional on unanswered facts."""
    problems = []
    by_risk = {d["risk"]: d for d in details}
    for risk, want in expected.items():
        got = by_risk.get(risk)
        if got is None:
            problems.append(f"risk_details.{risk}: expected the risk, got {sorted(by_risk)}")
            continue
        bases = {b["provision"] for b in got["legal_basis"]}
        measures = {m["id"] for m in got["countermeasures"]}
        for basis in want.get("legal_basis_include") or []:
            if basis not in bases:
                problems.append(f"risk_details.{risk}.legal_basis: expected {basis!r} among {sorted(bases)}")
        for measure in want.get("countermeasures_include") or []:
            if measure not in measures:
                problems.append(f"risk_details.{risk}.countermeasures: expected {measure} among {sorted(measures)}")
        for measure in want.get("countermeasures_exclude") or []:
            if measure in measures:
                problems.append(f"risk_details.{risk}.countermeasures: expected {measure} not to be recommended")
        if "conditional" in want and want["conditional"] != got.get("conditional"):
            problems.append(f"risk_details.{risk}.conditional: expected {want['conditional']}, got {got.get('conditional')}")
        if "missing_facts" in want and sorted(want["missing_facts"]) != sorted(got.get("missing_facts") or []):
            problems.append(f"risk_details.{risk}.missing_facts: expected {sorted(want['missing_facts'])}, got {got.get('missing_facts')}")
    return problems
