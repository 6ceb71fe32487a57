"""The engine's fingerprint: a hash of everything an evaluation depends on besides the case (the
ontology and the engine's modules), which keys the dataset's cache."""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

from .resources import ontology_dir

CACHE_FORMAT = "1"
# the modules whose code decides a cached case graph; what they import is followed from here
ROOT_MODULES = ("evaluate", "case_cache")


def _hash_files(digest, paths) -> None:
    for path in paths:
        digest.update(str(path.name).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")


def pipeline_modules() -> list[Path]:
    """The engine's modules an evaluation runs: evaluate.py, the cache writer and what they
    import, transitively (read from the import statements, so the list follows the code)."""
    package = Path(__file__).resolve().parent
    seen, pending = set(), list(ROOT_MODULES)
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
    """A hash of the ontology and the engine's modules. Computed once per process: it describes
    the engine this process runs."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    _hash_files(digest, sorted(ontology_dir().rglob("*.ttl")))
    _hash_files(digest, pipeline_modules())
    return digest.hexdigest()
