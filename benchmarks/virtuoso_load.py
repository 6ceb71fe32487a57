"""Benchmark (not a test): N case graphs loaded into a real Virtuoso, then the research queries
(queries/*.rq) timed over them through the project's remote store (RemoteStore: the dataset named
with every query, the cases listed by the store's manifest).

    .venv/bin/python benchmarks/virtuoso_load.py --cases 10000 [--method bulk|gsp] [--data DIR]
        [--timeout S] [--compare] [--out FILE]

The N cases are the shipped library's evaluated cases repeated under new ids (`<id>--<n>`), so the
graphs have the shape and size of real ones. Two ways in:

- `bulk` (default): the same N-Quads the project writes (blank nodes skolemised as the remote
  store sends them) plus the manifest entries the remote store writes for each case, loaded with
  Virtuoso's bulk loader (isql: ld_dir, rdf_loader_run on two loaders, checkpoint). The ontology is
  sent by the remote store itself (Graph Store Protocol), as any client would. The cases as
  written are loaded first and every query is timed on Virtuoso's own default graph (no dataset
  named: then the ontology (twice: in its graph and in the union graph), the cases as written,
  the manifest and Virtuoso's own graphs); then the graphs of the other positions and the cases
  as written again in the union graph (what the remote store copies there in the union layout,
  store_union.py) are loaded, and every query is timed with the project's dataset (what
  `chosaku query --store URL` sends: the union graph as the default graph). Last, one case is
  sent again in another version, as `chosaku save --store` sends it (the union graph kept exact).
- `gsp`: every case sent by RemoteStore.load_case (one Graph Store Protocol PUT per graph, then its
  manifest entry), as `chosaku save --store` does.

`--compare` also runs every query on the embedded store over the same N cases (run_query, as
`chosaku query` does) and compares the rows (as tests/test_remote_stores.py does); use a small N.
Virtuoso (Debian virtuoso-opensource-7) is started on free loopback ports with a fresh database in
a temporary folder, stopped by PID and removed at the end. Prints a table and writes JSON
(default benchmarks/virtuoso-results.json)."""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from chosaku.case_cache import HEADER_MARK, read_header  # noqa: E402
from chosaku.dataset import CaseEntry  # noqa: E402
from chosaku.dataset_build import build_dataset  # noqa: E402
from chosaku.embedded_store import EmbeddedStore  # noqa: E402
from chosaku.namespaces import CASE  # noqa: E402
from chosaku.open_store import open_store  # noqa: E402
from chosaku.query import run_query  # noqa: E402
from chosaku.query_catalogue import example_queries  # noqa: E402
from chosaku.skolem import skolemise  # noqa: E402
from chosaku.store_manifest import MANIFEST_GRAPH, Entry, entry_ntriples  # noqa: E402
from chosaku.store_union import UNION_GRAPH  # noqa: E402

from remote_servers import comparable_rows, isql, start_virtuoso, virtuoso_commands  # noqa: E402

LOADERS = 2          # parallel rdf_loader_run() calls (the machine has two cores)
CASES_PER_FILE = 50  # cases per N-Quads file given to the bulk loader


def copies(dataset, count: int):
    """(entry, header, N-Quads text) for `count` copies of the library's cases under new ids."""
    sources = [(entry, read_header(entry.cache), gzip.decompress(entry.cache.read_bytes()).decode("utf-8"))
               for entry in dataset.cases]
    for n in range(count):
        entry, header, text = sources[n % len(sources)]
        new_id = f"{entry.id}--{n}"
        body = text.split("\n", 1)[1].replace(f"<{CASE}{entry.id}", f"<{CASE}{new_id}")
        new = dict(header, id=new_id, default=header["default"].replace(entry.id, new_id, 1),
                   graphs=[g.replace(entry.id, new_id, 1) for g in header["graphs"]])
        yield new, body


def write_cache_files(dataset, count: int, folder: Path):
    """The copies as cache files (what a client's data folder holds), as dataset entries."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, (header, body) in enumerate(copies(dataset, count)):
        path = folder / f"case-{n:06d}.nq.gz"
        path.write_bytes(gzip.compress((HEADER_MARK + json.dumps(header) + "\n" + body).encode(), compresslevel=1))
        yield CaseEntry(id=header["id"], origin="saved", path=path, cache=path, default_graph=header["default"],
                        graphs=header["graphs"], position=header.get("position"))


def split_written(header: dict, body: str) -> tuple[str, str]:
    """A case's N-Quads as (its graph as written, its other positions' graphs): a cache file
    holds each graph's quads together, the case as written first."""
    cuts = [body.find(f" <{g}> .\n") for g in header["graphs"] if g != header["default"]]
    cuts = [c for c in cuts if c >= 0]
    start = body.rfind("\n", 0, min(cuts)) + 1 if cuts else len(body)
    written, others = body[:start], body[start:]
    if written.count(f" <{header['default']}> .\n") != written.count("\n"):
        raise RuntimeError(f"{header['id']}: the graph as written is not one block of the cache file")
    return written, others


