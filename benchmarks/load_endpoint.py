"""A bounded load test of `chosaku serve` on loopback (`./run bench --load [SECONDS]`).

Phases, each SECONDS long (default 30), against one server started here and stopped by its PID:
1. 20 normal clients, each sending research queries one after another;
2. the same plus 4 runaway clients (queries that only a limit stops: CPU and memory);
3. the same plus 2 clients sending parse bombs (a 99,000-character VALUES query, deep nesting);
4. a cold start: a new server, 20 simultaneous first queries.
Reported per phase: normal throughput, p50 / p95 latency, status counts (500s must be 0), runaway
stop times, and the peak resident memory of the server and of its query processes (sampled from
/proc every 0.1 s)."""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from chosaku.query_catalogue import example_queries

# the normal load: the example research queries (queries/*.rq), as researchers send them
NORMAL = [example.text for example in example_queries()]
_HUNDRED = " ".join(str(n) for n in range(1, 101))
RUNAWAYS = [
    # CPU only: 10^10 streamed rows to count (Oxigraph's REGEX is linear, so no regex is heavy there)
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {_HUNDRED} }}" for i in range(5)) + " }",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",                        # memory
]
PARSE_BOMBS = [
    "SELECT * WHERE { VALUES ?x { " + "1 " * 49_000 + "} }",                         # just under the size cap
    "SELECT ?s WHERE { " + "{ " * 39 + "?s ?p ?o " + "} " * 39 + "}",                # just under the nesting cap
]


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class MemoryWatch(threading.Thread):
    """Samples the resident memory of the server and of each of its child processes."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.server_peak, self.child_peak, self.stopped = pid, 0, 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.server_peak = max(self.server_peak, _rss_kib(self.pid))
            for child in _children(self.pid):
                self.child_peak = max(self.child_peak, _rss_kib(child))
            time.sleep(0.1)


def _post(url: str, query: str, timeout: float = 120) -> tuple[int, float]:
    request = urllib.request.Request(url, data=query.encode("utf-8"), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json, text/turtle;q=0.9"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:
        status = 0  # connection refused or reset
    return status, time.monotonic() - started


def _clients(url: str, queries: list[str], count: int, until: float, sink: list) -> list[threading.Thread]:
    def loop(index: int) -> None:
        n = index
        while time.monotonic() < until:
            status, seconds = _post(url, queries[n % len(queries)])
            sink.append((status, seconds))
            n += 1

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    return threads


def _start(data: Path, timeout: float) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, CHOSAKU_DATA=str(data), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "chosaku", "serve", "--port", "0", "--timeout", str(timeout)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    for line in process.stdout:
        if "/sparql" in line:
            return process, line.split(" at ", 1)[1].split()[0]
    raise RuntimeError("the endpoint did not start")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _summary(rows: list[tuple[int, float]], seconds: float) -> dict:
    ok = sorted(s for status, s in rows if status == 200)
    statuses: dict[str, int] = {}
    for status, _ in rows:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {"requests": len(rows), "throughput_per_s": round(len(ok) / seconds, 2),
            "p50_s": round(statistics.median(ok), 3) if ok else None,
            "p95_s": round(ok[max(0, math.ceil(0.95 * len(ok)) - 1)], 3) if ok else None, "statuses": statuses}


def load_test(data: Path, seconds: float = 30, timeout: float = 10) -> dict:
    """Run the four phases against servers over the data folder `data`; return the figures."""
    results = {}
    process, url = _start(data, timeout)
    watch = MemoryWatch(process.pid)
    watch.start()
    try:
        phases = [("normal", [], []), ("with_runaways", RUNAWAYS, [4]), ("with_runaways_and_bombs", RUNAWAYS, [4, 2])]
        for name, _, extra in phases:
            normal, runaway, bombs = [], [], []
            until = time.monotonic() + seconds
            threads = _clients(url, NORMAL, 20, until, normal)
            if extra:
                threads += _clients(url, RUNAWAYS, extra[0], until, runaway)
            if len(extra) > 1:
                threads += _clients(url, PARSE_BOMBS, extra[1], until, bombs)
            for thread in threads:
                thread.join()
            results[name] = {"normal": _summary(normal, seconds)}
            print(f"{name}: {results[name]['normal']}", file=sys.stderr)
            if runaway:
                stops = sorted(s for _, s in runaway)
                results[name]["runaways"] = {"count": len(runaway), "statuses": _summary(runaway, seconds)["statuses"],
                                             "stop_p50_s": round(statistics.median(stops), 2),
                                             "stop_max_s": round(stops[-1], 2)}
            if bombs:
                results[name]["parse_bombs"] = _summary(bombs, seconds)
    finally:
        watch.stopped.set()
        _stop(process)
    results["peak_rss_mib"] = {"server": round(watch.server_peak / 1024), "query_process": round(watch.child_peak / 1024)}
    started = time.monotonic()
    process, url = _start(data, timeout)
    ready = time.monotonic() - started
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            cold = list(pool.map(lambda _: _post(url, NORMAL[0]), range(20)))
    finally:
        _stop(process)
    results["cold_start"] = dict(_summary(cold, max(s for _, s in cold)), seconds_to_listen=round(ready, 2))
    return results


def main() -> None:
    """`python benchmarks/load_endpoint.py [SECONDS]`: run the load test on the shipped cases."""
    import tempfile

    from chosaku.dataset_build import build_dataset

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 30
    data = Path(tempfile.mkdtemp(prefix="chosaku-load-"))
    build_dataset(data)
    print(json.dumps(load_test(data, seconds), indent=2))


if __name__ == "__main__":
    main()
