"""The researchers' dataset as data: its named graphs and its cases on disk.

Named graphs (see queries/README.md):

- `<https://w3id.org/chosaku-kg/ns>`: the ontology (every module except the shapes);
- `case:<id>`: a case evaluated as written (its own `position`, `seeds` by default): its facts,
  the inferences and one `rdf:Statement` per inferred triple naming the rule that made it;
- `case:<id>/position/<key>`: the same case re-evaluated under each other interpretive position.

The default graph of a query is the union of the ontology and the `case:<id>` graphs, so a query
without `GRAPH` sees every case once, under its own position; the other positions are reached
with `GRAPH`. The cases are the shipped library (`cases/`) and the cases users saved
(`<data>/saved/`); dataset_build.py keeps their evaluated graphs in the cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from .errors import ChosakuError
from .formats import SCENARIO_SUFFIXES
from .namespaces import BASE, CASE
from .resources import data_dir

ONTOLOGY_GRAPH = URIRef(BASE + "ns")
# The first line of a cache file (case_cache.py): this mark, then its header as JSON.
HEADER_MARK = "# chosaku-kg case graphs: "
CASE_SUFFIXES = SCENARIO_SUFFIXES


class StoreError(ChosakuError):
    """The dataset cannot be built, read or updated."""


def case_graph_name(case_id: str, position: str | None = None) -> URIRef:
    """`case:<id>` for a case as written; `case:<id>/position/<key>` for another position."""
    return URIRef(f"{CASE}{case_id}" + (f"/position/{position}" if position else ""))


@dataclass
class CaseEntry:
    """One evaluated case of the dataset: where it came from and the graphs that hold it."""

    id: str
    origin: str  # "shipped" or "saved"
    path: Path
    cache: Path
    default_graph: str
    graphs: list[str]
    position: str | None = None


@dataclass
class Dataset:
    """The dataset's parts on disk: the ontology's N-Quads file and the cases' cache files."""

    ontology_file: Path
    data: Path
    cases_dir: Path | None = None  # None: the default (cases/ or $CHOSAKU_CASES)
    cases: list[CaseEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def default_graphs(self) -> list[str]:
        """The graphs whose union is a query's default graph."""
        return [str(ONTOLOGY_GRAPH)] + [entry.default_graph for entry in self.cases]

    @property
    def graph_names(self) -> list[str]:
        """Every named graph of the dataset."""
        return [str(ONTOLOGY_GRAPH)] + [name for entry in self.cases for name in entry.graphs]


def case_files(directory: Path) -> list[Path]:
    """The scenario files directly in a directory (YAML, JSON, Turtle), hidden files left out."""
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir()
                  if path.is_file() and path.suffix in CASE_SUFFIXES and not path.name.startswith("."))


def saved_dir(data: Path | None = None) -> Path:
    """Where saved cases live."""
    return (data or data_dir()) / "saved"


def union_update_text(default_graphs: list[str]) -> str:
    """A SPARQL Update writing the union of `default_graphs` as the store's own default graph
    (what was there before removed). The embedded store keeps it so: pyoxigraph answers a query
    whose default graph is a list of graphs by looking each pattern up in every graph of the list,
    which made the example queries over the library 2 to 50 times slower than over one graph."""
    values = " ".join(f"<{name}>" for name in default_graphs)
    return f"DROP SILENT DEFAULT ;\nINSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
