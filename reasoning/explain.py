"""Reading the inferred case graph into the result contract: acts, exemptions, actors, fault,
liability, risks and missing facts, each act and exemption with the rules and sources behind it.

Nothing here decides the law: every value is read from triples the rules wrote."""

from __future__ import annotations

import copy
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .labels import code, label, local_name, provision_code, source_citation
from .namespaces import KG
from .ontology_graph import load_ontology
from .riskinfo import risk_entry, rule_reason

ACT_ORDER = ["training", "collection", "input", "output", "transmission", "use"]
STATUS_CODES = {KG.met: "met", KG.failed: "unmet", KG.unknown: "unknown"}
# How a status reads: a proviso condition is "met" when the proviso does not bite.
PLAIN_READING = {"met": ("met", "充足"), "unmet": ("unmet", "不充足"), "unknown": ("unknown", "不明")}
PROVISO_READING = {"met": ("proviso does not apply", "ただし書に当たらない"),
                   "unmet": ("proviso applies", "ただし書に当たる"), "unknown": ("unknown", "不明")}


@lru_cache(maxsize=4096)
def _citation(rule: URIRef, requirement: URIRef | None) -> tuple:
    """(rule, provision, source) of a rule, preferring the requirement's own provision and
    passages; cached, as the ontology does not change while the process runs."""
    onto = load_ontology()
    provisions = []
    if requirement is not None:
        provisions = list(onto.subjects(KG.hasRequirement, requirement)) or list(onto.objects(requirement, KG.setBy))
    provisions = provisions or list(onto.objects(rule, KG.ruleProvision))
    sources = list(onto.objects(requirement, KG.citesSource)) if requirement is not None else []
    sources = sources or list(onto.objects(rule, KG.citesSource))
    return (("rule", local_name(rule)),
            ("provision", provision_code(onto, sorted(provisions)[0]) if provisions else None),
            ("source", "; ".join(sorted(source_citation(onto, s) for s in sources)) or None))


@lru_cache(maxsize=1024)
def _requirement_facts(requirement: URIRef) -> tuple:
    """(key, label en, label ja, is a proviso condition) of a requirement, cached."""
    onto = load_ontology()
    return (str(onto.value(requirement, KG.requirementKey) or local_name(requirement)),
            label(onto, requirement, "en"), label(onto, requirement, "ja"),
            (requirement, RDF.type, KG.ProvisoCondition) in onto)


