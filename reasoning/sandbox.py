"""Running work in a forked child with a time limit: the child shares the parent's memory
copy-on-write (the loaded store), dies with the parent, may use no more CPU than the limit and no
more than MEMORY_LIMIT bytes of memory beyond what it inherited, and is killed when the limit
passes. Its answer comes back through a pipe: a pickled value (at most ANSWER_LIMIT bytes), or a
small pickled header followed by the bytes of a serialised answer (at most STREAM_LIMIT bytes),
which the parent spools to a temporary file past SPOOL_MEMORY bytes and hands on to be streamed,
so that a large answer never sits whole in the server's memory."""

from __future__ import annotations

import math
import os
import pickle
import select
import signal
import struct
import tempfile
import time

try:
    import resource
except ImportError:  # not on Windows
    resource = None

from .query_errors import QueryFailed, QuerySyntaxError, QueryTimeout, QueryTooLarge

MEMORY_LIMIT = 1 << 30      # bytes a query may allocate beyond the store it inherits
ANSWER_LIMIT = 64 << 20     # bytes of a pickled answer (held in the parent's memory)
STREAM_LIMIT = 256 << 20    # bytes of a serialised answer (spooled to disk, then streamed)
SPOOL_MEMORY = 8 << 20      # bytes of a serialised answer kept in memory before it spools to disk
_HEADER = struct.Struct("!Q")

try:
    import ctypes

    _LIBC = ctypes.CDLL(None)
except (OSError, ImportError):
    _LIBC = None


def _address_space() -> int | None:
    """The process's virtual memory size in bytes (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit_child(timeout: float) -> None:
    """In the forked child: die with the parent, never use more CPU than the time limit nor more
    memory than MEMORY_LIMIT beyond the inherited address space.
    (Everything it needs is imported before the fork: a child must not import.)"""
    try:
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if resource is not None:
        seconds = math.ceil(timeout) + 1
        try:
            resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        except (ValueError, OSError):
            pass
        inherited = _address_space()
        if inherited is not None:
            try:
                resource.setrlimit(resource.RLIMIT_AS, (inherited + MEMORY_LIMIT, inherited + MEMORY_LIMIT))
            except (ValueError, OSError):
                pass


def _quiet_stderr() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _child(produce, write_end: int, timeout: float) -> None:
    """In the forked child: limit it, run `produce()` -> (header, body bytes), write the header's
    length, the pickled header and the body to the pipe, and leave without the parent's exit handlers."""
    status = 0
    try:
        _quiet_stderr()  # failures come back through the pipe; a crash must not flood the server's log
        _limit_child(timeout)
        try:
            header, body = produce()
            header = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            header, body = pickle.dumps(("error", "MemoryError", f"more than {MEMORY_LIMIT >> 20} MiB")), b""
        except BaseException as exc:  # report every failure to the parent
            header, body = pickle.dumps(("error", type(exc).__name__, str(exc))), b""
        for part in (_HEADER.pack(len(header)), header, body):
            view = memoryview(part)
            while view:
                view = view[os.write(write_end, view):]
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _run_child(produce, timeout: float, lock, limit: int):
    """Fork, run `produce` in the child (see _child) and collect what it writes, within `timeout`
    seconds and `limit` bytes; return (header, spooled file positioned at the body)."""
    read_end, write_end = os.pipe()
    if lock is not None:
        with lock:
            pid = os.fork()
    else:
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(produce, write_end, timeout)
    os.close(write_end)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)
    received, finished, oversize = 0, False, False
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            ready, _, _ = select.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    finished = True
                    break
                received += len(chunk)
                if received > limit + _HEADER.size + 4096:
                    oversize = True
                    break
                spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    finally:
        os.close(read_end)
        if not finished:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, exit_status = os.waitpid(pid, 0)
    try:
        return _header(spool, received, finished, oversize and limit, exit_status, timeout), spool
    except BaseException:
        spool.close()
        raise


def _bytes_text(count: int) -> str:
    """A byte count for a message: '256 MiB', or '100,000 bytes' below one MiB."""
    return f"{count >> 20} MiB" if count >= 1 << 20 else f"{count:,} bytes"


