"""Shared fixtures: the ontology graph, parsed once per test session."""

import pytest

from chosaku.ontology_graph import load_ontology
from chosaku.store import build_dataset


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
