"""The summary a lawyer reads first: a bottom line per act, who is liable and for what (civil
remedies and criminal exposure apart), the open facts as questions answerable in place, and the
design changes that would make an infringing act lawful (from what-if). The words come from
chosaku.memo_content, which reads the result; nothing here decides law."""

from __future__ import annotations

import streamlit as st

from chosaku.answers import set_answer
from chosaku.memo_cite import source_citation
from chosaku.memo_content import bottom_line, design_changes, liabilities

from . import state
from .i18n import plain, t, term
from .palette import BADGE
from .results import render_missing, scenario_title
from .builder import answer_label
from .whatif import compute, fact_name


def render_verdicts(result, lang: str) -> None:
    """One line per act: the conclusion as a badge and the bottom line."""
    data = result.to_dict()
    with st.container(key="verdicts"):
        for act in data["acts"]:
            explained = result.explanation.act(act["act"])
            colour = BADGE.get(act["conclusion"], "gray")
            badge = f":{colour}-badge[{plain(term('Conclusion', act['conclusion'], lang))}]"
            st.markdown(f"{badge} {plain(bottom_line(explained).in_lang(lang))}")


def render_liable(data: dict, lang: str) -> None:
    """Who is liable and for what, with civil remedies and criminal exposure on separate lines."""
    st.markdown(f"##### {t('who_liable', lang)}")
    lines = liabilities(data)
    if not lines:
        st.markdown(t("nobody_liable", lang))
        return
    for line in lines:
        parts = [f"**{plain(line.sentence.in_lang(lang))}**"]
        if line.remedies.in_lang(lang):
            parts.append(f"{t('civil_remedies', lang)}：{plain(line.remedies.in_lang(lang))}" if lang == "ja"
                         else f"{t('civil_remedies', lang)}: {plain(line.remedies.in_lang(lang))}")
        if line.remedies_if_fault.in_lang(lang):
            parts.append(plain(f"{t('if_fault', lang)}: {line.remedies_if_fault.in_lang(lang)}"))
        if line.criminal.in_lang(lang):
            parts.append(f"{t('criminal_exposure', lang)}：{plain(line.criminal.in_lang(lang))}" if lang == "ja"
                         else f"{t('criminal_exposure', lang)}: {plain(line.criminal.in_lang(lang))}")
        st.markdown("\n".join(f"- {p}" if i else p for i, p in enumerate(parts)))


def stored_impacts(scenario: dict):
    """The what-if of this scenario if it was computed (here or in the What-if tab), else None."""
    stored = st.session_state.get("whatif")
    return stored["impacts"] if stored and stored["key"] == state.scenario_key(scenario) else None


def _explain(scenario: dict):
    def explain(key: str, value):
        try:
            return state.evaluate_current(set_answer(scenario, key, value)).explanation
        except Exception:  # an alternative the engine refuses has nothing to cite
            return None
    return explain


def render_top_facts(impacts, lang: str, limit: int = 3) -> None:
    """The facts whose other answers change most conclusions (what-if's ranking), at most three."""
    top = [i for i in impacts if i.weight[0] > 0][:limit]
    if not top:
        return
    st.markdown(f"**{t('top_facts', lang)}**")
    st.markdown("\n".join(
        f"- {plain(t('top_fact_line', lang, fact=fact_name(i, lang), now=answer_label(i.spec, i.current, lang), count=i.weight[0]))}"
        for i in top))


def render_make_lawful(scenario: dict, data: dict, lang: str) -> None:
    """The design changes that clear an infringing act (computed on request, kept per scenario)."""
    st.markdown(f"##### {t('make_lawful', lang)}")
    if not any(a["conclusion"] == "infringing" for a in data["acts"]):
        st.markdown(t("nothing_infringing", lang))
        return
    st.caption(t("make_lawful_help", lang))
    impacts = stored_impacts(scenario)
    if impacts is None:
        if not st.button(t("make_lawful_run", lang), key="make-lawful-run"):
            return
        compute(scenario, lang)
        impacts = stored_impacts(scenario)
        if impacts is None:
            return
    render_top_facts(impacts, lang)
    changes = design_changes(impacts, _explain(scenario))
    if not changes:
        st.markdown(t("make_lawful_none", lang))
    for change in changes:
        cited = "; ".join(source_citation(s, lang) for s in change.sources)
        tail = f" — {t('see_source', lang)}{'：' if lang == 'ja' else ': '}{plain(cited)}" if cited else ""
        st.markdown(f"- {plain(change.sentence.in_lang(lang))}{tail}")


def render_summary(result, scenario: dict, lang: str, memo_button=None) -> None:
    """The whole summary: title, verdicts, liability, open questions, design changes."""
    data = result.to_dict()
    head, button = st.columns([3, 1], vertical_alignment="top")
    with head:
        st.markdown(f"#### {plain(scenario_title(scenario, lang))}")
    with button:
        if memo_button is not None:
            memo_button()
    render_verdicts(result, lang)
    left, right = st.columns(2)
    with left:
        render_liable(data, lang)
    with right:
        render_missing(data, lang, heading=t("open_questions", lang), prefix="s")
    render_make_lawful(scenario, data, lang)
