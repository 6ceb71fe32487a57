"""The researchers' dataset: the ontology and every evaluated case as one RDF dataset.

Named graphs (see queries/README.md):

- `<https://w3id.org/chosaku-kg/ns>`: the ontology (every module except the shapes);
- `case:<id>`: a case evaluated as written (its own `position`, `seeds` by default): its facts,
  the inferences and one `rdf:Statement` per inferred triple naming the rule that made it;
- `case:<id>/position/<key>`: the same case re-evaluated under each other interpretive position.

The default graph of a query is the union of the ontology and the `case:<id>` graphs, so a query
without `GRAPH` sees every case once, under its own position; the other positions are reached
with `GRAPH`. The cases are the shipped library (`cases/`) and the cases users saved
(`<data>/saved/`). Evaluated graphs are cached as gzipped N-Quads under `<data>/cache/`, one file per case
keyed by a hash of the case file, the ontology and the engine, so a case is evaluated again only
when it or the engine changed. Every file is written atomically (temporary file + os.replace).

Two stores share this interface: `EmbeddedStore` (pyoxigraph in memory, loaded from the data
directory; chosen over rdflib's memory store by measured speed) and `RemoteStore` (any SPARQL 1.1
store by URL: Fuseki, GraphDB, Virtuoso).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import sys
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .errors import ChosakuError
from .namespaces import BASE, CASE, KG
from .oxrdf import to_ox, to_rdflib
from .resources import cases_dir, data_dir, ontology_dir

ONTOLOGY_GRAPH = URIRef(BASE + "ns")
CASE_SUFFIXES = (".yaml", ".yml", ".json", ".ttl")
CACHE_FORMAT = "1"
HEADER_MARK = "# chosaku-kg case graphs: "
PARALLEL_FROM = 8  # evaluate in worker processes when at least this many cases are new


class StoreError(ChosakuError):
    """The dataset cannot be built, read or updated."""


# --- atomic files --------------------------------------------------------------------------------

def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves either the old file or the new one, whole.

    The bytes go to a temporary file in the same directory, are flushed to disk, and the file
    then replaces `path` with os.replace (atomic on POSIX and Windows)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


# --- graph names and the engine fingerprint ------------------------------------------------------

def case_graph_name(case_id: str, position: str | None = None) -> URIRef:
    """`case:<id>` for a case as written; `case:<id>/position/<key>` for another position."""
    return URIRef(f"{CASE}{case_id}" + (f"/position/{position}" if position else ""))


def _hash_files(digest, paths) -> None:
    for path in paths:
        digest.update(str(path.name).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")


def _pipeline_modules() -> list[Path]:
    """The engine's modules an evaluation runs: evaluate.py and what it imports, transitively
    (read from the import statements, so the list follows the code)."""
    import ast

    package = Path(__file__).resolve().parent
    seen, pending = set(), ["evaluate", "store"]
    while pending:
        name = pending.pop()
        path = package / f"{name}.py"
        if name in seen or not path.exists():
            continue
        seen.add(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                pending += [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
    return sorted(package / f"{name}.py" for name in seen)


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A hash of everything an evaluation depends on besides the case: the ontology and the
    engine's modules. Computed once per process: it describes the engine this process runs."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    _hash_files(digest, sorted(ontology_dir().rglob("*.ttl")))
    _hash_files(digest, _pipeline_modules())
    return digest.hexdigest()


def positions() -> list[str]:
    """The interpretive positions the ontology defines (kg:positionKey), in a stable order."""
    from .ontology_graph import load_ontology

    return sorted(str(key) for key in load_ontology().objects(None, KG.positionKey))


# --- evaluating cases into N-Quads ---------------------------------------------------------------

def _nquads(graph, name: URIRef) -> str:
    """An rdflib graph as N-Quads lines in the named graph `name`."""
    graph_name = ox.NamedNode(str(name))
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph_name) for s, p, o in graph]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")


def evaluate_case_graphs(source) -> tuple[dict, str]:
    """Evaluate a scenario as written and under each other position.

    Returns (header, N-Quads text): the header names the case id, its default graph and all its
    graphs. Raises ScenarioError or ValidationError for a scenario that cannot be evaluated."""
    from .evaluate import evaluate

    result = evaluate(source)
    case_id, own = result.data["id"], result.data.get("position")
    graphs = {str(case_graph_name(case_id)): result.graph}
    for position in positions():
        if position != own:
            graphs[str(case_graph_name(case_id, position))] = evaluate(source, position=position).graph
    header = {"id": case_id, "position": own, "default": str(case_graph_name(case_id)), "graphs": list(graphs)}
    return header, "".join(_nquads(graph, URIRef(name)) for name, graph in graphs.items())


def _cache_bytes(header: dict, quads: str) -> bytes:
    text = HEADER_MARK + json.dumps(header, ensure_ascii=False) + "\n" + quads
    return gzip.compress(text.encode("utf-8"), compresslevel=3, mtime=0)


def _read_header(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        first = handle.readline()
    if not first.startswith(HEADER_MARK):
        raise StoreError(f"{path}: not a case cache file (its first line must start with '{HEADER_MARK}')")
    return json.loads(first[len(HEADER_MARK):])


def _evaluate_to_cache(job: tuple[str, str]) -> tuple[str, str | None]:
    """Worker: evaluate one case file into its cache file. Returns (path, error message or None)."""
    case_path, cache_path = job
    from .errors import ScenarioError, ValidationError

    try:
        header, quads = evaluate_case_graphs(Path(case_path))
    except (ScenarioError, ValidationError) as exc:
        return case_path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    header["file"] = Path(case_path).name
    atomic_write(Path(cache_path), _cache_bytes(header, quads))
    return case_path, None


# --- the dataset: which cases, which graphs ------------------------------------------------------

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


def _ontology_file(cache: Path, fingerprint: str) -> Path:
    path = cache / f"ontology-{fingerprint[:24]}.nq.gz"
    if not path.exists():
        from .ontology_graph import load_ontology

        header = {"id": None, "default": str(ONTOLOGY_GRAPH), "graphs": [str(ONTOLOGY_GRAPH)]}
        atomic_write(path, _cache_bytes(header, _nquads(load_ontology(), ONTOLOGY_GRAPH)))
    return path


def build_dataset(data: Path | None = None, cases: Path | None = None, progress=None) -> Dataset:
    """Make sure every shipped and saved case has an up-to-date cache file; return the dataset.

    Cases whose file or engine changed are evaluated (in worker processes when there are many).
    A case that cannot be evaluated is left out and named in `problems`. Two cases with the same
    id are an error."""
    data = Path(data) if data is not None else data_dir()
    cache = data / "cache"
    fingerprint = engine_fingerprint()
    dataset = Dataset(ontology_file=_ontology_file(cache, fingerprint), data=data,
                      cases_dir=Path(cases) if cases is not None else None)
    sources = [(path, "shipped") for path in case_files(Path(cases) if cases is not None else cases_dir())]
    sources += [(path, "saved") for path in case_files(saved_dir(data))]
    keyed = []
    for path, origin in sources:
        key = hashlib.sha256(fingerprint.encode() + b"\0" + path.read_bytes()).hexdigest()[:32]
        keyed.append((path, origin, cache / f"case-{key}.nq.gz"))
    missing = [(str(path), str(cached)) for path, _, cached in keyed if not cached.exists()]
    if missing and progress:
        progress(f"evaluating {len(missing)} case(s) into {cache} ...")
    failures = dict(_evaluate_all(missing))
    seen: dict[str, Path] = {}
    for path, origin, cached in keyed:
        if failures.get(str(path)):
            dataset.problems.append(f"{path}: left out of the dataset: {failures[str(path)]}")
            continue
        header = _read_header(cached)
        if header["id"] in seen:
            raise StoreError(f"case id '{header['id']}' is used by both {seen[header['id']]} and {path}; "
                             "every case needs its own id")
        seen[header["id"]] = path
        dataset.cases.append(CaseEntry(id=header["id"], origin=origin, path=path, cache=cached,
                                       default_graph=header["default"], graphs=header["graphs"],
                                       position=header.get("position")))
    if missing:
        _prune(cache, {dataset.ontology_file} | {entry.cache for entry in dataset.cases})
    return dataset


def _evaluate_all(jobs: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
    """Evaluate cases into the cache: in forked workers when there are many, serially when few
    or when this process runs other threads (a server: forking it could copy a held lock)."""
    if (len(jobs) < PARALLEL_FROM or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2
            or threading.active_count() > 1):
        return [_evaluate_to_cache(job) for job in jobs]
    # Warm the parent (ontology, rule store) once so that every forked worker starts warm.
    first = _evaluate_to_cache(jobs[0])
    workers = min(os.cpu_count() or 2, 4)
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        return [first] + list(pool.map(_evaluate_to_cache, jobs[1:], chunksize=2))


def _prune(cache: Path, keep: set[Path], min_age_s: float = 600.0) -> None:
    """Remove cache files of older engines or removed cases (left alone while recent: another
    process with other case directories may be using them)."""
    import time

    now = time.time()
    for path in cache.glob("*.nq.gz"):
        try:
            if path not in keep and now - path.stat().st_mtime > min_age_s:
                path.unlink()
        except FileNotFoundError:
            pass


# --- query results (shared by both stores) ------------------------------------------------------

@dataclass
class QueryResult:
    """The answer to a query: rows of rdflib terms (SELECT), a boolean (ASK) or triples
    (CONSTRUCT / DESCRIBE). `truncated` is true when the row limit cut the answer short."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple] = field(default_factory=list)
    truncated: bool = False


