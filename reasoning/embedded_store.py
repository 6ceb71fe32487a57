"""The embedded store: pyoxigraph in memory, loaded from the data directory's N-Quads files
(chosen over rdflib's memory store by measured speed, see benchmarks/store_choice.py). Blank nodes
are skolemised as a remote store receives them (skolem.py), so both answer alike.

The endpoint, `chosaku query` and the explorer open it with `warm_start`: when the dataset
has a current snapshot on disk (store_snapshot.py) it answers from the snapshot at once while the
files load into memory in a thread, and then from memory (the example queries on the snapshot are
1.3–17 times slower, so it is a bridge, not the store); when there is none it loads into memory and starts
building the snapshot in the background for the next start.

A query's default graph is the union of the ontology's graph and each case's own (dataset.py).
The store keeps that union written out as its own default graph (store_snapshot.load_quads; a
change of the cases rewrites it in the same transaction), and a query over the whole dataset reads
that one graph: pyoxigraph looks each pattern of a query up in every graph of a listed default
graph, which made the example queries over the library 2–50 times slower."""

from __future__ import annotations

import os
import threading

import pyoxigraph as ox

from .dataset import Dataset, union_update_text
from .query_result import QueryResult, term_from_oxigraph
from .store import Store, update_text
from .store_snapshot import build_in_background, load_quads, open_snapshot, snapshot_path, snapshots_enabled


NO_GRAPH = "urn:chosaku:no-graph"  # an empty default graph (a list of none): a graph no store holds


def _same_graphs(names, held) -> bool:
    """Whether two lists name the same graphs."""
    return len(names) == len(held) and set(names) == set(held)


class EmbeddedStore(Store):
    """pyoxigraph in memory over the data directory's N-Quads files (see the module's docstring
    for `warm_start` and the snapshot on disk)."""

    forkable = True
    snapshot = None  # the snapshot's folder while answers come from it (stores built otherwise have none)

    def __init__(self, dataset: Dataset, *, warm_start: bool = False):
        super().__init__(dataset)
        self.in_memory = threading.Event()
        self._opened_by = os.getpid()
        self.ox = open_snapshot(dataset.data, self.files) if warm_start and snapshots_enabled() else None
        if self.ox is not None:
            self.snapshot = snapshot_path(dataset.data, self.files)
            threading.Thread(target=self._move_to_memory, name="chosaku-store-load", daemon=True).start()
            return
        self.ox = self._loaded()
        self.in_memory.set()
        if warm_start:
            build_in_background(dataset.data, self.files)

    @property
    def files(self) -> list:
        """The N-Quads files the store holds: the ontology's and each case's."""
        return [self.dataset.ontology_file] + [entry.cache for entry in self.dataset.cases]

    @property
    def on_disk(self) -> bool:
        """Whether answers come from the snapshot on disk (while the store loads into memory)."""
        return self.snapshot is not None

    def _loaded(self) -> ox.Store:
        store = ox.Store()
        load_quads(store, self.files)
        return store

    def _move_to_memory(self) -> None:
        """Load the files into memory and answer from there once they are all in (if the load
        fails, as when a cache file was removed meanwhile, answers stay on the snapshot)."""
        try:
            loaded = self._loaded()
            with self.lock:
                if self.on_disk:  # (a change may have moved the store to memory meanwhile)
                    self.ox, self.snapshot = loaded, None
        finally:
            self.in_memory.set()  # (queries waiting for memory go on either way)

    def _reader(self) -> ox.Store:
        """The store to read; a forked process (query.py) opens the snapshot afresh rather than use
        the database handle it inherited, whose locks and threads stayed with the parent."""
        snapshot, store = self.snapshot, self.ox
        if snapshot is not None and os.getpid() != self._opened_by:
            store = ox.Store.read_only(str(snapshot))
        return store

    def execute(self, text, form, *, limit, default_graphs=None, named_graphs=None, timeout=None):
        """Run a checked query on the in-memory store; at most `limit` rows or triples."""
        options = {}
        # the dataset's default graphs: their union is the store's own default graph
        if default_graphs is not None and not _same_graphs(default_graphs, self.dataset.default_graphs):
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or [NO_GRAPH]]
        # every graph the store holds: not listed (pyoxigraph answers several times faster without a list)
        if named_graphs is not None and not _same_graphs(named_graphs, self.dataset.graph_names):
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        answer = self._reader().query(text, **options)
        if form == "ASK":
            return QueryResult(form, boolean=bool(answer))
        if form == "SELECT":
            variables = [v.value for v in answer.variables]
            rows = []
            for solution in answer:
                if len(rows) == limit:
                    return QueryResult(form, variables, rows, truncated=True)
                rows.append(tuple(term_from_oxigraph(solution[v]) for v in variables))
            return QueryResult(form, variables, rows)
        triples = []
        for triple in answer:
            if len(triples) == limit:
                return QueryResult(form, triples=triples, truncated=True)
            triples.append(tuple(term_from_oxigraph(t) for t in (triple.subject, triple.predicate, triple.object)))
        return QueryResult(form, triples=triples)

    def replace_graphs(self, quads_by_graph, drop=(), default_graphs=None):
        """Replace and drop graphs, and write the union of `default_graphs` (the dataset's default
        graphs once changed; by default, as they are) as the store's default graph, in one SPARQL
        Update (one transaction)."""
        union = union_update_text(self.dataset.default_graphs if default_graphs is None else default_graphs)
        with self.lock:
            if self.on_disk:  # a snapshot is read-only: the changed dataset lives in memory
                self.ox, self.snapshot = self._loaded(), None
            self.ox.update(update_text(quads_by_graph, drop) + " ;\n" + union)

    def __len__(self) -> int:
        """The quads of the dataset's graphs (the union written as the default graph not counted)."""
        return len(self.ox) - sum(1 for _ in self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))
