"""Shortening IRIs with the project's prefixes, for reading (tables, graph exports, the explorer)."""

from __future__ import annotations

from .namespaces import PREFIXES

_BY_LENGTH = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


def compact(iri) -> str:
    """An IRI shortened with the longest matching project prefix (for reading, not for Turtle:
    the rest may contain '/')."""
    text = str(iri)
    for namespace, prefix in _BY_LENGTH:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text