def _plain(term):
    """A pyoxigraph term as an rdflib term, with xsd:string literals as simple literals."""
    if term is None:
        return None
    converted = to_rdflib(term)
    if isinstance(converted, Literal) and converted.datatype == XSD.string:
        return Literal(str(converted))
    return converted


# --- the stores ---------------------------------------------------------------------------------

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

    def replace_graphs(self, quads_by_graph: dict[str, str], drop: list[str] = ()) -> None:
        """Replace the named graphs (N-Triples text per graph) and drop others, in one transaction."""
        raise NotImplementedError

    def load_case(self, entry: CaseEntry) -> None:
        """Put (or replace) one case's graphs in the store, in one transaction."""
        graphs = _graphs_of(entry.cache)
        old = [name for e in self.dataset.cases if e.id == entry.id for name in e.graphs if name not in graphs]
        self.replace_graphs(graphs, drop=old)
        self.dataset.cases = [e for e in self.dataset.cases if e.id != entry.id] + [entry]

    def refresh(self) -> bool:
        """Bring the store up to date with the case files (cases saved or changed since it was
        opened), in one transaction. Returns whether anything changed."""
        fresh = build_dataset(self.dataset.data, self.dataset.cases_dir)
        old = {entry.id: entry for entry in self.dataset.cases}
        new = {entry.id: entry for entry in fresh.cases}
        changed = [entry for case_id, entry in new.items() if case_id not in old or old[case_id].cache != entry.cache]
        graphs = {}
        for entry in changed:
            graphs.update(_graphs_of(entry.cache))
        drop = [name for case_id, entry in old.items() for name in entry.graphs
                if (case_id not in new or new[case_id] in changed) and name not in graphs]
        if not graphs and not drop:
            return False
        self.replace_graphs(graphs, drop=drop)
        self.dataset = fresh
        return True


