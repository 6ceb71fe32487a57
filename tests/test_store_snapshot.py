"""The embedded store's snapshot on disk (a warm start for long-running processes): the same answers
as the store in memory, current only for the files it was built from, built in the background when
missing, a bridge until the store is in memory, left at once for memory on a change."""

from __future__ import annotations

import shutil
import threading
import time

import pytest

from chosaku.dataset_build import build_dataset
from chosaku.embedded_store import EmbeddedStore
from chosaku.namespaces import CASE, KG
from chosaku.query import run_query
from chosaku.query_errors import QueryTimeout
from chosaku.query_catalogue import example_queries
from chosaku.resources import cases_dir
from chosaku.save import save_case
from chosaku.store_snapshot import COMPLETE_MARK, build_snapshot, open_snapshot, snapshot_path

from case_library import SMALL_CASES, read_case
from remote_servers import comparable_rows



@pytest.fixture(autouse=True)
def _snapshots_on(monkeypatch):
    """Snapshots as users have them (the suite turns them off elsewhere, see conftest.py)."""
    monkeypatch.setenv("CHOSAKU_STORE_SNAPSHOT", "on")


@pytest.fixture
def small(tmp_path, small_cases):
    """A data folder over two shipped cases, evaluated."""
    data = tmp_path / "data"
    return data, small_cases, build_dataset(data, small_cases)


def _rows(store, text, timeout=10.0):
    """The answer's rows as compared across stores (GROUP_CONCAT's order of parts is the store's)."""
    return comparable_rows(run_query(store, text, timeout=timeout), "")


# a few cases on which most example queries have rows (queries on the snapshot are several times
# slower than in memory: every case more costs seconds)
COMPARED = ["pos-agency-rag-pattern3-db-and-input", "liability-easy-excess-provider-aider", "ft-analysis-database-work",
            "semsearch-475-not-minor"]


def test_every_example_query_answers_the_same_from_the_snapshot_as_from_memory(shipped, tmp_path, monkeypatch):
    folder = tmp_path / "cases"
    folder.mkdir()
    for name in COMPARED:
        shutil.copy(cases_dir() / f"{name}.yaml", folder / f"{name}.yaml")
    dataset = build_dataset(shipped, folder)  # (evaluated in the session's cache)
    in_memory = EmbeddedStore(dataset)
    build_snapshot(tmp_path / "data", in_memory.files)
    dataset.data = tmp_path / "data"
    monkeypatch.setattr(EmbeddedStore, "_move_to_memory", lambda self: None)  # stays on the snapshot
    on_disk = EmbeddedStore(dataset, warm_start=True)
    assert on_disk.on_disk and not in_memory.on_disk
    assert len(on_disk) == len(in_memory) > 20_000
    answered = []
    for example in example_queries():
        disk_rows, memory_rows = _rows(on_disk, example.text, 60), _rows(in_memory, example.text)
        assert disk_rows == memory_rows, example.name
        if disk_rows and disk_rows != [False]:
            answered.append(example.name)
    assert len(answered) >= 11, answered  # compared on real answers, not empty ones


def test_a_snapshot_is_current_only_for_the_files_it_was_built_from(small, tmp_path):
    data, _cases, dataset = small
    files = EmbeddedStore(dataset).files
    assert open_snapshot(data, files) is None
    first = build_snapshot(data, files)
    assert (first / COMPLETE_MARK).is_file() and open_snapshot(data, files) is not None
    assert open_snapshot(data, files[:-1]) is None            # a case fewer: another key
    second = build_snapshot(data, files[:-1])
    assert second != first and not first.exists()             # the older snapshot is removed
    assert [p.name for p in second.parent.iterdir()] == [second.name]


def test_a_warm_start_answers_from_the_snapshot_until_the_store_is_in_memory(small, monkeypatch):
    data, _cases, dataset = small
    started = []
    monkeypatch.setattr("chosaku.embedded_store.build_in_background",
                        lambda data, files: started.append(build_snapshot(data, files)))
    assert not EmbeddedStore(dataset).on_disk and started == []     # without warm_start: memory only
    first = EmbeddedStore(dataset, warm_start=True)                   # no snapshot yet: memory, and build one
    assert not first.on_disk and first.in_memory.is_set() and len(started) == 1
    release = threading.Event()
    loaded = EmbeddedStore._loaded
    monkeypatch.setattr(EmbeddedStore, "_loaded", lambda self: release.wait(60) and loaded(self))
    second = EmbeddedStore(dataset, warm_start=True)
    assert second.on_disk and second.snapshot == started[0] and not second.in_memory.is_set()
    query = f"SELECT ?case WHERE {{ ?case a <{KG.Scenario}> }}"
    assert _rows(second, query) == _rows(first, query) and len(_rows(first, query)) == 2   # from disk, forked
    assert len(second.execute(query, "SELECT", limit=10, default_graphs=second.default_graphs).rows) == 2
    release.set()
    assert second.in_memory.wait(60) and not second.on_disk
    assert _rows(second, query) == _rows(first, query)


