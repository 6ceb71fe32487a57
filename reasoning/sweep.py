"""Sweeping the fact space: every combination of the facts named (known values and unknown),
the others held as in a base scenario, evaluated on all cores or on a Dask cluster; a decision
table (CSV, Parquet) and a summary of which facts flip each conclusion, with a plot."""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from .atomic import atomic_output
from .batch import evaluate_many
from .errors import ChosakuError, ScenarioError
from .answers import set_answer, spec_of
from .facts import fact_index

UNKNOWN = "unknown"
DEFAULT_MAX = 20_000


@dataclass(frozen=True)
class SweptFact:
    """One fact of the sweep: its key in the scenario (works.<id>.<field> for a work) and values."""

    key: str
    values: tuple  # scenario values, None for unknown


def swept_facts(base: dict, keys: list[str] | None) -> list[SweptFact]:
    """The facts to sweep: those named, or every fact of the format (each work's facts too)."""
    if not keys:
        work_ids = [w.get("id") for w in base.get("works") or [] if isinstance(w, dict)]
        keys = [k for k in sorted(fact_index()) if not k.startswith("works[].")]
        keys += [f"works.{w}.{k.split('.', 1)[1]}" for w in work_ids for k in sorted(fact_index()) if k.startswith("works[].")]
        keys = [k for k in keys if k != "technique"]  # the technique defines the system being swept
    facts = []
    for key in keys:
        spec = spec_of(key)
        known = (True, False) if not spec.values else tuple(sorted(spec.values))
        facts.append(SweptFact(key=key, values=known + (None,)))
    return facts


def scenarios(base: dict, facts: list[SweptFact], limit: int = DEFAULT_MAX):
    """Yield (values, mapping) for every combination, refusing a space larger than `limit`."""
    size = 1
    for fact in facts:
        size *= len(fact.values)
    if size > limit:
        raise ScenarioError(f"the sweep has {size} combinations, more than the limit {limit}; name fewer facts with "
                            f"--facts or raise --max", f"組合せが {size} 通りで上限 {limit} を超えます")
    clean = {k: v for k, v in base.items() if k not in ("expected", "sources", "expected_error")}
    for number, values in enumerate(itertools.product(*(f.values for f in facts))):
        mapping = dict(clean, id=f"sweep-{number}")
        for fact, value in zip(facts, values):
            mapping = set_answer(mapping, fact.key, value)
        yield values, mapping


def _evaluate_chunk(chunk):
    return evaluate_many([mapping for _values, mapping in chunk])


def _cell(value) -> str:
    return UNKNOWN if value is None else str(value).lower() if isinstance(value, bool) else str(value)


class ClusterError(ChosakuError):
    """The Dask cluster given for a sweep cannot be used."""


def _engine_of_worker() -> str:
    from .fingerprint import engine_fingerprint

    return engine_fingerprint()


