"""The graph view: the annotated case graph (facts, acts, exemption and requirement assessments,
fault, liability; built by chosaku.case_view) drawn with Cytoscape, coloured by conclusion and
status, with the rules that inferred each edge. Every string that reaches the browser is
HTML-escaped, so no text from a scenario (a title, an id read from Turtle) can inject markup or
script."""

from __future__ import annotations

import html

import streamlit as st

from chosaku.case_view import graph_elements, legend_label

from .i18n import plain, t
from .palette import BADGE, HEX

# readable captions at the zoom that fits a case (the component's default hides them until zoomed in)
NODE_TEXT = {"font-size": 10, "text-wrap": "wrap", "text-max-width": "140px", "min-zoomed-font-size": 3}


def safe(text) -> str:
    """Text made inert for HTML: &, <, >, quotes escaped."""
    return html.escape(str(text), quote=True)


def case_elements(result, lang: str = "en", requirements: bool = True) -> dict:
    """Cytoscape elements {nodes, edges} of the annotated case graph (chosaku.case_view), every
    key and value HTML-escaped. `requirements=False` leaves out the requirement assessments."""
    elements = graph_elements(result, lang, requirements)
    return {part: [{"data": {safe(k): safe(v) for k, v in item["data"].items()}} for item in items]
            for part, items in elements.items()}


@st.cache_data(max_entries=32, show_spinner=False)
def _cached_elements(key: str, lang: str, requirements: bool, _result) -> dict:
    """case_elements, cached by the scenario key (the Result itself is not hashed)."""
    return case_elements(_result, lang, requirements)


def render_graph(result, scenario_key: str, lang: str) -> None:
    """The interactive graph (streamlit-cytoscape, rendered offline) with a colour legend;
    `scenario_key` identifies the evaluated scenario (the elements are cached by it)."""
    from streamlit_cytoscape import EdgeStyle, NodeStyle, streamlit_cytoscape

    st.caption(t("graph_intro", lang))
    requirements = st.toggle(t("graph_requirements", lang), value=False, key="graph-requirements")
    elements = _cached_elements(scenario_key, lang, requirements, result)
    groups = sorted({n["data"]["label"] for n in elements["nodes"]})
    st.markdown(f"**{t('graph_legend', lang)}:** " + " · ".join(
        f":{BADGE.get(g, 'gray')}-badge[{plain(legend_label(g, lang))}]" for g in groups))
    node_styles = [NodeStyle(g, color=HEX.get(g, HEX["other"]), caption="name", custom_styles=NODE_TEXT)
                   for g in groups]
    edge_styles = [EdgeStyle(e, directed=True) for e in sorted({e["data"]["label"] for e in elements["edges"]})]
    streamlit_cytoscape(elements, layout="cose", node_styles=node_styles, edge_styles=edge_styles,
                        height=700, key=f"graph-{len(elements['nodes'])}-{lang}")
