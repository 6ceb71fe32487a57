"""An evaluated case's triples indexed for the explanation's lookups: one object of a subject and
predicate, the objects of a subject and predicate, the subjects of a predicate and object, and
membership, answered from dictionaries (the explanation makes tens of thousands of such lookups per
case, each one a generator over rdflib's store otherwise)."""

from __future__ import annotations

from typing import Iterable, Iterator


class TripleIndex:
    """Triples (rdflib terms), each kept once, in the order first given."""

    def __init__(self, triples: Iterable[tuple]):
        self._triples: dict[tuple, None] = {}
        self._by_subject_predicate: dict[tuple, list] = {}
        self._by_predicate_object: dict[tuple, list] = {}
        for triple in triples:
            if triple in self._triples:
                continue
            self._triples[triple] = None
            subject, predicate, obj = triple
            self._by_subject_predicate.setdefault((subject, predicate), []).append(obj)
            self._by_predicate_object.setdefault((predicate, obj), []).append(subject)

    def __contains__(self, triple) -> bool:
        return triple in self._triples

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._triples)

    def value(self, subject, predicate):
        """One object of (subject, predicate) — the first given — or None."""
        found = self._by_subject_predicate.get((subject, predicate))
        return found[0] if found else None

    def objects(self, subject, predicate) -> Iterator:
        """The objects of (subject, predicate)."""
        return iter(self._by_subject_predicate.get((subject, predicate), ()))

    def subjects(self, predicate, obj) -> Iterator:
        """The subjects of (predicate, object)."""
        return iter(self._by_predicate_object.get((predicate, obj), ()))
