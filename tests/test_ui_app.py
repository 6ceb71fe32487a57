"""The Streamlit explorer, panel by panel, through Streamlit's AppTest: each test asserts what
the panel shows (conclusions, citations, checklists, what-if rows, validation messages)."""

import shutil
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from chosaku import evaluate  # noqa: E402
from chosaku.answers import mapping_of  # noqa: E402
from chosaku.load import load_scenario  # noqa: E402
from chosaku.explorer.builder import UNKNOWN  # noqa: E402
from chosaku.explorer.diagram import rag_dot  # noqa: E402
from chosaku.explorer.graphview import case_elements  # noqa: E402
from chosaku.resources import cases_dir, explorer_app  # noqa: E402

APP = str(explorer_app())
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def start(case: str | None = None, lang: str | None = None) -> AppTest:
    """The explorer after its first run, on a case of the library."""
    at = AppTest.from_file(APP, default_timeout=60)
    if case:
        at.query_params["case"] = case
    if lang:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def widget(widgets, label: str):
    matches = [w for w in widgets if w.label.startswith(label)]
    assert matches, f"no widget labelled {label!r} in {[w.label for w in widgets]}"
    return matches[0]


def test_results_rag_type4_conclusions_checklists_citations():
    at = start("rag-type4-novel-rewrite")
    text = markdown(at)
    assert "RAG type 4" in text
    badges = [m.value for m in at.markdown if m.value.startswith(":red-badge[")]
    assert badges.count(":red-badge[infringing]") >= 5  # one per act in the overview
    assert "Why it fails:**\n- no coexisting enjoyment purpose: **unmet**" in text
    assert "| ✗ | no coexisting enjoyment purpose |" in text
    # liability: the user is the direct infringer, with intent
    assert "| AI user | direct infringer | collection, input" in text
    # a business use: the purpose exemptions fail on their purpose, one line each
    assert "- ✗ Copyright Act Art\\. 30\\(1\\) \\(reproduction for private use\\): private\\-use purpose" in text
    # every citation expands to the provision's official text and the source passage
    labels = [e.label for e in at.expander]
    art30_4 = next(e for e in at.expander if e.label.startswith("[1] Copyright Act Art. 30-4"))
    inside = "\n".join(m.value for m in art30_4.markdown).replace("\\", "")
    assert "著作物は、次に掲げる場合その他の当該著作物に表現された思想又は感情を自ら享受し" in inside
    # sources cited as a lawyer does (issuer, title, section), the project's paraphrase marked
    assert "**STORIA法律事務所, “AI and copyright, part 15” (6) タイプ3 ア(イ)" in inside
    assert "[summary] " in inside
    assert any(label.startswith("[") and "STORIA" in label for label in labels)
    assert not any("seed003" in label or "seed004" in label for label in labels)
    downloads = [d.label for d in at.get("download_button")]
    assert downloads == ["Memo (PDF)", "Scenario (YAML)", "Scenario (JSON)", "Result (JSON)",
                         "Result graph (Turtle)", "Result graph (JSON-LD)", "Result graph (GraphML)"]


def test_rag_diagram_shows_who_stores_and_inputs():
    data = evaluate(cases_dir() / "rag-type8-db-and-rag-provider.yaml").to_dict()
    dot = rag_dot(data, {"collection": {"on": "provider_server"}}, "en")
    assert '"ai_provider" -> store [label="stores"' in dot
    assert '"ai_user" -> model [label="inputs"' in dot and '"ai_provider" -> model [label="inputs"' in dot
    assert "provider's server" in dot
    at = start("rag-type4-novel-rewrite")
    charts = at.get("graphviz_chart")
    assert charts and '"ai_user" -> store' in charts[0].proto.spec


def test_partial_display_with_unmet_47_5_requirement():
    at = start("semsearch-475-not-incidental")
    text = markdown(at)
    assert "**✗ Copyright Act Art\\. 47\\-5\\(1\\) \\(minor use incidental to providing results\\)**" in text
    assert "- incidental to the result: **unmet**" in text
    assert "| ✓ | minor use |  | met |" in text
    assert ":red-badge[does not apply]" in text


