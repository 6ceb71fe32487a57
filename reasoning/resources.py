"""Where chosaku's data lives: the ontology, the case library, the example queries, the explorer
and the store's files. The first four are package data (found with importlib.resources, so an
installed wheel and a checkout behave alike); each can be overridden by an environment variable."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def _package_dir(package: str) -> Path:
    """The directory of a package of chosaku's (a real directory: the package is never zipped)."""
    return Path(str(files(package)))


def ontology_dir() -> Path:
    """The directory of the ontology's Turtle modules (override with CHOSAKU_ONTOLOGY)."""
    return Path(os.environ.get("CHOSAKU_ONTOLOGY") or _package_dir("chosaku.ontology"))


def cases_dir() -> Path:
    """The directory of the scenario library (override with CHOSAKU_CASES)."""
    return Path(os.environ.get("CHOSAKU_CASES") or _package_dir("chosaku.cases"))


def queries_dir() -> Path:
    """The directory of the example SPARQL queries (override with CHOSAKU_QUERIES)."""
    return Path(os.environ.get("CHOSAKU_QUERIES") or _package_dir("chosaku.queries"))


def explorer_app() -> Path:
    """The Streamlit script of the explorer."""
    return _package_dir("chosaku.explorer") / "app.py"


def static_dir() -> Path:
    """The endpoint's query page (HTML, JavaScript)."""
    return _package_dir("chosaku") / "static"


def jsonld_context_file() -> Path:
    """The published JSON-LD context of the exports."""
    return ontology_dir() / "context.jsonld"


def data_dir() -> Path:
    """Where the embedded store keeps its files (override with CHOSAKU_DATA): the user's data
    directory ($XDG_DATA_HOME/chosaku-kg, by default ~/.local/share/chosaku-kg)."""
    configured = os.environ.get("CHOSAKU_DATA")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "chosaku-kg"
