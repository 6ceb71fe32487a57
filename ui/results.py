"""The results panel: RAG type and diagram, a badge per act, the exemptions with their
requirement checklists and why they fail, every citation expandable to the provision's text and
the source passage, liability, risks, and the missing facts as questions answerable in place.
Everything shown is read from the Result: the contract fields and the typed explanation
(chosaku.explanation), whose citations already carry the provision's text and the passages."""

from __future__ import annotations

import streamlit as st

from chosaku.answers import WORK_KEY, spec_of
from chosaku.errors import ScenarioError
from chosaku.explanation import ActExplanation, ExemptionCheck, Provision, RequirementCheck, Source, Text
from chosaku.facts import fact_index
from chosaku.glossary import position_label
from chosaku.labels import rag_type_texts

from . import state
from .builder import answer_of, fact_widget, question_label
from .diagram import rag_dot
from chosaku.memo_cite import (cited_in_lawyer_form, paraphrase, provision_citation, provision_heading, source_citation,
                               source_reference)

from .i18n import plain, t, term
from .palette import BADGE, MARK


def colon(lang: str) -> str:
    """The colon closing a bold label: full-width in Japanese."""
    return "：" if lang == "ja" else ":"


def label_sep(lang: str) -> str:
    """The colon between a label and its text: '：' in Japanese, ': ' in English."""
    return "：" if lang == "ja" else ": "


def badge(code: str, cls: str, lang: str) -> None:
    """A coloured badge with the ontology label of a conclusion or status code."""
    st.badge(term(cls, code, lang), color=BADGE.get(code, "gray"))


def scenario_title(scenario: dict, lang: str) -> str:
    """The scenario's title in the language (falling back to the other one, then the id)."""
    first, second = ("title_ja", "title") if lang == "ja" else ("title", "title_ja")
    return str(scenario.get(first) or scenario.get(second) or scenario.get("id") or "")


def render_summary(data: dict, scenario: dict, lang: str) -> None:
    """Title, technique, RAG type with its definition, display pattern and position."""
    st.markdown(f"### {plain(scenario_title(scenario, lang))}")
    rag, pattern = data.get("rag_type"), data.get("display_pattern")
    st.markdown(f"**{question_label(fact_index()['technique'], lang)}{colon(lang)}** {plain(term('Technique', scenario.get('technique'), lang))}"
                f" · **{t('rag_type', lang)}{colon(lang)}** {'—' if rag is None else rag}"
                f" · **{t('display_pattern', lang)}{colon(lang)}** {'—' if pattern is None else pattern}")
    if rag is not None:
        name, example, definition = rag_type_texts(rag)
        st.info(f"**{name.in_lang(lang)}** — {example.in_lang(lang)}\n\n{definition.in_lang(lang)}")
    if pattern is not None and scenario.get("display") is not None:
        st.caption(f"{t('display_pattern', lang)}{label_sep(lang)}{term('DisplayPattern', scenario.get('display'), lang)} · "
                   f"{t('position', lang)}{label_sep(lang)}{plain(position_label(data['position'], lang) if data.get('position') else '—')}")


def render_overview(data: dict, lang: str) -> None:
    """One line per act: its label and its conclusion as a badge."""
    st.markdown(f"#### {t('acts', lang)}")
    columns = st.columns(max(len(data["acts"]), 1))
    for column, act in zip(columns, data["acts"]):
        with column:
            st.markdown(f"**{term('Act', act['act'], lang)}**")
            badge(act["conclusion"], "Conclusion", lang)


class Citations:
    """The distinct citations of one act (a provision and its sources), numbered in order of
    first use; each is shown once, as an expander, where it is first used."""

    def __init__(self):
        self.numbers: dict[tuple, int] = {}
        self.shown: set[tuple] = set()

    def ref(self, provision: Provision | None, sources: tuple[Source, ...]) -> str:
        """'[n]' for a provision and its sources, registering them ('' when there is neither)."""
        key = (provision, sources)
        if provision is None and not sources:
            return ""
        self.numbers.setdefault(key, len(self.numbers) + 1)
        return f"[{self.numbers[key]}]"

    def render_new(self, lang: str) -> None:
        """Each citation registered and not yet shown, as an expander: the provision's official
        text, then each source passage."""
        for key, number in self.numbers.items():
            if key not in self.shown:
                self.shown.add(key)
                citation_expander(number, *key, lang)


