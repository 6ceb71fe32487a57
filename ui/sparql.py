"""The SPARQL tab: the example queries of queries/ (or your own) over the scenario on screen (its
result graph and the ontology, chosaku.scenario_store) or over the ontology and every evaluated case
of the library, run through the query layer (chosaku.query: checked, read-only, time- and
row-limited, in a forked child). The explorer runs no SPARQL of its own."""

from __future__ import annotations

import streamlit as st

from chosaku.errors import ChosakuError
from chosaku.open_store import open_store
from chosaku.query import run_query
from chosaku.query_catalogue import example_queries
from chosaku.query_output import cell_text, serialize
from chosaku.resources import cases_dir, data_dir
from chosaku.scenario_store import scenario_store

from . import state
from .i18n import t

TIMEOUT_S = 10.0
ROW_LIMIT = 2000


@st.cache_resource(show_spinner=False)
def _store(data: str, cases: str):
    return open_store(warm_start=True)


def dataset_store():
    """The embedded store of the ontology and the cases (built once per data and cases directory)."""
    return _store(str(data_dir()), str(cases_dir()))


SOURCES = ("scenario", "library")


def on_screen_store(result, scenario: dict):
    """The store of the scenario on screen (its result and the ontology), built once per scenario."""
    key = state.scenario_key(scenario)
    held = st.session_state.get("sparql-store")
    if held is None or held[0] != key:
        held = st.session_state["sparql-store"] = (key, scenario_store(result))
    return held[1]


def _on_source(wkey: str) -> None:
    if state.offered(wkey, list(SOURCES)):
        st.session_state["sparql-source"] = st.session_state[wkey]


def choose_source(valid: bool, lang: str) -> str:
    """The scenario on screen (when it can be evaluated) or the library; returns "scenario" or "library"."""
    choices = list(SOURCES) if valid else ["library"]
    chosen = st.session_state.get("sparql-source", "scenario")
    wkey = f"sparql-source:{lang}"  # keyed by language: the radio re-reads the canonical choice
    if wkey not in st.session_state or st.session_state[wkey] not in choices:
        st.session_state[wkey] = chosen if chosen in choices else choices[0]
    st.radio(t("sparql_source", lang), choices, key=wkey, horizontal=True, on_change=_on_source, args=(wkey,),
             format_func=lambda source: t(f"sparql_source_{source}", lang))
    return st.session_state[wkey] if st.session_state[wkey] in choices else choices[0]


def _on_example(wkey: str) -> None:
    chosen = st.session_state.get(wkey)
    examples = {e.name: e for e in example_queries()}
    if chosen in examples:
        st.session_state["sparql-chosen"] = chosen
        st.session_state["sparql-text"] = examples[chosen].text


@st.fragment
def render_sparql(lang: str, result=None, scenario: dict | None = None) -> None:
    """Choose the data (the scenario on screen, or the library), choose an example or write a
    query, run it, see the rows (or the graph). A fragment: running a query reruns this view only,
    not the whole page, so the first answer on the scenario on screen comes within about a second."""
    examples = {e.name: e for e in example_queries()}
    st.caption(t("sparql_intro", lang))
    source = choose_source(result is not None and scenario is not None, lang)
    if source == "library":  # opened as soon as it is chosen: from its snapshot, it then loads while a query is chosen
        with st.spinner(t("sparql_loading", lang)):
            dataset_store()
    if examples:
        wkey = f"sparql-example:{lang}"  # keyed by language, like every select box with translated labels
        if wkey not in st.session_state:
            st.session_state[wkey] = st.session_state.get("sparql-chosen") or next(iter(examples))
        st.selectbox(t("sparql_examples", lang), list(examples), key=wkey, on_change=_on_example, args=(wkey,),
                     format_func=lambda n: (examples[n].title_ja if lang == "ja" and examples[n].title_ja
                                            else examples[n].title) if n in examples else n)
        chosen = examples.get(st.session_state[wkey])
        question = chosen and (chosen.question_ja if lang == "ja" and chosen.question_ja else chosen.question)
        if question:
            st.caption(question)
    if "sparql-text" not in st.session_state:
        st.session_state["sparql-text"] = next(iter(examples.values())).text if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    st.text_area(t("sparql_query", lang), key="sparql-text", height=260)
    if not st.button(t("sparql_run", lang), key="sparql-run", type="primary"):
        return
    try:
        if source == "scenario":
            store = on_screen_store(result, scenario)
        else:
            with st.spinner(t("sparql_loading", lang)):
                store = dataset_store()
                store.refresh()   # cases saved since it was built (the compare view saves into the dataset)
        answer = run_query(store, st.session_state["sparql-text"], timeout=TIMEOUT_S, limit=ROW_LIMIT)
    except ChosakuError as exc:
        st.error(str(exc))
        return
    if answer.form == "ASK":
        st.markdown(f"**ASK:** `{'true' if answer.boolean else 'false'}`")
    elif answer.form == "SELECT":
        st.caption(t("sparql_rows", lang, rows=len(answer.rows)) + (f" ({t('sparql_cut', lang)})" if answer.truncated else ""))
        st.dataframe([{v: cell_text(term) for v, term in zip(answer.variables, row)} for row in answer.rows])
    else:
        st.code(serialize(answer, "turtle").decode("utf-8"), language="turtle")
