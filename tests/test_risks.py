"""Image generation, the risk scheme's triggers and non-binding guidance: every risk is raised by
facts and absent where its trigger is absent, each raised risk carries its definition, source and
countermeasures, licence breach stays apart from copyright, and no non-binding source is shown as
law (seeds 000, 001, 002; LEGAL-MODEL.md §5, §6, §8)."""

from __future__ import annotations

import copy

import pytest

from chosaku import evaluate
from chosaku.namespaces import KG as KG_
from chosaku.ontology_graph import load_ontology
from chosaku.text import render_text

from case_library import case_files, read_case

RISK_IDS = {
    "confidential_leak", "bias", "copyright_infringement", "privacy",
    "unlicensed_training_criticism", "no_copyright_in_output", "misinformation",
    "over_regulation", "portrait_rights", "defamation", "non_consensual_sexual_imagery",
    "csam", "licence_violation", "opt_out_ignored",
}
PERSON_RISKS = {"non_consensual_sexual_imagery", "portrait_rights", "privacy", "defamation"}
NEW_CASES = [p for p in case_files() if p.stem.startswith(("image-", "risk-"))]


def _scenario(stem: str, **blocks) -> dict:
    """A library case as a scenario mapping, with some keys of its blocks replaced."""
    data = {k: v for k, v in read_case(next(p for p in NEW_CASES if p.stem == stem)).items()
            if k not in ("expected", "sources")}
    data = copy.deepcopy(data)
    for key, value in blocks.items():
        if isinstance(value, dict):
            data.setdefault(key, {}).update(value)
        else:
            data[key] = value
    return data


@pytest.fixture(scope="module")
def results():
    return {path.stem: evaluate(path).to_dict() for path in NEW_CASES}


def test_there_are_at_least_fifteen_image_and_risk_cases():
    assert len(NEW_CASES) >= 15


def test_every_risk_is_raised_by_a_case_and_absent_from_another(results):
    raised, absent = {}, {}
    for path in NEW_CASES:
        expected = read_case(path)["expected"]
        got = set(results[path.stem]["risks"])
        for risk in expected.get("risks_include", []):
            assert risk in got, (path.stem, risk)
            raised.setdefault(risk, path.stem)
        for risk in expected.get("risks_exclude", []):
            assert risk not in got, (path.stem, risk)
            absent.setdefault(risk, path.stem)
    assert RISK_IDS | {"platform_duty"} <= set(raised), sorted(RISK_IDS - set(raised))
    assert RISK_IDS | {"platform_duty"} <= set(absent), sorted(RISK_IDS - set(absent))


@pytest.mark.parametrize("change, present, missing", [
    ({}, PERSON_RISKS | {"platform_duty", "over_regulation"}, {"csam"}),
    ({"consent": True}, set(), PERSON_RISKS | {"platform_duty", "over_regulation", "csam"}),
    ({"sexualized": False}, {"portrait_rights", "privacy"},
     {"non_consensual_sexual_imagery", "defamation", "platform_duty", "csam"}),
    ({"platform_feature": False}, PERSON_RISKS | {"over_regulation"}, {"platform_duty"}),
    ({"depicts_real_person": False}, set(), PERSON_RISKS | {"platform_duty", "csam"}),
    # a minor: csam whatever else is answered, even with consent and no real person
    ({"minor_depicted": True}, PERSON_RISKS | {"csam", "platform_duty"}, set()),
    ({"minor_depicted": True, "consent": True, "depicts_real_person": False}, {"csam", "platform_duty"},
     PERSON_RISKS),
    ({"minor_depicted": True, "sexualized": False}, {"portrait_rights", "privacy"}, {"csam"}),
])
def test_person_risks_follow_the_facts(change, present, missing):
    risks = set(evaluate(_scenario("risk-deepfake-adult", image=change)).to_dict()["risks"])
    assert present <= risks, sorted(present - risks)
    assert not (missing & risks), sorted(missing & risks)


def test_a_risk_left_unanswered_is_not_raised():
    data = _scenario("risk-deepfake-adult")
    del data["image"]["consent"]
    risks = set(evaluate(data).to_dict()["risks"])
    assert not (PERSON_RISKS & risks)


def test_the_gravest_risk_comes_first(results):
    details = results["risk-deepfake-minor"]["risk_details"]
    assert details[0]["risk"] == "csam" and details[0]["severity"] == 5
    assert [d["severity"] for d in details] == sorted((d["severity"] for d in details), reverse=True)


