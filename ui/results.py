"""The results panel: RAG type and diagram, a badge per act, the exemptions with their
requirement checklists and why they fail, every citation expandable to the provision's text and
the source passage, liability, risks, and the missing facts as questions answerable in place.
Everything shown is read from the Result and the ontology."""

from __future__ import annotations

import streamlit as st
from rdflib.namespace import RDFS, SKOS

from reasoning.answers import WORK_KEY, spec_of
from reasoning.facts import fact_index
from reasoning.citations import passage_texts, provision_for, provision_texts, split_sources
from reasoning.labels import label
from reasoning.namespaces import KG
from reasoning.ontology import load_ontology

from . import state
from .builder import fact_widget, question_label
from .diagram import rag_dot
from .i18n import exemption_label, plain, risk_node, t, term
from .palette import BADGE, MARK


def _lang_text(graph, node, prop, lang: str) -> str:
    for value in graph.objects(node, prop):
        if getattr(value, "language", None) == lang:
            return str(value)
    return ""


def badge(code: str, cls: str, lang: str) -> None:
    """A coloured badge with the ontology label of a conclusion or status code."""
    st.badge(term(cls, code, lang), color=BADGE.get(code, "gray"))


def scenario_title(scenario: dict, lang: str) -> str:
    """The scenario's title in the language (falling back to the other one, then the id)."""
    first, second = ("title_ja", "title") if lang == "ja" else ("title", "title_ja")
    return str(scenario.get(first) or scenario.get(second) or scenario.get("id") or "")


def render_summary(data: dict, scenario: dict, lang: str) -> None:
    """Title, technique, RAG type with its definition, display pattern and position."""
    graph = load_ontology()
    st.markdown(f"### {plain(scenario_title(scenario, lang))}")
    st.caption(f"id: {plain(data.get('id'))}")
    cols = st.columns(3)
    cols[0].metric(question_label(fact_index()["technique"], lang), term("Technique", scenario.get("technique"), lang))
    rag = data.get("rag_type")
    cols[1].metric(t("rag_type", lang), "—" if rag is None else str(rag))
    pattern = data.get("display_pattern")
    cols[2].metric(t("display_pattern", lang), "—" if pattern is None else str(pattern))
    if rag is not None:
        node = KG[f"RagType{rag}"]
        st.info(f"**{label(graph, node, lang)}** — {_lang_text(graph, node, KG.example, lang) or ''}\n\n"
                f"{_lang_text(graph, node, RDFS.comment, lang)}")
    if pattern is not None and scenario.get("display") is not None:
        st.caption(f"{t('display_pattern', lang)}: {term('DisplayPattern', scenario.get('display'), lang)} · "
                   f"{t('position', lang)}: {plain(data.get('position') or '—')}")


def render_overview(data: dict, lang: str) -> None:
    """One line per act: its label and its conclusion as a badge."""
    st.markdown(f"#### {t('acts', lang)}")
    columns = st.columns(max(len(data["acts"]), 1))
    for column, act in zip(columns, data["acts"]):
        with column:
            st.markdown(f"**{term('Act', act['act'], lang)}**")
            badge(act["conclusion"], "Conclusion", lang)