def citation_expander(number: int, provision: Provision | None, sources: tuple[Source, ...], lang: str) -> None:
    """One citation: the provision as a lawyer cites it with its official text verbatim, then each
    source with its document, issuer, date, URL and legal force, and the project's paraphrase of
    the passage marked 要旨 / summary."""
    head = provision_citation(provision, lang) if provision is not None else "—"
    cited = ("；" if lang == "ja" else "; ").join(dict.fromkeys(source_citation(s, lang) for s in sources))
    tail = f" · {cited}" if cited else ""
    with st.expander(f"[{number}] {head}{tail[:110]}{'…' if len(tail) > 110 else ''}"):
        if provision is not None:
            st.markdown(f"**{plain(provision_heading(provision, lang))}**")
            if provision.official_text:
                st.markdown(f"{t('official_text', lang)}:")
                st.markdown("> " + plain(provision.official_text))
            for extra in (provision.summary, provision.comment):
                if extra.in_lang(lang):
                    st.caption(plain(paraphrase(extra, lang)))
        for source in sources:
            st.markdown(f"**{plain(source_citation(source, lang))}**")
            issued, url = source_reference(source)
            facts = (source.authority.in_lang(lang), issued, url, t("binding" if source.binding else "non_binding", lang))
            st.caption(plain(" · ".join(x for x in facts if x)))
            st.markdown(plain(paraphrase(source.text, lang)))


def _work(check: RequirementCheck) -> str:
    return f" [{plain(check.work)}]" if check.work is not None else ""


def checklist_table(requirements: tuple[RequirementCheck, ...], citations: Citations, lang: str,
                    technical: bool = False) -> str:
    """The requirement checklist as a markdown table: mark, requirement, work, reading, citation
    (and the rule that assessed it, with technical details)."""
    rows = [f"| | {t('requirements', lang)} | {t('work', lang)} | {t('status', lang)} | {t('citation', lang)} |",
            "|---|---|---|---|---|"]
    for req in requirements:
        rule = plain(f"{req.rule.label.in_lang(lang)} ({req.rule.name})") if technical and req.rule is not None else ""
        rows.append(f"| {MARK.get(req.status, '?')} | {plain(req.label.in_lang(lang))} | {plain(req.work or '')} | "
                    f"{plain(req.reading.in_lang(lang))} | {citations.ref(req.provision, req.sources)} {rule} |")
    return "\n".join(rows)


def render_exemption(exemption: ExemptionCheck, citations: Citations, lang: str, technical: bool = False) -> None:
    """An exemption weighed for an act: status, why it fails or stays open, the requirement
    checklist, and the citations it uses."""
    with st.container(border=True):
        mark = {"applies": "✓", "not_applicable": "✗"}.get(exemption.status, "?")
        st.markdown(f"**{mark} {plain(provision_heading(exemption.provision, lang))}**")
        badge(exemption.status, "ExemptionStatus", lang)
        wanted = {"not_applicable": "unmet", "conditional": "unknown"}.get(exemption.status)
        failing = [r for r in exemption.requirements if r.status == wanted]
        if failing:
            lines = [f"**{t('why_fails' if wanted == 'unmet' else 'why_open', lang)}{colon(lang)}**"]
            lines += [f"- {plain(req.label.in_lang(lang))}{_work(req)}{label_sep(lang)}**{plain(req.reading.in_lang(lang))}** "
                      f"{citations.ref(req.provision, req.sources)}" for req in failing]
            st.markdown("\n".join(lines))
        if exemption.requirements:
            st.markdown(checklist_table(exemption.requirements, citations, lang, technical))
        citations.render_new(lang)


