"""Loading the ontology: every Turtle module under ontology/, parsed once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from .errors import OntologyError
from .namespaces import bind_prefixes
from .resources import ontology_dir

SHAPES_SUBDIR = "shapes"


def module_files(directory: Path | None = None) -> list[Path]:
    """The ontology's modules, rules included (the validation shapes excluded), in a stable order."""
    root = directory or ontology_dir()
    return sorted(path for path in root.rglob("*.ttl") if path.relative_to(root).parts[0] != SHAPES_SUBDIR)


def parse_turtle(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one Turtle file, raising OntologyError that names the file and the line."""
    graph = graph if graph is not None else Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        raise OntologyError(f"{path}: not valid Turtle: {exc}") from exc
    return graph


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    """The whole ontology as one rdflib Graph (cached; treat it as read-only)."""
    graph = bind_prefixes(Graph())
    for path in module_files():
        parse_turtle(path, graph)
    return graph
