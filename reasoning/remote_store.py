"""A remote SPARQL 1.1 store by URL (Fuseki, GraphDB, Virtuoso) as the dataset's store: queries
over HTTP with the time limit as the client's timeout, and case graphs sent once each."""

from __future__ import annotations

import hashlib
import json
import math

from rdflib import Graph

from .atomic import atomic_write
from .case_cache import graphs_of
from .dataset import ONTOLOGY_GRAPH, CaseEntry, Dataset, StoreError
from .dataset_build import build_dataset
from .query_result import QueryResult, term_from_json
from .store import Store, update_text


class RemoteStore(Store):
    """A SPARQL 1.1 store reached by URL (query endpoint; update endpoint for saving).

    The local data directory records which case graphs were sent, so each is sent once."""

    def __init__(self, dataset: Dataset, query_url: str, update_url: str | None = None):
        super().__init__(dataset)
        self.query_url = query_url
        self.update_url = update_url or default_update_url(query_url)
        self.marker = dataset.data / f"remote-{hashlib.sha256(query_url.encode()).hexdigest()[:16]}.json"

    def _client(self, url: str, timeout: float | None):
        from SPARQLWrapper import POST, SPARQLWrapper

        client = SPARQLWrapper(url, updateEndpoint=self.update_url)
        client.setMethod(POST)
        client.setOnlyConneg(True)
        if timeout:
            client.setTimeout(max(1, math.ceil(timeout)))
        return client

    def execute(self, text, form, *, limit, default_graphs=None, named_graphs=None, timeout=None):
        """Send a checked query to the store; at most `limit` rows or triples are kept."""
        from SPARQLWrapper import JSON, N3

        client = self._client(self.query_url, timeout)
        client.setQuery(text)
        for graph in default_graphs or []:
            client.addDefaultGraph(graph)
        for graph in named_graphs or []:
            client.addNamedGraph(graph)
        try:
            if form in ("SELECT", "ASK"):
                client.setReturnFormat(JSON)
                answer = client.queryAndConvert()
            else:
                client.setReturnFormat(N3)
                answer = client.query().response.read()
        except Exception as exc:  # SPARQLWrapper raises urllib and its own exception types
            raise StoreError(f"the SPARQL store at {self.query_url} did not answer the query: {exc}") from exc
        if form == "ASK":
            return QueryResult(form, boolean=bool(answer["boolean"]))
        if form == "SELECT":
            variables = list(answer["head"].get("vars", []))
            bindings = answer["results"]["bindings"]
            rows = [tuple(term_from_json(b.get(v)) for v in variables) for b in bindings[:limit]]
            return QueryResult(form, variables, rows, truncated=len(bindings) > limit)
        graph = Graph().parse(data=answer, format="turtle")
        triples = list(graph)
        return QueryResult(form, triples=triples[:limit], truncated=len(triples) > limit)

    def replace_graphs(self, quads_by_graph, drop=()):
        """Replace and drop graphs with one SPARQL Update request."""
        client = self._client(self.update_url, None)
        client.setQuery(update_text(quads_by_graph, drop))
        try:
            with self.lock:
                client.query()
        except Exception as exc:
            raise StoreError(f"the SPARQL store at {self.update_url} refused the update: {exc}") from exc

    def sync(self) -> int:
        """Send the graphs of cases the remote store does not hold yet (or holds in an older form)
        and drop the graphs of cases that are gone. Returns the number of files sent."""
        sent = json.loads(self.marker.read_text(encoding="utf-8")) if self.marker.exists() else {}
        files = {self.dataset.ontology_file.name: self.dataset.ontology_file}
        files.update({entry.cache.name: entry.cache for entry in self.dataset.cases})
        wanted = {self.dataset.ontology_file.name: [str(ONTOLOGY_GRAPH)]}
        wanted.update({entry.cache.name: entry.graphs for entry in self.dataset.cases})
        new = [name for name in files if name not in sent]
        keep = {graph for graphs in wanted.values() for graph in graphs}
        stale = sorted({graph for graphs in sent.values() for graph in graphs} - keep)
        for name in new:
            self.replace_graphs(graphs_of(files[name]))
        if stale:
            self.replace_graphs({}, drop=stale)
        if new or stale:
            atomic_write(self.marker, json.dumps(wanted, indent=1).encode("utf-8"))
        return len(new)

    def load_case(self, entry: CaseEntry) -> None:
        """Send one case's graphs (and drop what it no longer has)."""
        self.dataset.cases = [e for e in self.dataset.cases if e.id != entry.id] + [entry]
        self.sync()

    def refresh(self) -> bool:
        """Re-read the case files and send what changed."""
        self.dataset = build_dataset(self.dataset.data, self.dataset.cases_dir)
        return self.sync() > 0


def default_update_url(query_url: str) -> str:
    """The update endpoint of a store given its query endpoint: Fuseki's `/query` or `/sparql`
    becomes `/update`; other stores (Virtuoso, GraphDB's /statements aside) take updates at the
    same URL. Set CHOSAKU_STORE_UPDATE_URL when yours differs."""
    for suffix in ("/query", "/sparql"):
        if query_url.rstrip("/").endswith(suffix):
            return query_url.rstrip("/")[: -len(suffix)] + "/update"
    return query_url