def test_the_background_build_runs_in_a_process_of_its_own(small, monkeypatch):
    data, _cases, dataset = small
    store = EmbeddedStore(dataset, warm_start=True)
    assert not store.on_disk
    target = snapshot_path(data, store.files)
    deadline = time.monotonic() + 120
    while not (target / COMPLETE_MARK).is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert EmbeddedStore(dataset, warm_start=True).on_disk
    monkeypatch.setenv("CHOSAKU_STORE_SNAPSHOT", "off")
    assert not EmbeddedStore(dataset, warm_start=True).on_disk      # turned off: memory, as before


def test_saving_into_a_store_read_from_its_snapshot_moves_it_to_memory(small):
    data, cases, dataset = small
    build_snapshot(data, EmbeddedStore(dataset).files)
    live = EmbeddedStore(dataset, warm_start=True)
    with live.lock:  # (the load into memory may not have finished: the save must not wait for it)
        live.ox, live.snapshot = open_snapshot(data, live.files), snapshot_path(data, live.files)
    assert live.on_disk
    scenario = dict(read_case(cases_dir() / SMALL_CASES[0]), id="saved-over-a-snapshot")
    for key in ("expected", "sources"):
        scenario.pop(key)
    save_case(scenario, data=data, cases=cases, store=live)
    assert not live.on_disk
    conclusion = f"SELECT ?c WHERE {{ <{CASE}saved-over-a-snapshot/act/transmission> kg:conclusion ?c }}"
    assert [r[0] for r in run_query(live, conclusion).rows] == [KG.infringing]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?case a kg:Scenario }"
    assert int(run_query(live, count).rows[0][0]) == 3


def test_a_damaged_snapshot_is_passed_over_for_memory(small):
    data, _cases, dataset = small
    files = EmbeddedStore(dataset).files
    target = snapshot_path(data, files)
    target.mkdir(parents=True)
    (target / COMPLETE_MARK).write_text("1", encoding="utf-8")
    (target / "CURRENT").write_text("not a database", encoding="utf-8")
    assert open_snapshot(data, files) is None
    store = EmbeddedStore(dataset, warm_start=True)
    assert not store.on_disk and int(run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c a kg:Scenario }").rows[0][0]) == 2


def test_a_query_too_slow_for_the_snapshot_is_answered_again_from_memory(small, monkeypatch):
    data, _cases, dataset = small
    build_snapshot(data, EmbeddedStore(dataset).files)
    release = threading.Event()
    loaded = EmbeddedStore._loaded
    monkeypatch.setattr(EmbeddedStore, "_loaded", lambda self: release.wait(60) and loaded(self))
    store = EmbeddedStore(dataset, warm_start=True)
    assert store.on_disk
    monkeypatch.setattr("chosaku.query.SNAPSHOT_BUDGET_S", 0.001)  # every query is too slow for it
    threading.Timer(1.0, release.set).start()  # the store reaches memory a second later
    started = time.monotonic()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?case a kg:Scenario }"
    assert int(run_query(store, count).rows[0][0]) == 2
    assert time.monotonic() - started >= 1.0 and not store.on_disk   # answered from memory
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
            "FILTER (STRLEN(STR(?c)) + STRLEN(STR(?f)) + STRLEN(STR(?i)) < 0) }")
    with pytest.raises(QueryTimeout):  # in memory, the query's own time limit holds as ever
        run_query(store, slow, timeout=1.0)


def test_a_query_command_answers_from_the_snapshot_without_waiting_for_the_store_to_load(small, monkeypatch, capsys):
    """`chosaku query` on a data folder with a snapshot answers from it; the store's load into
    memory (here held back) is left to a background thread the command does not wait for."""
    from chosaku.cli import main

    data, cases, dataset = small
    build_snapshot(data, EmbeddedStore(dataset).files)
    loaded = EmbeddedStore._loaded

    def only_in_the_background(self):
        if threading.current_thread() is threading.main_thread():
            raise AssertionError("the query command waited for the store to load into memory")
        threading.Event().wait(60)
        return loaded(self)

    monkeypatch.setattr(EmbeddedStore, "_loaded", only_in_the_background)
    monkeypatch.setenv("CHOSAKU_DATA", str(data))
    query = f"SELECT ?case WHERE {{ ?case a <{KG.Scenario}> }} ORDER BY ?case"
    assert main(["query", "--cases", str(cases), "--format", "csv", query]) == 0
    rows = capsys.readouterr().out.split()
    assert rows == ["case"] + sorted(f"{CASE}{entry.id}" for entry in dataset.cases)
