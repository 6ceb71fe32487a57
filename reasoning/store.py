"""The interface the dataset's stores share (embedded_store.EmbeddedStore, remote_store.RemoteStore):
running a checked query, and replacing a case's graphs in one transaction. open_store.py picks one."""

from __future__ import annotations

import threading
from dataclasses import replace

from .case_cache import graphs_of
from .dataset import CaseEntry, Dataset
from .dataset_build import build_dataset
from .query_result import QueryResult


class Store:
    """The interface both stores share. `execute` runs one query in-process (query.py adds the
    checks, the timeout and the formats); `replace_graphs` replaces graphs in one transaction."""

    forkable = False  # may a query run in a forked child (query.py) rather than with a client timeout

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.lock = threading.RLock()  # held while the store changes and while forking

    @property
    def default_graphs(self) -> list[str]:
        """The graphs whose union is a query's default graph."""
        return self.dataset.default_graphs

    @property
    def graph_names(self) -> list[str]:
        """Every named graph of the dataset."""
        return self.dataset.graph_names

    def execute(self, text: str, form: str, *, limit: int, default_graphs=None, named_graphs=None,
                timeout: float | None = None) -> QueryResult:
        """Run a checked query (prefixes declared) and return at most `limit` rows or triples."""
        raise NotImplementedError

    def replace_graphs(self, quads_by_graph: dict[str, str], drop: list[str] = (),
                       default_graphs: list[str] | None = None) -> None:
        """Replace the named graphs (N-Triples text per graph) and drop others, in one transaction.
        `default_graphs`: the dataset's default graphs once changed (None: as they are), for a
        store that keeps their union (the embedded store; a remote store keeps its own, store_union.py)."""
        raise NotImplementedError

    def load_case(self, entry: CaseEntry) -> None:
        """Put (or replace) one case's graphs in the store, in one transaction."""
        graphs = graphs_of(entry.cache)
        old = [name for e in self.dataset.cases if e.id == entry.id for name in e.graphs if name not in graphs]
        cases = [e for e in self.dataset.cases if e.id != entry.id] + [entry]
        self.replace_graphs(graphs, drop=old, default_graphs=replace(self.dataset, cases=cases).default_graphs)
        self.dataset.cases = cases

    def refresh(self) -> bool:
        """Bring the store up to date with the case files (cases saved or changed since it was
        opened), in one transaction. Returns whether anything changed."""
        fresh = build_dataset(self.dataset.data, self.dataset.cases_dir)
        old = {entry.id: entry for entry in self.dataset.cases}
        new = {entry.id: entry for entry in fresh.cases}
        changed = [entry for case_id, entry in new.items() if case_id not in old or old[case_id].cache != entry.cache]
        graphs = {}
        for entry in changed:
            graphs.update(graphs_of(entry.cache))
        drop = [name for case_id, entry in old.items() for name in entry.graphs
                if (case_id not in new or new[case_id] in changed) and name not in graphs]
        if not graphs and not drop:
            return False
        self.replace_graphs(graphs, drop=drop, default_graphs=fresh.default_graphs)
        self.dataset = fresh
        return True


def update_text(quads_by_graph: dict[str, str], drop=()) -> str:
    """One SPARQL Update request that drops and re-inserts each graph (applied as one transaction)."""
    parts = [f"DROP SILENT GRAPH <{name}>" for name in list(drop) + list(quads_by_graph)]
    parts += [f"INSERT DATA {{ GRAPH <{name}> {{\n{triples}\n}} }}" for name, triples in quads_by_graph.items()]
    return " ;\n".join(parts)