def test_builder_progressive_disclosure_and_unknown():
    at = start("rag-type4-novel-rewrite")
    radios = [r.label for r in at.radio]
    assert "Provider supplies DB and RAG" in radios            # a RAG question, for RAG
    assert "Incidental" not in radios and "Minor" not in radios  # 47-5 questions: display is full
    assert not any(label.startswith("Sexualised") for label in radios)  # image questions: not image generation
    widget(at.selectbox, "Display of the works").set_value("partial").run()
    radios = {r.label: r for r in at.radio}
    assert radios["Minor"].value == UNKNOWN and radios["Incidental"].value == UNKNOWN  # unknown by default
    assert radios["Minor"].format_func(UNKNOWN) == "Unknown"
    assert at.session_state["scenario"]["display"] == "partial"
    widget(at.radio, "Incidental").set_value(True).run()
    assert at.session_state["scenario"]["light_use"] == {"incidental": True}
    widget(at.radio, "Incidental").set_value(UNKNOWN).run()   # "Unknown" leaves the key out
    assert "light_use" not in at.session_state["scenario"]
    widget(at.selectbox, "Technique").set_value("image_generation").run()
    labels = [r.label for r in at.radio]
    assert "Sexualised" in labels
    assert "Provider supplies DB and RAG (shown because it is answered)" in labels  # answered: kept in view
    assert widget(at.radio, "Sexualised").options[0] == "Unknown"


def test_missing_fact_answered_in_place():
    at = start("unknown-light-use-minor")
    text = markdown(at)
    assert "Facts still to answer" in text
    assert ":orange-badge[undetermined (depends on the facts)]" in text
    question = [r for r in at.radio if r.key.startswith("m") and r.label == "Minor"]
    assert question, "the missing fact is asked in the results"
    question[0].set_value(True).run()
    assert at.session_state["scenario"]["light_use"]["minor"] is True
    text = markdown(at)
    assert ":green-badge[lawful]" in text and "Every fact that matters is answered." in [s.value for s in at.success]


def test_language_switch_to_japanese():
    at = start("rag-type4-novel-rewrite")
    at.radio(key="lang").set_value("ja").run()
    text = markdown(at)
    assert "RAGタイプ4" in text  # title_ja
    assert ":red-badge[侵害]" in text
    assert "適用されない理由" in text
    assert widget(at.radio, "DBとRAGの一体提供").options == ["わからない", "はい", "いいえ"]


def test_whatif_panel_ranks_the_decisive_facts():
    at = start("semsearch-475-not-incidental")
    at.button(key="whatif-run").click().run()
    table = next(m.value for m in at.markdown if m.value.startswith("| Fact |"))
    rows = [r.replace("\\", "") for r in table.splitlines()[2:]]
    incidental = next(r for r in rows if r.startswith("| **Incidental**"))
    assert "| No | Yes |" in incidental
    assert "collection: infringing → lawful" in incidental and "output: infringing → lawful" in incidental
    # facts that change no conclusion are listed apart, after the table
    assert any("No conclusion changes whatever the answer" in c.value and "Minor" in c.value for c in at.caption)
    # most decisive first: changing the context or the display changes both conclusions too, and the
    # only answers that merely contradict others come last
    assert rows.index(incidental) < len(rows) - 1
    assert "contradicts another answer" in rows[-1]
    # the matrix: one row per answer that changes something, one coloured cell per act
    # (seed 004 第3 セマンティック検索 3(2)ウ: an incidental excerpt lets Art. 47-5(1) apply)
    frame = at.dataframe[0].value
    row = frame[(frame["Fact"] == "Incidental") & (frame["If answered"] == "Yes")].iloc[0]
    assert row["Now"] == "No" and row["output"] == "lawful" and row["collection"] == "lawful"
    assert list(frame.columns[:3]) == ["Fact", "Now", "If answered"]
    tuned = frame[(frame["Fact"] == "Technique") & (frame["If answered"] == "fine-tuning")].iloc[0]
    assert tuned["output"] == "not performed" and tuned["training"] not in ("＝", "not performed")  # an act brought in
    # the summary reads the same what-if: the facts that change most, and the design changes that
    # clear the infringing acts; reusing only unprotected elements cites seed 004 第6 (system design)
    at.run()   # the summary, drawn before the What-if tab, reads it on the next run
    text = markdown(at).replace("\\", "")
    assert "The facts that would change most" in text
    design = next(line for line in text.splitlines() if line.startswith("- If “only unprotected elements reused"))
    assert "output → lawful" in design and "第6 著作権侵害にならないシステム設計とは" in design
    assert not any(line.startswith("- If “technique”") for line in text.splitlines())


