"""Opening the dataset's store: the embedded store by default, a remote SPARQL 1.1 store when a
URL is given (or $CHOSAKU_STORE_URL is set); and reporting the cases left out of it.

A remote store's other settings come from the arguments or the environment: its kind
($CHOSAKU_STORE_KIND: fuseki, oxigraph, virtuoso, generic; guessed from the URL otherwise), its
update URL ($CHOSAKU_STORE_UPDATE_URL), its Graph Store Protocol URL ($CHOSAKU_STORE_GSP_URL;
"none" to write with SPARQL Update), its layout ($CHOSAKU_STORE_LAYOUT: listed or union, see
store_union.py), read-only use ($CHOSAKU_STORE_READ_ONLY=1) and credentials for a store that asks
for them ($CHOSAKU_STORE_USER, $CHOSAKU_STORE_PASSWORD; the password is never an argument of a
command, where other users of the machine could read it)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .dataset_build import build_dataset
from .embedded_store import EmbeddedStore
from .remote_store import RemoteStore
from .resources import data_dir
from .store import Store
from .store_endpoints import store_endpoints


def open_store(data: Path | None = None, cases: Path | None = None, url: str | None = None,
               progress=None, *, kind: str | None = None, update_url: str | None = None, gsp_url: str | None = None,
               read_only: bool | None = None, warm_start: bool = False, layout: str | None = None,
               user: str | None = None, password: str | None = None) -> Store:
    """The dataset in a store: the embedded store by default, a remote SPARQL 1.1 store when a
    URL is given (or $CHOSAKU_STORE_URL is set). Evaluates the cases that have no cache yet; a
    remote store is sent the cases it lacks (unless read-only) and lists the cases it holds.
    `warm_start` (serve, query, the explorer): the embedded store answers from its snapshot on
    disk while it loads into memory (embedded_store.py)."""
    data = Path(data) if data is not None else data_dir()
    dataset = build_dataset(data, cases, progress=progress)
    url = url or os.environ.get("CHOSAKU_STORE_URL")
    if url:
        env = os.environ.get
        endpoints = store_endpoints(url, kind or env("CHOSAKU_STORE_KIND"),
                                    update_url or env("CHOSAKU_STORE_UPDATE_URL"), gsp_url or env("CHOSAKU_STORE_GSP_URL"),
                                    layout or env("CHOSAKU_STORE_LAYOUT"))
        if read_only is None:
            read_only = env("CHOSAKU_STORE_READ_ONLY", "").lower() in ("1", "true", "yes")
        store = RemoteStore(dataset, endpoints, read_only=read_only, user=user or env("CHOSAKU_STORE_USER") or None,
                            password=password if password is not None else env("CHOSAKU_STORE_PASSWORD"))
        store.sync()
        return store
    return EmbeddedStore(dataset, warm_start=warm_start)


def warn(problems: list[str]) -> None:
    """Print the dataset's problems on standard error."""
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