def _graphs_of(cache: Path) -> dict[str, str]:
    """The N-Triples text of each graph in a case cache file."""
    graphs: dict[str, list[str]] = {}
    with gzip.open(cache, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            body, name = line.rstrip().rsplit(" <", 1)
            graphs.setdefault(name[:-3], []).append(body + " .")
    return {name: "\n".join(lines) for name, lines in graphs.items()}


def update_text(quads_by_graph: dict[str, str], drop=()) -> str:
    """One SPARQL Update request that drops and re-inserts each graph (applied as one transaction)."""
    parts = [f"DROP SILENT GRAPH <{name}>" for name in list(drop) + list(quads_by_graph)]
    parts += [f"INSERT DATA {{ GRAPH <{name}> {{\n{triples}\n}} }}" for name, triples in quads_by_graph.items()]
    return " ;\n".join(parts)


class EmbeddedStore(Store):
    """pyoxigraph in memory, loaded from the data directory's N-Quads files."""

    forkable = True

    def __init__(self, dataset: Dataset):
        super().__init__(dataset)
        self.ox = ox.Store()
        for path in [dataset.ontology_file] + [entry.cache for entry in dataset.cases]:
            with gzip.open(path, "rb") as handle:
                self.ox.bulk_load(input=handle.read(), format=ox.RdfFormat.N_QUADS)

    def execute(self, text, form, *, limit, default_graphs=None, named_graphs=None, timeout=None):
        options = {}
        if default_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs] or ox.DefaultGraph()
        if named_graphs is not None:
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
                rows.append(tuple(_plain(solution[v]) for v in variables))
            return QueryResult(form, variables, rows)
        triples = []
        for triple in answer:
            if len(triples) == limit:
                return QueryResult(form, triples=triples, truncated=True)
            triples.append((_plain(triple.subject), _plain(triple.predicate), _plain(triple.object)))
        return QueryResult(form, triples=triples)

    def replace_graphs(self, quads_by_graph, drop=()):
        with self.lock:
            self.ox.update(update_text(quads_by_graph, drop))

    def __len__(self) -> int:
        return len(self.ox)


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
            rows = [tuple(_from_json(b.get(v)) for v in variables) for b in bindings[:limit]]
            return QueryResult(form, variables, rows, truncated=len(bindings) > limit)
        from rdflib import Graph

        graph = Graph().parse(data=answer, format="turtle")
        triples = list(graph)
        return QueryResult(form, triples=triples[:limit], truncated=len(triples) > limit)

    def replace_graphs(self, quads_by_graph, drop=()):
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
            self.replace_graphs(_graphs_of(files[name]))
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


def _from_json(binding):
    """A SPARQL JSON results term as an rdflib term."""
    if binding is None:
        return None
    from rdflib import BNode

    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype)) if datatype and datatype != str(XSD.string) else Literal(value)


