"""The what-if panel: for each fact, which conclusions change if it is answered differently
(computed by chosaku.whatif, which re-evaluates every alternative through evaluate())."""

from __future__ import annotations

import streamlit as st

from chosaku.answers import WORK_KEY
from chosaku.errors import ValidationError
from chosaku.whatif import Change, FactImpact, what_if

from .builder import answer_label, question_label
from .i18n import exemption_citation, plain, t, term
from .state import scenario_key


def fact_name(impact: FactImpact, lang: str) -> str:
    """The fact's question label, with the work it is about."""
    match = WORK_KEY.match(impact.key)
    name = question_label(impact.spec, lang)
    return f"{name} ({t('work', lang)}: {match.group(1)})" if match else name


def _liability_text(value, lang: str) -> str:
    if value is None:
        return t("absent", lang)
    role, fault, _remedies = value
    return f"{term('LiabilityRole', role, lang)}{'、' if lang == 'ja' else ', '}{term('Fault', fault, lang)}"


def actor_names(actors, lang: str) -> str:
    """Who performs an act, by their labels (none: nobody)."""
    if not actors:
        return t("no_actor", lang)
    return ("、" if lang == "ja" else ", ").join(term("AIActorRole", a, lang) for a in actors)


def _cell(conclusion_change: bool, conclusion, actors: Change | None, lang: str) -> str:
    """A matrix cell: the act's new conclusion (or ＝), and who performs it if that changes."""
    text = (term("Conclusion", conclusion, lang) if conclusion else t("not_performed", lang)) if conclusion_change else UNCHANGED
    return text if actors is None else t("whatif_cell_actors", lang, cell=text, actors=actor_names(actors.after, lang))


def describe(change: Change, lang: str) -> str:
    """One change in words, with ontology labels."""
    act = term("Act", change.act, lang) if change.act else ""
    if change.aspect in ("conclusion", "act"):
        before, after = (term("Conclusion", v, lang) if v else t("absent", lang) for v in (change.before, change.after))
        return t("change_conclusion", lang, act=act, before=before, after=after)
    if change.aspect == "exemption":
        before, after = (term("ExemptionStatus", v, lang) if v else t("absent", lang) for v in (change.before, change.after))
        return t("change_exemption", lang, act=act, item=exemption_citation(change.item, lang), before=before, after=after)
    if change.aspect == "actors":
        before, after = (actor_names(v, lang) for v in (change.before, change.after))
        return t("change_actors", lang, act=act, before=before, after=after)
    if change.aspect == "liability":
        return t("change_liability", lang, item=term("AIActorRole", change.item, lang),
                 before=_liability_text(change.before, lang), after=_liability_text(change.after, lang))
    if change.aspect == "risk":
        before, after = (t("present" if v else "not_raised", lang) for v in (change.before, change.after))
        return t("change_risk", lang, item=change.item, before=before, after=after)
    before, after = ("—" if v is None else str(v) for v in (change.before, change.after))
    return t(f"change_{change.aspect}", lang, before=before, after=after)


def whatif_table(impacts: list[FactImpact], lang: str) -> str:
    """A markdown table: fact, current answer, alternative answer, what changes."""
    rows = [f"| {t('whatif_fact', lang)} | {t('whatif_now', lang)} | {t('whatif_if', lang)} | {t('whatif_changes', lang)} |",
            "|---|---|---|---|"]
    for impact in impacts:
        first = True
        for alternative in impact.alternatives:
            if alternative.problems:
                what = t("whatif_contradiction", lang) + ": " + "; ".join(
                    (p.message_ja if lang == "ja" else p.message_en) for p in alternative.problems)
            elif alternative.changes:
                what = " · ".join(plain(describe(c, lang)) for c in alternative.changes)
            else:
                continue
            if alternative.problems:
                what = plain(what)
            fact = f"**{plain(fact_name(impact, lang))}**" if first else ""
            now = plain(answer_label(impact.spec, impact.current, lang)) if first else ""
            rows.append(f"| {fact} | {now} | {plain(answer_label(impact.spec, alternative.value, lang))} | {what} |")
            first = False
    return "\n".join(rows)


UNCHANGED = "＝"


