"""Running work in a forked child with a time limit: the child shares the parent's memory
copy-on-write (the loaded store), dies with the parent, may use no more CPU than the limit and no
more than MEMORY_LIMIT bytes of memory beyond what it inherited, and is killed when the limit
passes; its answer comes back pickled through a pipe, at most ANSWER_LIMIT bytes."""

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

from .query_errors import QueryFailed, QuerySyntaxError, QueryTimeout, QueryTooLarge

MEMORY_LIMIT = 1 << 30      # bytes a query may allocate beyond the store it inherits
ANSWER_LIMIT = 64 << 20     # bytes of a pickled answer

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
            _quiet_stderr()  # failures come back through the pipe; a crash must not flood the server's log
            _limit_child(timeout)
            try:
                payload = pickle.dumps(("ok", work()), protocol=pickle.HIGHEST_PROTOCOL)
                if len(payload) > ANSWER_LIMIT:
                    payload = pickle.dumps(("error", "AnswerTooLarge", f"{len(payload)} bytes"))
            except MemoryError:
                payload = pickle.dumps(("error", "MemoryError", f"more than {MEMORY_LIMIT >> 20} MiB"))
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
        _, exit_status = os.waitpid(pid, 0)
    if not finished:
        raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s and was stopped; narrow it "
                           "(more specific patterns, LIMIT) or raise the limit (--timeout) / "
                           f"制限時間（{timeout:g}秒）を超えたためクエリを停止しました")
    if not chunks and os.WIFSIGNALED(exit_status) and os.WTERMSIG(exit_status) == signal.SIGXCPU:
        raise QueryTimeout(f"the query used more CPU time than its limit of {timeout:g} s and was stopped / "
                           "CPU時間の上限を超えたためクエリを停止しました")
    if not chunks and os.WIFSIGNALED(exit_status):
        raise QueryTooLarge(f"the query process was stopped by the system (signal {os.WTERMSIG(exit_status)}), "
                            f"most likely at its memory limit of {MEMORY_LIMIT >> 20} MiB; narrow the query / "
                            "メモリの上限でクエリが停止しました")
    if not chunks:
        raise QueryFailed("the query process ended without an answer (out of memory or CPU time?) / "
                          "クエリの処理が応答なく終了しました")
    answer = pickle.loads(b"".join(chunks))
    if answer[0] == "ok":
        return answer[1]
    kind, message = answer[1], answer[2]
    if kind == "MemoryError":
        raise QueryTooLarge(f"the query needed more memory than its limit ({message}) and was stopped; narrow it "
                            "(more specific patterns, no ORDER BY over everything, LIMIT) / "
                            "メモリの上限を超えたためクエリを停止しました")
    if kind == "AnswerTooLarge":
        raise QueryTooLarge(f"the answer is larger than {ANSWER_LIMIT >> 20} MiB ({message}); ask for fewer rows or "
                            "columns (LIMIT, fewer variables) / 回答が大きすぎます")
    if kind == "SyntaxError":
        raise QuerySyntaxError(f"not a valid SPARQL 1.1 query: {message} / SPARQLクエリとして読めません")
    raise QueryFailed(f"the query failed: {kind}: {message}")
