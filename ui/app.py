"""chosaku-kg explorer: build a scenario, see the law's answer, play what-if.

Run with `chosaku ui` (or `streamlit run <chosaku.resources.explorer_app()> [-- --case ID]`). Query parameters:
`?case=<case id>` starts from a case of the library, `?lang=ja|en` picks the language. Every legal answer comes from
`chosaku.evaluate()`; this file only lays out the panels."""

from __future__ import annotations

import json
import re
import sys

import streamlit as st
import yaml

from chosaku.errors import ScenarioError, ValidationError
from chosaku.export import export
from chosaku.explorer import state, viewport
from chosaku.explorer.builder import render_builder
from chosaku.explorer.compare import render_compare
from chosaku.explorer.flowchart import render_flowcharts
from chosaku.explorer.graphview import render_graph
from chosaku.explorer.i18n import LANGUAGES, plain, t
from chosaku.explorer.results import render_results, scenario_title
from chosaku.explorer.sparql import render_sparql
from chosaku.explorer.summary import render_summary, stored_impacts
from chosaku.explorer.whatif import render_whatif
from chosaku.memo import render_memo


# A compact page: the verdicts must be visible in the first 1280×720 viewport.
COMPACT_CSS = """<style>
.block-container {padding-top: 3.2rem; padding-bottom: 2rem; padding-left: 2.5rem; padding-right: 2.5rem;}
h4 {padding-top: 0.2rem;}
@media print {[data-testid="stSidebar"], [data-testid="stHeader"] {display: none;}}
[data-testid="stSidebarHeader"] {height: 1rem; padding: 0;}
[data-testid="stColumn"]:has(> div > .st-key-result-pane), [data-testid="stColumn"]:has(.st-key-result-pane) {
  position: sticky; top: 3.75rem; align-self: flex-start; max-height: calc(100vh - 4.5rem); overflow-y: auto;
  padding-right: 0.5rem;}
@media print {[data-testid="stColumn"]:has(.st-key-result-pane) {position: static; max-height: none; overflow: visible;}}
</style>"""

# Streamlit writes its file uploader's button and limits in English; in Japanese they are hidden and
# our text drawn in their place (the uploader's data-testid hooks of Streamlit 1.67).
UPLOADER_CSS = """<style>
[data-testid="stFileUploader"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] > div > span {{display: none;}}
[data-testid="stFileUploader"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]::after {{
  content: "{button}";}}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{content: "{limits}"; font-size: 0.875rem;
  color: rgba(49, 51, 63, 0.6);}}
</style>"""


def uploader_css(lang: str) -> str:
    """The file uploader's button and limits in Japanese (nothing to change in English)."""
    if lang != "ja":
        return ""
    megabytes = st.get_option("server.maxUploadSize")
    return UPLOADER_CSS.format(button=t("upload_button", lang), limits=t("upload_limits", lang, mb=megabytes))


GRAPH_DOWNLOADS = [("ttl", "ttl", "text/turtle"), ("jsonld", "jsonld", "application/ld+json"),
                   ("graphml", "graphml", "application/graphml+xml")]


def file_stem(scenario: dict) -> str:
    """A safe file name stem for downloads, from the scenario id."""
    stem = re.sub(r"[^a-z0-9-]+", "-", str(scenario.get("id") or "scenario").lower()).strip("-")
    return stem[:80] or "scenario"


def start_case(argv: list[str]) -> str | None:
    """The case id given as `--case ID` after `streamlit run ui/app.py --`, if any."""
    return argv[argv.index("--case") + 1] if "--case" in argv[:-1] else None


def _on_case(wkey: str, choices: list) -> None:
    if state.offered(wkey, choices):  # a stale label from the other language is no choice
        st.session_state.case_choice = st.session_state[wkey]
        state.load_case(st.session_state.case_choice)


def _on_upload() -> None:
    uploaded = st.session_state.get("upload")
    if uploaded is not None:
        state.ingest(uploaded.name, uploaded.getvalue())


def _on_paste() -> None:
    state.ingest("pasted.yaml", st.session_state.get("paste", "").encode("utf-8"))


def render_refused(lang: str) -> None:
    """Why the last upload was refused (the current scenario is kept)."""
    refused = st.session_state.get("refused")
    if not refused:
        return
    name, problems = refused
    en, ja = problems.title
    st.error(f"{plain(name)}: {ja if lang == 'ja' else en}")
    for message_en, message_ja in problems.messages:
        st.markdown(f"- {plain(message_ja if lang == 'ja' else message_en)}")
    st.info(t("upload_refused", lang))


