"""Two analyses side by side: the scenario on screen against a saved one or a case of the library,
or the scenario under both interpretive positions. Each act's conclusion and each exemption's
status is shown for both, and the differences (chosaku.whatif.compare_results) are highlighted.
Scenarios are saved by id into the dataset (chosaku.save.save_case, the same as `chosaku save`:
`<CHOSAKU_DATA>/saved/`), where the command line, the SPARQL endpoint and the next session find them."""

from __future__ import annotations

import streamlit as st

from chosaku.answers import mapping_of
from chosaku.dataset import StoreError, case_files, saved_dir
from chosaku.errors import ChosakuError, ScenarioError, ValidationError
from chosaku.glossary import position_label, positions
from chosaku.load import load_scenario
from chosaku.save import save_case
from chosaku.whatif import compare_results

from . import state
from .i18n import exemption_citation, plain, t, term
from .palette import BADGE

MODES = ("scenarios", "positions")


def _badge(value_set: str, code, lang: str) -> str:
    if code is None:
        return "—"
    return f":{BADGE.get(code, 'gray')}-badge[{plain(term(value_set, code, lang))}]"


def comparison_rows(left: dict, right: dict, lang: str) -> list[tuple[str, str, str, bool]]:
    """(what, left, right, differs) for each act's conclusion and each exemption weighed, from
    two results of the contract."""
    differing = {(c.aspect, c.act, c.item) for c in compare_results(left, right)}
    acts_left = {a["act"]: a for a in left["acts"]}
    acts_right = {a["act"]: a for a in right["acts"]}
    rows = []
    for act in list(acts_left) + [a for a in acts_right if a not in acts_left]:
        one, other = acts_left.get(act), acts_right.get(act)
        changed = ("conclusion", act, None) in differing or ("act", act, None) in differing
        rows.append((f"**{plain(term('Act', act, lang))}**", _badge("Conclusion", one and one["conclusion"], lang),
                     _badge("Conclusion", other and other["conclusion"], lang), changed))
        keys = list((one or {}).get("exemptions", {})) + [k for k in (other or {}).get("exemptions", {})
                                                           if k not in (one or {}).get("exemptions", {})]
        for key in keys:
            rows.append((f"　{plain(exemption_citation(key, lang))}",
                         _badge("ExemptionStatus", (one or {}).get("exemptions", {}).get(key), lang),
                         _badge("ExemptionStatus", (other or {}).get("exemptions", {}).get(key), lang),
                         ("exemption", act, key) in differing))
    return rows


def comparison_table(rows, left_title: str, right_title: str, lang: str) -> str:
    """A markdown table; differing rows marked ≠ and their cells in bold."""
    lines = [f"| | {t('compare_item', lang)} | {plain(left_title)} | {plain(right_title)} |", "|---|---|---|---|"]
    for what, left, right, differs in rows:
        mark = "**≠**" if differs else ""
        lines.append(f"| {mark} | {what} | {left} | {right} |")
    return "\n".join(lines)


def saved_cases() -> dict[str, dict]:
    """The cases saved into the dataset (`<CHOSAKU_DATA>/saved/`): id → scenario mapping. A file
    that cannot be read is left out (the dataset's own build names it)."""
    cases = {}
    for path in case_files(saved_dir()):
        try:
            loaded = load_scenario(path)
        except ChosakuError:
            continue
        cases[loaded.id] = mapping_of(loaded)
    return cases


def save_scenario(scenario: dict, case_id: str) -> tuple[bool, list[tuple[str, str]]]:
    """Save `scenario` under `case_id` into the dataset. Returns (saved, messages (en, ja)): where
    it was saved, or why it was refused (an id in the wrong form, a shipped case's id, a scenario
    that does not evaluate, a data folder that cannot be written)."""
    if not case_id:
        return False, [("Give the scenario an id to save it under (a-z, 0-9, -).",
                        "保存するID（英小文字・数字・ハイフン）を入力してください。")]
    try:
        saved = save_case({**scenario, "id": case_id})
    except (ScenarioError, ValidationError) as exc:
        return False, state.problems_of(exc).messages
    except StoreError as exc:
        return False, [(exc.message_en, exc.message_ja)]
    except OSError as exc:  # the data folder: full, read-only, ...
        return False, [(f"cannot write the saved case: {exc.strerror or exc}",
                        f"保存できません：{exc.strerror or exc}")]
    return True, [(f"Saved as {saved.id} in the dataset ({saved.path}).",
                   f"{saved.id} としてデータセットに保存しました（{saved.path}）。")]


def _on_save(wkey: str) -> None:
    case_id = (st.session_state.get(wkey) or "").strip()
    saved, messages = save_scenario(st.session_state.scenario, case_id)
    st.session_state["compare-saved"] = (state.scenario_key(st.session_state.scenario), saved, messages)
    if saved:
        st.session_state["compare-choice"] = f"saved:{case_id}"


def _result(scenario: dict, position: str | None):
    try:
        return state.evaluate_position(scenario, position).to_dict(), None
    except (ScenarioError, ValidationError) as exc:
        return None, state.problems_of(exc)


def render_compare(scenario: dict, valid: bool, lang: str) -> None:
    """Save the scenario by name; compare it with another, or under both positions."""
    st.caption(t("compare_intro", lang))
    if not valid:
        st.warning(t("invalid", lang))
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        name_key = f"compare-name:{lang}"
        st.text_input(t("compare_name", lang), key=name_key)
    with right:
        st.button(t("compare_save", lang), key="compare-save", on_click=_on_save, args=(name_key,))
    outcome = st.session_state.get("compare-saved")
    if outcome and outcome[0] == state.scenario_key(scenario):   # said once, until the scenario changes
        _, saved_ok, messages = outcome
        for en, ja in messages:
            (st.success if saved_ok else st.error)(plain(ja if lang == "ja" else en))
    mode = st.radio(t("compare_mode", lang), MODES, key=f"compare-mode:{lang}", horizontal=True,
                    format_func=lambda m: t(f"compare_{m}", lang))
    if mode == "positions":
        keys = sorted(positions(), key=lambda k: (k != "seeds", k))  # the default position first
        results = [(_result(scenario, k)[0], position_label(k, lang)) for k in keys]
        if any(r is None for r, _ in results):
            return
        (one, one_title), (other, other_title) = results[0], results[1]
    else:
        saved = saved_cases()
        library = state.library()
        choices = [f"saved:{n}" for n in saved] + [f"case:{c}" for c in library]
        wkey = f"compare-other:{lang}"
        wanted = st.session_state.pop("compare-choice", None)
        if wanted in choices:
            st.session_state[wkey] = wanted   # the case just saved
        chosen = st.selectbox(t("compare_with", lang), choices, key=wkey,
                              format_func=lambda c: (f"★ {c[6:]}" if c.startswith("saved:") else f"{c[5:]}"))
        if chosen is None or not state.offered(wkey, choices):
            return
        other_scenario = saved[chosen[6:]] if chosen.startswith("saved:") else library[chosen[5:]]
        one, _ = _result(scenario, None)
        other, problems = _result(other_scenario, None)
        if other is None:
            st.warning(t("invalid", lang))
            return
        one_title, other_title = t("compare_current", lang), chosen.split(":", 1)[1]
    rows = comparison_rows(one, other, lang)
    differing = sum(r[3] for r in rows)
    st.markdown(t("compare_count", lang, n=differing))
    st.markdown(comparison_table(rows, one_title, other_title, lang))
