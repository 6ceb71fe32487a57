"""Shared fixtures: the ontology graph, parsed once per test session; the store's files of the
session in a temporary folder (never the user's data directory); a fixed evaluation time."""

import os
import tempfile

import pytest

from chosaku.ontology_graph import load_ontology
from chosaku.dataset_build import build_dataset


def pytest_configure(config):
    """Keep every store file the tests write out of ~/.local/share (tests may still override)."""
    os.environ.setdefault("CHOSAKU_DATA", tempfile.mkdtemp(prefix="chosaku-test-data-"))
    # One evaluation time for every result (the receipt's `evaluated_at`), so that results compare
    # equal whenever their facts, ontology and engine do; tests of the clock unset it.
    os.environ.setdefault("CHOSAKU_EVALUATION_TIME", "2026-01-01T00:00:00Z")


@pytest.fixture(scope="session")
def ontology():
    """The whole ontology as an rdflib Graph."""
    return load_ontology()


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """The data directory holding every shipped case, evaluated once for the session."""
    data = tmp_path_factory.getbasetemp() / "chosaku-data"
    build_dataset(data)
    return data
