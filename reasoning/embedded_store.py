"""The embedded store: pyoxigraph in memory, loaded from the data directory's N-Quads files
(chosen over rdflib's memory store by measured speed, see benchmarks/store_choice.py). Blank nodes
are skolemised as a remote store receives them (skolem.py), so both answer alike."""

from __future__ import annotations

import gzip

import pyoxigraph as ox

from .dataset import Dataset
from .query_result import QueryResult, term_from_oxigraph
from .skolem import skolemise
from .store import Store, update_text


class EmbeddedStore(Store):
    """pyoxigraph in memory, loaded from the data directory's N-Quads files."""

    forkable = True

    def __init__(self, dataset: Dataset):
        super().__init__(dataset)
        self.ox = ox.Store()
        for path in [dataset.ontology_file] + [entry.cache for entry in dataset.cases]:
            with gzip.open(path, "rb") as handle:
                self.ox.bulk_load(input=skolemise(handle.read()), format=ox.RdfFormat.N_QUADS)

    def execute(self, text, form, *, limit, default_graphs=None, named_graphs=None, timeout=None):
        """Run a checked query on the in-memory store; at most `limit` rows or triples."""
        options = {}
        if default_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs] or ox.DefaultGraph()
        if named_graphs is not None and not self._all_graphs(named_graphs):
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        answer = self.ox.query(text, **options)
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

    def _all_graphs(self, names) -> bool:
        """Whether `names` are all the graphs the store holds: then the named graphs need not be
        listed (pyoxigraph answers several times faster without an explicit list)."""
        held = self.dataset.graph_names
        return len(names) == len(held) and set(names) == set(held)

    def replace_graphs(self, quads_by_graph, drop=()):
        """Replace and drop graphs in one SPARQL Update (one transaction)."""
        with self.lock:
            self.ox.update(update_text(quads_by_graph, drop))

    def __len__(self) -> int:
        return len(self.ox)
