"""Which embedded store: rdflib's memory store or pyoxigraph? Loads the researchers' dataset
(the ontology and every shipped case under both positions, as `chosaku query` builds it) into
each and times the load and four of the example queries. Run: `.venv/bin/python benchmarks/store_choice.py`.

Both engines get the same dataset with the same semantics as `chosaku query`: the default graph
is the ontology plus each case as written, and every graph (the other position too) is a named
graph; so the figures compare engines, not dataset layouts.
"""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chosaku.namespaces import PREFIXES  # noqa: E402
from chosaku.query_catalogue import example_queries  # noqa: E402
from chosaku.query_check import prepare  # noqa: E402
from chosaku.dataset_build import build_dataset  # noqa: E402

QUERIES = ["provider-liability", "blocking-47-5-requirements", "positions-compared", "conclusion-provenance"]


def _timed(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def main() -> None:
    dataset = build_dataset(progress=print)
    files = [dataset.ontology_file] + [entry.cache for entry in dataset.cases]
    quads = b"".join(gzip.open(path).read() for path in files)
    lines = quads.count(b"\n")
    print(f"{len(dataset.cases)} cases, {lines} lines of N-Quads")
    examples = {e.name: prepare(e.text).text for e in example_queries() if e.name in QUERIES}

    default = [ox.NamedNode(g) for g in dataset.default_graphs]
    oxigraph = ox.Store()
    seconds, _ = _timed(lambda: oxigraph.bulk_load(input=quads, format=ox.RdfFormat.N_QUADS))
    print(f"pyoxigraph  load {seconds:7.2f} s  ({len(oxigraph)} quads)")
    for name, text in examples.items():
        seconds, rows = _timed(lambda: list(oxigraph.query(text, default_graph=default)))
        print(f"pyoxigraph  {name:28} {seconds * 1000:9.1f} ms  {len(rows)} rows")

    rdflib = Dataset()
    wanted = set(dataset.default_graphs)

    def load_rdflib():
        rdflib.parse(data=quads, format="nquads")
        union = rdflib.default_graph
        for graph in rdflib.graphs():
            if str(graph.identifier) in wanted:
                for triple in graph:
                    union.add(triple)

    seconds, _ = _timed(load_rdflib)
    print(f"rdflib      load {seconds:7.2f} s")
    for name, text in examples.items():
        seconds, rows = _timed(lambda: list(rdflib.query(text, initNs=PREFIXES)))
        print(f"rdflib      {name:28} {seconds * 1000:9.1f} ms  {len(rows)} rows")


if __name__ == "__main__":
    main()