def test_graph_view_renders_and_escapes_hostile_text():
    scenario = {"id": "hostile", "title": HOSTILE, "title_ja": HOSTILE, "technique": "rag", "context": "business",
                "works": [{"id": "w", "published": True, "unprotected_only": False}], "display": "full"}
    elements = case_elements(evaluate(scenario), "en")
    strings = [v for item in elements["nodes"] + elements["edges"] for v in [*item["data"].values(), *item["data"]]]
    assert not any("<" in s or ">" in s for s in strings)
    scenario_node = next(n["data"] for n in elements["nodes"] if n["data"]["label"] == "scenario")
    assert scenario_node["name"].startswith("&lt;script&gt;alert(&quot;x&quot;)")
    acts = {n["data"]["name"]: n["data"]["label"] for n in elements["nodes"] if n["data"]["label"] in ("infringing", "lawful")}
    assert acts.get("collection: infringing") == "infringing"
    assert any(e["data"].get("inferred_by") for e in elements["edges"])
    at = start("rag-type4-novel-rewrite")
    assert not any("Colours" in m.value for m in at.markdown)   # the data graph is a technical detail
    at.toggle(key="technical").set_value(True).run()
    assert any(":red-badge[infringing]" in m.value and "Colours" in m.value for m in at.markdown)


def test_broken_upload_shows_problems_and_keeps_the_scenario():
    at = start("rag-type4-novel-rewrite")
    title_before = at.text_input(key="q0:en:title").value
    at.text_input(key="q0:en:title").set_value("My own title").run()
    at.file_uploader(key="upload").set_value(("broken.yaml", b"id: x\nworks: [unclosed\n", "application/yaml")).run()
    assert any("broken.yaml: The scenario cannot be read" in e.value.replace("\\", "") for e in at.error)
    assert "not valid YAML" in markdown(at)
    assert at.session_state["scenario"]["title"] == "My own title" != title_before
    assert at.session_state["scenario"]["id"] == "rag-type4-novel-rewrite"
    bad = b'{"id": "bad", "technique": "rag", "display": "maybe", "works": [{"id": "w"}]}'
    at.file_uploader(key="upload").set_value(("bad.json", bad, "application/json")).run()
    assert any("bad.json: The scenario breaks the format" in e.value.replace("\\", "") for e in at.error)
    assert "display: 'maybe' is not allowed" in markdown(at).replace("\\", "")
    assert at.session_state["scenario"]["title"] == "My own title"
    assert "**RAG type:** 4" in markdown(at)  # the results of the kept scenario are still shown


def test_valid_turtle_upload_replaces_the_scenario():
    at = start("rag-type4-novel-rewrite")
    turtle = b"""@prefix kg: <https://w3id.org/chosaku-kg/ns#> .
@prefix case: <https://w3id.org/chosaku-kg/case/> .
case:ttl-case a kg:Scenario ; kg:caseId "ttl-case" ; kg:technique kg:semantic_search ; kg:context kg:business ;
    kg:display kg:no_display ; kg:hasWork case:ttl-case\\/work\\/w .
case:ttl-case\\/work\\/w a kg:Work ; kg:workId "w" ; kg:published true .
"""
    at.file_uploader(key="upload").set_value(("case.ttl", turtle, "text/turtle")).run()
    assert not at.error, [e.value for e in at.error]
    scenario = at.session_state["scenario"]
    assert scenario["id"] == "ttl-case" and scenario["technique"] == "semantic_search"
    assert scenario["works"] == [{"id": "w", "published": True}]