class CaseReader:
    """Reads one evaluated case from the union of ontology, facts and inferences."""

    def __init__(self, ontology: Graph, case_graph: Graph, case: URIRef, produced_by: dict):
        self.onto = ontology
        self.case_graph = case_graph
        self.case = case
        self.produced_by = produced_by

    # --- small readers -------------------------------------------------------------
    def value(self, subject, predicate):
        """One object from the case graph, else from the ontology."""
        found = self.case_graph.value(subject, predicate)
        return found if found is not None else self.onto.value(subject, predicate)

    def objects(self, subject, predicate):
        """Objects from the case graph."""
        return list(self.case_graph.objects(subject, predicate))

    def code(self, node) -> str | None:
        return code(self.onto, node)

    def rules_for(self, triple) -> list[URIRef]:
        """The rules that inferred a triple (empty for facts given in the scenario)."""
        return self.produced_by.get(triple, [])

    def citation(self, rule: URIRef, requirement: URIRef | None = None) -> dict:
        """A `because` entry: the rule, the provision and the source passage it cites."""
        return dict(_citation(rule, requirement))

    # --- the parts of the result ----------------------------------------------------
    def rag_type(self) -> int | None:
        types = [self.onto.value(t, KG.ragTypeNumber) for t in self.objects(self.case, KG.ragType)]
        numbers = {int(n) for n in types if n is not None}
        return numbers.pop() if len(numbers) == 1 else None

    def display_pattern(self) -> int | None:
        display = self.value(self.case, KG.display)
        number = self.onto.value(display, KG.patternNumber) if display is not None else None
        return int(number) if number is not None else None

    def position(self) -> str | None:
        position = self.value(self.case, KG.position)
        key = self.onto.value(position, KG.positionKey) if position is not None else None
        return str(key) if key is not None else None

    def acts(self) -> list[URIRef]:
        acts = self.objects(self.case, KG.hasAct)
        def order(act):
            name = self.code(self.case_graph.value(act, RDF.type))
            return ACT_ORDER.index(name) if name in ACT_ORDER else len(ACT_ORDER)
        return sorted(acts, key=order)

    def exemptions(self, act) -> list[URIRef]:
        """The exemption assessments of an act, in the order of analysis (30-4 first, then 47-5, ...)."""
        def order(node):
            rank = self.onto.value(self.case_graph.value(node, KG.assessedProvision), KG.analysisOrder)
            return (int(rank) if rank is not None else 99, str(node))
        return sorted((n for n in self.case_graph.subjects(KG.assessedAct, act)
                       if (n, RDF.type, KG.ExemptionAssessment) in self.case_graph), key=order)

    def requirement_nodes(self, exemption) -> list[URIRef]:
        return sorted(self.case_graph.subjects(KG.forExemption, exemption), key=str)

    def requirement_entry(self, node) -> dict:
        """One requirement assessment: key, provision, status, work, missing facts, cite."""
        requirement = self.case_graph.value(node, KG.assessedRequirement)
        status = self.case_graph.value(node, KG.status)
        work = self.case_graph.value(node, KG.aboutWork)
        rules = self.rules_for((node, KG.status, status))
        key, label_en, label_ja, proviso = _requirement_facts(requirement)
        entry = {
            "requirement": key,
            "label": label_en,
            "label_ja": label_ja,
            "status": STATUS_CODES.get(status, "unknown"),
            "proviso": proviso,
            "reading": (PROVISO_READING if proviso else PLAIN_READING)[STATUS_CODES.get(status, "unknown")],
        }
        if work is not None:
            entry["work"] = str(self.case_graph.value(work, KG.workId))
        if rules:
            entry.update(self.citation(rules[0], requirement))
        return entry

    def act_result(self, act) -> dict:
        """The contract's entry for one act, with its explanation."""
        act_class = self.case_graph.value(act, RDF.type)
        conclusion = self.case_graph.value(act, KG.conclusion)
        actors = sorted(self.code(a) for a in self.objects(act, KG.actor))
        exemptions, because, checklist = {}, [], {}
        for triple in ((act, KG.actor, a) for a in self.objects(act, KG.actor)):
            because += [dict(self.citation(r), finding=f"actor: {self.code(triple[2])}") for r in self.rules_for(triple)]
        for prop, name in ((KG.expressionUse, "uses the works' expression"), (KG.protectedExpression, "uses protected expression")):
            status = self.case_graph.value(act, prop)
            for rule in self.rules_for((act, prop, status)):
                because.append(dict(self.citation(rule), finding=f"{name}: {STATUS_CODES.get(status, 'unknown')}"))
        for exemption in self.exemptions(act):
            provision = self.case_graph.value(exemption, KG.assessedProvision)
            key = provision_code(self.onto, provision)
            status = self.case_graph.value(exemption, KG.status)
            exemptions[key] = self.code(status) or "conditional"
            requirements = [self.requirement_entry(n) for n in self.requirement_nodes(exemption)]
            checklist[key] = requirements
            for rule in self.rules_for((exemption, KG.status, status)):
                because.append(dict(self.citation(rule), provision=key, finding=f"{key}: {exemptions[key]}"))
            if exemptions[key] != "applies":
                wanted = "unmet" if exemptions[key] == "not_applicable" else "unknown"
                because += [dict({k: r[k] for k in ("rule", "provision", "source") if k in r}, provision=key,
                                 finding=f"{key} {r['requirement']}{'[' + r['work'] + ']' if 'work' in r else ''}: {wanted}")
                            for r in requirements if r["status"] == wanted]
        for rule in self.rules_for((act, KG.conclusion, conclusion)):
            because.append(dict(self.citation(rule), finding=f"conclusion: {self.code(conclusion)}"))
        fault = {}
        for node in self.case_graph.subjects(KG.assessedAct, act):
            if (node, RDF.type, KG.FaultAssessment) in self.case_graph:
                who = self.code(self.case_graph.value(node, KG.faultOf))
                fault[who] = self.code(self.case_graph.value(node, KG.fault))
                for rule in self.rules_for((node, KG.fault, self.case_graph.value(node, KG.fault))):
                    because.append(dict(self.citation(rule), finding=f"fault of {who}: {fault[who]}"))
        return {
            "act": self.code(act_class),
            "actors": actors,
            "conclusion": self.code(conclusion) if conclusion is not None else "conditional",
            "exemptions": exemptions,
            "fault": dict(sorted(fault.items())),
            "because": because,
            "requirements": checklist,
        }

    def liable(self) -> list[dict]:
        entries = []
        for node in sorted(self.case_graph.subjects(RDF.type, KG.Liability), key=str):
            role = self.case_graph.value(node, KG.liabilityRole)
            fault = self.case_graph.value(node, KG.fault)
            remedies = sorted(self.objects(node, KG.remedy),
                              key=lambda r: int(self.onto.value(self.onto.value(r, KG.remedyNeedsFault), KG.faultRank)))
            entries.append({
                "actor": self.code(self.case_graph.value(node, KG.liableActor)),
                "role": self.code(role),
                "acts": sorted((self.code(self.case_graph.value(a, RDF.type)) for a in self.objects(node, KG.liableFor)),
                               key=ACT_ORDER.index),
                "fault": self.code(fault) if fault is not None else "none",
                "remedies": [self.code(r) for r in remedies],
            })
        return sorted(entries, key=lambda e: e["actor"])

    def risks(self) -> list[str]:
        return sorted(str(self.onto.value(r, KG.scenarioValue) or self.onto.value(r, URIRef("http://www.w3.org/2004/02/skos/core#notation")))
                      for r in self.objects(self.case, KG.raisesRisk))

    def risk_details(self) -> list[dict]:
        """Each raised risk, gravest first: its definition (en, ja), severity, area, source with its
        issuer and bindingness, legal basis, the non-binding guidance that bears on it, the rules
        that raised it and the countermeasures to recommend, each with its source."""
        details = []
        for risk in self.objects(self.case, KG.raisesRisk):
            entry = copy.deepcopy(risk_entry(risk))
            entry["raised_by"] = [rule_reason(r) for r in sorted(self.rules_for((self.case, KG.raisesRisk, risk)), key=str)]
            details.append(entry)
        return sorted(details, key=lambda e: (-(e["severity"] or 0), e["risk"]))

    def missing_facts(self) -> list[str]:
        return sorted(str(k) for k in self.objects(self.case, KG.missingFactKey))
