"""Where a remote SPARQL store takes queries, updates and whole graphs (Graph Store Protocol), and
how it is told a time limit: defaults for Fuseki, the Oxigraph server and Virtuoso, guessed from
the query URL's shape or named with `kind`, each URL overridable.

| kind     | query URL         | update URL     | graph store (GSP)         | server-side time limit       |
|----------|-------------------|----------------|---------------------------|------------------------------|
| fuseki   | /<ds>/query       | /<ds>/update   | /<ds>/data                | `timeout=` seconds           |
| oxigraph | /query            | /update        | /store                    | only the server's --timeout-s |
| virtuoso | /sparql           | /sparql        | /sparql-graph-crud        | `timeout=` milliseconds      |
| (with credentials) | /sparql-auth | /sparql-auth | /sparql-graph-crud-auth |                          |
| generic  | any               | the same URL   | none: SPARQL Update bodies | none                         |

A query's dataset is sent as the protocol's default-graph-uri / named-graph-uri parameters, except
to Virtuoso: its protocol handler takes time quadratic in their number (`ASK {}` with 3,000 graphs
1.4 s, 10,000: 19 s, 30,000: 254 s) and echoes each as a response header, so the dataset goes in
the query text as Virtuoso's `define input:default-graph-uri <…>` / `input:named-graph-uri <…>`
pragmas (10,000 graphs: 0.5 s). Virtuoso 7's SPARQL compiler takes at most 4,094 graphs in each
list (more: "SP030 … Too many arguments"); `max_graphs` says so before anything is sent. Even
below that limit Virtuoso checks every row against every listed graph, so Virtuoso stores use the
union layout by default (store_union.py: the default graph kept as one graph in the store).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from .dataset import StoreError
from .store_union import LAYOUTS

KINDS = ("fuseki", "oxigraph", "virtuoso", "generic")
VIRTUOSO_MAX_GRAPHS = 4094  # Virtuoso 7.2's limit per dataset list (measured: 4,094 answered, 4,095 refused)


@dataclass
class StoreEndpoints:
    """The URLs of one remote store and how it takes a time limit."""

    kind: str
    query_url: str
    update_url: str
    gsp_url: str | None              # None: write graphs with SPARQL Update bodies
    timeout_param: str | None = None  # the query parameter carrying a server-side time limit
    timeout_unit: float = 1.0         # its unit in seconds (Virtuoso: milliseconds)
    dataset_pragmas: bool = False     # the dataset as Virtuoso `define input:…-graph-uri` pragmas
    max_graphs: int | None = None     # the most graphs one dataset list may name (Virtuoso 7: 4,094)
    layout: str = "listed"            # "union": the default graph kept as one graph (store_union.py)


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def guess_kind(query_url: str) -> str:
    """The kind of store a query URL suggests: `/sparql` or `/sparql-auth` at the root → virtuoso, `/query` at the
    root → oxigraph, `/<dataset>/query` or `/<dataset>/sparql` → fuseki, else generic."""
    path = urlsplit(query_url).path.rstrip("/")
    if path in ("/sparql", "/sparql-auth"):
        return "virtuoso"
    if path == "/query":
        return "oxigraph"
    if re.fullmatch(r"(/[^/]+)+/(query|sparql)", path):
        return "fuseki"
    return "generic"


def store_endpoints(query_url: str, kind: str | None = None, update_url: str | None = None,
                    gsp_url: str | None = None, layout: str | None = None) -> StoreEndpoints:
    """The endpoints of a store: `kind` (guessed from the URL when not given) sets the defaults;
    an explicit update or GSP URL replaces them (gsp_url "none": write with SPARQL Update);
    `layout` ("listed" or "union", store_union.py) replaces the kind's (union for Virtuoso)."""
    if not re.match(r"https?://", query_url or ""):
        raise StoreError(f"the store URL {query_url!r} is not an http(s) URL; give the store's SPARQL query endpoint, "
                         "e.g. http://localhost:3030/ds/query (Fuseki), http://localhost:7878/query (Oxigraph) or "
                         "http://localhost:8890/sparql (Virtuoso)")
    kind = (kind or guess_kind(query_url)).lower()
    if kind not in KINDS:
        raise StoreError(f"unknown store kind {kind!r}; expected one of {', '.join(KINDS)}")
    path = urlsplit(query_url).path.rstrip("/")
    if kind == "fuseki":
        base = re.sub(r"/(query|sparql)$", "", path)
        found = StoreEndpoints(kind, query_url, _with_path(query_url, base + "/update"),
                               _with_path(query_url, base + "/data"), "timeout", 1.0)
    elif kind == "oxigraph":
        found = StoreEndpoints(kind, query_url, _with_path(query_url, "/update"), _with_path(query_url, "/store"))
    elif kind == "virtuoso":
        crud = "/sparql-graph-crud-auth" if path.endswith("-auth") else "/sparql-graph-crud"
        found = StoreEndpoints(kind, query_url, query_url, _with_path(query_url, crud),
                               "timeout", 0.001, dataset_pragmas=True, max_graphs=VIRTUOSO_MAX_GRAPHS,
                               layout="union")
    else:
        found = StoreEndpoints(kind, query_url, query_url, None)
    if update_url:
        found.update_url = update_url
    if gsp_url:
        found.gsp_url = None if gsp_url.lower() == "none" else gsp_url
    if layout:
        if layout.lower() not in LAYOUTS:
            raise StoreError(f"unknown store layout {layout!r}; expected one of {', '.join(LAYOUTS)}",
                             f"ストアの配置 {layout!r} は不明です。{', '.join(LAYOUTS)} のいずれかを指定してください")
        found.layout = layout.lower()
    return found
