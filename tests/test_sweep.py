"""chosaku sweep: every combination evaluated, a decision table, and which facts flip what."""

import pandas as pd

from chosaku.cli import main
from chosaku.resources import cases_dir

BASE = str(cases_dir() / "semsearch-pattern2-snippet.yaml")


def test_sweep_writes_the_decision_table_and_the_flip_summary(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", BASE, "--facts", "display,light_use.minor", "--out", str(out),
                 "--workers", "1", "--quiet"]) == 0
    table = pd.read_csv(out / "decision-table.csv")
    assert len(table) == 12                                   # display 3+1 values x minor 2+1
    assert set(table["display"]) == {"full", "partial", "none", "unknown"}
    row = table[(table["display"] == "partial") & (table["light_use.minor"] == "false")].iloc[0]
    assert row["conclusion.output"] == "infringing"          # seed 004: not minor -> 47-5(1) fails
    row = table[(table["display"] == "full") & (table["light_use.minor"] == "true")].iloc[0]
    assert not row["valid"] and "Contradiction" in row["problems"]
    row = table[(table["display"] == "partial") & (table["light_use.minor"] == "unknown")].iloc[0]
    assert row["conclusion.output"] == "conditional" and row["missing_facts"] == "light_use.minor"
    assert pd.read_parquet(out / "decision-table.parquet").shape == table.shape
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "conclusion.output" in summary and "`display`" in summary
    assert (out / "flips.png").read_bytes()[:4] == b"\x89PNG"


def test_sweep_refuses_an_unknown_fact_and_an_oversized_space(tmp_path, capsys):
    assert main(["sweep", BASE, "--facts", "displays", "--out", str(tmp_path), "--quiet"]) == 2
    assert "displays: not a scenario fact key" in capsys.readouterr().err
    assert main(["sweep", BASE, "--out", str(tmp_path), "--max", "10", "--quiet"]) == 2
    assert "more than the limit 10" in capsys.readouterr().err