def test_every_raised_risk_has_definition_source_and_countermeasures(results):
    for name, result in results.items():
        assert sorted(d["risk"] for d in result["risk_details"]) == result["risks"], name
        for detail in result["risk_details"]:
            assert detail["definition"] and detail["definition_ja"] and detail["label_ja"], (name, detail["risk"])
            assert detail["source"] and detail["issuer"], (name, detail["risk"])
            assert detail["raised_by"], (name, detail["risk"])
            assert detail["countermeasures"], (name, detail["risk"])
            for measure in detail["countermeasures"]:
                assert measure["label"] and measure["label_ja"] and measure["source"], measure


def test_seed_countermeasures_are_recommended(results):
    def measures(case, risk):
        detail = next(d for d in results[case]["risk_details"] if d["risk"] == risk)
        return {m["id"] for m in detail["countermeasures"]}
    # seed 000's four countermeasures for image AI
    assert {"cm-ip-filtering-service", "cm-licensed-training-data-model", "cm-no-work-specific-prompts",
            "cm-no-similar-output-use"} <= measures("image-similar-relied-sale", "copyright_infringement")
    # seed 001: provenance, watermarking, detection with human review, reporting and takedown
    assert {"cm-provenance-metadata", "cm-watermarking", "cm-nonconsensual-detection-human-review",
            "cm-reporting-takedown"} <= measures("risk-deepfake-adult", "non_consensual_sexual_imagery")
    assert "cm-consent-management" in measures("risk-deepfake-minor", "csam")
    assert {"cm-licence-check", "cm-no-unlicensed-commercial-input"} <= measures("image-licence-breach", "licence_violation")
    assert "cm-honour-opt-out" in measures("risk-opt-out-ignored", "opt_out_ignored")


def test_the_opt_in_request_is_shown_as_a_request_without_legal_force(results):
    detail = next(d for d in results["risk-opt-out-ignored"]["risk_details"] if d["risk"] == "opt_out_ignored")
    request = next(g for g in detail["guidance"] if g["id"] == "gov-request-openai-2025")
    assert request["binding"] is False and request["issued"] == "2025-10-28"
    assert "小野田" in request["issuer_ja"] and request["authority"] == "government request"
    assert "no legal force" in request["note"] and "法的強制力のない要請" in request["note_ja"]
    assert detail["binding"] is False and detail["legal_basis"] == []
    # the training itself stays lawful under Art. 30-4: the request changes no conclusion
    training = next(a for a in results["risk-opt-out-ignored"]["acts"] if a["act"] == "training")
    assert training["conclusion"] == "lawful"


def test_the_ai_promotion_act_is_law_that_lets_the_government_guide(results):
    detail = next(d for d in results["risk-deepfake-adult"]["risk_details"] if d["risk"] == "platform_duty")
    (basis,) = detail["legal_basis"]
    assert basis["binding"] is True and basis["text"] == "summary"
    assert "guide" in basis["note"] and "拘束力はない" in basis["note_ja"]
    assert [g["id"] for g in detail["guidance"]] == ["gov-request-x-2026"]
    assert detail["guidance"][0]["binding"] is False


def test_no_non_binding_source_is_presented_as_law(results):
    for name, result in results.items():
        for detail in result["risk_details"]:
            documents = detail["documents"]
            assert detail["binding"] == all(d["binding"] for d in documents), (name, detail["risk"])
            assert all(g["binding"] is False and g["note"] and g["note_ja"] for g in detail["guidance"]), (name, detail["risk"])
            for measure in detail["countermeasures"]:
                assert measure["binding"] is False, (name, measure["id"])  # all rest on seeds
            for basis in detail["legal_basis"]:
                assert basis["binding"] is True, (name, basis)


def test_licence_breach_is_a_contract_risk_apart_from_copyright(results):
    result = results["image-licence-breach"]
    assert {a["conclusion"] for a in result["acts"]} == {"not_at_issue"}
    assert result["liable"] and all(e["role"] == "none" for e in result["liable"])
    detail = next(d for d in result["risk_details"] if d["risk"] == "licence_violation")
    assert detail["area"] == "contract"
    assert [b["provision"] for b in detail["legal_basis"]] == ["Civil Code Art. 415"]
    for act in result["acts"]:
        assert not any("licence" in e["rule"] for e in act["because"])
        assert "licence_violation" not in str(act["exemptions"])
    # the same image, licence allowing commercial use: the copyright conclusions do not move
    allowed = evaluate(_scenario("image-licence-breach", image={"license_allows_commercial": True})).to_dict()
    assert "licence_violation" not in allowed["risks"]
    assert [a["conclusion"] for a in allowed["acts"]] == [a["conclusion"] for a in result["acts"]]


