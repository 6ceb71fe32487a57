"""Saving a case: a scenario is evaluated and, only if it evaluates, kept among the user's cases
(`<data>/saved/`) with its cache file, and sent to the store if one is given."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .atomic import atomic_write
from .case_cache import cache_bytes, case_cache_file, evaluate_case_graphs
from .dataset import CASE_SUFFIXES, CaseEntry, StoreError, case_files, saved_dir
from .errors import ScenarioError
from .fingerprint import engine_fingerprint
from .formats import file_suffix, names_a_file, scenario_format
from .load import load_scenario
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
            raise StoreError(f"{path}: no such file / ファイルがありません")
        content, suffix = path.read_bytes(), ".yaml" if path.suffix == ".yml" else path.suffix
    else:
        text = str(source)
        content, suffix = text.encode("utf-8"), file_suffix(scenario_format(text))
    if suffix == ".ttl":
        content = load_scenario(content.decode("utf-8", errors="replace")).graph.serialize(format="turtle").encode("utf-8")
    return content, suffix


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
    with tempfile.TemporaryDirectory(prefix="chosaku-save-") as staged:
        staged_file = Path(staged) / f"scenario{suffix}"   # evaluate exactly the bytes that will be kept
        staged_file.write_bytes(content)
        header, quads = evaluate_case_graphs(staged_file)
    case_id = header["id"]
    if case_id in shipped_ids(cases):
        raise StoreError(f"case id '{case_id}' belongs to a shipped case in cases/; give the saved case its own id "
                         f"/ '{case_id}' は同梱の事例のIDです。別のIDを付けてください")
    target = saved_dir(data) / f"{case_id}{suffix}"
    cache = case_cache_file(data / "cache", engine_fingerprint(), content)
    header["file"] = target.name
    atomic_write(cache, cache_bytes(header, quads))   # first the cache: harmless if the save stops here
    atomic_write(target, content)                     # then the case itself, whole or not at all
    for other in saved_dir(data).glob(f"{case_id}.*"):
        if other != target and other.suffix in CASE_SUFFIXES:
            other.unlink()
    if store is not None:
        entry = CaseEntry(id=case_id, origin="saved", path=target, cache=cache, default_graph=header["default"],
                          graphs=header["graphs"], position=header.get("position"))
        store.load_case(entry)
    return SavedCase(id=case_id, path=target, graphs=header["graphs"])
