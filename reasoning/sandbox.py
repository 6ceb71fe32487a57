"""Running work in a forked child with a time limit: the child shares the parent's memory
copy-on-write (the loaded store), dies with the parent, may use no more CPU than the limit, and is
killed when the limit passes; its answer comes back pickled through a pipe."""

from __future__ import annotations

import math
import os
import pickle
import select
import signal
import time

try:
    import resource
except ImportError:  # not on Windows
    resource = None

from .query_errors import QueryFailed, QuerySyntaxError, QueryTimeout

try:
    import ctypes

    _LIBC = ctypes.CDLL(None)
except (OSError, ImportError):
    _LIBC = None


def _limit_child(timeout: float) -> None:
    """In the forked child: die with the parent, and never use more CPU than the time limit.
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


def run_forked(work, timeout: float, lock=None):
    """Run `work()` in a forked child and return its value; kill the child after `timeout` s.

    The child shares the parent's memory copy-on-write (the loaded store) and sends its answer
    back pickled through a pipe. `lock` (if given) is held while forking, so that no other thread
    is changing the store at that moment."""
    read_end, write_end = os.pipe()
    if lock is not None:
        with lock:
            pid = os.fork()
    else:
        pid = os.fork()
    if pid == 0:  # the child: answer, write, and leave without running the parent's exit handlers
        status = 0
        try:
            os.close(read_end)
            _limit_child(timeout)
            try:
                payload = pickle.dumps(("ok", work()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # report every failure to the parent
                payload = pickle.dumps(("error", type(exc).__name__, str(exc)))
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view):]
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    chunks, finished = [], False
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
                chunks.append(chunk)
    finally:
        os.close(read_end)
        if not finished:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)
    if not finished:
        raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s and was stopped; narrow it "
                           "(more specific patterns, LIMIT) or raise the limit (--timeout) / "
                           f"制限時間（{timeout:g}秒）を超えたためクエリを停止しました")
    if not chunks:
        raise QueryFailed("the query process ended without an answer (out of memory or CPU time?) / "
                          "クエリの処理が応答なく終了しました")
    answer = pickle.loads(b"".join(chunks))
    if answer[0] == "ok":
        return answer[1]
    kind, message = answer[1], answer[2]
    if kind == "SyntaxError":
        raise QuerySyntaxError(f"not a valid SPARQL 1.1 query: {message} / SPARQLクエリとして読めません")
    raise QueryFailed(f"the query failed: {kind}: {message}")