def test_image_output_actor_comes_from_the_instruction_then_the_use():
    def output(data):
        return next(a for a in evaluate(data).to_dict()["acts"] if a["act"] == "output")
    base = _scenario("image-similar-relied-sale")
    assert output(base)["actors"] == ["ai_user"]
    assert output(dict(base, input={"by": "ai_provider"}))["actors"] == ["ai_provider"]
    without_input = {k: v for k, v in base.items() if k != "input"}
    assert output(without_input)["actors"] == ["ai_user"]
    assert any(e["rule"] == "actor-image-output-user" and "seed000" in e["source"]
               for e in output(without_input)["because"])
    neither = {k: v for k, v in without_input.items() if k != "output_use"}
    neither["context"] = "private"
    result = evaluate(neither).to_dict()
    assert result["acts"][0]["actors"] == [] and result["acts"][0]["conclusion"] == "conditional"
    assert "input.by" in result["missing_facts"]  # who gives the instruction is asked, not guessed


def test_art47_5_1_does_not_reach_a_generated_image(results):
    output = next(a for a in results["image-similar-relied-sale"]["acts"] if a["act"] == "output")
    assert output["exemptions"]["art47_5_1"] == "not_applicable"
    assert any(e["finding"] == "art47_5_1 output_is_a_result: unmet" for e in output["because"])


def test_similarity_and_reliance_decide_the_image_acts():
    def conclusions(**image):
        data = _scenario("image-similar-relied-sale", image=image)
        return {a["act"]: a["conclusion"] for a in evaluate(data).to_dict()["acts"]}
    assert conclusions() == {"output": "infringing", "use": "infringing"}
    assert conclusions(similar_to_existing_work=False) == {"output": "not_at_issue", "use": "not_at_issue"}
    assert conclusions(relied_on_work=False) == {"output": "not_at_issue", "use": "not_at_issue"}


def test_training_aimed_at_one_artist_defeats_art30_4_and_only_when_answered(results):
    training = results["image-lora-one-artist"]["acts"][0]
    assert training["exemptions"]["art30_4"] == "not_applicable"
    assert any(e["finding"] == "art30_4 no_enjoyment_purpose: unmet" for e in training["because"])
    not_aimed = evaluate(_scenario("image-lora-one-artist", training={"targets_specific_work": False})).to_dict()
    assert not_aimed["acts"][0]["conclusion"] == "conditional"
    assert "expression_output_purpose" in not_aimed["missing_facts"]


def test_text_output_prints_risks_with_countermeasures_and_sources_in_both_languages(results):
    result = evaluate(next(p for p in NEW_CASES if p.stem == "risk-deepfake-adult"))
    text = render_text(result, load_ontology())
    risks = text.split("Risks / リスク:", 1)[1]
    assert "non_consensual_sexual_imagery — Non-consensual sexualised images of real people / 実在人物の同意のない性的画像" in risks
    assert "non-binding guidance / 法的拘束力のない指針:" in risks
    assert "Request to X for measures against AI-generated sexualised images (January 2026)" in risks
    assert "Xに対するAI生成の性的化画像への対策要請（2026年1月）" in risks
    assert "- Watermark outputs / 出力に電子透かしを入れる" in risks
    assert "source / 典拠: seed001 実践ポイント — 開発者／サービス運営者向け" in risks
    assert "recommendations resting on non-binding sources / 法的拘束力のない典拠に基づく推奨" in risks
    assert "Civil Code Art. 709 / 民法第709条" in risks


def test_requests_and_guidelines_are_sources_with_issuer_date_and_no_legal_force(ontology):
    from rdflib.namespace import DCTERMS, RDF

    from chosaku.namespaces import KG, SRC

    documents = set(ontology.subjects(RDF.type, KG.GovernmentRequest)) | set(ontology.subjects(RDF.type, KG.GuidelineDocument))
    assert {SRC["gov-request-x-2026"], SRC["gov-request-openai-2025"]} <= documents
    for document in documents:
        assert ontology.value(document, KG.binding).toPython() is False, document
        assert ontology.value(document, KG.issuer) is not None, document
    for request in (SRC["gov-request-x-2026"], SRC["gov-request-openai-2025"]):
        assert ontology.value(request, DCTERMS.issued) is not None
        assert {n.language for n in ontology.objects(request, KG.bindingNote)} == {"en", "ja"}
    # every document a risk points to as guidance says what force it has, in both languages
    for guidance in set(ontology.objects(None, KG.relatedGuidance)):
        assert {n.language for n in ontology.objects(guidance, KG.bindingNote)} == {"en", "ja"}, guidance


