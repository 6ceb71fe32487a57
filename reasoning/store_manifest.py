"""The manifest graph of a remote store: which cases (and which ontology) the store holds, each
with the key of its content, its graphs and the graph it adds to the default graph.

The store, not a client's data directory, is the source of truth for which cases exist: every
client reads the manifest, sends only what the store lacks or holds in another version, and
queries the cases the manifest lists (its own and those other clients saved). An entry is
written only after all its graphs are in the store, and removed before they are replaced, so the
manifest never lists a case that is not whole in the store.

The key of an entry is the name of its cache file: a hash of the case file's bytes and of the
engine (case_cache.case_cache_file), the same for every client with the same case and engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from rdflib import Literal, URIRef

from .case_cache import graphs_of
from .dataset import CaseEntry, Dataset, ONTOLOGY_GRAPH
from .namespaces import BASE
from .skolem import skolemise

MANIFEST_GRAPH = BASE + "manifest"
M = BASE + "manifest#"
ONTOLOGY_ENTRY = "ontology"


@dataclass
class Entry:
    """One manifest entry: a case (or the ontology) as a remote store holds it."""

    id: str                   # the case id; ONTOLOGY_ENTRY for the ontology
    key: str                  # the content key (the cache file's name without its suffix)
    default_graph: str
    graphs: list[str] = field(default_factory=list)
    origin: str = ""          # shipped / saved / ontology
    position: str | None = None

    @property
    def iri(self) -> str:
        """The entry's own IRI in the manifest graph."""
        return f"{MANIFEST_GRAPH}/{quote(self.id, safe='')}"


def cache_key(path) -> str:
    """The content key of a cache file (its name, which hashes the case file and the engine)."""
    return path.name.split(".")[0]


def local_entries(dataset: Dataset) -> dict[str, tuple[Entry, object]]:
    """The entries a client's local dataset would write: id → (entry, cache file)."""
    ontology = Entry(ONTOLOGY_ENTRY, cache_key(dataset.ontology_file), str(ONTOLOGY_GRAPH), [str(ONTOLOGY_GRAPH)],
                     "ontology")
    entries = {ONTOLOGY_ENTRY: (ontology, dataset.ontology_file)}
    for case in dataset.cases:
        entries[case.id] = (Entry(case.id, cache_key(case.cache), case.default_graph, list(case.graphs), case.origin,
                                  case.position), case.cache)
    return entries


def graph_bodies(cache) -> dict[str, bytes]:
    """The N-Triples of each graph of a cache file, blank nodes skolemised, ready to PUT."""
    return {name: skolemise((text + "\n").encode("utf-8")) for name, text in graphs_of(cache).items()}


MANIFEST_QUERY = f"""SELECT ?entry ?id ?key ?default ?graph ?origin ?position WHERE {{
  GRAPH <{MANIFEST_GRAPH}> {{
    ?entry <{M}caseId> ?id ; <{M}key> ?key ; <{M}defaultGraph> ?default ; <{M}graph> ?graph .
    OPTIONAL {{ ?entry <{M}origin> ?origin }}
    OPTIONAL {{ ?entry <{M}position> ?position }}
  }}
}}"""


def entries_from_rows(rows) -> dict[str, Entry]:
    """The manifest's entries from the rows of MANIFEST_QUERY (rdflib terms or None)."""
    entries: dict[str, Entry] = {}
    for _, case_id, key, default, graph, origin, position in rows:
        entry = entries.setdefault(str(case_id), Entry(str(case_id), str(key), str(default), [],
                                                       str(origin) if origin is not None else "",
                                                       str(position) if position is not None else None))
        if str(graph) not in entry.graphs:
            entry.graphs.append(str(graph))
    for entry in entries.values():
        entry.graphs.sort(key=lambda g: (g != entry.default_graph, g))
    return entries


def remove_text(entry_id: str) -> str:
    """A SPARQL Update removing one entry from the manifest."""
    iri = Entry(entry_id, "", "").iri
    return (f"DELETE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{iri}> ?p ?o }} }} "
            f"WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ <{iri}> ?p ?o }} }}")


def entry_ntriples(entry: Entry) -> str:
    """The triples of one manifest entry, as N-Triples lines (for the manifest graph)."""
    subject, lines = URIRef(entry.iri).n3(), []
    values = [("caseId", Literal(entry.id)), ("key", Literal(entry.key)), ("defaultGraph", URIRef(entry.default_graph)),
              ("origin", Literal(entry.origin))]
    if entry.position:
        values.append(("position", Literal(entry.position)))
    values += [("graph", URIRef(g)) for g in entry.graphs]
    for name, value in values:
        lines.append(f"{subject} <{M}{name}> {value.n3()} .")
    return "\n".join(lines) + "\n"


def write_text(entry: Entry) -> str:
    """A SPARQL Update replacing one entry of the manifest."""
    return remove_text(entry.id) + f" ;\nINSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{\n{entry_ntriples(entry)}}} }}"


def case_entry(entry: Entry) -> CaseEntry | None:
    """A manifest entry as the dataset's CaseEntry (no local files: the store holds it); None for
    the ontology."""
    if entry.id == ONTOLOGY_ENTRY:
        return None
    return CaseEntry(id=entry.id, origin=entry.origin or "remote", path=None, cache=None,
                     default_graph=entry.default_graph, graphs=list(entry.graphs), position=entry.position)
