"""A read-only SPARQL 1.1 Protocol endpoint over the dataset (`chosaku serve`).

`/sparql` answers GET (`?query=`) and POST (form `query=` or an `application/sparql-query`
body), with `default-graph-uri` / `named-graph-uri`, results by content negotiation (SPARQL
JSON, XML, CSV, TSV; Turtle, N-Triples, JSON-LD, RDF/XML for CONSTRUCT and DESCRIBE; or the
`format` parameter many clients send). SPARQL Update and SERVICE are refused with 403 and a
message. Each query runs through chosaku.query: in its own forked process, with a time limit
and a row limit, so one runaway query cannot hold up the others (queries wait for one of a
few slots, never for each other's results). A browser gets a query page with the example
queries; the page and its script are served from here (no CDN).

The dataset a query sees is the one the service description at `/sparql` states (no union of all
graphs); `default-graph-uri` / `named-graph-uri` choose among the dataset's graphs, and a graph the
dataset does not have is an error (400), never an empty answer. `/void` describes the dataset
(VoID, DCAT). Cross-origin reads are allowed from the configured origins (all by default: the
endpoint is read-only and takes no credentials), preflight requests answered.

Starlette and uvicorn rather than rdflib-endpoint: rdflib-endpoint runs queries synchronously
inside the event loop (one heavy query blocks every client), has neither time nor row limits,
answers with permissive CORS and loads its query editor from a CDN.
"""

from __future__ import annotations

import asyncio
import io
import re
import socket
import sys
import time
from dataclasses import asdict
from urllib.parse import parse_qs

from .namespaces import PREFIXES
from .request_deadline import REQUEST_DEADLINE, deadline_protocol
from .resources import static_dir
from .query import DEFAULT_LIMIT, DEFAULT_TIMEOUT, run_query_serialized
from .query_catalogue import example_queries
from .query_check import UPDATE_REFUSED, prepare
from .query_errors import QueryError, QueryRefused, QueryTooLarge
from .query_output import BINDINGS_FORMATS, GRAPH_FORMATS
from .service_description import service_description, void_description
from .store import Store

STATIC = static_dir()
MAX_BODY = 1_000_000
GRAPH_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]{1,2000}")
MAX_URL = 16_384          # a GET query longer than this: 414, POST it instead
SLOT_WAIT = 5.0           # seconds a request waits for a free query slot before a 503
# media type → format, in the order preferred when the client accepts several equally
BINDINGS_OFFERS = [("application/sparql-results+json", "json"), ("application/json", "json"),
                   ("application/sparql-results+xml", "xml"), ("application/xml", "xml"), ("text/xml", "xml"),
                   ("text/csv", "csv"), ("text/tab-separated-values", "tsv"), ("text/plain", "table")]
GRAPH_OFFERS = [("text/turtle", "turtle"), ("application/x-turtle", "turtle"), ("application/turtle", "turtle"),
                ("application/n-triples", "nt"), ("text/plain", "nt"), ("application/n-quads", "nq"),
                ("application/trig", "trig"), ("application/ld+json", "jsonld"),
                ("application/json", "jsonld"), ("application/rdf+xml", "rdfxml"), ("application/xml", "rdfxml"),
                ("text/csv", "csv")]
# the `format` / `output` parameter: short names and media types
FORMAT_PARAM = {"json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", "csv"), "tsv": ("tsv", None),
                "text": ("table", "nt"), "turtle": (None, "turtle"), "ttl": (None, "turtle"), "n3": (None, "turtle"),
                "nt": (None, "nt"), "ntriples": (None, "nt"), "json-ld": ("json", "jsonld"), "jsonld": ("json", "jsonld"),
                "rdfxml": (None, "rdfxml"), "rdf+xml": (None, "rdfxml"), "nq": (None, "nq"),
                "nquads": (None, "nq"), "n-quads": (None, "nq"), "trig": (None, "trig")}
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "Cache-Control": "no-store"}
PAGE_HEADERS = {**SECURITY_HEADERS,
                "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                                           "connect-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"}


def _accepted(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for field in fields[1:]:
            if field.startswith("q="):
                try:
                    q = float(field[2:])
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q))
    return ranges