class Citations:
    """The distinct citations of one act, numbered in order of first use."""

    def __init__(self):
        self.numbers: dict[tuple, int] = {}

    def ref(self, entry: dict) -> str:
        """'[n]' for an entry with a rule/provision/source, registering it."""
        key = (entry.get("provision"), entry.get("source"))
        if key == (None, None):
            return ""
        self.numbers.setdefault(key, len(self.numbers) + 1)
        return f"[{self.numbers[key]}]"

    def render(self, lang: str) -> None:
        """Each citation as an expander: the provision's official text, then each source passage."""
        for (provision, source), number in self.numbers.items():
            node = provision_for(provision)
            texts = provision_texts(node, lang) if node is not None else None
            head = texts["citation"] or texts["label"] if texts else (provision or "—")
            tail = f" · {source}" if source else ""
            with st.expander(f"[{number}] {head}{tail[:120]}{'…' if len(tail) > 120 else ''}"):
                if texts:
                    st.markdown(f"**{t('provision', lang)}: {plain(texts['label'])}**")
                    if texts["official_text"]:
                        st.markdown(f"{t('official_text', lang)}:")
                        st.markdown("> " + plain(texts["official_text"]))
                    for extra in (texts["summary"], texts["comment"]):
                        if extra:
                            st.caption(plain(extra))
                for citation, passage in split_sources(source):
                    st.markdown(f"**{t('source', lang)}: {plain(citation)}**")
                    if passage is None:
                        continue
                    info = passage_texts(passage, lang)
                    st.caption(plain(" · ".join(x for x in (info["document"], info["issuer"], info["section"]) if x)))
                    st.markdown(f"*{plain(info['label'])}* — {plain(info['text'])}")


def checklist_table(requirements: list[dict], citations: Citations, lang: str) -> str:
    """The requirement checklist as a markdown table: mark, requirement, work, reading, citation."""
    rows = [f"| | {t('requirements', lang)} | {t('work', lang)} | {t('status', lang)} | {t('citation', lang)} |",
            "|---|---|---|---|---|"]
    for req in requirements:
        reading = req["reading"][1] if lang == "ja" else req["reading"][0]
        name = req["label_ja"] if lang == "ja" else req["label"]
        rows.append(f"| {MARK.get(req['status'], '?')} | {plain(name)} | {plain(req.get('work', ''))} | "
                    f"{plain(reading)} | {citations.ref(req)} {plain(req.get('rule', ''))} |")
    return "\n".join(rows)


def render_exemption(act: str, key: str, status: str, requirements: list[dict], citations: Citations,
                     lang: str) -> None:
    """An exemption weighed for an act: status, checklist, and why it fails or stays open."""
    mark = {"applies": "✓", "not_applicable": "✗"}.get(status, "?")
    with st.expander(f"{mark} {exemption_label(key, lang)} — {term('ExemptionStatus', status, lang)}",
                     expanded=False):
        badge(status, "ExemptionStatus", lang)
        if requirements:
            st.markdown(checklist_table(requirements, citations, lang))
        wanted = {"not_applicable": "unmet", "conditional": "unknown"}.get(status)
        failing = [r for r in requirements if r["status"] == wanted]
        if failing:
            st.markdown(f"**{t('why_fails' if wanted == 'unmet' else 'why_open', lang)}:**")
            for req in failing:
                name = req["label_ja"] if lang == "ja" else req["label"]
                reading = req["reading"][1] if lang == "ja" else req["reading"][0]
                work = f" [{plain(req['work'])}]" if "work" in req else ""
                st.markdown(f"- {plain(name)}{work}: **{plain(reading)}** {citations.ref(req)}")


def render_act(act: dict, requirements: dict, lang: str) -> None:
    """One act: conclusion badge, actors with fault, exemptions, reasoning steps, citations."""
    citations = Citations()
    badge(act["conclusion"], "Conclusion", lang)
    actors = ", ".join(f"{term('AIActorRole', a, lang)} ({t('fault', lang)}: {term('Fault', act['fault'].get(a), lang)})"
                       for a in act["actors"]) or "—"
    st.markdown(f"**{t('actors', lang)}:** {plain(actors)}")
    st.markdown(f"**{t('exemptions', lang)}**")
    for key, status in act["exemptions"].items():
        render_exemption(act["act"], key, status, requirements.get(key, []), citations, lang)
    with st.expander(t("because", lang)):
        for entry in act["because"]:
            st.markdown(f"- {plain(entry.get('finding', ''))} — {t('rule', lang)} `{entry['rule']}` "
                        f"{citations.ref(entry)}")
    st.markdown(f"**{t('citation', lang)}**")
    citations.render(lang)


