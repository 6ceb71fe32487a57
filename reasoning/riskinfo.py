"""What the ontology says about a risk, for the result's `risk_details`: its definition, severity,
area, sources with their issuer and bindingness, its legal basis, the non-binding guidance that
bears on it, and the countermeasures to recommend, each with its source.

Everything is read from the ontology (risks.ttl, sources/, the provisions); nothing here decides
whether a risk is raised (the rules do). A source binds only if its document says kg:binding
true, so no recommendation resting on guidance, a request or commentary is shown as law."""

from __future__ import annotations

import copy
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from .citations import binding as _binding
from .citations import document_of as _document
from .labels import code, label, local_name, source_citation, text_in
from .namespaces import KG
from .ontology_graph import load_ontology


@lru_cache(maxsize=256)
def document_entry(document: URIRef) -> dict:
    """A source document: what it is, who issued it and when, its authority and legal force."""
    onto = load_ontology()
    authority = onto.value(document, KG.authority)
    issued = onto.value(document, DCTERMS.issued)
    return {
        "id": local_name(document),
        "label": label(onto, document, "en"), "label_ja": label(onto, document, "ja"),
        "issuer": text_in(onto, document, KG.issuer, "en"), "issuer_ja": text_in(onto, document, KG.issuer, "ja"),
        "issued": str(issued) if issued is not None else None,
        "authority": label(onto, authority, "en") if authority is not None else None,
        "authority_ja": label(onto, authority, "ja") if authority is not None else None,
        "binding": _binding(document),
        "note": text_in(onto, document, KG.bindingNote, "en") or None,
        "note_ja": text_in(onto, document, KG.bindingNote, "ja") or None,
    }


def _cited(node: URIRef) -> dict:
    """source (citation string), binding (every cited document binds) and issuer of a node's sources."""
    onto = load_ontology()
    sources = sorted(onto.objects(node, KG.citesSource), key=str)
    documents = sorted({_document(s) for s in sources}, key=str)
    issuers = sorted({document_entry(d)["issuer"] for d in documents if document_entry(d)["issuer"]})
    issuers_ja = sorted({document_entry(d)["issuer_ja"] for d in documents if document_entry(d)["issuer_ja"]})
    return {
        "source": "; ".join(sorted(source_citation(onto, s) for s in sources)) or None,
        "binding": bool(documents) and all(document_entry(d)["binding"] for d in documents),
        "issuer": "; ".join(issuers) or None,
        "issuer_ja": "; ".join(issuers_ja) or None,
        "documents": [document_entry(d) for d in documents],
    }


def _legal_basis(node: URIRef) -> dict:
    """A provision (or instrument) of the law a risk rests on, with the force of its instrument."""
    onto = load_ontology()
    instrument = onto.value(node, KG.inInstrument) or node
    return {
        "provision": text_in(onto, node, KG.citation, "en") or label(onto, node, "en"),
        "provision_ja": text_in(onto, node, KG.citation, "ja") or label(onto, node, "ja"),
        "instrument": label(onto, instrument, "en"), "instrument_ja": label(onto, instrument, "ja"),
        "binding": _binding(instrument),
        "text": "official" if onto.value(node, KG.officialText) is not None else
                "summary" if onto.value(node, KG.summaryText) is not None else None,
        "note": text_in(onto, node, KG.bindingNote, "en") or text_in(onto, instrument, KG.bindingNote, "en") or None,
        "note_ja": text_in(onto, node, KG.bindingNote, "ja") or text_in(onto, instrument, KG.bindingNote, "ja") or None,
    }


def _countermeasure(node: URIRef) -> dict:
    """A countermeasure: label, description, and its sources with their force and issuer."""
    onto = load_ontology()
    cited = _cited(node)
    return {
        "id": local_name(node),
        "label": label(onto, node, "en"), "label_ja": label(onto, node, "ja"),
        "description": text_in(onto, node, RDFS.comment, "en"), "description_ja": text_in(onto, node, RDFS.comment, "ja"),
        "source": cited["source"], "binding": cited["binding"],
        "issuer": cited["issuer"], "issuer_ja": cited["issuer_ja"],
    }


@lru_cache(maxsize=64)
def risk_entry(risk: URIRef) -> dict:
    """Everything the ontology says about one risk concept, ready for `risk_details`."""
    onto = load_ontology()
    area = onto.value(risk, KG.riskArea)
    severity = onto.value(risk, KG.severity)
    cited = _cited(risk)
    measures = [dict(_countermeasure(m), iri=str(m)) for m in onto.objects(risk, KG.countermeasure)]
    return {
        "risk": str(onto.value(risk, SKOS.notation)),
        "label": label(onto, risk, "en"), "label_ja": label(onto, risk, "ja"),
        "definition": text_in(onto, risk, SKOS.definition, "en"),
        "definition_ja": text_in(onto, risk, SKOS.definition, "ja"),
        "severity": int(severity) if severity is not None else None,
        "area": code(onto, area) if area is not None else None,
        "area_label": label(onto, area, "en") if area is not None else None,
        "area_label_ja": label(onto, area, "ja") if area is not None else None,
        **cited,
        "legal_basis": sorted((_legal_basis(p) for p in onto.objects(risk, KG.legalBasis)), key=lambda e: e["provision"]),
        "guidance": sorted((document_entry(g) for g in onto.objects(risk, KG.relatedGuidance)), key=lambda e: e["id"]),
        "countermeasures": sorted(measures, key=lambda e: e["label"]),
    }


@lru_cache(maxsize=128)
def rule_reason(rule: URIRef) -> dict:
    """Why a rule raised a risk: the rule and its label (en, ja)."""
    onto = load_ontology()
    return {"rule": local_name(rule), "reason": label(onto, rule, "en"), "reason_ja": label(onto, rule, "ja")}


def case_risk_entry(risk: URIRef, case_graph, case: URIRef) -> dict:
    """`risk_entry` for one evaluated case: only the countermeasures the rules recommended for it
    (kg:recommendsCountermeasure: by the scenario's technique), and, where the risk was raised on
    a condition the scenario leaves open (kg:ConditionalRisk), `conditional` and the keys of the
    facts it depends on (`missing_facts`). Reads what the rules wrote; decides nothing."""
    onto = load_ontology()
    entry = copy.deepcopy(risk_entry(risk))
    recommended = {str(m) for m in case_graph.objects(case, KG.recommendsCountermeasure)}
    entry["countermeasures"] = [{k: v for k, v in m.items() if k != "iri"}
                                for m in entry["countermeasures"] if m["iri"] in recommended]
    facts = sorted({str(key) for node in case_graph.subjects(KG.forRisk, risk)
                    for fact in case_graph.objects(node, KG.missingFact)
                    for key in onto.objects(fact, KG.scenarioKey)})
    entry["conditional"] = bool(facts)
    entry["missing_facts"] = facts
    return entry