BY_WORK = Text("By work", "著作物ごと")
CONCLUSION = Text("Conclusion", "結論")
USES_PROTECTED = Text("Uses protected expression", "保護される表現の利用")


def render_works(explained: ActExplanation, citations: Citations, lang: str) -> None:
    """The act assessed for each work: a table of each work's conclusion, whether the act uses its
    protected expression and each exemption's status for it; then, per work, why each exemption
    fails or stays open for it."""
    if not explained.works:
        return
    keys = [e.key for e in explained.exemptions]
    names = {e.key: e.provision.citation.in_lang(lang) for e in explained.exemptions}
    st.markdown(f"**{BY_WORK.in_lang(lang)}**")
    rows = [f"| {t('work', lang)} | {CONCLUSION.in_lang(lang)} | {USES_PROTECTED.in_lang(lang)} | "
            + " | ".join(plain(names[k]) for k in keys) + " |",
            "|---|---|---|" + "---|" * len(keys)]
    for work in explained.works:
        statuses = {e.key: e for e in work.exemptions}
        cells = [f"{MARK.get({'applies': 'met', 'not_applicable': 'unmet'}.get(statuses[k].status, 'unknown'), '?')} "
                 f"{plain(term('ExemptionStatus', statuses[k].status, lang))}" if k in statuses else "—" for k in keys]
        rows.append(f"| {plain(work.work)} | **{plain(term('Conclusion', work.conclusion, lang))}** | "
                    f"{MARK.get(work.protected_expression, '?')} {plain(work.protected_label.in_lang(lang))} | " + " | ".join(cells) + " |")
    st.markdown("\n".join(rows))
    for work in explained.works:
        lines = []
        for exemption in work.exemptions:
            wanted = {"not_applicable": "unmet", "conditional": "unknown"}.get(exemption.status)
            for req in (r for r in exemption.requirements if r.status == wanted):
                lines.append(f"- {plain(exemption.provision.citation.in_lang(lang))}: {plain(req.label.in_lang(lang))}{_work(req)}: "
                             f"**{plain(req.reading.in_lang(lang))}** {citations.ref(req.provision, req.sources)}")
        if lines:
            with st.expander(f"{t('work', lang)}{label_sep(lang)}{plain(work.work)} — {plain(term('Conclusion', work.conclusion, lang))}"):
                st.markdown("\n".join(lines))


# Exemptions shown in full for each act, in the engine's order (Art. 30-4 or 47-5(1), then the next):
# any other that does not apply gets one line naming its unmet requirements.
FULL_EXEMPTIONS = 2


def render_act(act: dict, explained: ActExplanation, lang: str, technical: bool = False) -> None:
    """One act: conclusion badge, actors with fault, exemptions, reasoning steps (each finding
    in the language, with its rule), citations."""
    citations = Citations()
    badge(act["conclusion"], "Conclusion", lang)
    actors = ", ".join(f"{term('AIActorRole', a, lang)} ({t('fault', lang)}{label_sep(lang)}{term('Fault', act['fault'].get(a), lang)})"
                       for a in act["actors"]) or "—"
    st.markdown(f"**{t('actors', lang)}{colon(lang)}** {plain(actors)}")
    rights = [provision_citation(s.provision, lang) for s in explained.steps
              if s.finding.kind == "right" and s.provision is not None]
    if rights:
        st.markdown(f"**{'問題となる権利' if lang == 'ja' else 'Rights at issue'}{colon(lang)}** {plain(', '.join(dict.fromkeys(rights)))}")
    if explained.exemptions:
        st.markdown(f"**{t('exemptions', lang)}**")
    compact = []
    for index, exemption in enumerate(explained.exemptions):
        if technical or index < FULL_EXEMPTIONS or exemption.status != "not_applicable":
            render_exemption(exemption, citations, lang, technical)
        else:
            compact.append(exemption)
    if compact:  # the other exemptions that do not apply: one line each (in full with technical details)
        st.markdown(f"**{t('other_exemptions', lang)}**\n" + "\n".join(
            f"- ✗ {plain(provision_heading(e.provision, lang))}{label_sep(lang)}"
            + plain(("、" if lang == "ja" else ", ").join(dict.fromkeys(
                r.label.in_lang(lang) for r in e.requirements if r.status == "unmet")) or "—")
            for e in compact))
    render_works(explained, citations, lang)
    if not technical:
        citations.render_new(lang)
        return
    with st.expander(t("because", lang)):
        st.markdown("\n".join(
            f"- {plain(step.finding.text.in_lang(lang))} — {t('rule', lang)}{label_sep(lang)}"
            + (f"{plain(step.rule.label.in_lang(lang))} (`{step.rule.name}`)" if step.rule is not None else "—")
            + f" {citations.ref(step.provision, step.sources)}" for step in explained.steps))
    citations.render_new(lang)