def test_typed_error_keeps_every_answer():
    at = start("rag-type4-novel-rewrite")
    at.text_input(key="q0:en:w0:id").set_value(HOSTILE).run()
    assert any(w.value.startswith("The scenario is not valid yet") for w in at.warning)
    assert "id\\:" in markdown(at) or "id:" in markdown(at)
    assert at.text_input(key="q0:en:w0:id").value == HOSTILE  # what was typed stays
    assert at.session_state["scenario"]["display"] == "full"
    assert "<script>" not in markdown(at)  # shown escaped, never as markup


def test_sparql_tab_runs_an_example_query(tmp_path, monkeypatch):
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("rag-type4-novel-rewrite.yaml", "semsearch-475-not-incidental.yaml"):
        shutil.copy(cases_dir() / name, cases / name)
    monkeypatch.setenv("CHOSAKU_CASES", str(cases))
    monkeypatch.setenv("CHOSAKU_DATA", str(tmp_path / "data"))
    at = start("semsearch-475-not-incidental")
    at.toggle(key="technical").set_value(True).run()
    at.radio(key="sparql-source:en").set_value("library").run()
    at.selectbox(key="sparql-example:en").set_value("rag-types").run()
    assert "SELECT" in at.text_area(key="sparql-text").value
    at.button(key="sparql-run").click().run()
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    assert list(table["case"]) == ["case:rag-type4-novel-rewrite"] and list(table["type"]) == ["4"]
    at.text_area(key="sparql-text").set_value("INSERT DATA { <urn:a> <urn:b> <urn:c> }").run()
    at.button(key="sparql-run").click().run()
    assert any("SPARQL Update is refused" in e.value for e in at.error)
    assert at.text_area(key="sparql-text").value.startswith("INSERT DATA")  # the typed query is kept


def test_example_queries_ask_their_question_in_the_reader_s_language():
    at = start("rag-type4-novel-rewrite", lang="ja")
    at.toggle(key="technical").set_value(True).run()
    at.selectbox(key="sparql-example:ja").set_value("rag-types").run()
    captions = [c.value for c in at.caption]
    assert any(c.startswith("各RAG事例は、その事実から八つの類型（seed 003）") for c in captions), captions
    assert not any(c.startswith("For each RAG case") for c in captions)


def test_sparql_on_the_scenario_on_screen():
    """The SPARQL view queries the scenario as answered on screen, not the library's copy of the case:
    after answering that the output adapts the novel, the output act's right at issue is the right
    of adaptation (Copyright Act Art. 27) where the library case has reproduction (Art. 21)."""
    at = start("rag-type4-novel-rewrite")
    widget(at.radio, "Output adapts the work").set_value(True).run()
    at.toggle(key="technical").set_value(True).run()
    assert at.radio(key="sparql-source:en").value == "scenario"      # the scenario on screen by default
    at.text_area(key="sparql-text").set_value(
        "SELECT ?case ?right WHERE { GRAPH ?case { ?act a kg:Output ; kg:rightAtIssue ?right } }").run()
    at.button(key="sparql-run").click().run()
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    assert list(table["case"]) == ["case:rag-type4-novel-rewrite"] and list(table["right"]) == ["jpca:Art27"]


