"""The union layout of a remote store: the default graph kept materialised as one graph.

A query's default graph is the union of the ontology and every case as written (dataset.py).
Named as a list of graphs, that union costs some stores time in proportion to rows × graphs:
Virtuoso 7.2 checks each row against every listed graph, so the research queries take minutes at
1,000 cases, time out at 2,000, and its compiler refuses lists longer than 4,094 graphs. In the
union layout the store also holds UNION_GRAPH, the same union written out, and a query's default
graph is that one graph. The named graphs stay the cases' own graphs, listed with a query that
has a GRAPH pattern (such a query still meets the store's limit on lists; FROM NAMED narrows it).

How the union graph stays equal to the union of the graphs the manifest lists (store_manifest.py):

- a case is added by copying its graph as written into the union graph on the server
  (`INSERT … WHERE`), once before its manifest entry is written and once after (the second copy
  undoes a concurrent client's removal of a triple the two cases share);
- before a case's graphs are replaced, the triples of its old graph that no other listed graph
  holds are removed from the union graph (a triple two cases share stays);
- a store is in the union layout when its manifest says so (UNION_MARK); a client that opens a
  store without the mark builds the union graph from the cases listed and writes the mark last,
  so a half-built union graph is never used.

Every client of a marked store keeps the union graph up to date, whatever layout it would pick
for an unmarked store."""

from __future__ import annotations

from .namespaces import BASE
from .store_manifest import M, MANIFEST_GRAPH

UNION_GRAPH = BASE + "dataset/default-graph"
LAYOUTS = ("listed", "union")

UNION_MARK_ASK = f"ASK {{ GRAPH <{MANIFEST_GRAPH}> {{ <{MANIFEST_GRAPH}> <{M}unionGraph> <{UNION_GRAPH}> }} }}"
UNION_MARK_WRITE = f"INSERT DATA {{ GRAPH <{MANIFEST_GRAPH}> {{ <{MANIFEST_GRAPH}> <{M}unionGraph> <{UNION_GRAPH}> }} }}"


def union_add_text(graph: str) -> str:
    """A SPARQL Update copying one graph's triples into the union graph, on the server."""
    return f"INSERT {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


def union_remove_text(graph: str) -> str:
    """A SPARQL Update removing from the union graph the triples of one graph that no other graph
    the manifest lists in the default graph holds."""
    return (f"DELETE {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{\n"
            f"  GRAPH <{graph}> {{ ?s ?p ?o }}\n"
            f"  FILTER NOT EXISTS {{\n"
            f"    GRAPH ?other {{ ?s ?p ?o }}\n"
            f"    FILTER (?other != <{graph}>)\n"
            f"    GRAPH <{MANIFEST_GRAPH}> {{ ?entry <{M}defaultGraph> ?other }}\n"
            f"  }}\n}}")
