"""Verifying a stored result: re-evaluate the scenario its receipt names, under its position, with
the engine and ontology installed now, and say whether the conclusions are the same; if not,
which changed, and which engine, ontology, statute text or law file differs from the receipt's.

Nothing here reasons about the law: it compares two results of the engine (chosaku.whatif's
comparison, plus the missing facts) and two receipts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ScenarioError
from .evaluate import evaluate
from .load import load_scenario
from .receipt import RECEIPT_KEYS, canonical_scenario, positioned, scenario_hash
from .whatif import Change, compare_results

VERSION_KEYS = ("engine_version", "ontology_version", "ontology_version_iri", "statute_text_as_of")


@dataclass
class Verification:
    """The outcome of re-running a stored result."""

    same: bool                       # the conclusions (and everything compared) are the same
    changes: list[Change]            # what differs between the stored result and the new one
    versions: dict[str, tuple]       # receipt key -> (stored, now) for the versions that differ
    law_files: dict[str, tuple]      # law file path -> (stored hash, hash now); None where absent
    scenario_sha256: str
    scenario_matches: bool | None = None   # a scenario file given: does it hash as the receipt says?
    receipt: dict = field(default_factory=dict)  # the new result's receipt

    def to_dict(self) -> dict:
        """A JSON-ready view."""
        return {"same": self.same, "changes": [vars(c) for c in self.changes],
                "versions": {k: list(v) for k, v in self.versions.items()},
                "law_files": {k: list(v) for k, v in self.law_files.items()},
                "scenario_sha256": self.scenario_sha256, "scenario_matches": self.scenario_matches,
                "evaluated_at": self.receipt.get("evaluated_at")}


def read_result(source: str | Path | dict) -> dict:
    """A stored result (a path to its JSON, or the parsed object) with its receipt checked."""
    if isinstance(source, dict):
        result = source
    else:
        path = Path(source)
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ScenarioError(f"{path}: not a result JSON file ({exc})",
                                f"{path}：結果の JSON ファイルとして読めません（{exc}）") from exc
    receipt = result.get("receipt") if isinstance(result, dict) else None
    missing = [k for k in RECEIPT_KEYS if not isinstance(receipt, dict) or k not in receipt]
    if missing:
        raise ScenarioError(f"the result has no complete receipt (missing: {', '.join(missing)}); "
                            "only results of `chosaku evaluate --format json` can be verified",
                            f"結果に完全なレシートがありません（不足：{', '.join(missing)}）。"
                            "`chosaku evaluate --format json` の結果だけを検証できます")
    return result


def _missing_facts(before: dict, after: dict) -> list[Change]:
    old, new = set(before.get("missing_facts", [])), set(after.get("missing_facts", []))
    return [Change("missing_fact", None, key, key in old, key in new) for key in sorted(old ^ new)]


def _law_file_changes(stored: dict, now: dict) -> dict[str, tuple]:
    return {path: (stored.get(path), now.get(path)) for path in sorted(set(stored) | set(now))
            if stored.get(path) != now.get(path)}


def verify(stored: str | Path | dict, scenario: str | Path | dict | None = None) -> Verification:
    """Re-evaluate a stored result's scenario (the receipt's own, or `scenario` when given: a path,
    text or mapping, whose canonical hash is then compared with the receipt's) under the receipt's
    position, and compare the results and the receipts."""
    result = read_result(stored)
    receipt = result["receipt"]
    matches = None
    if scenario is not None:
        loaded = load_scenario(scenario)
        mapping = positioned(canonical_scenario(loaded), receipt["position"])
        matches = scenario_hash(mapping) == receipt["scenario_sha256"]
        source = scenario
    else:
        source = receipt["scenario"]
    fresh = evaluate(source, position=receipt["position"]).to_dict()
    changes = compare_results(result, fresh) + _missing_facts(result, fresh)
    new = fresh["receipt"]
    versions = {k: (receipt.get(k), new.get(k)) for k in VERSION_KEYS if receipt.get(k) != new.get(k)}
    return Verification(same=not changes, changes=changes, versions=versions,
                        law_files=_law_file_changes(receipt["law_files"], new["law_files"]),
                        scenario_sha256=receipt["scenario_sha256"], scenario_matches=matches, receipt=new)


def _shown(value, depth: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return ("/" if depth == 0 else ",").join(_shown(v, depth + 1) for v in value)
    return str(value)


def verification_lines(verification: Verification) -> list[str]:
    """The verification in words, English and Japanese, one finding a line."""
    lines = ["same conclusions / 結論は同じです" if verification.same
             else "conclusions differ / 結論が異なります"]
    for change in verification.changes:
        where = "/".join(x for x in (change.act, change.item) if x)
        lines.append(f"  {change.aspect}{' ' + where if where else ''}: {_shown(change.before)} -> {_shown(change.after)}")
    for key, (before, after) in verification.versions.items():
        lines.append(f"  {key}: {before} -> {after}")
    for path, (before, after) in verification.law_files.items():
        state = ("added / 追加" if before is None else "removed / 削除" if after is None
                 else "changed / 変更")
        lines.append(f"  law file {path}: {state} ({(before or '—')[:12]} -> {(after or '—')[:12]})")
    if not verification.versions and not verification.law_files:
        lines.append("  engine, ontology, statute text and law files as in the receipt / "
                     "エンジン・オントロジー・条文・法令ファイルはレシートのとおり")
    if verification.scenario_matches is False:
        lines.append("  the scenario given is not the one the receipt names (hash differs) / "
                     "指定したシナリオはレシートのシナリオと異なります（ハッシュ不一致）")
    return lines
