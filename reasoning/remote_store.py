"""A remote SPARQL 1.1 store by URL (Fuseki, the Oxigraph server, Virtuoso, others) as the
dataset's store.

- Queries name their dataset explicitly (`default-graph-uri` and `named-graph-uri`; to Virtuoso
  as `define input:…-graph-uri` pragmas in the query text, see store_endpoints.py), so a query
  sees the same default graph and the same named graphs as on the embedded store, whatever the
  server's own default graph is. The named graphs go only with a query that has the word GRAPH
  (no other query can reach them); a list longer than the store takes is refused with the limit.
- Graphs are written whole with the Graph Store Protocol (one PUT of N-Triples per case graph,
  blank nodes skolemised), or with `application/sparql-update` bodies on a store without it.
- The store's manifest graph (store_manifest.py) says which cases it holds, in which version: a
  client sends only what the store lacks, and queries every case the manifest lists, including
  those other clients saved. A case whose upload fails is left out of the manifest (and named in
  a warning), and sent again by the next client that has it; the store stays usable.
- `read_only`: nothing is written; the cases are those of the manifest (or, on a store without
  one, the dataset's graphs found in it).
- A time limit is sent to the server where it takes one (Fuseki, Virtuoso), besides the client's.
- A store that asks for credentials gets the user and password given (store_http.py)."""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode

from rdflib import Graph

from .dataset import ONTOLOGY_GRAPH, CaseEntry, StoreError
from .dataset_build import build_dataset
from .namespaces import CASE
from .query_check import without_literals
from .query_result import QueryResult, term_from_json
from .store import Store
from .store_endpoints import StoreEndpoints
from .store_http import StoreClient
from .store_manifest import (MANIFEST_QUERY, ONTOLOGY_ENTRY, Entry, cache_key, case_entry, entries_from_rows,
                             graph_bodies, local_entries, remove_text, write_text)
from .store_union import (UNION_GRAPH, UNION_MARK_ASK, UNION_MARK_WRITE, union_add_text,
                          union_remove_text)

WRITE_TIMEOUT = 300.0
# a GRAPH pattern cannot be written without this keyword (in any case) outside strings, IRIs and
# comments; a prefixed name such as ex:graph only makes the named graphs be sent
GRAPH_WORD = re.compile(r"\bgraph\b", re.IGNORECASE)
# what an IRI written as <…> may not contain (SPARQL's IRIREF)
IRI_REFUSED = re.compile(r'[<>"{}|^`\\\x00-\x20]')
GRAPH_MEDIA = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
               "application/rdf+xml": "xml", "application/ld+json": "json-ld"}


def dataset_pragmas(default_graphs, named_graphs) -> str:
    """Virtuoso's pragmas naming a query's dataset, to put before its text (Virtuoso takes them
    as it takes default-graph-uri / named-graph-uri, without their per-parameter cost)."""
    lines = []
    for kind, names in (("default", default_graphs), ("named", named_graphs)):
        for name in names:
            if IRI_REFUSED.search(name):
                raise StoreError(f"the graph name {name!r} cannot be written as an IRI in a query (it holds a space "
                                 f"or one of <>\"{{}}|^`\\); the query is not sent",
                                 f"グラフ名 {name!r} はクエリ中のIRIとして書けません（空白又は <>\"{{}}|^`\\ を含む）。クエリは送信していません")
            lines.append(f"define input:{kind}-graph-uri <{name}>\n")
    return "".join(lines)