def write_bulk_files(dataset, count: int, folder: Path) -> dict:
    """The copies as gzipped N-Quads files for Virtuoso's bulk loader, blank nodes skolemised as
    the remote store sends them: `written-*.nq.gz` holds each case as written and its manifest
    entry (the key is the name its cache file has in write_cache_files), `positions-*.nq.gz` its
    graphs under the other positions, `union-*.nq.gz` its graph as written again, in the union
    graph (what the remote store copies there, store_union.py). Returns the quads written of each kind."""
    folder.mkdir(parents=True, exist_ok=True)
    quads, handles = {"written": 0, "positions": 0, "union": 0}, {}
    for n, (header, body) in enumerate(copies(dataset, count)):
        if n % CASES_PER_FILE == 0:
            for handle in handles.values():
                handle.close()
            handles = {kind: gzip.open(folder / f"{kind}-{n // CASES_PER_FILE:05d}.nq.gz", "wb", compresslevel=1)
                       for kind in quads}
        entry = Entry(header["id"], f"case-{n:06d}", header["default"], list(header["graphs"]), "saved",
                      header.get("position"))
        manifest = "".join(f"{line[:-1]}<{MANIFEST_GRAPH}> .\n" for line in entry_ntriples(entry).splitlines())
        written, others = split_written(header, body)
        union = written.replace(f" <{header['default']}> .\n", f" <{UNION_GRAPH}> .\n")
        for kind, text in (("written", written + manifest), ("positions", others), ("union", union)):
            data = skolemise(text.encode("utf-8"))
            handles[kind].write(data)
            quads[kind] += data.count(b"\n")
    for handle in handles.values():
        handle.close()
    return quads


def bulk_load(server, folder: Path, pattern: str) -> None:
    """Virtuoso's bulk loader over the files matching `pattern` in `folder` (inside the
    server's DirsAllowed), then a checkpoint."""
    isql(server, f"ld_dir('{folder}', '{pattern}', 'urn:chosaku-kg:bulk-unused')", 600)
    loaders = [subprocess.Popen([virtuoso_commands()[1], f"127.0.0.1:{(server.folder / 'sql-port').read_text()}",
                                 "dba", "dba", "exec=rdf_loader_run()"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True) for _ in range(LOADERS)]
    for loader in loaders:
        output, _ = loader.communicate()
        if loader.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"rdf_loader_run() failed: {output[-800:]}")
    failed = isql(server, "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL", 600)
    if "ll_error" in failed and ".nq.gz" in failed:
        raise RuntimeError(f"the bulk loader refused files: {failed[-1500:]}")
    isql(server, "checkpoint", 3600)


def count_quads(server) -> int:
    """The quads in Virtuoso's RDF_QUAD table (every graph, the system's included)."""
    output = isql(server, "SELECT COUNT(*) FROM DB.DBA.RDF_QUAD", 3600)
    return int([line for line in output.splitlines() if line.strip().isdigit()][-1])


def time_queries(store, timeout: float, compare=None, **graphs) -> dict:
    """Each example query's time and rows on `store` (with `graphs`: the dataset to name, as
    run_query takes it); with `compare` (the embedded store over the same cases, its own
    dataset), its rows there and whether they are equal."""
    results = {}
    for example in example_queries():
        started = time.monotonic()
        entry = {}
        try:
            answer = run_query(store, example.text, timeout=timeout, limit=10_000_000, **graphs)
            entry["rows"] = len(answer.rows or answer.triples or [answer.boolean])
        except Exception as exc:  # a benchmark reports a failed or stopped query and goes on
            answer = None
            entry["rows"] = "timeout" if "timed out" in str(exc).lower() or "did not answer" in str(exc) else "error"
            entry["error"] = str(exc)[:300]
        entry["seconds"] = round(time.monotonic() - started, 2)
        if compare is not None:
            started = time.monotonic()
            expected = run_query(compare, example.text, timeout=600, limit=10_000_000)
            entry["embedded_seconds"] = round(time.monotonic() - started, 2)
            entry["embedded_rows"] = len(expected.rows or expected.triples or [expected.boolean])
            entry["equal"] = answer is not None and answer.variables == expected.variables and \
                comparable_rows(answer, "virtuoso") == comparable_rows(expected, "virtuoso")
        results[example.name] = entry
        print(f"{example.name:30} {entry['seconds']:>8} s  {entry['rows']}"
              + (f"  embedded {entry['embedded_rows']} equal={entry['equal']}" if compare is not None else ""),
              flush=True)
    return results


def replace_one_case(library, store, folder: Path) -> float:
    """Seconds to send one case again in another version (as `chosaku save --store` does): its
    manifest entry, its old triples out of the union graph, its graphs, its new triples in."""
    entry = next(write_cache_files(library, 1, folder))
    entry = replace(entry, cache=entry.cache.rename(entry.cache.with_name("replacement-" + entry.cache.name)))
    started = time.monotonic()
    store.load_case(entry)
    seconds = round(time.monotonic() - started, 2)
    print(f"one case replaced in {seconds} s", flush=True)
    return seconds


