"""Paths of the repository checkout the tests run from (the installed package finds its own data
through chosaku.resources; these are the files only a checkout has)."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The shared folder beside the checkout (official statute text, seeds), if present."""
    return Path(os.environ.get("CHOSAKU_SHARED", REPO_ROOT.parent / "shared"))