def sidebar(result, lang_default: str) -> str:
    """Language, starting point, upload/paste, downloads. Returns the language."""
    with st.sidebar:
        if "lang" not in st.session_state:
            st.session_state.lang = lang_default
        lang = st.radio(t("language", "en"), list(LANGUAGES), key="lang", horizontal=True,
                        format_func=LANGUAGES.get)
        cases = state.library()
        choices = [""] + list(cases)

        def case_name(case_id: str) -> str:
            if not case_id:
                return t("blank", lang)
            return f"{scenario_title(cases[case_id], lang)} ({case_id})"

        wkey = f"case_choice:{lang}"  # keyed by language: the widget re-reads the canonical choice
        if wkey not in st.session_state:
            st.session_state[wkey] = st.session_state.get("case_choice", "") if st.session_state.get("case_choice", "") in choices else ""
        st.selectbox(t("start_from", lang), choices, key=wkey, format_func=case_name, on_change=_on_case,
                     args=(wkey, choices))
        st.markdown(uploader_css(lang), unsafe_allow_html=True)
        st.file_uploader(t("upload", lang), type=["yaml", "yml", "json", "ttl"], key="upload", on_change=_on_upload)
        st.text_area(t("paste", lang), key="paste", height=120)
        st.button(t("load_pasted", lang), key="load-pasted", on_click=_on_paste)
        render_refused(lang)
        st.toggle(t("technical", lang), key="technical", help=t("technical_help", lang))
        scenario = st.session_state.scenario
        st.markdown(f"**{t('downloads', lang)}**")
        stem = file_stem(scenario)
        st.download_button(t("scenario_yaml", lang), yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False),
                           file_name=f"{stem}.yaml", mime="application/yaml", key="dl-yaml")
        st.download_button(t("scenario_json", lang), json.dumps(scenario, ensure_ascii=False, indent=2),
                           file_name=f"{stem}.json", mime="application/json", key="dl-json")
        if result is not None:
            st.download_button(t("result_json", lang), result.to_json(), file_name=f"{stem}-result.json",
                               mime="application/json", key="dl-result-json")
            for fmt, suffix, mime in GRAPH_DOWNLOADS:  # built on click, by the export functions
                st.download_button(t(f"result_{fmt}", lang), lambda fmt=fmt: export(result, fmt),
                                   file_name=f"{stem}-result.{suffix}", mime=mime, key=f"dl-result-{fmt}")
    return lang


def memo_button(result, scenario: dict, lang: str) -> None:
    """The memo (PDF) of the scenario on screen, built when clicked."""
    impacts = stored_impacts(scenario)
    st.download_button(t("memo_download", lang), lambda: render_memo(result, "pdf", lang, scenario=scenario, impacts=impacts),
                       file_name=f"{file_stem(scenario)}-memo-{lang}.pdf", mime="application/pdf",
                       key=f"dl-memo-{lang}", type="primary", icon=":material/description:")


def render_problems(problems: state.Problems, lang: str) -> None:
    """Why the current scenario cannot be evaluated yet (answers are kept)."""
    st.warning(t("invalid", lang))
    for message_en, message_ja in problems.messages:
        st.markdown(f"- {plain(message_ja if lang == 'ja' else message_en)}")


def main() -> None:
    """Lay out the explorer."""
    st.set_page_config(page_title="chosaku-kg explorer", layout="wide")
    params = st.query_params
    state.init(params.get("case") or start_case(sys.argv[1:]))
    scenario = st.session_state.scenario
    try:
        result, problems = state.evaluate_current(scenario), None
    except (ScenarioError, ValidationError) as exc:
        result, problems = None, state.problems_of(exc)
    lang = sidebar(result, params.get("lang") if params.get("lang") in LANGUAGES else "en")
    scenario = st.session_state.scenario
    st.markdown(COMPACT_CSS, unsafe_allow_html=True)
    st.caption(f"**{t('app_title', lang)}** · {t('disclaimer', lang)}")
    technical = bool(st.session_state.get("technical"))
    if viewport.is_wide():  # questionnaire left, result right
        left, right = st.columns([5, 7], gap="medium")
        with left:
            with st.container(key="questionnaire"):
                st.markdown(f"##### {t('tab_builder', lang)}")
                render_builder(scenario, lang)
        with right, st.container(key="result-pane"):  # stays in view while the questionnaire scrolls
            render_tabs(result, problems, scenario, lang, technical, with_builder=False)
    else:
        render_tabs(result, problems, scenario, lang, technical, with_builder=True)


def render_tabs(result, problems, scenario: dict, lang: str, technical: bool, *, with_builder: bool) -> None:
    """The result's tabs (summary first); the questionnaire among them unless it has its own column."""
    names = ["tab_summary"] + (["tab_builder"] if with_builder else []) + [
        "tab_analysis", "tab_flow", "tab_whatif", "tab_compare"] + (["tab_graph", "tab_sparql"] if technical else [])
    tabs = dict(zip(names, st.tabs([t(k, lang) for k in names])))
    with tabs["tab_summary"]:
        if result is None:
            render_problems(problems, lang)
            st.info(t("go_scenario", lang))
        else:
            render_summary(result, scenario, lang, memo_button=lambda: memo_button(result, scenario, lang))
    if with_builder:
        with tabs["tab_builder"]:
            render_builder(scenario, lang)
    with tabs["tab_analysis"]:
        if result is None:
            render_problems(problems, lang)
        else:
            render_results(result, scenario, lang, technical)
    with tabs["tab_flow"]:
        if result is None:
            render_problems(problems, lang)
        else:
            render_flowcharts(result, lang)
    with tabs["tab_whatif"]:
        render_whatif(scenario, result is not None, lang, result.to_dict()["acts"] if result is not None else None)
    with tabs["tab_compare"]:
        render_compare(scenario, result is not None, lang)
    if technical:
        with tabs["tab_graph"]:
            if result is None:
                render_problems(problems, lang)
            else:
                render_graph(result, state.scenario_key(scenario), lang)
        with tabs["tab_sparql"]:
            render_sparql(lang, result, scenario)

main()