def matrix(impacts: list[FactImpact], acts: list[str], lang: str) -> tuple[list[dict], list[dict]]:
    """The what-if as a matrix: one row per fact and alternative answer that changes a conclusion,
    who performs an act or who is liable (or contradicts another answer), one column per act and one
    for liability. An act's cell shows its new conclusion (＝ if unchanged) and, if they change, who
    performs it. Returns (rows as shown, the code of each changed cell for colouring: the new
    conclusion, 'actors' where only who acts changes; '' where nothing changes)."""
    shown, codes = [], []
    fact_col, now_col, if_col = t("whatif_fact", lang), t("whatif_now", lang), t("whatif_if", lang)
    appearing = [c.act for i in impacts for a in i.alternatives for c in a.changes
                 if c.aspect == "act" and c.act and c.act not in acts]
    acts = list(acts) + list(dict.fromkeys(appearing))  # acts another answer brings in get a column too
    names = {a: term("Act", a, lang) for a in acts}
    for impact in impacts:
        for alternative in impact.alternatives:
            after = {c.act: c.after for c in alternative.changes if c.aspect in ("conclusion", "act")}
            actors = {c.act: c for c in alternative.changes if c.aspect == "actors"}
            liable = [c for c in alternative.changes if c.aspect == "liability"]
            if not after and not actors and not liable and not alternative.problems:
                continue
            row = {fact_col: fact_name(impact, lang), now_col: answer_label(impact.spec, impact.current, lang),
                   if_col: answer_label(impact.spec, alternative.value, lang)}
            code = {fact_col: "", now_col: "", if_col: ""}
            for act in acts:
                if alternative.problems:
                    row[names[act]], code[names[act]] = t("whatif_contradiction", lang), "contradiction"
                elif act in after or act in actors:
                    value = after.get(act)
                    row[names[act]] = _cell(act in after, value, actors.get(act), lang)
                    code[names[act]] = (value or "absent") if act in after else "actors"
                else:
                    row[names[act]], code[names[act]] = UNCHANGED, ""
            # who is liable, and as what: the changes of who performs the acts show here
            row[t("whatif_liability", lang)] = "; ".join(describe(c, lang) for c in liable) or UNCHANGED
            code[t("whatif_liability", lang)] = ""
            shown.append(row)
            codes.append(code)
    return shown, codes


CELL_STYLE = {"lawful": "background-color: #c8e6c9", "infringing": "background-color: #ffcdd2",
              "conditional": "background-color: #ffe0b2", "not_at_issue": "background-color: #eeeeee",
              "absent": "background-color: #eeeeee", "actors": "background-color: #e3f2fd", "contradiction": "color: #757575", "": "color: #9e9e9e"}


def render_matrix(impacts: list[FactImpact], acts: list[str], lang: str) -> None:
    """The matrix, each changed cell coloured by the act's new conclusion."""
    import pandas as pd

    shown, codes = matrix(impacts, acts, lang)
    if not shown:
        return
    frame, colours = pd.DataFrame(shown), pd.DataFrame(codes)
    styled = frame.style.apply(lambda _: colours.map(lambda c: CELL_STYLE.get(c, "")), axis=None)
    st.dataframe(styled, hide_index=True, width="stretch", key=f"whatif-matrix-{lang}")


def compute(scenario: dict, lang: str) -> None:
    """Run the what-if analysis with a progress bar and keep it for this scenario."""
    bar = st.progress(0.0, text=t("whatif_progress", lang))

    def progress(done: int, total: int, key: str) -> None:
        bar.progress(done / total if total else 1.0, text=f"{t('whatif_progress', lang)} {done}/{total} {key}")

    try:
        impacts = what_if(scenario, progress=progress)
    except ValidationError:
        bar.empty()
        return
    bar.empty()
    st.session_state.whatif = {"key": scenario_key(scenario), "impacts": impacts}


def render_whatif(scenario: dict, valid: bool, lang: str, result_acts: list | None = None) -> None:
    """The panel: a button to compute, then the facts that change conclusions, most first."""
    st.caption(t("whatif_intro", lang))
    if not valid:
        st.warning(t("invalid", lang))
        return
    stored = st.session_state.get("whatif")
    if st.button(t("whatif_run", lang), key="whatif-run", type="primary"):
        compute(scenario, lang)
        st.rerun()  # the summary, drawn before this tab, shows what it found too
    if not stored:
        return
    if stored["key"] != scenario_key(scenario):
        st.warning(t("whatif_stale", lang))
    impacts = stored["impacts"]
    changing = [i for i in impacts if any(a.changes or a.problems for a in i.alternatives)]
    acts = [a["act"] for a in result_acts] if result_acts else []
    st.caption(t("whatif_matrix_help", lang))
    render_matrix(changing, acts, lang)
    with st.expander(t("whatif_details", lang)):
        st.markdown(whatif_table(changing, lang))
    quiet = [i for i in impacts if i not in changing]
    if quiet:
        st.caption(t("whatif_no_change", lang) + " " + ", ".join(plain(fact_name(i, lang)) for i in quiet))