def render_liability(data: dict, lang: str) -> None:
    """Who is liable: role, acts, fault, remedies (labels from the ontology)."""
    st.markdown(f"#### {t('liability', lang)}")
    if not data["liable"]:
        st.markdown(t("nobody_liable", lang))
        return
    rows = [f"| {t('actors', lang)} | {t('role', lang)} | {t('for_acts', lang)} | {t('fault', lang)} | "
            f"{t('remedies', lang)} |", "|---|---|---|---|---|"]
    for entry in data["liable"]:
        rows.append(" | ".join([
            f"| {plain(term('AIActorRole', entry['actor'], lang))}", plain(term("LiabilityRole", entry["role"], lang)),
            plain(", ".join(term("Act", a, lang) for a in entry["acts"]) or "—"),
            plain(term("Fault", entry["fault"], lang)),
            plain(", ".join(term("Remedy", r, lang) for r in entry["remedies"]) or "—")]) + " |")
    st.markdown("\n".join(rows))


def _risk_detail(data: dict, code: str):
    details = data.get("risk_details")
    if isinstance(details, dict):
        return details.get(code)
    if isinstance(details, list):
        return next((d for d in details if isinstance(d, dict) and code in (d.get("id"), d.get("risk"))), None)
    return None


def render_risks(data: dict, lang: str) -> None:
    """Each raised risk: label, definition, countermeasures (and the engine's risk details if given)."""
    graph = load_ontology()
    st.markdown(f"#### {t('risks', lang)}")
    if not data["risks"]:
        st.markdown(t("no_risks", lang))
    for code in data["risks"]:
        node = risk_node(code)
        name = label(graph, node, lang) if node is not None else code
        with st.expander(f"⚠ {name} ({code})"):
            if node is not None:
                st.markdown(plain(_lang_text(graph, node, SKOS.definition, lang)))
                measures = sorted(graph.objects(node, KG.countermeasure), key=str)
                if measures:
                    st.markdown(f"**{t('countermeasures', lang)}:**")
                    for measure in measures:
                        st.markdown(f"- {plain(label(graph, measure, lang))}")
            detail = _risk_detail(data, code)
            if detail is not None:
                st.json(detail, expanded=False)


def _question_note(key: str, lang: str) -> str:
    match = WORK_KEY.match(key)
    return f"{t('work', lang)}: {match.group(1)}" if match else ""


def render_missing(data: dict, lang: str) -> None:
    """The facts the engine still needs, each as a question answered in place."""
    st.markdown(f"#### {t('missing', lang)}")
    if not data["missing_facts"]:
        st.success(t("none_missing", lang))
        return
    st.caption(t("missing_help", lang))
    ver = st.session_state.ver
    for key in data["missing_facts"]:
        spec = spec_of(key)
        wkey = f"m{ver}:{key}"
        fact_widget(spec, None, wkey, lang, _on_missing, (key, wkey), _question_note(key, lang))


def _on_missing(key: str, wkey: str) -> None:
    value = st.session_state[wkey]
    if value is not None:
        state.answer(key, value)


def render_results(result, scenario: dict, lang: str) -> None:
    """The whole results panel."""
    data = result.to_dict()
    render_summary(data, scenario, lang)
    render_overview(data, lang)
    if scenario.get("technique") == "rag":
        st.markdown(f"#### {t('who_stores_inputs', lang)}")
        st.graphviz_chart(rag_dot(data, scenario, lang))
    render_missing(data, lang)
    if data["acts"]:
        tabs = st.tabs([f"{term('Act', a['act'], lang)} · {term('Conclusion', a['conclusion'], lang)}"
                        for a in data["acts"]])
        for tab, act in zip(tabs, data["acts"]):
            with tab:
                render_act(act, result.requirements.get(act["act"], {}), lang)
    render_liability(data, lang)
    render_risks(data, lang)