# --- legal bases, publicity, countermeasures by technique, sources and positions ---------------

RISK2 = {p.stem: p for p in case_files() if p.stem.startswith(("risk2-", "pos-"))}


def _detail(result: dict, risk: str) -> dict:
    return next(d for d in result["risk_details"] if d["risk"] == risk)


def test_csam_rests_on_the_child_pornography_act_and_the_penal_code():
    detail = _detail(evaluate(RISK2["risk2-csam-legal-basis"]).to_dict(), "csam")
    bases = {b["provision"]: b for b in detail["legal_basis"]}
    assert {"Child Pornography Act Art. 2(3)", "Child Pornography Act Art. 7", "Penal Code Art. 175"} <= set(bases)
    for basis in bases.values():
        assert basis["binding"] is True and basis["text"] == "summary", basis  # marked as a summary
    assert "Act No. 52 of 1999" in bases["Child Pornography Act Art. 7"]["instrument"]
    assert "real children" in bases["Child Pornography Act Art. 2(3)"]["note"]
    text = render_text(evaluate(RISK2["risk2-csam-legal-basis"]), load_ontology())
    csam = text.split("■ csam", 1)[1].split("■", 1)[0]
    assert "none in the ontology" not in csam and "Child Pornography Act Art. 7" in csam


def test_law_nodes_of_the_criminal_statutes_are_summaries_with_the_e_gov_search(ontology):
    from chosaku.namespaces import LAW
    for name in ("ChildPornographyAct-Art2-Para3", "ChildPornographyAct-Art7", "PenalCode-Art230-Para1", "PenalCode-Art175"):
        node = LAW[name]
        summaries = list(ontology.objects(node, KG_.summaryText))
        assert {s.language for s in summaries} == {"en", "ja"}, name
        assert all(str(s).startswith(("要約（公式条文ではない）", "Summary (not the official text)")) for s in summaries), name
        assert str(ontology.value(node, KG_.officialUrl)).startswith("https://laws.e-gov.go.jp/"), name
        assert ontology.value(node, KG_.officialText) is None, name


@pytest.mark.parametrize("purpose, raised", [
    ("public_transmission", True), ("sale", True),
    ("private", False), ("internal_review", False), ("education", False), ("quotation", False), ("none", False),
])
def test_defamation_needs_the_output_made_public(purpose, raised):
    base = {k: v for k, v in read_case(RISK2["risk2-defamation-public-transmission"]).items() if k not in ("expected", "sources")}
    base = copy.deepcopy(base)
    base["output_use"]["purpose"] = purpose
    result = evaluate(base).to_dict()
    assert ("defamation" in result["risks"]) is raised, purpose
    assert "non_consensual_sexual_imagery" in result["risks"]  # does not depend on publicity
    assert "output_use.purpose" not in result["missing_facts"]


def test_defamation_published_as_fact_is_public_and_unknown_publicity_is_conditional():
    base = {k: v for k, v in read_case(RISK2["risk2-defamation-publicity-unknown"]).items() if k not in ("expected", "sources")}
    unknown = evaluate(base).to_dict()
    detail = _detail(unknown, "defamation")
    assert detail["conditional"] is True and detail["missing_facts"] == ["output_use.purpose"]
    assert unknown["missing_facts"] == ["output_use.purpose"]
    as_fact = evaluate(dict(copy.deepcopy(base), output_use={"by": "ai_user", "published_as_fact": True})).to_dict()
    assert _detail(as_fact, "defamation")["conditional"] is False and "output_use.purpose" not in as_fact["missing_facts"]
    # a fake passed off as fact, not sexualised: defamation through publication as fact alone
    plain = evaluate(_scenario("risk-fake-news-photo")).to_dict()
    assert _detail(plain, "defamation")["conditional"] is False
    assert "Penal Code Art. 230(1)" in {b["provision"] for b in _detail(plain, "defamation")["legal_basis"]}


IMAGE_MEASURES = {"cm-ip-filtering-service", "cm-licensed-training-data-model", "cm-no-work-specific-prompts",
                  "cm-no-similar-output-use"}
TEXT_MEASURES = {"cm-no-full-display-design", "cm-unprotected-elements-only", "cm-excerpt-incidental-and-minor",
                 "cm-meet-47-5-standards", "cm-no-direct-database-browsing", "cm-no-known-pirated-copies",
                 "cm-strict-minor-use-service"}
TRAINING_MEASURES = {"cm-no-enjoyment-aimed-training", "cm-no-analysis-database-copying"}


