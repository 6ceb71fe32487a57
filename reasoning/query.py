"""SPARQL over the dataset: checked, bounded in time and rows, and written in standard formats.

Every query is parsed first. SPARQL Update is refused (the dataset is read-only to queries), and
so is SERVICE (federation would make the machine fetch arbitrary URLs). The project's prefixes
(chosaku.namespaces.PREFIXES) are predeclared. On the embedded store each query runs in a
forked child process sharing the loaded store copy-on-write: the parent waits at most `timeout`
seconds and then kills it, and the child stops after `limit` rows. A remote store gets the same
checks, with the timeout as its HTTP timeout.
"""

from __future__ import annotations

import csv
import io
import math
import os
import pickle
import re
import select
import signal
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

try:
    import resource
except ImportError:  # not on Windows
    resource = None

from .errors import ChosakuError
from .namespaces import PREFIXES, bind_prefixes
from .resources import queries_dir
from .store import QueryResult, Store, StoreError

try:
    import ctypes

    _LIBC = ctypes.CDLL(None)
except (OSError, ImportError):
    _LIBC = None

DEFAULT_TIMEOUT = 10.0
DEFAULT_LIMIT = 10_000
TABLE_CELL = 80
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
UPDATE_START = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                          r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
COMMENT = re.compile(r"^\s*#.*$", re.MULTILINE)


class QueryError(ChosakuError):
    """A query that was not answered; `status` is the HTTP status the endpoint answers with."""

    status = 400


class QuerySyntaxError(QueryError):
    """Not a SPARQL 1.1 query."""

    status = 400


class QueryRefused(QueryError):
    """A query the read-only dataset does not run: SPARQL Update, SERVICE."""

    status = 403


class QueryTimeout(QueryError):
    """The query ran longer than its time limit and was stopped."""

    status = 503


class QueryFailed(QueryError):
    """The engine failed while answering."""

    status = 500


# --- checking -----------------------------------------------------------------------------------

@dataclass
class Prepared:
    """A checked query: its text with the project's prefixes declared, its form, and whether it
    names its own dataset (FROM / FROM NAMED)."""

    text: str
    form: str
    has_dataset: bool


def _comp_names(node):
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _comp_names(value)
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        for value in node:
            yield from _comp_names(value)


UPDATE_REFUSED = ("SPARQL Update is refused: the dataset is read-only to queries. Save a case with "
                  "`chosaku save FILE` instead. / SPARQL Update は受け付けません（読み取り専用）。")
SERVICE_REFUSED = ("SERVICE (federated query) is refused: queries run only over the local dataset. Fetch "
                   "the other data yourself and load it into your own store. / SERVICE（連合クエリ）は受け付けません。")


