"""The scenario builder: a questionnaire that writes the scenario format.

Questions, their labels, help texts and answer labels come from the ontology through the
package (chosaku.facts, chosaku.glossary); "Unknown" is an answer everywhere and leaves the key
out. Which questions are asked for which technique, and the titles of the blocks, are ontology
data too (kg:askedForTechnique, kg:ScenarioBlock): they only hide questions not yet answered.
Whatever the engine still needs is listed by it as a missing fact and asked in the results,
whatever the questionnaire hides."""

from __future__ import annotations

import copy
import hashlib
import re

import streamlit as st

from chosaku.answers import get_answer, put_value, set_answer
from chosaku.facts import FactSpec, block_titles, fact_index
from chosaku.glossary import label_of, position_label, positions

from . import state
from .i18n import t

# The "Unknown" option (a widget showing None would show no choice at all).
UNKNOWN = "__unknown__"
# The order of the blocks on the page (their titles come from the ontology).
SECTIONS = [None, "collection", "input", "light_use", "output_use", "image", "training",
            "private_use", "education", "internal_review", "quotation"]
# The blocks holding the other requirements of an exemption that turns on a purpose, and that
# purpose (the value of `context` or `output_use.purpose` that opens the exemption).
PURPOSE_BLOCKS = {"private_use": "private", "education": "education",
                  "internal_review": "internal_review", "quotation": "quotation"}


def asked(spec: FactSpec, scenario: dict) -> bool:
    """Whether the questionnaire asks this (non-work) fact now: the Art. 47-5 block only when part
    of the works is displayed; the blocks of Arts. 30(1), 35, 30-3 and 32 when the activity or the
    use of the output has their purpose; other facts for the techniques the ontology asks them for."""
    if spec.block == "light_use":
        return scenario.get("display") == "partial"
    if spec.block in PURPOSE_BLOCKS:
        use = scenario.get("output_use") if isinstance(scenario.get("output_use"), dict) else {}
        return PURPOSE_BLOCKS[spec.block] in (scenario.get("context"), use.get("purpose"))
    return spec.asked_for is None or scenario.get("technique") in spec.asked_for


def options(spec: FactSpec) -> list:
    """The answers offered: unknown first, then true/false or the value codes in the order of
    their English labels."""
    if spec.boolean:
        return [UNKNOWN, True, False]
    # by the English label, so that the order reads naturally (pattern 1, 2, 3) and stays the same
    # in both languages
    return [UNKNOWN] + sorted(spec.values, key=lambda c: (label_of(spec.values[c], "en").casefold(), c))


def answer_of(option):
    """The scenario value of a chosen option (None for unknown: the key is left out)."""
    return None if option == UNKNOWN else option


def answer_label(spec: FactSpec, value, lang: str) -> str:
    """How an answer reads: Unknown / Yes / No, or the value's ontology label."""
    if value is None or value == UNKNOWN:
        return t("unknown", lang)
    if value is True:
        return t("yes", lang)
    if value is False:
        return t("no", lang)
    node = spec.values.get(str(value))
    return label_of(node, lang) if node is not None else str(value)


def question_label(spec: FactSpec, lang: str) -> str:
    """The question's label from the ontology, capitalised."""
    text = (spec.label_ja if lang == "ja" else spec.label_en) or spec.key
    return text[:1].upper() + text[1:]


def fact_widget(spec: FactSpec, value, wkey: str, lang: str, on_change, args, note: str = "") -> None:
    """One question: a radio for yes/no facts, a select box for value sets."""
    choices = options(spec)
    if wkey not in st.session_state:
        st.session_state[wkey] = value if value is not None and value in choices else UNKNOWN
    kwargs = dict(key=wkey, format_func=lambda v: answer_label(spec, v, lang),
                  help=(spec.help_ja if lang == "ja" else spec.help_en) or None,
                  on_change=_if_offered, args=(wkey, choices, on_change, args))
    text = question_label(spec, lang) + (f" ({note})" if note else "")
    if spec.boolean:
        st.radio(text, choices, horizontal=True, **kwargs)
    else:
        st.selectbox(text, choices, **kwargs)


def _if_offered(wkey: str, choices: list, callback, args: tuple) -> None:
    """Run a widget's callback only if the widget holds one of its options (never a stale label)."""
    if state.offered(wkey, choices):
        callback(*args)


def _on_fact(key: str, wkey: str) -> None:
    st.session_state.scenario = set_answer(st.session_state.scenario, key, answer_of(st.session_state[wkey]))


def _on_work_fact(index: int, local: str, wkey: str) -> None:
    scenario = copy.deepcopy(st.session_state.scenario)
    put_value(scenario["works"][index], local, answer_of(st.session_state[wkey]))
    st.session_state.scenario = scenario


ID_PATTERN = re.compile(r"[a-z0-9-]+")


