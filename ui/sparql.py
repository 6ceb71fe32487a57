"""The SPARQL tab. It runs queries through the query layer (`reasoning/query.py`) once that
module exists; until then it says so. The explorer never runs SPARQL of its own."""

from __future__ import annotations

import importlib.util

import streamlit as st

from .i18n import t


def query_layer():
    """The reasoning.query module, or None while it does not exist."""
    if importlib.util.find_spec("reasoning.query") is None:
        return None
    return importlib.import_module("reasoning.query")


def render_sparql(lang: str) -> None:
    """The SPARQL tab: a placeholder until the query layer lands."""
    if query_layer() is None:
        st.info(t("sparql_pending", lang))
