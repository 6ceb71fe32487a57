"""chosaku sweep: every combination evaluated, a decision table, and which facts flip what."""

import pandas as pd
import pytest

from chosaku.cli import main
from chosaku.resources import cases_dir
from chosaku.sweep import ClusterError, run_sweep

from case_library import read_case

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


def test_a_sweep_on_a_dask_cluster_of_two_workers_gives_the_same_decision_table(tmp_path):
    from distributed import LocalCluster

    base = read_case(cases_dir() / "semsearch-pattern2-snippet.yaml")
    keys = ["display", "light_use.minor", "works.book.published"]
    local, facts = run_sweep(base, keys, workers=1, chunk_size=8, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      local_directory=str(tmp_path)) as cluster:
        remote, remote_facts = run_sweep(base, keys, chunk_size=8, progress=False, cluster=cluster.scheduler_address)
    assert len(local) == 36 and remote_facts == facts
    pd.testing.assert_frame_equal(remote, local)
    row = remote[(remote["display"] == "partial") & (remote["light_use.minor"] == "false")
                 & (remote["works.book.published"] == "true")].iloc[0]
    assert row["conclusion.output"] == "infringing"          # seed 004: not minor -> 47-5(1) fails


def test_a_cluster_that_cannot_be_used_is_refused_with_the_reason(monkeypatch, capsys, tmp_path):
    from distributed import LocalCluster

    assert main(["sweep", BASE, "--facts", "display", "--out", str(tmp_path), "--quiet",
                 "--cluster", "tcp://127.0.0.1:9"]) == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    monkeypatch.setattr("chosaku.sweep._engine_of_worker", lambda: "another engine")
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        with pytest.raises(ClusterError, match="run another chosaku engine"):
            run_sweep(read_case(cases_dir() / "semsearch-pattern2-snippet.yaml"), ["display"], progress=False,
                      cluster=cluster.scheduler_address)
