"""The result of an evaluation: the contract's JSON, a bilingual text, and the case graph with
the provenance of every inferred triple."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from .contract import checklists
from .explanation import ActExplanation, Explanation
from .namespaces import KG, bind_prefixes
from .receipt import add_provenance

CONTRACT_KEYS = ("id", "rag_type", "display_pattern", "acts", "liable", "risks", "missing_facts")


@dataclass
class Result:
    """One evaluated scenario. `data` holds the contract fields; `explanation` the typed steps
    behind them (chosaku.explanation); the case graph's triples with their provenance are made on
    first use of `triples()` or `graph`."""

    data: dict
    build_triples: Callable[[], list[tuple]]
    explanation: Explanation = field(default_factory=lambda: Explanation(()))
    _triples: list[tuple] | None = field(default=None, repr=False)
    _graph: Graph | None = field(default=None, repr=False)

    def triples(self) -> list[tuple]:
        """The case graph's triples (see `graph`), each once, without building an rdflib Graph."""
        if self._triples is None:
            self._triples = self.build_triples()
        return self._triples

    @property
    def graph(self) -> Graph:
        """Facts + inferences + one rdf:Statement per inferred triple naming its rules."""
        if self._graph is None:
            graph = bind_prefixes(Graph())
            for triple in self.triples():
                graph.add(triple)
            self._graph = graph
        return self._graph

    def to_dict(self) -> dict:
        """The result as the contract's JSON object (plus the added keys: `position`, `receipt` ...)."""
        return self.data

    def to_json(self, indent: int | None = 2) -> str:
        """The contract's JSON text."""
        return json.dumps(self.data, ensure_ascii=False, indent=indent)

    def to_turtle(self) -> str:
        """The annotated case graph as Turtle (the same as `chosaku export --format ttl`)."""
        from .serialization import to_turtle

        return to_turtle(self)

    def to_jsonld(self) -> str:
        """The annotated case graph as JSON-LD with the published context (as `chosaku export`)."""
        from .serialization import to_jsonld

        return to_jsonld(self)

    def steps(self, act: str) -> tuple:
        """The typed steps (chosaku.explanation.Step) of one act's reasoning; () if the case has no such act."""
        found = self.explanation.act(act)
        return found.steps if found is not None else ()

    def act(self, act: str) -> ActExplanation | None:
        """The typed explanation of one act (exemptions with their checklists, steps), or None."""
        return self.explanation.act(act)

    @property
    def receipt(self) -> dict:
        """What the result was drawn from (chosaku.receipt): engine and ontology versions, law file
        hashes, statute text date, position, evaluation time, the canonical scenario and its hash."""
        return self.data["receipt"]

    @cached_property
    def requirements(self) -> dict:
        """For each act, the requirement checklist of each exemption weighed (met/unmet/unknown),
        as dicts (chosaku.contract.requirement_entry); the typed checks are in `explanation`."""
        return {act.act: checklists(act) for act in self.explanation.acts}


def statement_iri(case: URIRef, triple) -> URIRef:
    """A stable IRI for the reified statement of an inferred triple."""
    digest = hashlib.sha1(" ".join(t.n3() for t in triple).encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{case}/inference/{digest}")


def case_triples(facts_and_inferences: Iterable[tuple], produced_by: dict, case: URIRef, receipt: dict) -> list[tuple]:
    """The case graph's triples, each once: facts + inferences + one rdf:Statement per inferred
    triple naming the rules that made it, and the evaluation's receipt as PROV
    (chosaku.receipt.add_provenance)."""
    triples = dict.fromkeys(facts_and_inferences)
    for triple in produced_by:
        statement = statement_iri(case, triple)
        triples.update(dict.fromkeys([(statement, RDF.type, RDF.Statement), (statement, RDF.subject, triple[0]),
                                      (statement, RDF.predicate, triple[1]), (statement, RDF.object, triple[2])]))
        for rule in produced_by.get(triple, []):
            triples.update(dict.fromkeys([(statement, KG.inferredBy, rule), (statement, PROV.wasDerivedFrom, case)]))
    provenance = Graph()
    add_provenance(provenance, case, receipt)
    triples.update(dict.fromkeys(provenance))
    return list(triples)