def test_start_blank_then_from_a_case_then_paste():
    at = start("rag-type4-novel-rewrite")
    at.selectbox(key="case_choice:en").set_value("").run()
    assert at.session_state["scenario"] == {"id": "new-scenario", "works": [{"id": "work-1"}]}
    assert any("technique: required" in m.value.replace("\\", "") for m in at.markdown)
    at.selectbox(key="case_choice:en").set_value("semsearch-475-not-incidental").run()
    assert at.session_state["scenario"]["display"] == "partial"
    assert widget(at.radio, "Incidental").value is False  # the questionnaire shows the case's answers
    at.text_area(key="paste").set_value('{"id": "pasted", "technique": "fine_tuning", "works": [{"id": "corpus"}]}')
    at.button(key="load-pasted").click().run()
    assert at.session_state["scenario"]["id"] == "pasted"
    assert "**Technique:** fine\\-tuning" in markdown(at)


def test_a_conditional_risk_says_which_facts_it_waits_for():
    at = start("risk2-defamation-publicity-unknown", lang="en")
    warnings = [w.value for w in at.warning]
    assert "Raised on a condition: it depends on facts not yet answered: Purpose of use" in warnings, warnings
    japanese = start("risk2-defamation-publicity-unknown", lang="ja")
    assert any(w.value.startswith("条件付きのリスク") for w in japanese.warning)


def test_summary_first_bottom_lines_liability_and_wording():
    """The summary opens the explorer: one sentence per act, who is liable (criminal exposure apart
    from civil remedies), the open facts as questions; in Japanese a conditional act reads
    「未確定（事実関係次第）」 and no English chrome is shown."""
    at = start("unknown-light-use-minor", lang="ja")
    verdicts = [m.value for m in at.markdown if m.value.startswith(":orange-badge[")]
    # seed 004 第3 セマンティック検索 3(2)エ: minor use unknown → the output is undetermined
    assert any(v.startswith(":orange-badge[未確定（事実関係次第）] 生成・出力は未確定（事実関係次第）：「軽微性」") for v in verdicts)
    text = markdown(at)
    assert "badge[条件付き]" not in text and "| 条件付き |" not in text
    assert "未確定事項（確認すべき事実）" in text
    assert [r.label for r in at.radio if r.key.startswith("s")] == ["軽微性"]   # the open fact, answerable here
    english = [m.value for m in at.markdown if m.value.startswith(("Technical", "Summary", "Who is liable", "Open questions"))]
    assert not english
    at = start("rag-type4-novel-rewrite")
    text = markdown(at)
    # seed 003 (7) タイプ4: the user infringes with intent; remedies injunction and damages; criminal apart
    assert ":red-badge[infringing] Input infringes the right of reproduction \\(Copyright Act Art\\. 21\\)" in text
    assert "**AI user is liable as direct infringer for collection, input, output, transmission, use of the output \\(intent\\)\\.**" in text
    assert "- civil remedies: injunction, damages" in text
    assert "- criminal exposure: criminal penalty possible \\(Copyright Act Art\\. 119\\(1\\)" in text
    # risks and countermeasures cite their sources as a lawyer does, not by the contract's ids
    assert "seed004 第8" not in text and "seed003 (" not in text.replace("\\", "")
    assert "STORIA法律事務所" in text


def test_technical_details_show_rule_ids_only_when_asked():
    at = start("rag-type4-novel-rewrite")
    assert "\\(requirement\\-" not in markdown(at) and not any(e.label == "Reasoning steps" for e in at.expander)
    at.toggle(key="technical").set_value(True).run()
    assert any(e.label == "Reasoning steps" for e in at.expander)
    assert "\\(requirement\\-" in markdown(at)


def test_a_japanese_scenario_id_becomes_a_slug_and_the_result_stays():
    at = start("rag-type4-novel-rewrite", lang="ja")
    at.text_input(key="q0:ja:id").set_value("小説 QA").run()
    scenario = at.session_state["scenario"]
    assert scenario["id"] == "qa" and scenario["title_ja"] == "RAGタイプ4：利用者が小説をアップロードし再現出力を公開"
    assert any("「小説 QA」からID「qa」を作り" in i.value for i in at.info)
    assert not at.warning and any(m.value.startswith(":red-badge[侵害]") for m in at.markdown)  # the result is shown
    at.text_input(key="q1:ja:id").set_value("小説").run()
    scenario = at.session_state["scenario"]
    assert scenario["id"].startswith("scenario-") and len(scenario["id"]) == len("scenario-") + 8
    assert not at.warning