def render_liability(data: dict, lang: str) -> None:
    """Who is liable: role, acts, fault, remedies (labels from the ontology)."""
    st.markdown(f"#### {t('liability', lang)}")
    open_ = any(a["conclusion"] == "conditional" or (a["conclusion"] == "infringing" and not a["actors"])
                for a in data["acts"])
    if open_:
        st.markdown(plain("責任を負う者は、回答が必要な事実（下記）によって決まります。" if lang == "ja"
                          else "Who is liable depends on the facts still to answer (below)."))
    if not data["liable"]:
        if not open_:
            st.markdown(t("nobody_liable", lang))
        return
    rows = [f"| {t('actors', lang)} | {t('role', lang)} | {t('for_acts', lang)} | {t('fault', lang)} | "
            f"{t('remedies', lang)} |", "|---|---|---|---|---|"]
    for entry in data["liable"]:
        rows.append(" | ".join([
            f"| {plain(term('AIActorRole', entry['actor'], lang))}", plain(term("LiabilityRole", entry["role"], lang)),
            plain(", ".join(term("Act", a, lang) for a in entry["acts"]) or "—"),
            plain(term("Fault", entry["fault"], lang)),
            plain(", ".join(term("Remedy", r, lang) for r in entry["remedies"]) or "—")
            + (plain((" （故意・過失次第：" if lang == "ja" else " (if the fault allows: ")
                     + ", ".join(term("Remedy", r, lang) for r in entry["remedies_conditional"])
                     + ("）" if lang == "ja" else ")")) if entry.get("remedies_conditional") else "")]) + " |")
    st.markdown("\n".join(rows))
    status = {"available": ("available", "可"), "conditional": ("depends on the fault", "故意・過失次第"),
              "excluded": ("excluded by law", "法律上除外")}
    for entry in data["liable"]:
        if entry.get("remedy_details"):
            with st.expander(f"{term('AIActorRole', entry['actor'], lang)}: "
                             + ("救済手段の詳細" if lang == "ja" else "remedies in detail")):
                st.markdown("\n".join(
                    f"- {plain(pick(d, 'label', lang))} "
                    f"({plain('、'.join(d.get('provisions_ja') or d['provisions']) if lang == 'ja' else ', '.join(d['provisions']))}): "
                    f"{status[d['status']][1 if lang == 'ja' else 0]}" for d in entry["remedy_details"]))


def pick(entry: dict, field: str, lang: str):
    """A field of a bilingual entry (`label` / `label_ja`) in the language, falling back to English."""
    return (entry.get(f"{field}_ja") if lang == "ja" else None) or entry.get(field)


def _force(binding: bool, lang: str) -> str:
    return t("binding" if binding else "non_binding", lang)


def _known_key(key: str) -> bool:
    try:
        spec_of(key)
        return True
    except ScenarioError:  # a key the questionnaire does not know is shown as written
        return False


