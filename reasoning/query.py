"""SPARQL over the dataset: checked, bounded in time and rows.

Every query is checked first (query_check.prepare: no SPARQL Update, no SERVICE, the project's
prefixes predeclared). On the embedded store each query runs in a forked child process sharing
the loaded store copy-on-write (sandbox.run_forked): the parent waits at most `timeout` seconds
and then kills it, and the child stops after `limit` rows. A remote store gets the same checks,
with the timeout as its HTTP timeout. query_output.py writes the answers in standard formats.

While an embedded store opened with a warm start still answers from its snapshot on disk (several
times slower than memory, embedded_store.py), a query gets SNAPSHOT_BUDGET_S there; one that needs
longer is run again, with its whole time limit, once the store is in memory."""

from __future__ import annotations

import io
import os
from functools import partial
from typing import BinaryIO

from .dataset import StoreError
from .query_check import Prepared, prepare
from .query_errors import QueryError, QueryFailed, QueryTimeout
from .query_output import serialize
from .query_result import QueryResult
from .sandbox import run_forked, run_forked_serialized
from .store import Store

DEFAULT_TIMEOUT = 10.0
DEFAULT_LIMIT = 10_000
# The store loads into memory in 6-10 s (shipped library), in a thread beside the query: an attempt
# on the snapshot shorter than that delays no answer. 2 s cut off queries that take 2-3 s there
# (missing-facts.rq), which then waited for the whole load.
SNAPSHOT_BUDGET_S = 5.0
LOAD_WAIT_S = 300.0  # how long a query waits for the store to be in memory


def _bounded_work(store: Store, query: str | Prepared, timeout: float, limit: int,
                  default_graphs: list[str] | None, named_graphs: list[str] | None):
    """The checked query as a function that runs it on the store (in whatever process calls it)."""
    prepared = query if isinstance(query, Prepared) else prepare(query)
    if timeout <= 0 or limit <= 0:
        raise QueryError(f"the time limit and the row limit must be positive (got {timeout}, {limit})")
    if default_graphs is None and named_graphs is None and not prepared.has_dataset:
        default_graphs, named_graphs = store.default_graphs, store.graph_names

    def work():
        return store.execute(prepared.text, prepared.form, limit=limit, default_graphs=default_graphs,
                             named_graphs=named_graphs, timeout=timeout)

    return work


def _in_process(work, timeout: float):
    """Run `work()` here (a remote store: the HTTP timeout bounds it), its failures as QueryErrors."""
    try:
        return work()
    except StoreError as exc:
        if "timed out" in exc.message_en.lower():
            raise QueryTimeout(f"the SPARQL store did not answer within {timeout:g} s: {exc.message_en}",
                               f"SPARQLストアが {timeout:g} 秒以内に応答しませんでした: {exc.message_ja}") from exc
        raise QueryFailed(exc.message_en, exc.message_ja) from exc


def run_query(store: Store, query: str | Prepared, *, timeout: float = DEFAULT_TIMEOUT, limit: int = DEFAULT_LIMIT,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> QueryResult:
    """Check and run one query over the store; at most `limit` rows, at most `timeout` seconds.

    Without explicit graphs (the SPARQL protocol's default-graph-uri / named-graph-uri) and
    without FROM in the query, the default graph is the ontology plus every case as written and
    the named graphs are every graph of the dataset, named explicitly (a remote store's own default
    graph or its other graphs never enter)."""
    def attempt(seconds: float) -> QueryResult:
        work = _bounded_work(store, query, seconds, limit, default_graphs, named_graphs)
        if store.forkable and hasattr(os, "fork"):
            return run_forked(work, seconds, store.lock)
        return _in_process(work, seconds)

    return _bridged(store, attempt, timeout)


def _summary(result: QueryResult) -> QueryResult:
    """The answer without its rows and triples: what a response's headers need."""
    return QueryResult(result.form, list(result.variables), boolean=result.boolean, truncated=result.truncated)


def run_query_serialized(store: Store, query: str | Prepared, fmt: str, *, timeout: float = DEFAULT_TIMEOUT,
                         limit: int = DEFAULT_LIMIT, default_graphs: list[str] | None = None,
                         named_graphs: list[str] | None = None) -> tuple[QueryResult, BinaryIO]:
    """run_query, with the answer written in `fmt` (query_output.serialize) by the process that
    ran it: returns (the answer without its rows, an open file of the serialised answer) for the
    caller to stream and close. On the embedded store the server never holds a large answer whole."""
    write = partial(serialize, fmt=fmt)

    def attempt(seconds: float) -> tuple[QueryResult, BinaryIO]:
        work = _bounded_work(store, query, seconds, limit, default_graphs, named_graphs)
        if store.forkable and hasattr(os, "fork"):
            return run_forked_serialized(work, write, _summary, seconds, store.lock)
        result = _in_process(work, seconds)
        return _summary(result), io.BytesIO(write(result))

    return _bridged(store, attempt, timeout)


def _bridged(store: Store, attempt, timeout: float):
    """`attempt(seconds)` within `timeout`; on a store still answering from its snapshot, first
    within SNAPSHOT_BUDGET_S there, then (if that was too short) again from memory."""
    if getattr(store, "on_disk", False) and timeout > SNAPSHOT_BUDGET_S:
        try:
            return attempt(SNAPSHOT_BUDGET_S)
        except QueryTimeout:
            store.in_memory.wait(LOAD_WAIT_S)
    return attempt(timeout)
