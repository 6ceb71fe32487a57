"""One evaluated scenario in a store of its own: its result graph plus the ontology, in memory, for
SPARQL over the scenario being worked on rather than the library (the explorer's SPARQL view).

The store is the embedded store's kind (pyoxigraph, forkable, so `chosaku.query.run_query` runs its
queries checked and sandboxed like any other) holding two graphs: the ontology in its usual graph
and the result in `case:<id>`, the graph a dataset case gets; both form the default graph. It is
read-only. The ontology's N-Quads are built once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .case_cache import nquads
from .dataset import ONTOLOGY_GRAPH, CaseEntry, Dataset, StoreError, case_graph_name, union_update_text
from .embedded_store import EmbeddedStore
from .ontology_graph import load_ontology
from .skolem import skolemise
from .store import Store


@lru_cache(maxsize=1)
def _ontology_quads() -> bytes:
    return skolemise(nquads(load_ontology(), ONTOLOGY_GRAPH).encode("utf-8"))


class ScenarioStore(EmbeddedStore):
    """The ontology and one evaluated scenario, in memory; queries only (see scenario_store())."""

    def __init__(self, result):
        case_id = result.data["id"]
        name = str(case_graph_name(case_id))
        entry = CaseEntry(id=case_id, origin="scenario", path=Path(), cache=Path(), default_graph=name,
                          graphs=[name], position=result.data.get("position"))
        Store.__init__(self, Dataset(ontology_file=Path(), data=Path(), cases=[entry]))
        self.graph_name = name
        self.ox = ox.Store()
        self.ox.bulk_load(input=_ontology_quads(), format=ox.RdfFormat.N_QUADS)
        self.ox.bulk_load(input=skolemise(nquads(result.triples(), case_graph_name(case_id)).encode("utf-8")),
                          format=ox.RdfFormat.N_QUADS)
        self.ox.update(union_update_text(self.dataset.default_graphs))  # as the embedded store keeps it

    def replace_graphs(self, quads_by_graph, drop=(), default_graphs=None):
        """Refused: the store shows one evaluation and is never changed."""
        raise StoreError("the scenario's store is read-only; evaluate the changed scenario again")

    def refresh(self) -> bool:
        """Nothing to refresh: the store holds one evaluation, not the case files."""
        return False


def scenario_store(result) -> ScenarioStore:
    """A read-only in-memory store of `result` (a chosaku.Result) and the ontology, for
    `chosaku.query.run_query`: the result graph is named `case:<scenario id>` (as in the dataset),
    the ontology graph as in the dataset, and the default graph is their union."""
    return ScenarioStore(result)
