"""The typed explanation: each step's rule, provision, sources and finding as immutable objects
resolved against the ontology; the contract JSON, the text output and the explorer rendered from
them; findings and the Japanese text without raw keys; errors with their two messages."""

import dataclasses
import json
import re
from pathlib import Path

import pytest

from chosaku import ScenarioError, ValidationError, evaluate
from chosaku.contract import act_entry, because_entry, checklists
from chosaku.explanation import ActExplanation, Provision, Source, Step, Text
from chosaku.resources import cases_dir
from chosaku.text import render_text

CASES = sorted(cases_dir().glob("*.yaml"))
SAMPLE = cases_dir() / "rag-type4-novel-rewrite.yaml"
BAD = Path(__file__).parent / "bad_inputs"
RULE = "https://w3id.org/chosaku-kg/rule/"
SOURCE = "https://w3id.org/chosaku-kg/source/"
ART30_4 = "https://w3id.org/chosaku-kg/law/345AC0000000048/Art30-4"
# a contract code or key: snake_case (art30_4, not_applicable, no_enjoyment_purpose, ai_user ...)
RAW_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
CODES = ("applies", "not_applicable", "conditional", "infringing", "lawful", "not_at_issue", "unmet",
         "intent", "negligence", "ai_user", "ai_provider", "ai_developer")


@pytest.fixture(scope="module")
def sample():
    return evaluate(SAMPLE)


@pytest.fixture(scope="module")
def results():
    return {(path.stem, position): evaluate(path, position=position)
            for path in CASES for position in (None, "agency")}


def _art30_4_step(result) -> Step:
    return next(s for s in result.steps("collection")
                if s.finding.kind == "requirement" and s.finding.subject == "art30_4")


def test_the_collection_acts_art30_4_step_of_the_sample_case(sample):
    step = _art30_4_step(sample)
    assert step.rule.iri == RULE + "requirement-no-enjoyment-purpose"
    assert step.rule.name == "requirement-no-enjoyment-purpose"
    assert step.rule.label == Text("Art. 30-4: no enjoyment purpose", "第30条の4：享受目的がないこと")
    provision = step.provision
    assert provision.iri == ART30_4 and provision.code == provision.key == "art30_4"
    assert provision.citation == Text("Art. 30-4", "第30条の4")
    assert provision.official_text.startswith("著作物は、次に掲げる場合その他の当該著作物に表現された思想又は感情を自ら享受し")
    odd_types = next(s for s in step.sources if s.iri == SOURCE + "seed003-odd-types-30-4")
    assert odd_types.document_iri == SOURCE + "seed003"
    assert odd_types.document.ja.startswith("AIと著作権【第15回】RAGとAI利用者の責任")
    assert odd_types.section == "(6) タイプ3 ア(イ); (8) タイプ5 ア(イ); (10) タイプ7 ア(イ)(ⅱ)"
    assert odd_types.citation == "seed003 " + odd_types.section
    assert odd_types.binding is False and odd_types.authority == Text("practitioner commentary", "実務家の解説")
    assert odd_types.issuer.ja.startswith("STORIA法律事務所")
    assert "表現出力目的" in odd_types.text.ja
    assert step.finding.kind == "requirement" and step.finding.value == "unmet"
    assert step.finding.requirement == "no_enjoyment_purpose" and step.finding.work is None
    assert step.finding.text == Text("Art. 30-4: no coexisting enjoyment purpose — unmet",
                                     "第30条の4：享受目的が併存しないこと — 不充足")
    assert not RAW_KEY.search(step.finding.text.ja) and "_" not in step.finding.text.ja


def test_the_contract_entry_of_that_step_is_the_one_in_the_json(sample):
    entry = because_entry(_art30_4_step(sample))
    assert entry["rule"] == "requirement-no-enjoyment-purpose" and entry["provision"] == "art30_4"
    assert entry["finding"] == "art30_4 no_enjoyment_purpose: unmet"
    assert entry["source"].startswith("seed003 (6) タイプ3 ア(イ); (8) タイプ5 ア(イ); (10) タイプ7 ア(イ)(ⅱ); seed004 ")
    collection = next(a for a in sample.to_dict()["acts"] if a["act"] == "collection")
    assert entry in collection["because"]


def test_the_explanation_is_immutable(sample):
    step = _art30_4_step(sample)
    for obj, field in ((step, "finding"), (step.provision, "code"), (step.sources[0], "binding"),
                       (step.finding.text, "ja"), (sample.explanation, "acts")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, field, None)
    assert isinstance(sample.act("collection"), ActExplanation) and sample.act("training") is None
    assert sample.steps("training") == ()


def test_every_because_entry_of_every_case_round_trips(results):
    for (name, position), result in results.items():
        stored = json.loads(result.to_json())
        explained = result.explanation.acts
        assert [a["act"] for a in stored["acts"]] == [a.act for a in explained], (name, position)
        for act, typed in zip(stored["acts"], explained):
            assert [because_entry(step) for step in typed.steps] == act["because"], (name, position, act["act"])
            assert act_entry(typed) == act, (name, position, act["act"])
            assert checklists(typed) == result.requirements[act["act"]], (name, position, act["act"])