@pytest.mark.parametrize("case, wanted, unwanted", [
    ("risk2-text-rag-countermeasures", TEXT_MEASURES | {"cm-filter-expression-output"}, IMAGE_MEASURES | TRAINING_MEASURES),
    ("semsearch-pattern1-full-text", TEXT_MEASURES, IMAGE_MEASURES | TRAINING_MEASURES | {"cm-filter-expression-output"}),
    ("icl-pattern1-full-reference", TEXT_MEASURES | {"cm-filter-expression-output"}, IMAGE_MEASURES | TRAINING_MEASURES),
    ("image-similar-relied-sale", IMAGE_MEASURES, TEXT_MEASURES | TRAINING_MEASURES),
    ("image-lora-one-artist", TRAINING_MEASURES, TEXT_MEASURES | IMAGE_MEASURES),
])
def test_copyright_countermeasures_follow_the_technique(case, wanted, unwanted):
    path = next(p for p in case_files() if p.stem == case)
    result = evaluate(path).to_dict()
    measures = {m["id"] for m in _detail(result, "copyright_infringement")["countermeasures"]}
    assert wanted <= measures, sorted(wanted - measures)
    assert not (unwanted & measures), sorted(unwanted & measures)
    for measure in _detail(result, "copyright_infringement")["countermeasures"]:
        assert measure["source"] and measure["binding"] is False


def test_seed004_design_countermeasures_cite_seed004_and_image_ones_seed000():
    result = evaluate(RISK2["risk2-text-rag-countermeasures"]).to_dict()
    for measure in _detail(result, "copyright_infringement")["countermeasures"]:
        assert "seed000" not in measure["source"], measure["id"]
        assert "seed004" in measure["source"] or "seed003" in measure["source"], measure["id"]


def test_every_raised_risk_of_the_library_keeps_a_countermeasure():
    for path in case_files():
        for detail in evaluate(path).to_dict()["risk_details"]:
            assert detail["countermeasures"], (path.stem, detail["risk"])


def test_seed000_is_a_telecom_branch_briefing_not_an_industry_guideline(ontology):
    from rdflib.namespace import RDF

    from chosaku.namespaces import SRC
    seed = SRC["seed000"]
    assert ontology.value(seed, KG_.authority) == KG_.BusinessBriefing
    assert (seed, RDF.type, KG_.BriefingMaterial) in ontology
    assert ontology.value(seed, KG_.binding).toPython() is False
    issuers = {str(i) for i in ontology.objects(seed, KG_.issuer)}
    assert any("NTT東日本" in i for i in issuers) and any("NTT East" in i for i in issuers)
    detail = _detail(evaluate(RISK2["risk2-text-rag-countermeasures"]).to_dict(), "copyright_infringement")
    seed000 = next(d for d in detail["documents"] if d["id"] == "seed000")
    assert seed000["authority"] == "briefing by a business" and seed000["binding"] is False


def test_the_position_keyed_agency_is_labelled_as_seed004s_reading_with_the_2024_understanding_beside_it(ontology):
    from chosaku.namespaces import POS
    from rdflib.namespace import RDFS
    labels = {str(label) for label in ontology.objects(POS["agency"], RDFS.label)}
    assert any("seed 004" in label and "2023" in label for label in labels), labels
    assert not any(label.startswith("Position of the Agency") for label in labels)
    result = evaluate(RISK2["pos-agency-icl-pattern3-input"])
    data = result.to_dict()
    assert data["position"] == "agency"
    step = next(b for a in data["acts"] if a["act"] == "input" for b in a["because"]
                if b["rule"] == "requirement-position-generation-phase")
    assert "seed 004 §6 reads it" in step["source"]
    assert "bunka-kangaekata-2024 5.各論点について (2)生成・利用段階" in step["source"]
    assert "〔locator unverified / 箇所未確認〕" in step["source"]  # the seeds hold no text of the 2024 document
    assert "seed004 第6 文化庁資料について 2" in step["source"]
    text = render_text(result, load_ontology(), lang="en")
    assert "Seed 004 §6's reading of the subcommittee's 2023 figure (key: agency)" in text


def test_the_text_says_when_a_risk_waits_for_an_unanswered_fact():
    text = render_text(evaluate(RISK2["risk2-defamation-publicity-unknown"]), load_ontology())
    defamation = text.split("■ defamation", 1)[1].split("■", 1)[0]
    assert "conditional on unanswered facts / 未回答の事実による条件付き: output_use.purpose" in defamation
    public = render_text(evaluate(RISK2["risk2-defamation-public-transmission"]), load_ontology())
    assert "conditional on unanswered facts" not in public.split("■ defamation", 1)[1].split("■", 1)[0]