def prepare(text: str) -> Prepared:
    """Parse a query and refuse what the dataset does not run; declare the project's prefixes.

    Raises QueryRefused for SPARQL Update or SERVICE and QuerySyntaxError for anything that is
    not a SPARQL 1.1 query (with the parser's message)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not text or not COMMENT.sub("", text).strip():
        raise QuerySyntaxError("the query is empty; give a SELECT, ASK, CONSTRUCT or DESCRIBE query / クエリが空です")
    try:
        tree = parseQuery(text)
    except ParseException as exc:
        if UPDATE_START.match(COMMENT.sub("", text)):
            raise QueryRefused(UPDATE_REFUSED) from exc
        try:
            parseUpdate(text)
        except ParseException:
            raise QuerySyntaxError(f"not a valid SPARQL 1.1 query: {exc} / SPARQLクエリとして読めません") from exc
        raise QueryRefused(UPDATE_REFUSED) from exc
    if "ServiceGraphPattern" in set(_comp_names(tree)):
        raise QueryRefused(SERVICE_REFUSED)
    form = FORMS[tree[1].name]
    declared = {str(decl.prefix) for decl in tree[0] if getattr(decl, "name", "") == "PrefixDecl"}
    header = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items()
                     if prefix not in declared)
    return Prepared(header + text, form, "datasetClause" in tree[1].keys())


# --- running, in a child process ----------------------------------------------------------------

def _limit_child(timeout: float) -> None:
    """In the forked child: die with the parent, and never use more CPU than the time limit.
    (Everything it needs is imported before the fork: a child must not import.)"""
    try:
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if resource is not None:
        seconds = math.ceil(timeout) + 1
        try:
            resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        except (ValueError, OSError):
            pass


def run_forked(work, timeout: float, lock=None):
    """Run `work()` in a forked child and return its value; kill the child after `timeout` s.

    The child shares the parent's memory copy-on-write (the loaded store) and sends its answer
    back pickled through a pipe. `lock` (if given) is held while forking, so that no other thread
    is changing the store at that moment."""
    read_end, write_end = os.pipe()
    if lock is not None:
        with lock:
            pid = os.fork()
    else:
        pid = os.fork()
    if pid == 0:  # the child: answer, write, and leave without running the parent's exit handlers
        status = 0
        try:
            os.close(read_end)
            _limit_child(timeout)
            try:
                payload = pickle.dumps(("ok", work()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # report every failure to the parent
                payload = pickle.dumps(("error", type(exc).__name__, str(exc)))
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view):]
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    chunks, finished = [], False
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            ready, _, _ = select.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    finished = True
                    break
                chunks.append(chunk)
    finally:
        os.close(read_end)
        if not finished:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)
    if not finished:
        raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s and was stopped; narrow it "
                           "(more specific patterns, LIMIT) or raise the limit (--timeout) / "
                           f"制限時間（{timeout:g}秒）を超えたためクエリを停止しました")
    if not chunks:
        raise QueryFailed("the query process ended without an answer (out of memory or CPU time?) / "
                          "クエリの処理が応答なく終了しました")
    answer = pickle.loads(b"".join(chunks))
    if answer[0] == "ok":
        return answer[1]
    kind, message = answer[1], answer[2]
    if kind == "SyntaxError":
        raise QuerySyntaxError(f"not a valid SPARQL 1.1 query: {message} / SPARQLクエリとして読めません")
    raise QueryFailed(f"the query failed: {kind}: {message}")


def run_query(store: Store, query: str | Prepared, *, timeout: float = DEFAULT_TIMEOUT, limit: int = DEFAULT_LIMIT,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> QueryResult:
    """Check and run one query over the store; at most `limit` rows, at most `timeout` seconds.

    Without explicit graphs (the SPARQL protocol's default-graph-uri / named-graph-uri) and
    without FROM in the query, the default graph is the ontology plus every case as written."""
    prepared = query if isinstance(query, Prepared) else prepare(query)
    if timeout <= 0 or limit <= 0:
        raise QueryError(f"the time limit and the row limit must be positive (got {timeout}, {limit})")
    if default_graphs is None and named_graphs is None and not prepared.has_dataset:
        default_graphs = store.default_graphs

    def work():
        return store.execute(prepared.text, prepared.form, limit=limit, default_graphs=default_graphs,
                             named_graphs=named_graphs, timeout=timeout)

    if store.forkable and hasattr(os, "fork"):
        return run_forked(work, timeout, store.lock)
    try:
        return work()
    except StoreError as exc:
        if "timed out" in str(exc).lower():
            raise QueryTimeout(f"the SPARQL store did not answer within {timeout:g} s: {exc}") from exc
        raise QueryFailed(str(exc)) from exc


# --- writing results ----------------------------------------------------------------------------

BINDINGS_FORMATS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                    "csv": "text/csv", "tsv": "text/tab-separated-values", "table": "text/plain"}
GRAPH_FORMATS = {"turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
                 "rdfxml": "application/rdf+xml", "csv": "text/csv", "table": "text/turtle"}


def _rdflib_result(result: QueryResult):
    from rdflib.query import Result
    from rdflib.term import Variable

    answer = Result(result.form if result.form in ("SELECT", "ASK") else "CONSTRUCT")
    if result.form == "ASK":
        answer.askAnswer = bool(result.boolean)
        return answer
    answer.vars = [Variable(v) for v in result.variables]
    answer.bindings = [{Variable(v): term for v, term in zip(result.variables, row) if term is not None}
                       for row in result.rows]
    return answer


def result_graph(result: QueryResult):
    """The triples of a CONSTRUCT / DESCRIBE answer as an rdflib Graph with the project's prefixes."""
    from rdflib import Graph

    graph = bind_prefixes(Graph())
    for triple in result.triples:
        graph.add(triple)
    return graph


def _tsv_term(term) -> str:
    return "" if term is None else term.n3().replace("\t", "\\t")


def _csv_term(term) -> str:
    return "" if term is None else str(term)


def serialize(result: QueryResult, fmt: str) -> bytes:
    """The answer in one of BINDINGS_FORMATS (SELECT, ASK) or GRAPH_FORMATS (CONSTRUCT, DESCRIBE)."""
    if result.form in ("SELECT", "ASK"):
        if fmt in ("json", "xml"):
            return _rdflib_result(result).serialize(format=fmt, encoding="utf-8")
        if fmt == "table":
            return format_table(result).encode("utf-8")
        if result.form == "ASK":
            return ("true\n" if result.boolean else "false\n").encode("utf-8")
        out = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(result.variables)
            writer.writerows([[_csv_term(t) for t in row] for row in result.rows])
        elif fmt == "tsv":
            out.write("\t".join(f"?{v}" for v in result.variables) + "\n")
            out.writelines("\t".join(_tsv_term(t) for t in row) + "\n" for row in result.rows)
        else:
            raise QueryError(f"unknown result format '{fmt}'; expected one of {', '.join(BINDINGS_FORMATS)}")
        return out.getvalue().encode("utf-8")
    graph = result_graph(result)
    if fmt in ("turtle", "table"):
        return graph.serialize(format="turtle", encoding="utf-8")
    if fmt == "nt":
        return graph.serialize(format="nt", encoding="utf-8")
    if fmt == "rdfxml":
        return graph.serialize(format="xml", encoding="utf-8")
    if fmt == "jsonld":
        from .export import to_jsonld

        return to_jsonld(graph).encode("utf-8")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["subject", "predicate", "object"])
        writer.writerows([[str(t) for t in triple] for triple in sorted(result.triples)])
        return out.getvalue().encode("utf-8")
    raise QueryError(f"unknown graph format '{fmt}'; expected one of {', '.join(GRAPH_FORMATS)}")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_BY_LENGTH = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


