"""The SPARQL tab: the example queries of queries/ (or your own) over the ontology and every
evaluated case, run through the query layer (chosaku.query: read-only, time- and row-limited).
The explorer runs no SPARQL of its own."""

from __future__ import annotations

import streamlit as st

from chosaku.errors import ChosakuError
from chosaku.open_store import open_store
from chosaku.query import run_query
from chosaku.query_catalogue import example_queries
from chosaku.query_output import cell_text, serialize
from chosaku.resources import cases_dir, data_dir

from .i18n import t

TIMEOUT_S = 10.0
ROW_LIMIT = 2000


@st.cache_resource(show_spinner=False)
def _store(data: str, cases: str):
    return open_store()


def dataset_store():
    """The embedded store of the ontology and the cases (built once per data and cases directory)."""
    return _store(str(data_dir()), str(cases_dir()))


def _on_example(wkey: str) -> None:
    chosen = st.session_state.get(wkey)
    examples = {e.name: e for e in example_queries()}
    if chosen in examples:
        st.session_state["sparql-chosen"] = chosen
        st.session_state["sparql-text"] = examples[chosen].text


def render_sparql(lang: str) -> None:
    """Choose an example or write a query, run it, see the rows (or the graph)."""
    examples = {e.name: e for e in example_queries()}
    st.caption(t("sparql_intro", lang))
    if examples:
        wkey = f"sparql-example:{lang}"  # keyed by language, like every select box with translated labels
        if wkey not in st.session_state:
            st.session_state[wkey] = st.session_state.get("sparql-chosen") or next(iter(examples))
        st.selectbox(t("sparql_examples", lang), list(examples), key=wkey, on_change=_on_example, args=(wkey,),
                     format_func=lambda n: (examples[n].title_ja if lang == "ja" and examples[n].title_ja
                                            else examples[n].title) if n in examples else n)
        chosen = examples.get(st.session_state[wkey])
        if chosen is not None and chosen.question:
            st.caption(chosen.question)
    if "sparql-text" not in st.session_state:
        st.session_state["sparql-text"] = next(iter(examples.values())).text if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    st.text_area(t("sparql_query", lang), key="sparql-text", height=260)
    if not st.button(t("sparql_run", lang), key="sparql-run", type="primary"):
        return
    try:
        with st.spinner(t("sparql_loading", lang)):
            store = dataset_store()
        result = run_query(store, st.session_state["sparql-text"], timeout=TIMEOUT_S, limit=ROW_LIMIT)
    except ChosakuError as exc:
        st.error(str(exc))
        return
    if result.form == "ASK":
        st.markdown(f"**ASK:** `{'true' if result.boolean else 'false'}`")
    elif result.form == "SELECT":
        st.caption(t("sparql_rows", lang, rows=len(result.rows)) + (f" ({t('sparql_cut', lang)})" if result.truncated else ""))
        st.dataframe([{v: cell_text(term) for v, term in zip(result.variables, row)} for row in result.rows])
    else:
        st.code(serialize(result, "turtle").decode("utf-8"), language="turtle")