def test_flowchart_per_act_from_the_exemption_checks():
    """seed 004 第5 2: Art. 30-4 first, then Art. 47-5. For the RAG type 4 input (seed 003 (7)
    タイプ4) Art. 30-4 fails on the enjoyment purpose (marked ✗ in red) and the flow goes on to
    Art. 47-5(2); for an unknown minor use (seed 004 第3 セマンティック検索 3(2)エ) Art. 47-5(1) is
    undetermined: its box and the edge to the conclusion are dashed."""
    from chosaku.explorer.flowchart import act_flowchart

    dot = act_flowchart(evaluate(cases_dir() / "rag-type4-novel-rewrite.yaml").explanation.act("input"), "ja")
    assert "<B>著作権法30条の4</B>" in dot and '<FONT COLOR="#b71c1c" POINT-SIZE="10">✗ 享受目的が併存しないこと' in dot
    assert 'e0 -> e1 [style=solid, label="適用なし"]' in dot and "<B>著作権法47条の5第2項</B>" in dot
    assert 'label="侵害"' in dot
    dot = act_flowchart(evaluate(cases_dir() / "unknown-light-use-minor.yaml").explanation.act("output"), "en")
    assert "e0 [shape=box, style=dashed" in dot and "? minor use" in dot
    assert 'e0 -> e1 [style=dashed, label="undetermined"]' in dot
    at = start("unknown-light-use-minor")
    charts = [c.proto.spec for c in at.get("graphviz_chart")]
    assert any("Copyright Act Art. 47-5(1)" in c and "style=dashed" in c for c in charts)


def test_compare_two_scenarios_and_both_positions(tmp_path, monkeypatch):
    """A scenario saved into the dataset (chosaku.save, as `chosaku save`) and compared with a changed
    one: the rows that differ are marked (seed 003 (6) 47条の5: a search result showing the excerpt
    as the result itself is not incidental, so the output infringes; answered incidental, it is
    lawful). Under both positions: the seeds' position lets Art. 30-4 cover the ICL pattern 3 input
    (seed 004 第3 In-Context Learning 2: lawful); seed 004 第6 文化庁資料について 2's reading of the
    2023 figure (position agency) does not, so the input is undetermined."""
    monkeypatch.setenv("CHOSAKU_DATA", str(tmp_path / "data"))
    at = start("semsearch-475-not-incidental")
    at.text_input(key="compare-name:en").set_value("semsearch-before").run()
    at.button(key="compare-save").click().run()
    saved = tmp_path / "data" / "saved" / "semsearch-before.yaml"
    assert load_scenario(saved).id == "semsearch-before"
    assert list((tmp_path / "data" / "cache").glob("*.nq.gz"))      # evaluated, with its cache file, as a save does
    assert any("Saved as semsearch-before in the dataset" in s.value.replace("\\", "") for s in at.success)
    assert at.selectbox(key="compare-other:en").value == "saved:semsearch-before"
    widget(at.radio, "Incidental").set_value(True).run()
    table = next(m.value for m in at.markdown if m.value.startswith("| | Act / exemption |"))
    output = next(r for r in table.splitlines() if "| **output** |" in r)
    assert output.startswith("| **≠** |") and ":green-badge[lawful]" in output and ":red-badge[infringing]" in output
    at = start("pos-agency-icl-pattern3-input")
    at.radio(key="compare-mode:en").set_value("positions").run()
    table = next(m.value for m in at.markdown if m.value.startswith("| | Act / exemption |"))
    line = next(r for r in table.splitlines() if "| **input** |" in r)
    assert line == "| **≠** | **input** | :green-badge[lawful] | :orange-badge[undetermined \\(depends on the facts\\)] |"