def default_update_url(query_url: str) -> str:
    """The update endpoint of a store given its query endpoint: Fuseki's `/query` or `/sparql`
    becomes `/update`; other stores (Virtuoso, GraphDB's /statements aside) take updates at the
    same URL. Set CHOSAKU_STORE_UPDATE_URL when yours differs."""
    for suffix in ("/query", "/sparql"):
        if query_url.rstrip("/").endswith(suffix):
            return query_url.rstrip("/")[: -len(suffix)] + "/update"
    return query_url


def open_store(data: Path | None = None, cases: Path | None = None, url: str | None = None,
               progress=None) -> Store:
    """The dataset in a store: the embedded store by default, a remote SPARQL 1.1 store when a
    URL is given (or $CHOSAKU_STORE_URL is set). Evaluates the cases that have no cache yet."""
    data = Path(data) if data is not None else data_dir()
    dataset = build_dataset(data, cases, progress=progress)
    url = url or os.environ.get("CHOSAKU_STORE_URL")
    if url:
        store = RemoteStore(dataset, url, os.environ.get("CHOSAKU_STORE_UPDATE_URL"))
        store.sync()
        return store
    return EmbeddedStore(dataset)


# --- saving a case ------------------------------------------------------------------------------

@dataclass
class SavedCase:
    """A case saved into the data directory (and the store, if one was given)."""

    id: str
    path: Path
    graphs: list[str]


def _scenario_bytes(source) -> tuple[bytes, str]:
    """The bytes to keep for a scenario and their file suffix."""
    import yaml

    if isinstance(source, dict):
        return yaml.safe_dump(source, allow_unicode=True, sort_keys=False).encode("utf-8"), ".yaml"
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source and Path(source).suffix in CASE_SUFFIXES):
        path = Path(source)
        if not path.is_file():
            raise StoreError(f"{path}: no such file / ファイルがありません")
        return path.read_bytes(), ".yaml" if path.suffix == ".yml" else path.suffix
    text = str(source)
    stripped = text.lstrip()
    suffix = ".json" if stripped.startswith("{") else ".ttl" if stripped.startswith(("@prefix", "PREFIX", "<")) else ".yaml"
    return text.encode("utf-8"), suffix


def shipped_ids(cases: Path | None = None) -> set[str]:
    """The ids of the shipped cases (read from the files, without evaluating them)."""
    from .errors import ScenarioError
    from .load import load_scenario

    ids = set()
    for path in case_files(Path(cases) if cases is not None else cases_dir()):
        try:
            ids.add(load_scenario(path).id)
        except ScenarioError:
            continue
    return ids


def save_case(source, *, data: Path | None = None, cases: Path | None = None, store: Store | None = None) -> SavedCase:
    """Evaluate a scenario (path, text or dict) and save it as a user case.

    Nothing is written unless the scenario evaluates. The scenario file and its cache file are
    each written atomically, and the store (if given) takes the case's graphs in one transaction.
    A saved case may not reuse the id of a shipped case; saving an id again replaces the case."""
    data = Path(data) if data is not None else data_dir()
    content, suffix = _scenario_bytes(source)
    with tempfile.TemporaryDirectory(prefix="chosaku-save-") as staged:
        staged_file = Path(staged) / f"scenario{suffix}"   # evaluate exactly the bytes that will be kept
        staged_file.write_bytes(content)
        header, quads = evaluate_case_graphs(staged_file)
    case_id = header["id"]
    if case_id in shipped_ids(cases):
        raise StoreError(f"case id '{case_id}' belongs to a shipped case in cases/; give the saved case its own id "
                         f"/ '{case_id}' は同梱の事例のIDです。別のIDを付けてください")
    target = saved_dir(data) / f"{case_id}{suffix}"
    fingerprint = engine_fingerprint()
    key = hashlib.sha256(fingerprint.encode() + b"\0" + content).hexdigest()[:32]
    cache = data / "cache" / f"case-{key}.nq.gz"
    header["file"] = target.name
    atomic_write(cache, _cache_bytes(header, quads))   # first the cache: harmless if the save stops here
    atomic_write(target, content)                      # then the case itself, whole or not at all
    for other in saved_dir(data).glob(f"{case_id}.*"):
        if other != target and other.suffix in CASE_SUFFIXES:
            other.unlink()
    if store is not None:
        entry = CaseEntry(id=case_id, origin="saved", path=target, cache=cache, default_graph=header["default"],
                          graphs=header["graphs"], position=header.get("position"))
        store.load_case(entry)
    return SavedCase(id=case_id, path=target, graphs=header["graphs"])


def warn(problems: list[str]) -> None:
    """Print the dataset's problems on standard error."""
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
