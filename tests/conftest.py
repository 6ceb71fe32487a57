"""Shared fixtures: the ontology graph, parsed once per test session; the store's files of the
session in a temporary folder (never the user's data directory); a fixed evaluation time."""

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager

import pytest

from chosaku.ontology_graph import load_ontology
from chosaku.dataset_build import build_dataset
from chosaku.resources import cases_dir

from case_library import SMALL_CASES


def pytest_configure(config):
    """Keep every store file the tests write out of ~/.local/share (tests may still override)."""
    # each process of a parallel run (pytest-xdist workers inherit the environment) gets its own
    if "CHOSAKU_DATA" not in os.environ or os.environ.get("CHOSAKU_TEST_DATA") == os.environ["CHOSAKU_DATA"]:
        os.environ["CHOSAKU_DATA"] = os.environ["CHOSAKU_TEST_DATA"] = tempfile.mkdtemp(prefix="chosaku-test-data-")
    # One evaluation time for every result (the receipt's `evaluated_at`), so that results compare
    # equal whenever their facts, ontology and engine do; tests of the clock unset it.
    os.environ.setdefault("CHOSAKU_EVALUATION_TIME", "2026-01-01T00:00:00Z")
    # No store snapshots built in the background while tests time their queries; the tests of the
    # snapshot turn them on (tests/test_store_snapshot.py).
    os.environ.setdefault("CHOSAKU_STORE_SNAPSHOT", "off")


@pytest.fixture(scope="session")
def ontology():
    """The whole ontology as an rdflib Graph."""
    return load_ontology()


@contextmanager
def _exclusive(path):
    """Hold an exclusive lock on `path` (created if needed) for the block."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """The data directory holding every shipped case, evaluated once for the test run (the
    workers of a parallel run share it: the first builds it, the others find it built)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    data = root / "chosaku-data"
    with _exclusive(root / "chosaku-data.lock"):
        build_dataset(data)
    return data


@pytest.fixture
def small_cases(tmp_path):
    """A case directory with two shipped cases (fast to evaluate)."""
    directory = tmp_path / "cases"
    directory.mkdir()
    for name in SMALL_CASES:
        shutil.copy(cases_dir() / name, directory / name)
    return directory
