"""Benchmark (not a test): N case graphs loaded into a real Virtuoso through the remote store (one
Graph Store Protocol PUT per graph, one manifest entry per case), then the research queries
(queries/*.rq) timed over them.

    .venv/bin/python benchmarks/virtuoso_load.py --cases 10000 [--data DIR]

The N cases are the shipped library's evaluated cases repeated under new ids (`<id>--<n>`), so the
graphs have the shape and size of real ones. Virtuoso (Debian virtuoso-opensource-7) is started on
free loopback ports with a fresh database in a temporary folder and stopped by PID at the end.
Prints a table and writes JSON to benchmarks/virtuoso-results.json."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from chosaku.case_cache import read_header  # noqa: E402
from chosaku.dataset import CaseEntry  # noqa: E402
from chosaku.dataset_build import build_dataset  # noqa: E402
from chosaku.namespaces import CASE  # noqa: E402
from chosaku.open_store import open_store  # noqa: E402
from chosaku.query import run_query  # noqa: E402
from chosaku.query_catalogue import example_queries  # noqa: E402

from remote_servers import start_virtuoso  # noqa: E402


def copies(dataset, count: int, folder: Path):
    """`count` cache files: the library's cases again and again under new ids."""
    sources = [(entry, gzip.decompress(entry.cache.read_bytes()).decode("utf-8")) for entry in dataset.cases]
    for n in range(count):
        entry, text = sources[n % len(sources)]
        new_id = f"{entry.id}--{n}"
        body = text.replace(f"<{CASE}{entry.id}", f"<{CASE}{new_id}")
        header = read_header(entry.cache)
        header.update(id=new_id, default=header["default"].replace(entry.id, new_id, 1),
                      graphs=[g.replace(entry.id, new_id, 1) for g in header["graphs"]])
        lines = body.split("\n", 1)[1]
        path = folder / f"case-{n:06d}.nq.gz"
        path.write_bytes(gzip.compress(("# chosaku-kg case graphs: " + json.dumps(header) + "\n" + lines).encode(),
                                       compresslevel=1))
        yield CaseEntry(id=new_id, origin="saved", path=path, cache=path, default_graph=header["default"],
                        graphs=header["graphs"], position=header.get("position"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--data", help="data folder holding the evaluated library (default: a new one)")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="chosaku-virtuoso-bench-"))
    data = Path(args.data) if args.data else work / "data"
    library = build_dataset(data)
    server = start_virtuoso(work / "virtuoso", buffers=170_000)
    results = {"cases": args.cases, "library": len(library.cases)}
    try:
        empty = work / "no-cases"
        empty.mkdir()
        store = open_store(work / "client", empty, url=server.query_url)  # the ontology only
        started = time.monotonic()
        for n, entry in enumerate(copies(library, args.cases, work)):
            store.load_case(entry)
            entry.cache.unlink()
            if (n + 1) % 500 == 0:
                print(f"{n + 1} cases loaded in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        results["load_seconds"] = round(time.monotonic() - started, 1)
        results["graphs"] = len(store.graph_names)
        results["queries"] = {}
        for example in example_queries():
            started = time.monotonic()
            try:
                answer = run_query(store, example.text, timeout=args.timeout, limit=10_000_000)
                rows = len(answer.rows or answer.triples or [answer.boolean])
            except Exception as exc:  # a benchmark reports a failed query and goes on
                rows = f"error: {str(exc)[:120]}"
            results["queries"][example.name] = {"seconds": round(time.monotonic() - started, 2), "rows": rows}
            print(f"{example.name:30} {results['queries'][example.name]['seconds']:>8} s  {rows}", flush=True)
    finally:
        server.stop()
    print(f"loaded {args.cases} cases ({results.get('graphs')} graphs) in {results.get('load_seconds')} s")
    (ROOT / "benchmarks" / "virtuoso-results.json").write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
