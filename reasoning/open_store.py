"""Opening the dataset's store: the embedded store by default, a remote SPARQL 1.1 store when a
URL is given (or $CHOSAKU_STORE_URL is set); and reporting the cases left out of it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .dataset_build import build_dataset
from .embedded_store import EmbeddedStore
from .remote_store import RemoteStore
from .resources import data_dir
from .store import Store


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


def warn(problems: list[str]) -> None:
    """Print the dataset's problems on standard error."""
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