def test_saving_refuses_bad_ids_with_a_message_in_the_language(tmp_path, monkeypatch):
    """A Japanese id, a shipped case's id and an empty id are refused in words (ja here), nothing is
    written, and no traceback is shown."""
    monkeypatch.setenv("CHOSAKU_DATA", str(tmp_path / "data"))
    at = start("semsearch-475-not-incidental", lang="ja")
    for case_id, expected in [("小説 QA", "id：'小説 QA' は使えません。[a-z0-9-] の1〜100文字を指定してください"),
                              ("semsearch-475-not-incidental", "同梱の事例のIDです"),
                              ("", "保存するID（英小文字・数字・ハイフン）を入力してください")]:
        at.text_input(key="compare-name:ja").set_value(case_id).run()
        at.button(key="compare-save").click().run()
        assert not at.exception, [e.value for e in at.exception]
        errors = " ".join(e.value.replace("\\", "") for e in at.error)
        assert expected in errors, errors
    assert not list((tmp_path / "data").glob("saved/*.yaml"))


def test_answers_offered_in_the_order_of_their_labels():
    from chosaku.explorer.builder import options
    from chosaku.facts import fact_index

    display = options(fact_index()["display"])
    assert display == [UNKNOWN, "full", "partial", "none"]   # pattern 1, 2, 3 (seed 004 第4 RAG 2)


def test_whatif_matrix_shows_who_is_liable():
    """rag-type8-db-and-rag-provider (seed 003 (11) タイプ8): the user, who inputs the works, is liable
    with negligence; were the provider the one inputting, the user would not be liable at all — a
    change of actor that changes no act's conclusion, shown in the matrix's liability column."""
    from chosaku.explorer.whatif import matrix
    from chosaku.whatif import what_if

    scenario = mapping_of(load_scenario(cases_dir() / "rag-type8-db-and-rag-provider.yaml"))
    rows, _ = matrix(what_if(scenario, keys=["input.by"]), ["collection", "input", "output", "transmission"], "ja")
    row = next(r for r in rows if r["別の回答"] == "AI提供者")
    assert row["入力"] == "＝（行為者：AI提供者）"  # the same conclusion, the provider alone inputs
    assert row["責任を負う者"] == "AI利用者の責任：侵害主体、過失 → なし"


def test_whatif_matrix_shows_who_performs_an_act():
    """rag-type8-db-and-rag-provider (seed 003 (11) タイプ8 ア (イ)(ⅱ)(ⅲ)): one provider supplying DB
    and RAG performs the input and what follows with the user; were DB and RAG supplied separately
    (seed 003 (10) タイプ7 ア (ア)(ⅰ)), the user alone would. No conclusion and no liability changes —
    the provider stays liable for its own collection — so only the acts' cells show the change."""
    from chosaku.explorer.whatif import describe, matrix
    from chosaku.whatif import what_if

    scenario = mapping_of(load_scenario(cases_dir() / "rag-type8-db-and-rag-provider.yaml"))
    impacts = what_if(scenario, keys=["provider_supplies_db_and_rag"])
    acts = ["collection", "input", "output", "transmission"]
    (row,), (code,) = matrix(impacts, acts, "ja")
    assert row["別の回答"] == "いいえ" and row["収集・蓄積"] == "＝" and row["責任を負う者"] == "＝"
    assert row["入力"] == row["生成・出力"] == row["送信"] == "＝（行為者：AI利用者）"
    assert code["入力"] == "actors" and code["収集・蓄積"] == ""
    (row_en,), _ = matrix(impacts, acts, "en")
    assert row_en["If answered"] == "No" and row_en["input"] == "＝ (by AI user)" and row_en["collection"] == "＝"
    change = impacts[0].alternatives[0].changes[0]
    assert describe(change, "ja") == "入力の行為者：AI提供者、AI利用者 → AI利用者"
    assert describe(change, "en") == "input performed by: AI provider, AI user → AI user"
