"""The DL reasoner (HermiT through owlready2): ontology consistency and OWL classification.

HermiT starts a JVM per call (about a second), so it serves checks and tests, not requests.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL

from .errors import ChosakuError
from .ontology_graph import load_ontology


class ReasonerUnavailable(ChosakuError):
    """No Java runtime was found for HermiT."""


def _configure_java():
    import owlready2

    java = shutil.which("java")
    if java is None:
        raise ReasonerUnavailable("HermiT needs a Java runtime (java on PATH); none was found.")
    owlready2.JAVA_EXE = java
    return owlready2


def run_hermit(extra: Graph | None = None) -> dict[str, set[str]]:
    """Load the ontology (plus `extra` triples) into a fresh owlready2 world and run HermiT.

    Returns, for every named individual, the IRIs of the classes it belongs to after reasoning.
    Raises owlready2.OwlReadyInconsistentOntologyError if the ontology is inconsistent.
    """
    owlready2 = _configure_java()
    graph = Graph()
    for triple in load_ontology():
        if triple[1] != OWL.imports:  # every module is already here; owlready2 would fetch imports
            graph.add(triple)
    if extra is not None:
        for triple in extra:
            graph.add(triple)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ontology.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        return {
            individual.iri: {cls.iri for cls in individual.is_a if hasattr(cls, "iri")}
            | {anc.iri for cls in individual.is_a if hasattr(cls, "ancestors")
               for anc in cls.ancestors() if hasattr(anc, "iri")}
            for individual in world.individuals()
        }