class RemoteStore(Store):
    """A SPARQL 1.1 store reached by URL; the store's manifest lists the cases it holds."""

    def __init__(self, dataset, endpoints: StoreEndpoints, read_only: bool = False, user: str | None = None,
                 password: str | None = None):
        super().__init__(dataset)
        self.endpoints = endpoints
        self.client = StoreClient([u for u in (endpoints.query_url, endpoints.update_url, endpoints.gsp_url) if u],
                                  user, password)
        self.read_only = read_only
        self.entries: dict[str, Entry] = {}  # the store's manifest, as last read (and written)
        self.union = False           # queries name the union graph as their default graph (store_union.py)
        self.keeps_union = False     # writes keep the union graph (the store is marked, or being marked)

    @property
    def query_url(self) -> str:
        return self.endpoints.query_url

    @property
    def update_url(self) -> str:
        return self.endpoints.update_url

    # --- the dataset of queries: what the store holds -------------------------------------------

    @property
    def default_graphs(self) -> list[str]:
        """The ontology and every case the store holds, as written."""
        cases = sorted((e for e in self.entries.values() if e.id != ONTOLOGY_ENTRY), key=lambda e: e.id)
        return [str(ONTOLOGY_GRAPH)] + [e.default_graph for e in cases]

    @property
    def graph_names(self) -> list[str]:
        """Every graph of the cases the store holds (and the ontology's)."""
        names = [str(ONTOLOGY_GRAPH)]
        for entry in sorted(self.entries.values(), key=lambda e: e.id):
            names += [g for g in entry.graphs if g != str(ONTOLOGY_GRAPH)]
        return names

    @property
    def cases(self) -> list[CaseEntry]:
        """The cases the store holds (the source of truth), as the dataset's entries."""
        return [c for c in (case_entry(e) for e in sorted(self.entries.values(), key=lambda e: e.id)) if c]

    # --- HTTP -------------------------------------------------------------------------------------

    def _writable(self) -> None:
        """Refuse a write to a store opened read-only."""
        if self.read_only:
            raise StoreError(f"the store at {self.query_url} was opened read-only; nothing is written to it",
                             f"ストア {self.query_url} は読み取り専用で開かれています。何も書き込みません")

    def update(self, text: str) -> None:
        """Send one SPARQL Update request (an application/sparql-update body) to the store."""
        self._writable()
        self.client.request("POST", self.update_url, text.encode("utf-8"),
                            {"Content-Type": "application/sparql-update; charset=utf-8"}, WRITE_TIMEOUT)

    def _put_graph(self, name: str, ntriples: bytes) -> None:
        """Replace one graph: a Graph Store Protocol PUT, or DROP + INSERT DATA without GSP."""
        self._writable()
        if self.endpoints.gsp_url:
            url = f"{self.endpoints.gsp_url}?{urlencode({'graph': name})}"
            self.client.request("PUT", url, ntriples, {"Content-Type": "application/n-triples"}, WRITE_TIMEOUT)
        else:
            self.update(f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n"
                        f"{ntriples.decode('utf-8')}\n}} }}")

    def _drop_graph(self, name: str) -> None:
        self.update(f"DROP SILENT GRAPH <{name}>")

    # --- queries ----------------------------------------------------------------------------------

    def _dataset(self, text: str, form: str, default_graphs, named_graphs) -> tuple[list[str], list[str]]:
        """The graph lists to send: the named graphs only to a query that can reach them (a
        GRAPH pattern needs the word GRAPH; DESCRIBE is left to the store); in the union layout
        the whole default graph as the union graph. Each list is checked against the store's limit."""
        default_graphs, named_graphs = list(default_graphs or []), list(named_graphs or [])
        if form != "DESCRIBE" and not GRAPH_WORD.search(without_literals(text)):
            named_graphs = []
        if self.union and default_graphs and set(default_graphs) == set(self.default_graphs):
            default_graphs = [UNION_GRAPH]
        limit = self.endpoints.max_graphs
        if limit is not None and max(len(default_graphs), len(named_graphs)) > limit:
            raise StoreError(
                f"the query's dataset names {len(default_graphs)} default and {len(named_graphs)} named graph(s), "
                f"but the {self.endpoints.kind} store at {self.query_url} takes at most {limit} graphs in each list "
                f"({len(self.cases)} cases in the store); name fewer graphs in the query (FROM / FROM NAMED), or "
                f"query the cases with the embedded store",
                f"クエリのデータセットは既定グラフ {len(default_graphs)} 個・名前付きグラフ {len(named_graphs)} 個ですが、"
                f"{self.endpoints.kind} ストア {self.query_url} は一覧あたり {limit} 個までしか受け付けません"
                f"（ストアの事例 {len(self.cases)} 件）。FROM / FROM NAMED でグラフを絞るか、組込みストアで検索してください")
        return default_graphs, named_graphs

    def _query(self, text: str, form: str, accept: str, default_graphs, named_graphs, timeout):
        default_graphs, named_graphs = self._dataset(text, form, default_graphs, named_graphs)
        if self.endpoints.dataset_pragmas:
            text = dataset_pragmas(default_graphs, named_graphs) + text
            default_graphs = named_graphs = []
        params = [("query", text)]
        params += [("default-graph-uri", g) for g in default_graphs]
        params += [("named-graph-uri", g) for g in named_graphs]
        if timeout and self.endpoints.timeout_param:
            params.append((self.endpoints.timeout_param, str(max(1, math.ceil(timeout / self.endpoints.timeout_unit)))))
        status, headers, body = self.client.request(
            "POST", self.query_url, urlencode(params).encode("utf-8"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            (timeout + 5) if timeout else WRITE_TIMEOUT)
        if headers.get("X-SQL-State"):  # Virtuoso's "anytime" answer: partial, cut at its time limit
            raise StoreError(f"the SPARQL store at {self.query_url} timed out and sent a partial answer "
                             f"({headers.get('X-SQL-State')}: {headers.get('X-SQL-Message', '')})",
                             f"SPARQLストア {self.query_url} が時間切れとなり、不完全な回答を返しました")
        return headers, body

    def execute(self, text, form, *, limit, default_graphs=None, named_graphs=None, timeout=None):
        """Send a checked query with its dataset; at most `limit` rows or triples are kept."""
        import json

        if form in ("SELECT", "ASK"):
            _, body = self._query(text, form, "application/sparql-results+json", default_graphs, named_graphs, timeout)
            try:
                answer = json.loads(body)
            except ValueError as exc:
                raise StoreError(f"the SPARQL store at {self.query_url} sent no SPARQL JSON results: "
                                 f"{body[:200]!r}",
                                 f"SPARQLストア {self.query_url} の回答がSPARQL JSON結果形式ではありません") from exc
            if form == "ASK":
                return QueryResult(form, boolean=bool(answer["boolean"]))
            variables = list(answer["head"].get("vars", []))
            bindings = answer["results"]["bindings"]
            rows = [tuple(term_from_json(b.get(v)) for v in variables) for b in bindings[:limit]]
            return QueryResult(form, variables, rows, truncated=len(bindings) > limit)
        headers, body = self._query(text, form, "application/n-triples, text/turtle;q=0.9", default_graphs,
                                    named_graphs, timeout)
        media = (headers.get("Content-Type") or "text/turtle").split(";")[0].strip().lower()
        graph = Graph().parse(data=body.decode("utf-8"), format=GRAPH_MEDIA.get(media, "turtle"))
        triples = list(graph)
        return QueryResult(form, triples=triples[:limit], truncated=len(triples) > limit)

    # --- the manifest and sending cases -----------------------------------------------------------

    def read_manifest(self) -> dict[str, Entry]:
        """The store's manifest (empty for a store that has none)."""
        result = self.execute(MANIFEST_QUERY, "SELECT", limit=10_000_000, timeout=60)
        return entries_from_rows(result.rows)

    def _discover(self) -> dict[str, Entry]:
        """The dataset's graphs in a store without a manifest (one loaded by hand from a dump)."""
        result = self.execute("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT",
                              limit=10_000_000, default_graphs=None, timeout=60)
        names = sorted(str(row[0]) for row in result.rows if row[0] is not None)
        entries: dict[str, Entry] = {}
        if str(ONTOLOGY_GRAPH) in names:
            entries[ONTOLOGY_ENTRY] = Entry(ONTOLOGY_ENTRY, "", str(ONTOLOGY_GRAPH), [str(ONTOLOGY_GRAPH)], "ontology")
        for name in names:
            if name.startswith(str(CASE)) and "/position/" not in name:
                case_id = name[len(str(CASE)):]
                graphs = [name] + [g for g in names if g.startswith(name + "/position/")]
                entries[case_id] = Entry(case_id, "", name, graphs, "remote")
        return entries

    def _send(self, entry: Entry, cache, old: Entry | None, manifest: dict[str, Entry]) -> None:
        """Put one case's graphs in the store: its manifest entry removed first, written last; in
        the union layout its old triples taken out of the union graph before its graphs are
        replaced, its new ones copied in (store_union.py)."""
        if old is not None:
            self.update(remove_text(entry.id))
            manifest.pop(entry.id, None)
        if self.keeps_union:
            self.update(union_remove_text(entry.default_graph))
        for name, body in graph_bodies(cache).items():
            self._put_graph(name, body)
        for name in (old.graphs if old else []):
            if name not in entry.graphs:
                self._drop_graph(name)
        if self.keeps_union:
            self.update(union_add_text(entry.default_graph))
        self.update(write_text(entry))
        manifest[entry.id] = entry
        if self.keeps_union:
            self.update(union_add_text(entry.default_graph))

    def _union_layout(self, manifest: dict[str, Entry]) -> None:
        """Whether the store keeps the union graph (its manifest's mark); a writable client that
        wants the union layout on an unmarked store builds the union graph from the cases listed
        and marks the store once it is whole. A build that fails leaves the store unmarked (the
        dataset listed with every query) and is named in the dataset's problems."""
        self.union = self.keeps_union = self.execute(UNION_MARK_ASK, "ASK", limit=1, timeout=60).boolean
        if self.union or self.read_only or self.endpoints.layout != "union":
            return
        self.keeps_union = True
        try:
            self._drop_graph(UNION_GRAPH)  # what an earlier, unfinished build left
            for entry in manifest.values():
                self.update(union_add_text(entry.default_graph))
        except StoreError as exc:
            self.keeps_union = False
            self.dataset.problems.append(f"warning: the union graph could not be built in the store at "
                                         f"{self.query_url}; queries name every graph instead: {exc}")

    def _mark_union(self) -> None:
        """Mark the store as keeping the union graph, once it holds every listed case."""
        if self.keeps_union and not self.union:
            try:
                self.update(UNION_MARK_WRITE)
                self.union = True
            except StoreError as exc:
                self.dataset.problems.append(f"warning: the store at {self.query_url} was not marked as keeping the "
                                             f"union graph; queries name every graph instead: {exc}")

    def sync(self) -> int:
        """Send the cases (and the ontology) the store lacks or holds in another version; read
        which cases the store holds. Returns the number of cases sent. A case the store refuses
        is named in the dataset's problems and left out; the others are sent."""
        manifest = self.read_manifest()
        self._union_layout(manifest)
        local = local_entries(self.dataset)
        stale = [i for i, (entry, _) in local.items() if i not in manifest or manifest[i].key != entry.key]
        sent = 0
        if self.read_only:
            if not manifest:
                manifest = self._discover()
            missing = [i for i in stale if i not in manifest]
            if missing:
                self.dataset.problems.append(
                    f"warning: the store at {self.query_url} is read-only and lacks {len(missing)} local case(s) "
                    f"({', '.join(sorted(missing)[:5])}{' …' if len(missing) > 5 else ''}); they are left out")
        else:
            for case_id in stale:
                entry, cache = local[case_id]
                try:
                    self._send(entry, cache, manifest.get(case_id), manifest)
                    sent += 1
                except StoreError as exc:
                    self.dataset.problems.append(
                        f"warning: case '{case_id}' was not sent to the store and is left out of it until a later "
                        f"sync succeeds: {exc}")
            self._mark_union()
        self.entries = manifest
        return sent

    def load_case(self, entry: CaseEntry) -> None:
        """Send one saved case to the store (its local files are already written). When the store
        refuses it, the store still holds the case's previous version or nothing, never a part."""
        if self.read_only:
            raise StoreError(f"the case '{entry.id}' was saved locally ({entry.path}) but not sent: the store at "
                             f"{self.query_url} was opened read-only",
                             f"事例「{entry.id}」はローカルに保存しましたが（{entry.path}）、ストア {self.query_url} は"
                             "読み取り専用で開かれているため送信していません")
        new = Entry(entry.id, cache_key(entry.cache), entry.default_graph, list(entry.graphs), entry.origin,
                    entry.position)
        with self.lock:
            try:
                self._send(new, entry.cache, self.entries.get(entry.id), self.entries)
            except StoreError as exc:
                raise StoreError(f"the case '{entry.id}' was saved locally ({entry.path}) but the store did not take "
                                 f"it; the store does not list it, and it is sent again at the next sync: {exc}",
                                 f"事例「{entry.id}」はローカルに保存しましたが（{entry.path}）、ストアが受け付けませんでした。"
                                 f"次回の同期で再送します: {exc.message_ja if isinstance(exc, StoreError) else exc}") from exc
            self.dataset.cases = [e for e in self.dataset.cases if e.id != entry.id] + [entry]

    def refresh(self) -> bool:
        """Re-read the case files and the store's manifest; send what changed. Returns whether
        the dataset of queries changed."""
        with self.lock:
            before = {i: e.key for i, e in self.entries.items()}
            self.dataset = build_dataset(self.dataset.data, self.dataset.cases_dir)
            self.sync()
            return before != {i: e.key for i, e in self.entries.items()}

    def replace_graphs(self, quads_by_graph, drop=(), default_graphs=None):
        """Replace graphs (N-Triples text per graph) and drop others, one request per graph. The
        graphs only: the manifest and the union graph are kept by the case paths (sync, load_case)."""
        for name, text in quads_by_graph.items():
            self._put_graph(name, (text + "\n").encode("utf-8"))
        for name in drop:
            self._drop_graph(name)