def print_table(results: dict) -> None:
    """The figures as a Markdown table: per query, time and rows with the project's dataset and
    with the store's own default graph (and the embedded store's rows)."""
    queries = results["queries"]
    print(f"\n{results['cases']} cases ({results['method']}, {results.get('layout')} layout): load {results['load']}, "
          f"{results.get('quads')} quads; one case replaced in {results.get('replace_one_case_seconds')} s")
    print("| query | dataset s | dataset rows | own default graph s | rows | embedded rows | equal (dataset / own) |")
    print("|---|---|---|---|---|---|---|")
    for name in sorted(queries.get("dataset", {})):
        dataset, union = queries["dataset"][name], queries.get("union", {}).get(name, {})
        embedded = dataset.get("embedded_rows", "")
        equal = f"{dataset.get('equal', '')} / {union.get('equal', '')}" if embedded != "" else ""
        print(f"| {name} | {dataset['seconds']} | {dataset['rows']} | {union.get('seconds', '')} | "
              f"{union.get('rows', '')} | {embedded} | {equal} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--method", choices=("bulk", "gsp"), default="bulk")
    parser.add_argument("--data", help="data folder holding the evaluated library (default: a new one)")
    parser.add_argument("--timeout", type=float, default=300.0, help="per query, seconds (sent to Virtuoso too)")
    parser.add_argument("--buffers", type=int, default=400_000, help="Virtuoso NumberOfBuffers (8 KiB pages)")
    parser.add_argument("--compare", action="store_true", help="compare each query's rows with the embedded store")
    parser.add_argument("--keep", action="store_true", help="leave Virtuoso running (prints its URL and PID)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "virtuoso-results.json"))
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="chosaku-virtuoso-bench-"))
    data = Path(args.data) if args.data else work / "data"
    library = build_dataset(data)
    server = start_virtuoso(work / "virtuoso", buffers=args.buffers)
    print(f"Virtuoso {server.query_url} (PID {server.process.pid}) in {server.folder}", file=sys.stderr, flush=True)
    results = {"cases": args.cases, "method": args.method, "library": len(library.cases), "timeout": args.timeout,
               "load": {}, "queries": {}}
    try:
        empty = work / "no-cases"
        empty.mkdir()
        store = open_store(work / "client", empty, url=server.query_url)  # the ontology only
        embedded = None
        if args.compare:
            entries = list(write_cache_files(library, args.cases, work / "embedded"))
            embedded = EmbeddedStore(replace(library, cases=entries, problems=[]))
        started = time.monotonic()
        if args.method == "gsp":
            for n, entry in enumerate(write_cache_files(library, args.cases, work / "copies")):
                store.load_case(entry)
                entry.cache.unlink()
                if (n + 1) % 100 == 0:
                    print(f"{n + 1} cases sent in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        else:
            folder = server.folder / "load"
            results["quads_written"] = write_bulk_files(library, args.cases, folder)
            results["load"]["write_seconds"] = round(time.monotonic() - started, 1)
            print(f"{results['quads_written']} quads written in {results['load']['write_seconds']} s",
                  file=sys.stderr, flush=True)
            step = time.monotonic()
            bulk_load(server, folder, "written-*.nq.gz")
            results["load"]["written_seconds"] = round(time.monotonic() - step, 1)
            results["quads_written_only"] = count_quads(server)
            print(f"cases as written loaded in {results['load']['written_seconds']} s "
                  f"({results['quads_written_only']} quads in the store); the store's own default graph:", flush=True)
            # Virtuoso's default graph without a dataset: every graph it holds, here the ontology,
            # the cases as written, the manifest and Virtuoso's own (no position graph yet)
            results["queries"]["union"] = time_queries(store, args.timeout, embedded, default_graphs=[],
                                                       named_graphs=[])
            for kind in ("positions", "union"):
                step = time.monotonic()
                bulk_load(server, folder, f"{kind}-*.nq.gz")
                results["load"][f"{kind}_seconds"] = round(time.monotonic() - step, 1)
            store.sync()  # reads the manifest: the store now lists the loaded cases
            results["load"]["seconds"] = round(sum(results["load"].values()), 1)
        if args.method == "gsp":
            store.sync()
            results["load"]["seconds"] = round(time.monotonic() - started, 1)
        results["cases_listed"] = len(store.cases)
        results["graphs"] = len(store.graph_names)
        results["quads"] = count_quads(server)
        print(f"loaded {results['cases_listed']} cases ({results['graphs']} graphs, {results['quads']} quads) "
              f"in {results['load']['seconds']} s; the project's dataset (RemoteStore):", flush=True)
        results["layout"] = "union" if store.union else "listed"
        results["queries"]["dataset"] = time_queries(store, args.timeout, embedded)
        results["replace_one_case_seconds"] = replace_one_case(library, store, work / "replacement")
    finally:
        if args.keep:
            print(f"left running: {server.query_url} PID {server.process.pid} folder {server.folder}", flush=True)
        else:
            server.stop()
            shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