def slug_id(text: str) -> str:
    """A scenario id ([a-z0-9-]+) for any text: its ASCII letters and digits joined by '-', or, for
    a text with none (a Japanese title), 'scenario-' and the first 8 hex digits of its SHA-256."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "scenario-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _on_text(field: str, wkey: str) -> None:
    scenario = copy.deepcopy(st.session_state.scenario)
    value = st.session_state[wkey].strip() or None
    st.session_state.id_note = None
    if field == "id" and value is not None and not ID_PATTERN.fullmatch(value):
        derived = slug_id(value)  # any title is fine: the id is derived, the text kept as the title
        st.session_state.id_note = (value, derived)
        if not scenario.get("title_ja") and not value.isascii():
            put_value(scenario, "title_ja", value)
        elif not scenario.get("title"):
            put_value(scenario, "title", value)
        value = derived
        st.session_state.ver = st.session_state.get("ver", 0) + 1  # the id field shows the derived id
    put_value(scenario, field, value)
    st.session_state.scenario = scenario


def _on_work_id(index: int, wkey: str) -> None:
    scenario = copy.deepcopy(st.session_state.scenario)
    put_value(scenario["works"][index], "id", st.session_state[wkey].strip() or None)
    st.session_state.scenario = scenario


def _on_position(wkey: str) -> None:
    if not state.offered(wkey, sorted(positions())):
        return
    scenario = copy.deepcopy(st.session_state.scenario)
    value = st.session_state[wkey]
    put_value(scenario, "position", None if value == "seeds" else value)
    st.session_state.scenario = scenario


def _add_work() -> None:
    scenario = copy.deepcopy(st.session_state.scenario)
    works = scenario.setdefault("works", [])
    taken = {str(w.get("id")) for w in works if isinstance(w, dict)}
    number = next(n for n in range(1, len(works) + 2) if f"work-{n}" not in taken)
    works.append({"id": f"work-{number}"})
    st.session_state.scenario = scenario
    st.session_state.ver += 1


def _remove_work(index: int) -> None:
    scenario = copy.deepcopy(st.session_state.scenario)
    del scenario["works"][index]
    st.session_state.scenario = scenario
    st.session_state.ver += 1


def _text_input(field: str, caption: str, scenario: dict) -> None:
    wkey = state.widget_key("q", field)
    if wkey not in st.session_state:
        st.session_state[wkey] = str(scenario.get(field) or "")
    st.text_input(caption, key=wkey, on_change=_on_text, args=(field, wkey))


def render_identity(scenario: dict, lang: str) -> None:
    """Id, titles and interpretive position."""
    left, right = st.columns(2)
    with left:
        _text_input("id", t("case_id", lang), scenario)
        note = st.session_state.get("id_note")
        if note:
            st.info(t("id_derived", lang, typed=note[0], derived=note[1]))
        wkey = state.widget_key("q", "position")
        if wkey not in st.session_state:
            st.session_state[wkey] = scenario.get("position") or "seeds"
        st.selectbox(t("position", lang), sorted(positions()), key=wkey, on_change=_on_position, args=(wkey,),
                     format_func=lambda k: position_label(k, lang))
    with right:
        _text_input("title", t("title", lang), scenario)
        _text_input("title_ja", t("title_ja", lang), scenario)


def render_facts(scenario: dict, lang: str) -> None:
    """The top-level and block questions, with progressive disclosure."""
    by_section: dict = {}
    for spec in fact_index().values():
        if not spec.per_work:
            by_section.setdefault(spec.block, []).append(spec)
    for section in SECTIONS:
        shown = [s for s in by_section.get(section, [])
                 if asked(s, scenario) or get_answer(scenario, s.key) is not None]
        if not shown:
            continue
        en, ja = block_titles().get(section, (t("general", "en"), t("general", "ja")))
        st.subheader(ja if lang == "ja" else en)
        columns = st.columns(2)
        for index, spec in enumerate(shown):
            with columns[index % 2]:
                note = "" if asked(spec, scenario) else t("shown_because_answered", lang)
                wkey = state.widget_key("q", spec.key)
                fact_widget(spec, get_answer(scenario, spec.key), wkey, lang, _on_fact, (spec.key, wkey), note)
        if section is None:
            render_works(scenario, lang)


def render_works(scenario: dict, lang: str) -> None:
    """The works: an id and the per-work facts for each; add and remove."""
    ver = st.session_state.ver
    st.subheader(t("works", lang))
    specs = [s for s in fact_index().values() if s.per_work]
    works = scenario.get("works") if isinstance(scenario.get("works"), list) else []
    for index, work in enumerate(works):
        if not isinstance(work, dict):
            continue
        with st.container(border=True):
            wkey = state.widget_key("q", f"w{index}:id")
            if wkey not in st.session_state:
                st.session_state[wkey] = str(work.get("id") or "")
            st.text_input(t("work_id", lang), key=wkey, on_change=_on_work_id, args=(index, wkey))
            columns = st.columns(3)
            for number, spec in enumerate(specs):
                with columns[number % 3]:
                    fkey = state.widget_key("q", f"w{index}:{spec.local_key}")
                    fact_widget(spec, work.get(spec.local_key), fkey, lang, _on_work_fact,
                                (index, spec.local_key, fkey))
            st.button(t("remove_work", lang), key=f"q{ver}:w{index}:remove", on_click=_remove_work, args=(index,))
    st.button(t("add_work", lang), key=f"q{ver}:add-work", on_click=_add_work)


def render_builder(scenario: dict, lang: str) -> None:
    """The whole questionnaire."""
    render_identity(scenario, lang)
    render_facts(scenario, lang)