def render_risk_detail(entry: dict, lang: str) -> None:
    """One entry of the result's risk_details: definition, severity, sources with their legal
    force, legal basis, guidance, why it was raised and the countermeasures."""
    if entry.get("conditional"):
        asked = [question_label(spec_of(key), lang) if _known_key(key) else key for key in entry.get("missing_facts") or []]
        st.warning(f"{t('risk_conditional', lang)}{label_sep(lang)}{plain(', '.join(asked) or '—')}")
    st.markdown(plain(pick(entry, "definition", lang) or ""))
    facts = [f"{t('severity', lang)}{label_sep(lang)}{entry.get('severity') or '—'}"]
    if entry.get("area"):
        facts.append(plain(pick(entry, "area_label", lang) or entry["area"]))
    if entry.get("source"):
        facts.append(f"{t('source', lang)}{label_sep(lang)}{plain(cited_in_lawyer_form(entry['source'], lang))} "
                     f"({_force(entry.get('binding', False), lang)})")
    st.caption(" · ".join(facts))
    basis = entry.get("legal_basis") or []
    if basis:
        st.markdown(f"**{t('legal_basis', lang)}{colon(lang)}** " + "; ".join(
            plain(f"{pick(b, 'provision', lang)} ({pick(b, 'instrument', lang)}, {_force(b.get('binding', False), lang)})")
            for b in basis))
    for reason in entry.get("raised_by") or []:
        st.markdown(f"- {t('raised_by', lang)}{label_sep(lang)}{plain(pick(reason, 'reason', lang) or reason.get('rule', ''))}")
    measures = entry.get("countermeasures") or []
    if measures:
        st.markdown(f"**{t('countermeasures', lang)}{colon(lang)}**")
        for measure in measures:
            source = (f" — {plain(cited_in_lawyer_form(measure['source'], lang))} ({_force(measure.get('binding', False), lang)})"
                      if measure.get("source") else "")
            st.markdown(f"- **{plain(pick(measure, 'label', lang) or '')}**{label_sep(lang)}{plain(pick(measure, 'description', lang) or '')}{source}")
    for guide in entry.get("guidance") or []:
        note = pick(guide, "note", lang)
        st.caption(plain(f"{t('guidance', lang)}{label_sep(lang)}{pick(guide, 'label', lang)} ({pick(guide, 'authority', lang) or ''}, "
                         f"{_force(guide.get('binding', False), lang)})" + (f" — {note}" if note else "")))


def render_risks(data: dict, lang: str) -> None:
    """Each raised risk with the result's risk_details: definition, sources, legal basis,
    guidance and countermeasures."""
    st.markdown(f"#### {t('risks', lang)}")
    if not data["risks"]:
        st.markdown(t("no_risks", lang))
    details = {d.get("risk"): d for d in data.get("risk_details") or [] if isinstance(d, dict)}
    ordered = [d["risk"] for d in data.get("risk_details") or [] if isinstance(d, dict) and d.get("risk") in data["risks"]]
    for code in ordered + [c for c in data["risks"] if c not in ordered]:
        name = pick(details[code], "label", lang) if code in details else code
        with st.expander(f"⚠ {name}"):
            if code in details:
                render_risk_detail(details[code], lang)


def _question_note(key: str, lang: str) -> str:
    match = WORK_KEY.match(key)
    return f"{t('work', lang)}{label_sep(lang)}{match.group(1)}" if match else ""


def render_missing(data: dict, lang: str, heading: str | None = None, prefix: str = "m") -> None:
    """The facts the engine still needs, each as a question answered in place."""
    st.markdown(f"##### {heading}" if heading else f"#### {t('missing', lang)}")
    if not data["missing_facts"]:
        st.success(t("none_missing", lang))
        return
    st.caption(t("missing_help", lang))
    for key in data["missing_facts"]:
        spec = spec_of(key)
        wkey = state.widget_key(prefix, key)
        fact_widget(spec, None, wkey, lang, _on_missing, (key, wkey), _question_note(key, lang))


def _on_missing(key: str, wkey: str) -> None:
    value = answer_of(st.session_state[wkey])
    if value is not None:
        state.answer(key, value)


def render_results(result, scenario: dict, lang: str, technical: bool = False) -> None:
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
                render_act(act, result.explanation.act(act["act"]), lang, technical)
    render_liability(data, lang)
    render_risks(data, lang)
