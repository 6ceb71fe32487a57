"""Shared fixtures: the ontology graph, parsed once per test session."""

import pytest

from reasoning.ontology import load_ontology


@pytest.fixture(scope="session")
def ontology():
    """The whole ontology as an rdflib Graph."""
    return load_ontology()
