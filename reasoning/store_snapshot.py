"""A snapshot of the embedded store on disk, so that `serve`, `query` and the explorer's SPARQL view
answer at once instead of after loading the dataset's N-Quads into memory (about 6 s for the shipped
library).

A snapshot is a pyoxigraph (RocksDB) store in `<data>/store/<key>`, where the key is a hash of the
names of the files it was loaded from; the cache files are named by the hash of their content and
the engine's fingerprint, so a snapshot is current exactly when its key matches the dataset's files.
It is built once, in a process of its own started in the background when an embedded store finds
none (`python -m chosaku.store_snapshot <data>`, the files' paths one per line on its input), into a
staging folder renamed into place when complete; snapshots of older keys are then removed. It is opened read-only (any number of
processes at once). $CHOSAKU_STORE_SNAPSHOT=off turns snapshots off (loading into memory as before).
Measured on the shipped library (1.36 M quads in the graphs, 0.68 M more in the union kept as the
default graph): building about 20 s, 720 MB on disk, opening 20–40 ms."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from .dataset import HEADER_MARK, union_update_text
from .skolem import skolemise

SNAPSHOT_FOLDER = "store"
STAGING_PREFIX = ".staging-"
COMPLETE_MARK = "COMPLETE"
STALE_STAGING_S = 3600


def snapshots_enabled() -> bool:
    """Whether embedded stores use and build snapshots ($CHOSAKU_STORE_SNAPSHOT, on by default)."""
    return os.environ.get("CHOSAKU_STORE_SNAPSHOT", "on").lower() not in ("off", "0", "false", "no")


# Part of every snapshot's key: a snapshot written before the store kept the union of the default
# graphs as its own default graph (load_quads) is never opened, and is removed by the next build.
SNAPSHOT_LAYOUT = "default graph: union of the files' default graphs"


def snapshot_key(files: list[Path]) -> str:
    """The key of a snapshot of these files (their names, which name their content)."""
    names = "\n".join([SNAPSHOT_LAYOUT] + sorted(Path(f).name for f in files))
    return hashlib.sha256(names.encode("utf-8")).hexdigest()[:32]


def snapshot_path(data: Path, files: list[Path]) -> Path:
    """Where the snapshot of these files lives (whether or not it exists yet)."""
    return Path(data) / SNAPSHOT_FOLDER / snapshot_key(files)


LOAD_CHUNK_BYTES = 64 << 20  # files are bulk-loaded this much at a time (one load per file is slower)


def _default_graph(text: bytes, path) -> str:
    """The default graph named in a cache file's header (its first line)."""
    first = text[:text.find(b"\n")].decode("utf-8")
    if not first.startswith(HEADER_MARK):
        raise ValueError(f"{path}: not a case cache file (its first line must start with '{HEADER_MARK}')")
    return json.loads(first[len(HEADER_MARK):])["default"]


def load_quads(store: ox.Store, files: list[Path]) -> None:
    """Load the gzip N-Quads files (case_cache.py) into a store, blank nodes skolemised as a
    remote store receives them (skolem.py), so every store answers alike; then write the union of
    the files' default graphs (each named in its header) as the store's own default graph
    (dataset.union_update_text)."""
    chunk: list[bytes] = []
    size = 0
    default_graphs = []
    for path in files:
        text = skolemise(gzip.decompress(Path(path).read_bytes()))
        default_graphs.append(_default_graph(text, path))
        chunk.append(text if text.endswith(b"\n") else text + b"\n")
        size += len(text)
        if size >= LOAD_CHUNK_BYTES:
            store.bulk_load(input=b"".join(chunk), format=ox.RdfFormat.N_QUADS)
            chunk, size = [], 0
    if chunk:
        store.bulk_load(input=b"".join(chunk), format=ox.RdfFormat.N_QUADS)
    store.update(union_update_text(default_graphs))


def open_snapshot(data: Path, files: list[Path]) -> ox.Store | None:
    """The complete snapshot of these files opened read-only, or None when there is none."""
    path = snapshot_path(data, files)
    if not (path / COMPLETE_MARK).is_file():
        return None
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError):  # RocksDB reports a damaged database as RuntimeError
        return None  # damaged or removed meanwhile: the caller loads into memory


def build_snapshot(data: Path, files: list[Path]) -> Path:
    """Build the snapshot of these files (if no other process has) and remove older ones."""
    target = snapshot_path(data, files)
    if (target / COMPLETE_MARK).is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f"{STAGING_PREFIX}{target.name}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        store = ox.Store(str(staging))
        load_quads(store, files)
        store.flush()
        del store  # closes the database before it is moved
        (staging / COMPLETE_MARK).write_text(str(len(files)), encoding="utf-8")
        try:
            staging.rename(target)
        except OSError:  # another process finished first: its snapshot is the same
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _remove_others(target)
    return target


def _remove_others(keep: Path) -> None:
    """Remove the snapshots of other keys, and staging folders left by builds that died.
    A process that has an older snapshot open keeps reading it: its files stay until closed."""
    for path in keep.parent.iterdir():
        if path == keep:
            continue
        staging = path.name.startswith(STAGING_PREFIX)
        if staging and time.time() - path.stat().st_mtime < STALE_STAGING_S:
            continue  # another build may still be writing it
        shutil.rmtree(path, ignore_errors=True)


def build_in_background(data: Path, files: list[Path]) -> subprocess.Popen | None:
    """Start building the snapshot in a detached process of lower priority; None when snapshots
    are off or the build could not start (the store then simply stays in memory)."""
    if not snapshots_enabled():
        return None
    try:
        process = subprocess.Popen([sys.executable, "-m", "chosaku.store_snapshot", str(data)],
                                   stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        process.stdin.write("\n".join(map(str, files)).encode("utf-8"))
        process.stdin.close()
        return process
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    """Build a snapshot: `python -m chosaku.store_snapshot <data>`, the files one per line on input."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m chosaku.store_snapshot DATA < FILE-LIST", file=sys.stderr)
        return 2
    files = [Path(line) for line in sys.stdin.read().splitlines() if line.strip()]
    if not files:
        print("no files given on standard input", file=sys.stderr)
        return 2
    os.nice(10)  # a background build gives way to the queries being answered meanwhile
    build_snapshot(Path(args[0]), files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
