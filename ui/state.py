"""The explorer's session: the scenario being edited (the single source of truth), loading a
case or an upload without ever losing the current scenario, and the cached evaluation.

Widgets are keyed with a form version (`ver`): when the scenario is replaced from outside the
questionnaire (a case, an upload, a missing fact answered in the results), the version is bumped
and every widget re-reads its value from the scenario."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from chosaku import evaluate
from chosaku.answers import mapping_of, set_answer
from chosaku.errors import ScenarioError, ValidationError
from chosaku.formats import scenario_format
from chosaku.load import load_scenario, scenario_from_turtle
from chosaku.resources import cases_dir

BLANK = {"id": "new-scenario", "works": [{"id": "work-1"}]}
DEFAULT_CASE = "rag-type4-novel-rewrite"


@dataclass
class Problems:
    """Why a scenario was refused: a reading error or the validator's problems (en, ja)."""

    title: tuple[str, str]
    messages: list[tuple[str, str]]


def scenario_key(scenario: dict) -> str:
    """A canonical text of a scenario (cache key, change detection)."""
    return json.dumps(scenario, sort_keys=True, ensure_ascii=False, default=str)


@st.cache_resource(max_entries=64, show_spinner=False)
def _evaluate_cached(key: str, position: str | None):
    return evaluate(json.loads(key), position=position)


def evaluate_current(scenario: dict):
    """The Result of a scenario (cached by its content); raises ScenarioError/ValidationError."""
    return _evaluate_cached(scenario_key(scenario), None)


def evaluate_position(scenario: dict, position: str | None):
    """The Result of a scenario under an interpretive position (cached by content and position)."""
    return _evaluate_cached(scenario_key(scenario), position)


def problems_of(exc: ScenarioError | ValidationError) -> Problems:
    """The bilingual messages of a refused scenario."""
    if isinstance(exc, ValidationError):
        return Problems(("The scenario breaks the format", "シナリオが形式に反しています"),
                        [(p.message_en, p.message_ja) for p in exc.problems])
    return Problems(("The scenario cannot be read", "シナリオを読み取れません"),
                    [(exc.message_en, exc.message_ja)])


@st.cache_data(show_spinner=False)
def library() -> dict[str, dict]:
    """The case library: id → scenario mapping, in file-name order."""
    cases = {}
    for path in sorted(cases_dir().glob("*.yaml")):
        try:
            data = load_scenario(path).data
        except ScenarioError:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            cases[data["id"]] = data
    return cases


def init(case_id: str | None = None) -> None:
    """Set up the session once: the given case (or the sample case) as the scenario."""
    ss = st.session_state
    if "scenario" in ss:
        return
    cases = library()
    chosen = case_id if case_id in cases else DEFAULT_CASE if DEFAULT_CASE in cases else None
    ss.scenario = dict(cases[chosen]) if chosen else dict(BLANK)
    ss.case_choice = chosen or ""  # canonical: the case id ('' for blank), whatever the language
    ss.ver = 0
    ss.refused = None


def widget_key(prefix: str, name: str) -> str:
    """The key of a questionnaire widget: its prefix, the form version and the language.

    Keying by language gives every widget a new identity when the language changes, so it reads
    its value again from the scenario instead of keeping the other language's label (which a
    select box or radio would hand back as a value matching none of its options)."""
    ss = st.session_state
    return f"{prefix}{ss.get('ver', 0)}:{ss.get('lang', 'en')}:{name}"


def offered(wkey: str, choices: list) -> bool:
    """Whether the widget `wkey` holds one of `choices`. Anything else (a stale label from
    before a language switch) is no answer, and callbacks ignore it."""
    value = st.session_state.get(wkey)
    return any(value == c and type(value) is type(c) for c in choices)


def replace(scenario: dict) -> None:
    """Make `scenario` the current one and refresh every widget from it."""
    st.session_state.scenario = scenario
    st.session_state.ver = st.session_state.get("ver", 0) + 1


def answer(key: str, value) -> None:
    """Answer one fact (None: unknown) and refresh the widgets."""
    replace(set_answer(st.session_state.scenario, key, value))


def load_case(case_id: str) -> None:
    """Start from a case of the library ('' starts from a blank scenario)."""
    cases = library()
    replace(json.loads(json.dumps(cases[case_id])) if case_id in cases else dict(BLANK))
    st.session_state.refused = None


def parse_upload(name: str, data: bytes) -> dict:
    """Read an uploaded or pasted scenario (YAML, JSON or Turtle) into a mapping and check it
    with the engine; raises ScenarioError or ValidationError and changes nothing."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{name}: not UTF-8 text", "UTF-8 のテキストではありません") from exc
    if Path(name).suffix.lower() == ".ttl" or scenario_format(text) == "turtle":
        loaded = scenario_from_turtle(text)
    else:  # always as text (a trailing newline keeps a one-line text from being read as a path)
        loaded = load_scenario(text if text.endswith("\n") else text + "\n")
    mapping = mapping_of(loaded)
    evaluate_current(mapping)
    return mapping


def ingest(name: str, data: bytes) -> bool:
    """Load an upload if it is a valid scenario; otherwise record why and keep the current one."""
    try:
        mapping = parse_upload(name, data)
    except (ScenarioError, ValidationError) as exc:
        st.session_state.refused = (name, problems_of(exc))
        return False
    except Exception as exc:  # the upload boundary: an unforeseen failure is a refusal, never a traceback
        refusal = ScenarioError(f"could not be read as a scenario ({type(exc).__name__})",
                                f"シナリオとして読めませんでした（{type(exc).__name__}）")
        st.session_state.refused = (name, problems_of(refusal))
        return False
    replace(mapping)
    st.session_state.refused = None
    st.session_state.loaded_name = name
    return True
