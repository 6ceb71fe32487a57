"""The graph view: the annotated case graph (facts, acts, exemption and requirement assessments,
fault, liability) as Cytoscape elements, coloured by conclusion and status, with the rules that
inferred each edge. Every string that reaches the browser is HTML-escaped, so no text from a
scenario (a title, an id read from Turtle) can inject markup or script."""

from __future__ import annotations

import html

import streamlit as st
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

from chosaku.explain import STATUS_CODES
from chosaku.labels import code, label, local_name
from chosaku.namespaces import CASE, KG
from chosaku.ontology_graph import load_ontology

from .i18n import plain, t, vocabulary, term
from .palette import BADGE, HEX

SKIP_TYPES = {RDF.Statement, PROV.Activity}
# readable captions at the zoom that fits a case (the component's default hides them until zoomed in)
NODE_TEXT = {"font-size": 7, "text-wrap": "wrap", "text-max-width": "110px", "min-zoomed-font-size": 3}
# Requirement assessments also point at their act; the edge to their exemption implies it.
SKIP_EDGES = {(KG.RequirementAssessment, KG.assessedAct)}


def safe(text) -> str:
    """Text made inert for HTML: &, <, >, quotes escaped."""
    return html.escape(str(text), quote=True)


def _statements(graph) -> dict[tuple, list[str]]:
    """(s, p, o) of each inferred triple → the local names of the rules that inferred it."""
    out = {}
    for statement in graph.subjects(RDF.type, RDF.Statement):
        triple = (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate),
                  graph.value(statement, RDF.object))
        out[triple] = sorted(local_name(r) for r in graph.objects(statement, KG.inferredBy))
    return out


def _kind(graph, node) -> URIRef | None:
    types = [t_ for t_ in graph.objects(node, RDF.type) if t_ not in SKIP_TYPES]
    return sorted(types, key=str)[0] if types else None


def _group_and_caption(graph, onto, node, kind, lang: str) -> tuple[str, str]:
    """The colour group (a fixed code) and the caption of a node."""
    if kind == KG.Scenario:
        titles = {getattr(v, "language", None): str(v) for v in graph.objects(node, KG.title)}
        return "scenario", titles.get(lang) or titles.get("en") or str(graph.value(node, KG.caseId) or local_name(node))
    if kind == KG.Work:
        return "work", str(graph.value(node, KG.workId) or local_name(node))
    if kind == KG.ExemptionAssessment:
        status = graph.value(node, KG.status)
        provision = graph.value(node, KG.assessedProvision)
        citation = next((str(c) for c in onto.objects(provision, KG.citation) if getattr(c, "language", None) == lang),
                        label(onto, provision, lang))
        return code(onto, status) or "conditional", f"{citation}: {label(onto, status, lang)}"
    if kind == KG.RequirementAssessment:
        status = graph.value(node, KG.status)
        requirement = graph.value(node, KG.assessedRequirement)
        return STATUS_CODES.get(status, "unknown"), f"{label(onto, requirement, lang)}: {label(onto, status, lang)}"
    if kind == KG.FaultAssessment:
        return "fault", f"{label(onto, graph.value(node, KG.faultOf), lang)}: {label(onto, graph.value(node, KG.fault), lang)}"
    if kind == KG.Liability:
        return "liability", (f"{label(onto, graph.value(node, KG.liableActor), lang)}: "
                             f"{label(onto, graph.value(node, KG.liabilityRole), lang)}")
    conclusion = graph.value(node, KG.conclusion)
    if conclusion is not None:
        return code(onto, conclusion) or "conditional", f"{label(onto, kind, lang)}: {label(onto, conclusion, lang)}"
    return "other", label(onto, kind, lang) if kind is not None else local_name(node)


def case_elements(result, lang: str = "en", requirements: bool = True) -> dict:
    """Cytoscape elements {nodes, edges} of the annotated case graph; every string escaped.
    `requirements=False` leaves out the requirement assessments (the exemptions keep their status)."""
    graph, onto = result.graph, load_ontology()
    inferred = _statements(graph)
    nodes = {}
    for subject in set(graph.subjects()):
        if not isinstance(subject, URIRef) or not str(subject).startswith(str(CASE)):
            continue
        kind = _kind(graph, subject)
        if kind is None and any(graph.objects(subject, RDF.type)):
            continue  # a provenance statement or the evaluation activity
        if kind == KG.RequirementAssessment and not requirements:
            continue
        nodes[subject] = kind
    elements = {"nodes": [], "edges": []}
    for node, kind in sorted(nodes.items(), key=lambda kv: str(kv[0])):
        group, caption = _group_and_caption(graph, onto, node, kind, lang)
        data = {"id": safe(node), "label": safe(group), "name": safe(caption),
                "type": safe(label(onto, kind, lang) if kind is not None else "")}
        for prop, value in sorted(graph.predicate_objects(node), key=lambda po: str(po[0])):
            if prop == RDF.type or value in nodes:
                continue
            shown = str(value) if isinstance(value, Literal) else label(onto, value, lang)
            rules = inferred.get((node, prop, value))
            data[safe(label(onto, prop, lang))] = safe(shown + (f"  ⟵ {', '.join(rules)}" if rules else ""))
        elements["nodes"].append({"data": data})
    for number, (s, p, o) in enumerate(sorted((tr for tr in graph if tr[0] in nodes and tr[2] in nodes),
                                              key=lambda tr: tuple(map(str, tr)))):
        if (nodes[s], p) in SKIP_EDGES:
            continue
        data = {"id": f"e{number}", "source": safe(s), "target": safe(o),
                "label": safe(local_name(p)), "name": safe(label(onto, p, lang))}
        rules = inferred.get((s, p, o))
        if rules:
            data["inferred_by"] = safe(", ".join(rules))
        elements["edges"].append({"data": data})
    return elements


def legend_label(group: str, lang: str) -> str:
    """The ontology label of a colour group (a conclusion or status code), else the code."""
    for cls in ("Conclusion", "ExemptionStatus", "RequirementStatus"):
        if group in vocabulary(cls):
            return term(cls, group, lang)
    return group


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
