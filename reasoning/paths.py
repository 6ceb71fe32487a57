"""Where the project's data lives: the ontology, the cases and the shared sources."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def ontology_dir() -> Path:
    """The directory of the ontology's Turtle modules (override with CHOSAKU_ONTOLOGY)."""
    return Path(os.environ.get("CHOSAKU_ONTOLOGY", PROJECT_ROOT / "ontology"))


def cases_dir() -> Path:
    """The directory of the scenario library (override with CHOSAKU_CASES)."""
    return Path(os.environ.get("CHOSAKU_CASES", PROJECT_ROOT / "cases"))


def shared_dir() -> Path:
    """The shared design folder beside the checkout (statutes and seeds), if present."""
    return Path(os.environ.get("CHOSAKU_SHARED", PROJECT_ROOT.parent / "shared"))
