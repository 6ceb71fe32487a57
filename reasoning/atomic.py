"""Writing a file atomically: a crash leaves either the old file or the new one, whole. Every file
the package writes (cache files, saved cases, exports, coverage, sweep outputs) is written here."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

_UMASK = os.umask(0o022)  # read once (os.umask can only be read by setting it) and put back
os.umask(_UMASK)


def _fsync(path, flags: int = os.O_RDONLY) -> None:
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def atomic_output(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Let `write(temporary)` produce the file at a temporary path beside `path`, then flush it to
    disk and move it over `path` with os.replace (atomic on POSIX and Windows); return the path.
    The temporary file (hidden, `.<name>.*.tmp`) is removed when anything fails."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:  # name the file the caller asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    os.close(fd)
    try:
        # mkstemp makes the file private (0600); give it the mode an ordinary new file would have
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_UMASK)
        write(Path(temporary))
        _fsync(temporary)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):
        _fsync(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    return path


def atomic_write(path: Path | str, data: bytes | str) -> Path:
    """Write `data` (bytes, or text written as UTF-8) to `path` atomically; return the path."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return atomic_output(path, lambda temporary: temporary.write_bytes(payload))