def compact(iri: str) -> str:
    """An IRI shortened with the longest matching project prefix (for reading, not for Turtle:
    the rest may contain '/')."""
    for namespace, prefix in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _cell(term) -> str:
    from rdflib import Literal, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = compact(str(term))
    elif isinstance(term, Literal):
        text = str(term) + (f"@{term.language}" if term.language else "")
    else:
        text = term.n3()
    text = " ".join(text.split())
    if _width(text) > TABLE_CELL:
        while _width(text) > TABLE_CELL - 1:
            text = text[:-1]
        text += "…"
    return text


def format_table(result: QueryResult) -> str:
    """A plain-text table: IRIs shortened with the project's prefixes, long values cut."""
    if result.form == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    if result.form != "SELECT":
        return serialize(result, "turtle").decode("utf-8")
    rows = [[_cell(t) for t in row] for row in result.rows]
    widths = [max([_width(v)] + [_width(r[i]) for r in rows]) for i, v in enumerate(result.variables)]

    def line(cells):
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(result.variables), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{', cut at the row limit' if result.truncated else ''})")
    return "\n".join(out) + "\n"


def output_format(result: QueryResult, fmt: str) -> str:
    """The CLI's --format (table / csv / json) as the serializer's format for this answer."""
    if result.form in ("SELECT", "ASK"):
        return fmt
    return {"table": "turtle", "json": "jsonld", "csv": "csv"}.get(fmt, fmt)


# --- the example queries ------------------------------------------------------------------------

HEADER_LINE = re.compile(r"^#\s*([a-z_]+):\s*(.*)$")


@dataclass
class Example:
    """An example query of queries/: its name (file stem), titles, the question it answers."""

    name: str
    title: str
    title_ja: str
    question: str
    text: str


def example_queries(directory: Path | None = None) -> list[Example]:
    """The example queries, read from their header comments (# title:, # title_ja:, # question:)."""
    examples = []
    for path in sorted((directory or queries_dir()).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        fields = {}
        for line in text.splitlines():
            match = HEADER_LINE.match(line)
            if not line.startswith("#"):
                break
            if match:
                fields[match.group(1)] = match.group(2).strip()
        examples.append(Example(name=path.stem, title=fields.get("title", path.stem), title_ja=fields.get("title_ja", ""),
                                question=fields.get("question", ""), text=text))
    return examples


def read_query_argument(argument: str) -> str:
    """The query text of the CLI argument: a file (e.g. queries/x.rq), `-` for standard input, or
    the query itself."""
    import sys

    if argument == "-":
        return sys.stdin.read()
    path = Path(argument)
    try:
        is_file = "\n" not in argument and path.is_file()
    except OSError:  # too long for a file name: a query
        is_file = False
    if is_file or ("\n" not in argument and " " not in argument and path.suffix in (".rq", ".sparql")):
        if not is_file:
            raise QueryError(f"{path}: no such query file / クエリファイルがありません")
        return path.read_text(encoding="utf-8")
    return argument
