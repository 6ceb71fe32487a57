"""The ontology checks itself: it parses, its SHACL shapes hold, HermiT finds it consistent
and classifies RAG scenarios by their facts, and it carries what the rules must cite."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from chosaku.namespaces import CASE, JPCA, KG, REQ, RISK, RULE, SH
from chosaku.ontology_graph import module_files, parse_turtle
from chosaku.ontology_check import check_ontology
from checkout import shared_dir
from chosaku.resources import ontology_dir

RISK_IDS = {
    "confidential_leak", "bias", "copyright_infringement", "privacy",
    "unlicensed_training_criticism", "no_copyright_in_output", "misinformation",
    "over_regulation", "portrait_rights", "defamation", "non_consensual_sexual_imagery",
    "csam", "licence_violation", "opt_out_ignored",
}
EXEMPTION_KEYS = {
    "art30_4": JPCA["Art30-4"], "art47_5_1": JPCA["Art47-5-Para1"],
    "art47_5_2": JPCA["Art47-5-Para2"], "art30_1": JPCA["Art30-Para1"],
    "art30_3": JPCA["Art30-3"], "art35": JPCA["Art35-Para1"],
    "art32": JPCA["Art32-Para1"], "art47_7": JPCA["Art47-7"],
}


@pytest.mark.parametrize("path", module_files() + sorted((ontology_dir() / "shapes").glob("*.ttl")),
                         ids=lambda p: str(p.relative_to(ontology_dir())))
def test_every_file_parses(path):
    assert len(parse_turtle(path)) > 0


def test_ontology_conforms_to_its_own_shapes(ontology):
    violations = check_ontology(ontology)
    assert violations == [], "\n".join(map(str, violations[:40]))


def test_ontology_shapes_catch_an_unlabelled_undeclared_term(ontology):
    broken = Graph()
    for triple in ontology:
        broken.add(triple)
    broken.add((KG.Stray, RDF.type, OWL.Class))                       # no labels, no comment
    broken.add((KG.Stray, RDFS.seeAlso, KG.neverDeclared))            # undeclared IRI of ours
    messages = {(v.focus, v.message_en) for v in check_ontology(broken)}
    assert (str(KG.Stray), "Missing a Japanese label (rdfs:label @ja).") in messages
    assert (str(KG.Stray), "Missing an English label (rdfs:label @en).") in messages
    assert any(f == str(KG.neverDeclared) and "never declared" in m for f, m in messages)


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _undecided_requirement(graph: Graph, requirement, kind=KG.Requirement) -> Graph:
    """`graph` plus a well-formed requirement of Art. 35(1) that no rule or annotation decides."""
    graph.add((requirement, RDF.type, kind))
    graph.add((requirement, RDF.type, OWL.NamedIndividual))
    graph.add((requirement, KG.requirementKey, Literal(str(requirement).rsplit("/", 1)[1])))
    graph.add((requirement, RDFS.label, Literal("著作権者の利益を不当に害しないこと", lang="ja")))
    graph.add((requirement, RDFS.label, Literal("no unreasonable prejudice to the copyright owner", lang="en")))
    graph.add((requirement, RDFS.comment, Literal("第35条第1項ただし書。", lang="ja")))
    graph.add((requirement, RDFS.comment, Literal("The proviso of Art. 35(1).", lang="en")))
    graph.add((requirement, KG.citesSource, JPCA.Act))
    graph.add((requirement, KG.setBy, JPCA["Art35-Para1-Proviso"]))
    graph.add((requirement, KG.defeats, JPCA["Art35-Para1"]))
    graph.add((JPCA["Art35-Para1"], KG.hasRequirement, requirement))
    graph.add((requirement, KG.requirementOf, JPCA["Art35-Para1"]))
    return graph


def test_every_requirement_is_decided_by_a_rule_or_an_annotation(ontology):
    decided = {str(r) for r in ontology.objects(None, KG.decidesRequirement)}
    annotated = {str(r) for p in (KG.decidedByFact, KG.contextValue, KG.useValue, KG.unassessedReason)
                 for r in ontology.subjects(p, None)}
    requirements = {str(r) for kind in (KG.Requirement, KG.ProvisoCondition, KG.ExemptionCondition)
                    for r in ontology.subjects(RDF.type, kind)}
    assert requirements and requirements <= decided | annotated, sorted(requirements - decided - annotated)


def test_ontology_shapes_catch_a_requirement_nobody_decides(ontology):
    orphan = REQ["no_unreasonable_prejudice_35"]
    violations = check_ontology(_undecided_requirement(_copy(ontology), orphan, KG.ProvisoCondition))
    undecided = [v for v in violations if v.focus == str(orphan)]
    assert len(undecided) == 1 and "Nothing decides this requirement" in undecided[0].message_en, violations
    assert all(v.focus == str(orphan) for v in violations), violations  # nothing else broke


@pytest.mark.parametrize("decision", ["rule", "fact", "purpose", "unassessed"])
def test_a_requirement_is_decided_by_a_rule_an_annotation_or_says_why_not(ontology, decision):
    orphan = REQ["no_unreasonable_prejudice_35"]
    graph = _undecided_requirement(_copy(ontology), orphan)
    if decision == "rule":
        graph.add((RULE["requirement-minor"], KG.decidesRequirement, orphan))
    elif decision == "fact":
        graph.add((orphan, KG.decidedByFact, KG.analysisDatabase))
        graph.add((orphan, KG.metWhen, Literal(False)))
    elif decision == "purpose":
        graph.add((orphan, KG.contextValue, KG.education))
    else:
        graph.add((orphan, KG.unassessedReason, Literal("decided case by case", lang="en")))
    assert [v for v in check_ontology(graph) if v.focus == str(orphan)] == []


def test_only_a_rule_can_decide_a_requirement(ontology):
    orphan = REQ["no_unreasonable_prejudice_35"]
    graph = _undecided_requirement(_copy(ontology), orphan)
    graph.add((JPCA["Art35-Para1"], KG.decidesRequirement, orphan))  # a provision is not a rule
    assert any(v.focus == str(orphan) and "Nothing decides" in v.message_en for v in check_ontology(graph))


# Rules that decide a requirement without naming it in their SPARQL: through kg:dependsOn, or by
# deriving the fact that settles it (the exemption conditions of Art. 30-4; whether protected
# expression is reused at all).
DECIDE_WITHOUT_NAMING = {RULE["requirement-depends-on-47-5-1"], RULE["derive-no-purpose-no-similar-output"],
                         RULE["derive-no-purpose-similar-output-rare"], RULE["derive-no-purpose-output-filtered"],
                         RULE["protected-expression"]}


def test_a_rule_that_decides_a_requirement_names_it_by_iri_not_by_key(ontology):
    keyed = re.compile(r'requirementKey\s+"')
    for rule in ontology.subjects(RDF.type, KG.Rule):
        text = str(ontology.value(rule, SH.construct))
        assert not keyed.search(text), f"{rule} selects a requirement by its key; use its IRI (VALUES ?req {{ req:... }})"
    for rule, requirement in ontology.subject_objects(KG.decidesRequirement):
        text = str(ontology.value(rule, SH.construct))
        local = str(requirement).rsplit("/", 1)[1]
        assert f"req:{local}" in text or rule in DECIDE_WITHOUT_NAMING, \
            f"{rule} decides {requirement} but its SPARQL does not name it"


def test_every_rule_hangs_on_the_rule_shape(ontology):
    attached = set(ontology.objects(None, SH.rule))
    assert set(ontology.subjects(RDF.type, SH.SPARQLRule)) <= attached


def test_every_scenario_key_maps_to_a_term(ontology):
    keys = {str(k) for k in ontology.objects(None, KG.scenarioKey)}
    expected = {
        "technique", "context", "works", "works[].id", "works[].kind", "works[].published",
        "works[].pirated", "works[].pirated_known", "works[].analysis_database",
        "works[].unprotected_only", "collection.by", "collection.on", "collection.commissioned",
        "input.by", "provider_supplies_db_and_rag", "expression_output_purpose",
        "similar_output", "output_filtering", "full_text_browsable", "display",
        "light_use.result_kind", "light_use.source_shown", "light_use.incidental",
        "light_use.minor", "light_use.leak_prevention", "light_use.guidance_consulted",
        "light_use.contact_published", "output_use.by", "output_use.purpose",
        "output_use.offers_result_service", "image.similar_to_existing_work",
        "image.relied_on_work", "image.commercial", "image.license_allows_commercial",
        "image.depicts_real_person", "image.sexualized", "image.minor_depicted",
        "image.consent", "training.by", "training.opt_out_respected", "position",
    }
    assert expected <= keys, sorted(expected - keys)


def test_every_exemption_key_of_the_contract_names_one_provision(ontology):
    for key, provision in EXEMPTION_KEYS.items():
        assert set(ontology.subjects(KG.exemptionKey, Literal(key))) == {provision}, key
        assert (provision, RDF.type, KG.Exemption) in ontology, key


def test_every_provision_has_official_text_or_marked_summary(ontology):
    provisions = set(ontology.subjects(RDF.type, KG.Provision)) | {
        s for cls in (KG.Article, KG.Paragraph, KG.Item, KG.Proviso)
        for s in ontology.subjects(RDF.type, cls)}
    assert len(provisions) >= 40
    for provision in provisions:
        official = list(ontology.objects(provision, KG.officialText))
        summary = list(ontology.objects(provision, KG.summaryText))
        assert official or summary, provision


@pytest.mark.skipif(not (shared_dir() / "statutes" / "copyright-act.md").exists(),
                    reason="the official statute file is not beside the checkout")
def test_official_texts_are_verbatim_from_the_statute(ontology):
    statute = (shared_dir() / "statutes" / "copyright-act.md").read_text(encoding="utf-8")
    flat = re.sub(r"\s+", "", statute)
    texts = list(ontology.subject_objects(KG.officialText))
    assert len(texts) >= 30
    for provision, text in texts:
        body = re.sub(r"^[一二三四五六七八九十]+\s", "", str(text))  # item numbers are headings
        assert re.sub(r"\s+", "", body) in flat, f"{provision} is not verbatim"


def test_art47_5_para1_requirements_are_nodes(ontology):
    keys = {str(ontology.value(r, KG.requirementKey))
            for r in ontology.objects(JPCA["Art47-5-Para1"], KG.hasRequirement)}
    for key in ("leak_prevention", "guidance_consulted", "contact_published", "incidental",
                "minor", "necessary_for_purpose", "knowingly_pirated"):
        assert key in keys, (key, sorted(keys))


def test_provisos_are_explicit_nodes_that_defeat_their_provision(ontology):
    assert (JPCA["Art30-4-Proviso"], KG.defeats, JPCA["Art30-4"]) in ontology
    assert (JPCA["Art47-5-Para1-Proviso"], KG.defeats, JPCA["Art47-5-Para1"]) in ontology
    defeated = set(ontology.objects(None, KG.defeats))
    assert JPCA["Art47-5-Para2"] in defeated


def test_risk_scheme_has_every_identifier_with_definition_and_countermeasures(ontology):
    notations = {str(n) for c in ontology.subjects(RDF.type, SKOS.Concept)
                 for n in ontology.objects(c, SKOS.notation)}
    assert RISK_IDS <= notations, sorted(RISK_IDS - notations)
    for ident in RISK_IDS:
        concept = RISK[ident]
        langs = {d.language for d in ontology.objects(concept, SKOS.definition)}
        assert {"ja", "en"} <= langs, ident
        assert list(ontology.objects(concept, KG.countermeasure)), ident


def test_guideline_documents_carry_issuer_date_and_are_not_binding(ontology):
    guidelines = set(ontology.subjects(RDF.type, KG.GuidelineDocument))
    assert len(guidelines) >= 7
    for doc in guidelines:
        assert ontology.value(doc, KG.binding) == Literal(False), doc
        assert ontology.value(doc, KG.issuer) is not None, doc


def test_interpretive_positions_have_one_default(ontology):
    positions = set(ontology.subjects(RDF.type, KG.InterpretivePosition))
    assert len(positions) >= 2
    defaults = [p for p in positions if ontology.value(p, KG.isDefault) == Literal(True)]
    assert len(defaults) == 1


# --- HermiT ------------------------------------------------------------------------

def _rag_scenario(name, collected_by, collected_on, input_by, purpose):
    graph = Graph()
    node = CASE[name]
    graph.add((node, RDF.type, KG.Scenario))
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, KG.technique, KG.rag))
    graph.add((node, KG.collectedBy, KG[collected_by]))
    if collected_on:
        graph.add((node, KG.collectedOn, KG[collected_on]))
    graph.add((node, KG.inputBy, KG[input_by]))
    if purpose is not None:
        graph.add((node, KG.expressionOutputPurpose, Literal(purpose)))
    return graph


RAG_FACTS = {
    1: ("ai_provider", "provider_server", "ai_provider", False),
    2: ("ai_provider", "provider_server", "ai_provider", True),
    3: ("ai_user", "provider_server", "ai_user", False),
    4: ("ai_user", "provider_server", "ai_user", True),
    5: ("ai_user", "user_environment", "ai_user", False),
    6: ("ai_user", "user_environment", "ai_user", True),
    7: ("ai_provider", "provider_server", "ai_user", False),
    8: ("ai_provider", "provider_server", "ai_user", True),
}


@pytest.fixture(scope="module")
def hermit_classes():
    pytest.importorskip("owlready2")
    from chosaku.dl import run_hermit

    extra = Graph()
    for number, facts in RAG_FACTS.items():
        for triple in _rag_scenario(f"hermit-type{number}", *facts):
            extra.add(triple)
    for triple in _rag_scenario("hermit-unknown-purpose", "ai_user", "provider_server", "ai_user", None):
        extra.add(triple)
    return run_hermit(extra)


def test_hermit_finds_the_ontology_consistent(hermit_classes):
    assert str(KG.ai_user) in hermit_classes  # reasoning ran and returned the individuals


@pytest.mark.parametrize("number", sorted(RAG_FACTS))
def test_hermit_classifies_each_rag_type_from_its_facts(hermit_classes, number):
    classes = hermit_classes[str(CASE[f"hermit-type{number}"])]
    types = {c for c in classes if re.fullmatch(re.escape(str(KG)) + r"RagType\d", c)}
    assert types == {str(KG[f"RagType{number}"])}


def test_hermit_leaves_the_type_open_when_the_purpose_is_unknown(hermit_classes):
    classes = hermit_classes[str(CASE["hermit-unknown-purpose"])]
    assert not {c for c in classes if re.fullmatch(re.escape(str(KG)) + r"RagType\d", c)}
    assert str(KG.RagScenario) in classes


def test_hermit_detects_an_inconsistency():
    owlready2 = pytest.importorskip("owlready2")
    from chosaku.dl import run_hermit

    contradiction = Graph()
    contradiction.add((KG.ai_user, OWL.sameAs, KG.ai_provider))  # declared different in core.ttl
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        run_hermit(contradiction)