def test_every_step_is_resolved_and_every_finding_reads_without_raw_keys(results):
    for (name, _position), result in results.items():
        for act in result.explanation.acts:
            for step in act.steps:
                assert step.rule is not None and step.rule.label.ja and step.rule.iri.startswith(RULE), (name, step)
                assert isinstance(step.provision, Provision) and step.provision.citation.ja, (name, step)
                assert step.sources and all(isinstance(s, Source) and s.document.en and s.citation for s in step.sources)
                for text in (step.finding.text.en, step.finding.text.ja):
                    assert text and not RAW_KEY.search(text), (name, act.act, text)
                assert not any(re.search(rf"\b{c}\b", step.finding.text.ja) for c in CODES), (name, step.finding.text.ja)


def test_the_japanese_text_output_has_no_raw_keys(sample, results):
    text = render_text(sample, lang="ja")
    assert "[収集・蓄積]  侵害" in text
    assert "第30条の4：享受目的が併存しないこと — 不充足" in text
    assert "享受目的が併存しないこと: 不充足" in text  # the checklist
    for (name, _position), result in results.items():
        text = render_text(result, lang="ja")
        assert not RAW_KEY.search(text), (name, RAW_KEY.search(text).group(0))
        rules = {s.rule.name for a in result.explanation.acts for s in a.steps}
        assert not [r for r in rules if r in text], name


def test_the_bilingual_text_output_shows_both_findings(sample):
    text = render_text(sample)
    assert ("    - Art. 30-4: no coexisting enjoyment purpose — unmet / 第30条の4：享受目的が併存しないこと — 不充足 — "
            "requirement-no-enjoyment-purpose, art30_4, seed003 (6) タイプ3 ア(イ)") in text
    english = render_text(sample, lang="en")
    assert "Art. 30-4: no coexisting enjoyment purpose — unmet" in english and "不充足" not in english


def test_the_explorer_shows_japanese_findings_and_the_cited_passages():
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    from chosaku.resources import explorer_app

    at = AppTest.from_file(str(explorer_app()), default_timeout=60)
    at.query_params["case"] = "rag-type4-novel-rewrite"
    at.query_params["lang"] = "ja"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.toggle(key="technical").set_value(True).run()  # reasoning steps are a technical detail
    steps = next(e for e in at.expander if e.label == "推論の根拠")
    shown = "\n".join(m.value for m in steps.markdown).replace("\\", "")
    assert "第30条の4：享受目的が併存しないこと — 不充足" in shown
    assert "art30_4" not in shown and "no_enjoyment_purpose" not in shown
    cited = next(e for e in at.expander if e.label.startswith("[1] 著作権法30条の4"))
    inside = "\n".join([m.value for m in cited.markdown] + [c.value for c in cited.caption]).replace("\\", "")
    assert "実務家の解説" in inside and "法的拘束力なし" in inside


def test_errors_carry_english_and_japanese_apart():
    with pytest.raises(ScenarioError) as unreadable:
        evaluate(BAD / "broken-yaml.yaml")
    assert unreadable.value.message_en.startswith("not valid YAML") and " / " not in unreadable.value.message_en
    assert unreadable.value.message_ja.startswith("YAML として読めません")
    assert str(unreadable.value) == f"{unreadable.value.message_en} / {unreadable.value.message_ja}"
    with pytest.raises(ValidationError) as invalid:
        evaluate(BAD / "bad-display.yaml")
    problem = invalid.value.problems[0]
    assert problem.message_en.startswith("display: 'some' is not allowed") and "使えません" in problem.message_ja
    assert invalid.value.message_en.splitlines() == [p.message_en for p in invalid.value.problems]
    assert invalid.value.message_ja.splitlines() == [p.message_ja for p in invalid.value.problems]


def test_each_act_is_assessed_work_by_work_and_rendered_everywhere():
    result = evaluate(cases_dir() / "work-unprotected-work-unpublished-lawful.yaml")
    output = result.explanation.act("output")
    memo, guide = output.work("memo"), output.work("guide")
    # the unpublished memo fails Art. 47-5(1) but is shown only for its unprotected elements
    assert memo.protected_expression == "unmet" and memo.conclusion == "lawful"
    assert memo.exemption("art47_5_1").status == "not_applicable"
    assert any(r.key == "published_work" and r.status == "unmet" and r.work == "memo"
               for r in memo.exemption("art47_5_1").requirements)
    assert guide.exemption("art47_5_1").status == "applies" and output.conclusion == "lawful"
    # the act's checklist holds only the requirements its status combines (not the memo's)
    assert all(r.work != "memo" for e in output.exemptions for r in e.requirements)
    # collection: each work rests on its own exemption
    collection = result.explanation.act("collection")
    assert collection.work("memo").exemption("art30_4").status == "applies"
    assert collection.work("guide").exemption("art47_5_2").status == "applies"
    assert collection.conclusion == "lawful"
    entry = act_entry(collection)
    assert entry["works"]["memo"] == {"conclusion": "lawful", "protected_expression": "met",
                                      "exemptions": {e.key: e.status for e in collection.work("memo").exemptions}}
    text = render_text(result, lang="ja")
    assert "著作物ごと" in text and "[memo]" in text
