"""Saving a case: a scenario is evaluated and, only if it evaluates, kept among the user's cases
(`<data>/saved/`) with its cache file, and sent to the store if one is given."""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None

from .atomic import atomic_write
from .case_cache import cache_bytes, case_cache_file, evaluate_case_graphs
from .dataset import CASE_SUFFIXES, CaseEntry, StoreError, case_files, saved_dir
from .errors import ScenarioError
from .fingerprint import engine_fingerprint
from .formats import file_suffix, names_a_file, scenario_format
from .load import load_scenario
from .namespaces import bind_prefixes
from .resources import cases_dir, data_dir
from .store import Store


@dataclass
class SavedCase:
    """A case saved into the data directory (and the store, if one was given)."""

    id: str
    path: Path
    graphs: list[str]


def scenario_bytes(source) -> tuple[bytes, str]:
    """The bytes to keep for a scenario (a path, text or a mapping) and their file suffix. A Turtle
    scenario is kept as its facts only (what the loader rebuilds from it), never with triples the
    engine did not derive."""
    if isinstance(source, dict):
        return yaml.safe_dump(source, allow_unicode=True, sort_keys=False).encode("utf-8"), ".yaml"
    if names_a_file(source):
        path = Path(source)
        if not path.is_file():
            raise StoreError(f"{path}: no such file", f"{path}：ファイルがありません")
        content, suffix = path.read_bytes(), ".yaml" if path.suffix == ".yml" else path.suffix
    else:
        text = str(source)
        content, suffix = text.encode("utf-8"), file_suffix(scenario_format(text))
    if suffix == ".ttl":
        graph = bind_prefixes(load_scenario(content.decode("utf-8", errors="replace")).graph)
        content = graph.serialize(format="turtle").encode("utf-8")
    return content, suffix


STAGING_PREFIX = ".staging-"
STALE_AFTER_S = 3600


def own_files(folder: Path, case_id: str) -> list[Path]:
    """The saved files of exactly this id (`<id>.yaml`, `<id>.json`, ...), never `<id>.v1.yaml`."""
    return [folder / f"{case_id}{suffix}" for suffix in CASE_SUFFIXES if (folder / f"{case_id}{suffix}").is_file()]


@contextmanager
def _saving_lock(folder: Path):
    """An exclusive lock on the saved cases (a lock file; on systems without fcntl, none)."""
    with open(folder / ".lock", "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale_staging(folder: Path) -> None:
    """Staging folders left by saves that were killed (older than an hour)."""
    now = time.time()
    for staged in folder.glob(f"{STAGING_PREFIX}*"):
        try:
            if now - staged.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(staged, ignore_errors=True)
        except OSError:
            continue


def shipped_ids(cases: Path | None = None) -> set[str]:
    """The ids of the shipped cases (read from the files, without evaluating them)."""
    ids = set()
    for path in case_files(Path(cases) if cases is not None else cases_dir()):
        try:
            ids.add(load_scenario(path).id)
        except ScenarioError:
            continue
    return ids


def save_case(source, *, data: Path | None = None, cases: Path | None = None, store: Store | None = None) -> SavedCase:
    """Evaluate a scenario (path, text or dict) and save it as a user case.

    Nothing is written unless the scenario evaluates. The scenario file and its cache file are
    each written atomically, and the store (if given) takes the case's graphs in one transaction.
    A saved case may not reuse the id of a shipped case; saving an id again replaces the case."""
    data = Path(data) if data is not None else data_dir()
    content, suffix = scenario_bytes(source)
    folder = saved_dir(data)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {folder}: {exc.strerror or exc}",
                         f"保存先を作れません（{folder}：{exc.strerror or exc}）") from exc
    _remove_stale_staging(folder)
    with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=folder) as staged:
        staged_file = Path(staged) / f"scenario{suffix}"   # evaluate exactly the bytes that will be kept
        staged_file.write_bytes(content)
        header, quads = evaluate_case_graphs(staged_file)
    case_id = header["id"]
    if case_id in shipped_ids(cases):
        raise StoreError(f"case id '{case_id}' belongs to a shipped case in cases/; give the saved case its own id",
                         f"'{case_id}' は同梱の事例のIDです。別のIDを付けてください")
    target = folder / f"{case_id}{suffix}"
    cache = case_cache_file(data / "cache", engine_fingerprint(), content)
    header["file"] = target.name
    with _saving_lock(folder):                        # one save at a time changes the saved cases
        atomic_write(cache, cache_bytes(header, quads))   # first the cache: harmless if the save stops here
        atomic_write(target, content)                     # then the case itself, whole or not at all
        for other in own_files(folder, case_id):          # only this id's other file (another suffix)
            if other != target:
                other.unlink(missing_ok=True)
    if store is not None:
        entry = CaseEntry(id=case_id, origin="saved", path=target, cache=cache, default_graph=header["default"],
                          graphs=header["graphs"], position=header.get("position"))
        store.load_case(entry)
    return SavedCase(id=case_id, path=target, graphs=header["graphs"])