def _too_large(limit: int) -> QueryTooLarge:
    return QueryTooLarge(f"the answer is larger than {_bytes_text(limit)}; ask for fewer rows or columns "
                         "(LIMIT, fewer variables) / 回答が大きすぎます")


def _header(spool, received: int, finished: bool, oversize: int, exit_status: int, timeout: float):
    """The child's pickled header from the start of `spool` (left at the body), or the error that
    explains why there is none (`oversize`: the byte limit passed, else 0)."""
    if oversize:
        raise _too_large(oversize)
    if not finished:
        raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s and was stopped; narrow it "
                           "(more specific patterns, LIMIT) or raise the limit (--timeout) / "
                           f"制限時間（{timeout:g}秒）を超えたためクエリを停止しました")
    if not received and os.WIFSIGNALED(exit_status) and os.WTERMSIG(exit_status) == signal.SIGXCPU:
        raise QueryTimeout(f"the query used more CPU time than its limit of {timeout:g} s and was stopped / "
                           "CPU時間の上限を超えたためクエリを停止しました")
    if not received and os.WIFSIGNALED(exit_status):
        raise QueryTooLarge(f"the query process was stopped by the system (signal {os.WTERMSIG(exit_status)}), "
                            f"most likely at its memory limit of {MEMORY_LIMIT >> 20} MiB; narrow the query / "
                            "メモリの上限でクエリが停止しました")
    spool.seek(0)
    length = spool.read(_HEADER.size)
    if len(length) < _HEADER.size:
        raise QueryFailed("the query process ended without an answer (out of memory or CPU time?) / "
                          "クエリの処理が応答なく終了しました")
    (size,) = _HEADER.unpack(length)
    header = spool.read(size)
    if len(header) < size:
        raise QueryFailed("the query process ended in the middle of its answer / クエリの処理が回答の途中で終了しました")
    return pickle.loads(header)


def _answer(header):
    """The value of an ("ok", value) header, or the QueryError its ("error", kind, message) names."""
    if header[0] == "ok":
        return header[1]
    kind, message = header[1], header[2]
    if kind == "MemoryError":
        raise QueryTooLarge(f"the query needed more memory than its limit ({message}) and was stopped; narrow it "
                            "(more specific patterns, no ORDER BY over everything, LIMIT) / "
                            "メモリの上限を超えたためクエリを停止しました")
    if kind == "AnswerTooLarge":
        raise _too_large(message)
    if kind == "SyntaxError":
        raise QuerySyntaxError(f"not a valid SPARQL 1.1 query: {message} / SPARQLクエリとして読めません")
    raise QueryFailed(f"the query failed: {kind}: {message}")


def run_forked(work, timeout: float, lock=None):
    """Run `work()` in a forked child and return its value; kill the child after `timeout` s.

    The child shares the parent's memory copy-on-write (the loaded store) and sends its value
    back pickled through a pipe (at most ANSWER_LIMIT bytes). `lock` (if given) is held while
    forking, so that no other thread is changing the store at that moment."""

    def produce():
        value = ("ok", work())
        if len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) > ANSWER_LIMIT:
            return ("error", "AnswerTooLarge", ANSWER_LIMIT), b""
        return value, b""

    header, spool = _run_child(produce, timeout, lock, ANSWER_LIMIT)
    spool.close()
    return _answer(header)


def run_forked_serialized(work, write, summarize, timeout: float, lock=None):
    """Run `work()` in a forked child, serialise its value there with `write(value) -> bytes` and
    return (summarize(value), file): `file` is an open spooled file holding the serialised answer
    (at most STREAM_LIMIT bytes) positioned at its start, for the caller to stream and close."""

    def produce():
        value = work()
        body = write(value)
        if len(body) > STREAM_LIMIT:
            return ("error", "AnswerTooLarge", STREAM_LIMIT), b""
        return ("ok", summarize(value)), body

    header, spool = _run_child(produce, timeout, lock, STREAM_LIMIT)
    try:
        return _answer(header), spool
    except BaseException:
        spool.close()
        raise