def negotiate(accept: str | None, offers: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The (media type, format) of `offers` that the Accept header prefers; the first offer when
    the header is absent; None when nothing offered is acceptable (406)."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = _accepted(accept)
    best, best_q = None, 0.0
    for media, fmt in offers:
        main = media.split("/")[0]
        q = None
        for pattern, weight in ranges:  # the most specific matching range decides
            if pattern == media:
                q = weight
                break
        if q is None:
            q = next((w for p, w in ranges if p == f"{main}/*"), None)
        if q is None:
            q = next((w for p, w in ranges if p == "*/*"), 0.0)
        if q > best_q:
            best, best_q = (media, fmt), q
    return best


def _media_of(fmt: str, graph: bool) -> str:
    table = GRAPH_FORMATS if graph else BINDINGS_FORMATS
    return table[fmt]


class Endpoint:
    """The endpoint's state: the store, the limits, the examples and the query slots."""

    def __init__(self, store: Store, *, timeout: float = DEFAULT_TIMEOUT, limit: int = DEFAULT_LIMIT,
                 slots: int = 4, refresh_every: float = 2.0, cors_origins: tuple[str, ...] = ("*",)):
        self.store, self.timeout, self.limit = store, timeout, limit
        self.cors_origins = tuple(cors_origins)  # origins whose pages may read answers; () for none
        self.slots = asyncio.Semaphore(slots)
        self.refresh_every = refresh_every
        self.last_refresh = time.monotonic()
        self.refreshing = asyncio.Lock()

    async def refresh(self) -> None:
        """Pick up cases saved (or changed) since the store was loaded, at most every few seconds."""
        from starlette.concurrency import run_in_threadpool

        if self.refresh_every <= 0 or time.monotonic() - self.last_refresh < self.refresh_every:
            return
        async with self.refreshing:
            if time.monotonic() - self.last_refresh < self.refresh_every:
                return
            try:
                await run_in_threadpool(self.store.refresh)
            except Exception as exc:  # a broken saved case must not take the endpoint down
                print(f"warning: could not refresh the dataset: {exc}", file=sys.stderr)
            self.last_refresh = time.monotonic()


def _text(message: str, status: int, extra: dict | None = None):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(message + "\n", status_code=status, headers={**SECURITY_HEADERS, **(extra or {})})


async def _read_request(request) -> tuple[str | None, dict[str, list[str]]]:
    """The query text and the protocol parameters of a GET or POST request. Raises QueryError
    (refused / malformed) for updates and bodies the protocol does not define."""
    if len(str(request.url)) > MAX_URL:
        error = QueryError(f"the request URL is longer than {MAX_URL} characters; POST the query instead "
                           "(application/sparql-query)")
        error.status = 414
        raise error
    params: dict[str, list[str]] = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
    if request.method == "GET":
        if "update" in params:
            raise _refused_update()
        return _one_query(params), params
    body = await _bounded_body(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/sparql-update":
        raise _refused_update()
    if kind == "application/sparql-query":
        if "query" in params:
            raise _bad_request("the query is given twice: in the application/sparql-query body and as query=")
        if not body.strip():
            raise _bad_request("the application/sparql-query body is empty; POST the query as the body")
        return body.decode("utf-8", errors="replace"), params
    if kind in ("application/x-www-form-urlencoded", ""):
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        if "update" in form:
            raise _refused_update()
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
        query = _one_query(params)
        if query is None:
            raise _bad_request("a POST to /sparql must carry a query: the form field query= "
                               "(application/x-www-form-urlencoded) or an application/sparql-query body")
        return query, params
    error = QueryError(f"unsupported Content-Type '{kind}': POST a query as application/sparql-query or as the "
                       "form field query= (application/x-www-form-urlencoded)")
    error.status = 415
    raise error


async def _bounded_body(request) -> bytes:
    """The request body, refused (413) as soon as it is known to pass MAX_BODY: from its
    Content-Length before anything is read, else while it streams in."""
    declared = request.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > MAX_BODY:
        raise QueryTooLarge(f"the request body is larger than {MAX_BODY} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise QueryTooLarge(f"the request body is larger than {MAX_BODY} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _bad_request(message: str) -> QueryError:
    error = QueryError(message)
    error.status = 400
    return error


def _one_query(params: dict[str, list[str]]) -> str | None:
    """The one `query` parameter (None when absent); 400 when it is given more than once."""
    queries = params.get("query") or []
    if len(queries) > 1:
        raise _bad_request(f"the query parameter is given {len(queries)} times; the SPARQL protocol takes exactly one")
    return queries[0] if queries else None


def dataset_of(store: Store, params: dict[str, list[str]]) -> tuple[list[str] | None, list[str] | None]:
    """The protocol's default-graph-uri / named-graph-uri as the query's dataset: (None, None) when
    neither is given (the dataset of the service description); otherwise exactly the graphs given,
    the other list empty (SPARQL 1.1 Protocol §2.1.4). A graph the dataset does not have is a
    QueryError (400) naming it."""
    default, named = params.get("default-graph-uri") or [], params.get("named-graph-uri") or []
    if not default and not named:
        return None, None
    known = set(store.graph_names)
    for name, given in (("default-graph-uri", default), ("named-graph-uri", named)):
        for iri in given:
            if iri not in known:
                raise _bad_request(f"{name}: the dataset has no graph {iri[:200]!r}; its {len(known)} graphs are the "
                                   f"ontology <{store.graph_names[0]}> and the case graphs listed in the service "
                                   f"description (GET /sparql)")
    return default, named


def _refused_update():
    return QueryRefused(UPDATE_REFUSED)


def _choose_format(prepared, params, accept):
    graph = prepared.form in ("CONSTRUCT", "DESCRIBE")
    requested = (params.get("format") or params.get("output") or [None])[0]
    if requested:
        requested = requested.strip().lower()
        for media, fmt in (GRAPH_OFFERS if graph else BINDINGS_OFFERS):
            if requested == media:
                return media, fmt
        pair = FORMAT_PARAM.get(requested)
        fmt = pair[1 if graph else 0] if pair else None
        if fmt is None:
            return None
        return _media_of(fmt, graph), fmt
    chosen = negotiate(accept, GRAPH_OFFERS if graph else BINDINGS_OFFERS)
    if chosen is None:
        return None
    return _media_of(chosen[1], graph), chosen[1]


ANSWER_CHUNK = 1 << 20


def _size(answer) -> int:
    """Bytes from the file's position to its end (the position is kept)."""
    here = answer.tell()
    end = answer.seek(0, io.SEEK_END)
    answer.seek(here)
    return end - here


async def _chunks(answer):
    """The spooled answer in chunks of ANSWER_CHUNK bytes, the file closed at the end (or when the
    client leaves)."""
    from starlette.concurrency import run_in_threadpool

    try:
        while chunk := await run_in_threadpool(answer.read, ANSWER_CHUNK):
            yield chunk
    finally:
        answer.close()


def create_app(endpoint: Endpoint, allowed_hosts: list[str] | None = None):
    """The Starlette application: /sparql, the query page, its script and the example list."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
    from starlette.routing import Route

    async def sparql(request):
        try:
            query, params = await _read_request(request)
        except QueryError as exc:
            return _text(str(exc), exc.status)
        if query is None:
            if "text/html" in request.headers.get("accept", ""):
                return FileResponse(STATIC / "query.html", headers=PAGE_HEADERS)
            return Response(service_description(str(request.url).split("?")[0], endpoint.store),
                            media_type="text/turtle", headers=SECURITY_HEADERS)
        try:
            prepared = await run_in_threadpool(prepare, query)
        except QueryError as exc:
            return _text(str(exc), exc.status)
        chosen = _choose_format(prepared, params, request.headers.get("accept"))
        if chosen is None:
            offers = GRAPH_OFFERS if prepared.form in ("CONSTRUCT", "DESCRIBE") else BINDINGS_OFFERS
            return _text(f"none of the accepted media types can carry a {prepared.form} answer; "
                         f"ask for one of: {', '.join(m for m, _ in offers)}", 406)
        media, fmt = chosen
        for name in ("default-graph-uri", "named-graph-uri"):
            bad = [iri for iri in params.get(name, []) if not GRAPH_IRI.fullmatch(iri)]
            if bad:
                return _text(f"{name}: {bad[0][:200]!r} is not an absolute IRI", 400)
        await endpoint.refresh()
        try:
            default_graphs, named_graphs = dataset_of(endpoint.store, params)
        except QueryError as exc:
            return _text(str(exc), exc.status)
        started = time.monotonic()
        try:
            await asyncio.wait_for(endpoint.slots.acquire(), timeout=SLOT_WAIT)
        except asyncio.TimeoutError:
            return _text("every query slot is busy; retry in a few seconds / 処理中のクエリが多いため、"
                         "少し待って再送してください", 503, {"Retry-After": "5"})
        try:
            result, answer = await run_in_threadpool(
                run_query_serialized, endpoint.store, prepared, fmt, timeout=endpoint.timeout, limit=endpoint.limit,
                default_graphs=default_graphs, named_graphs=named_graphs)
        except QueryError as exc:
            return _text(str(exc), exc.status)
        finally:
            endpoint.slots.release()
        headers = {**SECURITY_HEADERS, "X-Query-Time": f"{time.monotonic() - started:.3f}",
                   "Content-Length": str(_size(answer))}
        if result.truncated:
            headers["X-Result-Limit-Reached"] = str(endpoint.limit)
        return StreamingResponse(_chunks(answer), media_type=f"{media}; charset=utf-8" if media.startswith("text/")
                                 else media, headers=headers)

    async def examples(request):
        return JSONResponse({"examples": [asdict(e) for e in example_queries()],
                             "prefixes": {p: str(ns) for p, ns in PREFIXES.items()},
                             "timeout": endpoint.timeout, "limit": endpoint.limit},
                            headers=SECURITY_HEADERS)

    async def static(request):
        name = request.path_params["name"]
        if name not in ("query.js", "query.css"):
            return _text("not found", 404)
        return FileResponse(STATIC / name, headers=PAGE_HEADERS)

    async def root(request):
        return RedirectResponse("/sparql")

    async def void(request):
        sparql_url = str(request.url).split("?")[0].rsplit("/", 1)[0] + "/sparql"
        body = await run_in_threadpool(void_description, sparql_url, endpoint.store)
        return Response(body, media_type="text/turtle", headers=SECURITY_HEADERS)

    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)] if allowed_hosts else []
    if endpoint.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(endpoint.cors_origins),
                                     allow_methods=["GET", "POST"], allow_headers=["Accept", "Content-Type"],
                                     expose_headers=["X-Query-Time", "X-Result-Limit-Reached"], max_age=600))
    return Starlette(routes=[Route("/", root), Route("/sparql", sparql, methods=["GET", "POST"]),
                             Route("/void", void), Route("/examples.json", examples),
                             Route("/static/{name}", static)],
                     middleware=middleware)


def allowed_hosts_for(host: str, port: int) -> list[str] | None:
    """Host names a loopback endpoint answers to (guards against DNS rebinding); None (any) when
    bound to another interface on purpose."""
    if host in ("127.0.0.1", "localhost", "::1"):
        return ["127.0.0.1", "localhost", "::1", "[::1]"]
    return None


def serve(store: Store, *, host: str = "127.0.0.1", port: int = 8000, timeout: float = DEFAULT_TIMEOUT,
          limit: int = DEFAULT_LIMIT, slots: int = 4, announce=print,
          request_deadline: float = REQUEST_DEADLINE, cors_origins: tuple[str, ...] = ("*",)) -> None:
    """Run the endpoint until interrupted. Port 0 picks a free port; `announce` gets the URL; a
    connection that has not sent its whole request within `request_deadline` seconds is closed;
    pages from `cors_origins` ("*": any) may read the answers."""
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)  # connections made as soon as the URL is announced wait in the backlog
    port = sock.getsockname()[1]
    endpoint = Endpoint(store, timeout=timeout, limit=limit, slots=slots, cors_origins=cors_origins)
    app = create_app(endpoint, allowed_hosts_for(host, port))
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    announce(f"SPARQL endpoint (read-only) at http://{shown}:{port}/sparql — time limit {timeout:g} s, "
             f"row limit {limit}; Ctrl-C stops it")
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2, access_log=False,
                            http=deadline_protocol(request_deadline))
    uvicorn.Server(config).run(sockets=[sock])