def _on_cluster(address: str, chunks: list, bar) -> list:
    """Evaluate the chunks on the Dask cluster at `address` (its workers run the same chosaku
    engine: checked by the engine's fingerprint), in order; returns the rows' summaries per chunk."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError("--cluster needs Dask's distributed scheduler: pip install 'chosaku-kg[cluster]'",
                           "--cluster には Dask（distributed）が必要です: pip install 'chosaku-kg[cluster]'") from exc
    from .fingerprint import engine_fingerprint

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}",
                           f"Dask のスケジューラ {address} に接続できません") from exc
    try:
        engines = client.run(_engine_of_worker)
        if not engines:
            raise ClusterError(f"the Dask cluster at {address} has no workers", f"Dask クラスタ {address} にワーカーがありません")
        ours = engine_fingerprint()
        others = sorted(worker for worker, engine in engines.items() if engine != ours)
        if others:
            raise ClusterError(f"the workers {', '.join(others)} run another chosaku engine (ontology or code differ); "
                               "install the same version on every worker",
                               f"ワーカー {', '.join(others)} の chosaku（オントロジー又はコード）が異なります")
        futures = client.map(_evaluate_chunk, chunks, pure=False)
        results = []
        for chunk, future in zip(chunks, futures):
            results.append(future.result())
            bar.update(len(chunk))
        return results
    finally:
        client.close()


def run_sweep(base: dict, keys: list[str] | None = None, workers: int | None = None, chunk_size: int = 100,
              limit: int = DEFAULT_MAX, progress: bool = True, cluster: str | None = None):
    """Evaluate the sweep; returns (pandas DataFrame of the decision table, swept facts).
    `cluster`: the address of a Dask scheduler (tcp://host:port) to evaluate on instead of local
    processes; the decision table is the same."""
    import pandas as pd
    from tqdm import tqdm

    facts = swept_facts(base, keys)
    combos = list(scenarios(base, facts, limit))
    chunks = [combos[i:i + chunk_size] for i in range(0, len(combos), chunk_size)]
    workers = workers or os.cpu_count() or 1
    rows = []
    with tqdm(total=len(combos), disable=not progress, unit="scenario", desc="sweep") as bar:
        if cluster:
            for chunk, summaries in zip(chunks, _on_cluster(cluster, chunks, bar)):
                rows += _rows(chunk, summaries, facts)
        elif workers > 1 and len(chunks) > 1:
            with get_context("fork").Pool(workers) as pool:
                results = pool.imap(_evaluate_chunk, chunks)
                for chunk, summaries in zip(chunks, results):
                    rows += _rows(chunk, summaries, facts)
                    bar.update(len(chunk))
        else:
            for chunk in chunks:
                rows += _rows(chunk, _evaluate_chunk(chunk), facts)
                bar.update(len(chunk))
    return pd.DataFrame(rows), facts


def _rows(chunk, summaries, facts):
    rows = []
    for (values, _mapping), summary in zip(chunk, summaries):
        row = {fact.key: _cell(value) for fact, value in zip(facts, values)}
        row["valid"] = summary["valid"]
        row["problems"] = " | ".join(summary["problems"])
        row["rag_type"] = summary["rag_type"]
        row["display_pattern"] = summary["display_pattern"]
        for act, conclusion in summary["conclusions"].items():
            row[f"conclusion.{act}"] = conclusion
        for act, exemptions in summary["exemptions"].items():
            for key, status in exemptions.items():
                row[f"exemption.{act}.{key}"] = status
        row["missing_facts"] = " ".join(summary["missing_facts"])
        for actor, role in summary["liable"].items():
            row[f"liable.{actor}"] = role
        rows.append(row)
    return rows


def flip_summary(table, facts: list[SweptFact]) -> dict:
    """For each conclusion column and each swept fact: among pairs of valid rows that differ only
    in that fact, how many differ in the conclusion (flips) and what share of the pairs that is."""
    valid = table[table["valid"]]
    keys = [f.key for f in facts]
    summary = {}
    for column in sorted(c for c in table.columns if c.startswith("conclusion.")):
        per_fact = {}
        for key in keys:
            others = [k for k in keys if k != key]
            pairs = flips = 0
            groups = valid.groupby(others, dropna=False) if others else [(None, valid)]
            for _, group in groups:
                outcomes = group[column].fillna("absent").tolist()
                for a, b in itertools.combinations(outcomes, 2):
                    pairs += 1
                    flips += a != b
            per_fact[key] = {"flips": flips, "pairs": pairs, "share": round(flips / pairs, 4) if pairs else 0.0}
        summary[column] = dict(sorted(per_fact.items(), key=lambda item: -item[1]["flips"]))
    return summary


def write_outputs(table, summary: dict, out: Path) -> dict[str, Path]:
    """Write decision table (CSV, Parquet), summary (JSON, Markdown) and plot (PNG); atomically each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out / "decision-table.csv", "parquet": out / "decision-table.parquet",
             "json": out / "summary.json", "markdown": out / "summary.md", "plot": out / "flips.png"}

    atomic_output(paths["csv"], lambda p: table.to_csv(p, index=False))
    atomic_output(paths["parquet"], lambda p: table.to_parquet(p, index=False))
    atomic_output(paths["json"], lambda p: p.write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8"))
    lines = [f"# Sweep summary ({len(table)} scenarios, {int(table['valid'].sum())} valid)", ""]
    for column, per_fact in summary.items():
        lines += [f"## {column}", "", "| fact | flips | pairs | share |", "| --- | --- | --- | --- |"]
        lines += [f"| `{k}` | {v['flips']} | {v['pairs']} | {v['share']:.2%} |" for k, v in per_fact.items()]
        lines.append("")
    atomic_output(paths["markdown"], lambda p: p.write_text("\n".join(lines), encoding="utf-8"))
    columns = list(summary)
    facts = sorted({k for per_fact in summary.values() for k in per_fact})
    grid = [[summary[c][f]["share"] for c in columns] for f in facts]
    figure, axes = plt.subplots(figsize=(1.6 + 1.2 * max(len(columns), 1), 1 + 0.35 * max(len(facts), 1)))
    image = axes.imshow(grid or [[0]], aspect="auto", cmap="Reds", vmin=0, vmax=1)
    axes.set_xticks(range(len(columns)), [c.split(".", 1)[1] for c in columns], rotation=45, ha="right")
    axes.set_yticks(range(len(facts)), facts)
    axes.set_title("Flip share per fact", fontsize=10)
    figure.colorbar(image, ax=axes)
    figure.tight_layout()
    atomic_output(paths["plot"], lambda p: figure.savefig(p, format="png", dpi=110))
    plt.close(figure)
    return paths
