"""Building the dataset: every shipped and saved case with an up-to-date cache file, evaluated in
worker processes when many are new, and the cache pruned of what no engine or case needs."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from .case_cache import case_cache_file, evaluate_to_cache, ontology_cache_file, read_header
from .dataset import CaseEntry, Dataset, StoreError, case_files, saved_dir
from .fingerprint import engine_fingerprint
from .resources import cases_dir, data_dir

PARALLEL_FROM = 8  # evaluate in worker processes when at least this many cases are new


def build_dataset(data: Path | None = None, cases: Path | None = None, progress=None) -> Dataset:
    """Make sure every shipped and saved case has an up-to-date cache file; return the dataset.

    Cases whose file or engine changed are evaluated (in worker processes when there are many).
    A case that cannot be evaluated is left out and named in `problems`; of two files with the
    same case id the newer is used and the other named in `problems` (a warning); a cache file that
    cannot be read is removed and rebuilt."""
    data = Path(data) if data is not None else data_dir()
    cache = data / "cache"
    fingerprint = engine_fingerprint()
    dataset = Dataset(ontology_file=ontology_cache_file(cache, fingerprint), data=data,
                      cases_dir=Path(cases) if cases is not None else None)
    sources = [(path, "shipped") for path in case_files(Path(cases) if cases is not None else cases_dir())]
    sources += [(path, "saved") for path in case_files(saved_dir(data))]
    keyed = [(path, origin, case_cache_file(cache, fingerprint, path.read_bytes())) for path, origin in sources]
    missing = [(str(path), str(cached)) for path, _, cached in keyed if not _readable(cached)]
    if missing and progress:
        progress(f"evaluating {len(missing)} case(s) into {cache} ...")
    failures = dict(_evaluate_all(missing))
    chosen: dict[str, CaseEntry] = {}
    for path, origin, cached in keyed:
        if failures.get(str(path)):
            dataset.problems.append(f"{path}: left out of the dataset: {failures[str(path)]}")
            continue
        header = read_header(cached)
        entry = CaseEntry(id=header["id"], origin=origin, path=path, cache=cached, default_graph=header["default"],
                          graphs=header["graphs"], position=header.get("position"))
        other = chosen.get(entry.id)
        if other is not None:  # e.g. a save stopped between writing one file and removing the other
            kept, dropped = (entry, other) if _newer(entry.path, other.path) else (other, entry)
            dataset.problems.append(f"warning: case id '{entry.id}' is in both {other.path} and {path}; "
                                    f"using the newer file {kept.path} and leaving out {dropped.path}")
            entry = kept
        chosen[entry.id] = entry
    dataset.cases.extend(chosen.values())
    if missing:
        _prune(cache, {dataset.ontology_file} | {entry.cache for entry in dataset.cases})
    return dataset


def _readable(cached: Path) -> bool:
    """Whether a cache file exists and its header reads (a corrupt one is removed, to be rebuilt)."""
    if not cached.exists():
        return False
    try:
        read_header(cached)
        return True
    except (OSError, EOFError, ValueError, StoreError):
        cached.unlink(missing_ok=True)
        return False


def _newer(first: Path, second: Path) -> bool:
    try:
        return first.stat().st_mtime >= second.stat().st_mtime
    except OSError:
        return False


def _evaluate_all(jobs: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
    """Evaluate cases into the cache: in forked workers when there are many, serially when few
    or when this process runs other threads (a server: forking it could copy a held lock)."""
    if (len(jobs) < PARALLEL_FROM or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2
            or threading.active_count() > 1):
        return [evaluate_to_cache(job) for job in jobs]
    # Warm the parent (ontology, rule store) once so that every forked worker starts warm.
    first = evaluate_to_cache(jobs[0])
    workers = min(os.cpu_count() or 2, 4)
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        return [first] + list(pool.map(evaluate_to_cache, jobs[1:], chunksize=2))


def _prune(cache: Path, keep: set[Path], min_age_s: float = 600.0) -> None:
    """Remove cache files of older engines or removed cases (left alone while recent: another
    process with other case directories may be using them)."""
    now = time.time()
    for path in cache.glob("*.nq.gz"):
        try:
            if path not in keep and now - path.stat().st_mtime > min_age_s:
                path.unlink()
        except FileNotFoundError:
            pass
