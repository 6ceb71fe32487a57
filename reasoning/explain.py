"""Reading the inferred case graph into the typed explanation (chosaku.explanation) and the
result contract's other parts: acts, exemptions with their requirement checklists, actors,
fault, liability, risks and missing facts, each step with the rule, provision and sources behind it.

Nothing here decides the law: every value is read from triples the rules wrote, and every text
from the ontology's labels."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .citations import provision_of, rule_of, sources_of
from .contract import because_entry
from .explanation import (ActExplanation, ExemptionCheck, Finding, Provision, RequirementCheck, Rule, Source, Step, Text,
                          WorkExemptionStatus, WorkExplanation)
from .labels import code, labels, local_name
from .namespaces import KG
from .ontology_graph import load_ontology
from .riskinfo import case_risk_entry, rule_reason
from .triple_index import TripleIndex

ACT_ORDER = ["training", "collection", "input", "output", "transmission", "use"]
STATUS_CODES = {KG.met: "met", KG.failed: "unmet", KG.unknown: "unknown"}
STATUS_NODES = {value: node for node, value in STATUS_CODES.items()}
# How the status of a proviso condition reads ("met" when the proviso does not bite); any other
# requirement reads as its status's label.
PROVISO_READING = {"met": ("proviso does not apply", "ただし書に当たらない"), "unmet": ("proviso applies", "ただし書に当たる")}


@lru_cache(maxsize=4096)
def _citation(rule: URIRef, requirement: URIRef | None) -> tuple[Rule, Provision | None, tuple[Source, ...]]:
    """(rule, provision, sources) of a rule, preferring the requirement's own provision and
    passages; cached, as the ontology does not change while the process runs."""
    onto = load_ontology()
    provisions = []
    if requirement is not None:
        provisions = list(onto.subjects(KG.hasRequirement, requirement)) or list(onto.objects(requirement, KG.setBy))
    provisions = provisions or list(onto.objects(rule, KG.ruleProvision))
    sources = list(onto.objects(requirement, KG.citesSource)) if requirement is not None else []
    sources = sources or list(onto.objects(rule, KG.citesSource))
    return rule_of(rule), provision_of(sorted(provisions)[0]) if provisions else None, sources_of(sources)


@lru_cache(maxsize=1024)
def _requirement_facts(requirement: URIRef) -> tuple[str, Text, bool]:
    """(key, label en/ja, is a proviso condition) of a requirement, cached."""
    onto = load_ontology()
    return (str(onto.value(requirement, KG.requirementKey) or local_name(requirement)), labels(onto, requirement),
            (requirement, RDF.type, KG.ProvisoCondition) in onto)


@lru_cache(maxsize=256)
def _labels(node) -> Text:
    """The label (en, ja) of an ontology term, cached."""
    return labels(load_ontology(), node)


def _said(what: Text, value: Text) -> Text:
    """'what: value' / 'what：value'."""
    return Text(f"{what.en}: {value.en}", f"{what.ja}：{value.ja}")


def reading(status: str, proviso: bool) -> Text:
    """How a requirement status reads (a proviso condition is 'met' when the proviso does not bite)."""
    if proviso and status in PROVISO_READING:
        return Text(*PROVISO_READING[status])
    return _labels(STATUS_NODES[status])


def right_order(key: str) -> tuple:
    """Rights by article: art21 < art23 < art26_2 < art27 < art49."""
    return tuple(int(part) if part.isdigit() else 0 for part in key.removeprefix("art").split("_"))


class CaseReader:
    """Reads one evaluated case from the union of ontology, facts and inferences."""

    def __init__(self, ontology: Graph, case_graph: TripleIndex, case: URIRef, produced_by: dict):
        self.onto = ontology
        self.case_graph = case_graph
        self.case = case
        self.produced_by = produced_by
        # a requirement assessment is read once, though the act's checklist and each work's show it
        self._checks: dict[URIRef, RequirementCheck] = {}
        self._unused_works: dict[URIRef, set] = {}  # per act, read once for all its exemptions

    # --- small readers -------------------------------------------------------------
    def value(self, subject, predicate):
        """One object from the case graph, else from the ontology."""
        found = self.case_graph.value(subject, predicate)
        return found if found is not None else self.onto.value(subject, predicate)

    def objects(self, subject, predicate):
        """Objects from the case graph."""
        return list(self.case_graph.objects(subject, predicate))

    def code(self, node) -> str | None:
        """The contract code of an ontology term (kg:scenarioValue)."""
        return code(self.onto, node)

    def act_class(self, act) -> URIRef | None:
        """The act's class in the contract (training ... use); a use of the output also carries the
        kind of use it is (rules/acts.ttl), which has no code of its own."""
        return next((c for c in sorted(self.case_graph.objects(act, RDF.type)) if self.code(c) is not None), None)

    def rules_for(self, triple) -> list[URIRef]:
        """The rules that inferred a triple (empty for facts given in the scenario)."""
        return self.produced_by.get(triple, [])

    def step(self, rule: URIRef, finding: Finding, requirement: URIRef | None = None,
             provision: Provision | None = None) -> Step:
        """A step drawn by `rule`: its provision (or `provision`, where the step is about an
        exemption) and the sources it cites."""
        rule_, own_provision, sources = _citation(rule, requirement)
        return Step(rule_, provision or own_provision, sources, finding)

    # --- the parts of the result ----------------------------------------------------
    def rag_type(self) -> int | None:
        """The RAG type (1-8) the facts decide, else None."""
        types = [self.onto.value(t, KG.ragTypeNumber) for t in self.objects(self.case, KG.ragType)]
        numbers = {int(n) for n in types if n is not None}
        return numbers.pop() if len(numbers) == 1 else None

    def display_pattern(self) -> int | None:
        """The display pattern (1-3), else None."""
        display = self.value(self.case, KG.display)
        number = self.onto.value(display, KG.patternNumber) if display is not None else None
        return int(number) if number is not None else None

    def position(self) -> str | None:
        """The key of the interpretive position reasoned under."""
        position = self.value(self.case, KG.position)
        key = self.onto.value(position, KG.positionKey) if position is not None else None
        return str(key) if key is not None else None

    def acts(self) -> list[URIRef]:
        """The acts of the case, in the contract's order."""
        acts = self.objects(self.case, KG.hasAct)
        def order(act):
            name = self.code(self.act_class(act))
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
        """The requirement assessments of an act's exemption assessment: the act's own and those
        of the works whose protected expression the act uses (the ones its status combines)."""
        act = self.case_graph.value(exemption, KG.assessedAct)
        if act not in self._unused_works:
            self._unused_works[act] = {
                self.case_graph.value(n, KG.aboutWork) for n in self.case_graph.subjects(KG.assessedAct, act)
                if (n, RDF.type, KG.WorkAssessment) in self.case_graph
                and (n, KG.workProtectedExpression, KG.failed) in self.case_graph}
        unused = self._unused_works[act]
        return sorted((n for n in self.case_graph.subjects(KG.forExemption, exemption)
                       if self.case_graph.value(n, KG.aboutWork) not in unused), key=str)

    def work_requirement_nodes(self, exemption, work) -> list[URIRef]:
        """The requirement assessments an exemption's status for one work combines: the work's own,
        and the act's where the work has none of its own for the same requirement."""
        nodes = list(self.case_graph.subjects(KG.forExemption, exemption))
        own = [n for n in nodes if (n, KG.aboutWork, work) in self.case_graph]
        covered = {self.case_graph.value(n, KG.assessedRequirement) for n in own}
        shared = [n for n in nodes if self.case_graph.value(n, KG.aboutWork) is None
                  and self.case_graph.value(n, KG.assessedRequirement) not in covered]
        return sorted(own + shared, key=str)

    def requirement_check(self, node) -> RequirementCheck:
        """One requirement assessment: requirement, status and its reading, work, and what it cites."""
        if node not in self._checks:
            self._checks[node] = self._read_requirement_check(node)
        return self._checks[node]

    def _read_requirement_check(self, node) -> RequirementCheck:
        requirement = self.case_graph.value(node, KG.assessedRequirement)
        status_node = self.case_graph.value(node, KG.status)
        status = STATUS_CODES.get(status_node, "unknown")
        work = self.case_graph.value(node, KG.aboutWork)
        rules = self.rules_for((node, KG.status, status_node))
        key, name, proviso = _requirement_facts(requirement)
        rule, provision, sources = _citation(rules[0], requirement) if rules else (None, None, ())
        return RequirementCheck(
            iri=str(requirement), key=key, label=name, status=status, status_label=_labels(STATUS_NODES[status]),
            proviso=proviso, reading=reading(status, proviso),
            work=str(self.case_graph.value(work, KG.workId)) if work is not None else None,
            rule=rule, provision=provision, sources=sources)

    def act_explanation(self, act) -> ActExplanation:
        """One act: actors, conclusion, exemptions with their checklists, fault, and every step."""
        act_class = self.act_class(act)
        conclusion = self.case_graph.value(act, KG.conclusion)
        conclusion_code = self.code(conclusion) if conclusion is not None else "conditional"
        conclusion_node = conclusion if conclusion is not None else KG.conditional
        actors = sorted(self.code(a) for a in self.objects(act, KG.actor))
        steps, exemptions, fault = [], [], {}
        for actor in self.objects(act, KG.actor):
            finding = Finding("actor", self.code(actor), _said(_labels(KG.actor), _labels(actor)))
            steps += [self.step(r, finding) for r in self.rules_for((act, KG.actor, actor))]
        for prop, kind in ((KG.expressionUse, "expression_use"), (KG.protectedExpression, "protected_expression")):
            status = self.case_graph.value(act, prop)
            value = STATUS_CODES.get(status, "unknown")
            finding = Finding(kind, value, _said(_labels(prop), _labels(STATUS_NODES[value])))
            steps += [self.step(r, finding) for r in self.rules_for((act, prop, status))]
        for exemption in self.exemptions(act):
            provision = provision_of(self.case_graph.value(exemption, KG.assessedProvision))
            status = self.case_graph.value(exemption, KG.status)
            status_code = self.code(status) or "conditional"
            status_label = _labels(status if status is not None else KG.exemption_conditional)
            checks = tuple(self.requirement_check(n) for n in self.requirement_nodes(exemption))
            exemptions.append(ExemptionCheck(provision, status_code, status_label, checks))
            finding = Finding("exemption", status_code, _said(provision.citation, status_label), subject=provision.code)
            steps += [self.step(r, finding, provision=provision) for r in self.rules_for((exemption, KG.status, status))]
            if status_code != "applies":
                wanted = "unmet" if status_code == "not_applicable" else "unknown"
                steps += [self.requirement_step(provision, check) for check in checks if check.status == wanted]
        for rule in self.rules_for((act, KG.conclusion, conclusion)):
            steps.append(self.step(rule, Finding("conclusion", conclusion_code,
                                                 _said(_labels(KG.conclusion), _labels(conclusion_node)))))
        rights = {}
        for right in self.objects(act, KG.rightAtIssue):
            provision = provision_of(right)
            key = str(self.onto.value(right, KG.rightKey) or provision.code)
            rights[key] = right
            finding = Finding("right", key, _said(_labels(KG.rightAtIssue), provision.citation))
            steps += [self.step(r, finding, provision=provision) for r in self.rules_for((act, KG.rightAtIssue, right))]
        for node in self.case_graph.subjects(KG.assessedAct, act):
            if (node, RDF.type, KG.FaultAssessment) in self.case_graph:
                actor, found = self.case_graph.value(node, KG.faultOf), self.case_graph.value(node, KG.fault)
                who = self.code(actor)
                fault[who] = self.code(found)
                what = Text(f"{_labels(KG.fault).en} ({_labels(actor).en})", f"{_labels(KG.fault).ja}（{_labels(actor).ja}）")
                finding = Finding("fault", fault[who], _said(what, _labels(found)), subject=who)
                steps += [self.step(r, finding) for r in self.rules_for((node, KG.fault, found))]
        return ActExplanation(
            act=self.code(act_class), label=_labels(act_class), actors=tuple(actors), conclusion=conclusion_code,
            conclusion_label=_labels(conclusion_node), exemptions=tuple(exemptions),
            fault=tuple(sorted(fault.items())), steps=tuple(steps), rights=tuple(sorted(rights, key=right_order)),
            works=self.works(act))

    def works(self, act) -> tuple[WorkExplanation, ...]:
        """The act assessed work by work (kg:WorkAssessment), by work id: whether it uses the
        work's protected expression, its conclusion for the work, and each exemption's status for
        the work (kg:WorkExemptionAssessment), in the order of analysis."""
        found = []
        for node in self.case_graph.subjects(KG.assessedAct, act):
            if (node, RDF.type, KG.WorkAssessment) not in self.case_graph:
                continue
            work = self.case_graph.value(node, KG.aboutWork)
            protected = STATUS_CODES.get(self.case_graph.value(node, KG.workProtectedExpression), "unknown")
            conclusion = self.case_graph.value(node, KG.workConclusion)
            exemptions = []
            for ex in self.case_graph.subjects(KG.aboutWork, work):
                if (ex, RDF.type, KG.WorkExemptionAssessment) in self.case_graph and (ex, KG.assessedAct, act) in self.case_graph:
                    status = self.case_graph.value(ex, KG.status)
                    prov = self.case_graph.value(ex, KG.assessedProvision)
                    rank = self.onto.value(prov, KG.analysisOrder)
                    checks = tuple(self.requirement_check(n)
                                   for n in self.work_requirement_nodes(self.case_graph.value(ex, KG.ofExemption), work))
                    exemptions.append(((int(rank) if rank is not None else 99, str(prov)), WorkExemptionStatus(
                        provision_of(prov), self.code(status) or "conditional",
                        _labels(status if status is not None else KG.exemption_conditional), checks)))
            found.append(WorkExplanation(
                work=str(self.case_graph.value(work, KG.workId)), protected_expression=protected,
                protected_label=_labels(STATUS_NODES[protected]),
                conclusion=self.code(conclusion) if conclusion is not None else "conditional",
                conclusion_label=_labels(conclusion if conclusion is not None else KG.conditional),
                exemptions=tuple(e for _, e in sorted(exemptions, key=lambda pair: pair[0]))))
        return tuple(sorted(found, key=lambda w: w.work))

    @staticmethod
    def requirement_step(provision: Provision, check: RequirementCheck) -> Step:
        """The step that names a requirement an exemption fails on (or waits for)."""
        work = f" [{check.work}]" if check.work is not None else ""
        text = Text(f"{provision.citation.en}: {check.label.en}{work} — {check.reading.en}",
                    f"{provision.citation.ja}：{check.label.ja}{work} — {check.reading.ja}")
        finding = Finding("requirement", check.status, text, subject=provision.code, requirement=check.key, work=check.work)
        return Step(check.rule, provision, check.sources if check.rule is not None else (), finding)

    def liable(self) -> list[dict]:
        """Who is liable: actor, role, acts, fault and remedies (the contract's `liable`)."""
        entries = []
        for node in sorted(self.case_graph.subjects(RDF.type, KG.Liability), key=str):
            role = self.case_graph.value(node, KG.liabilityRole)
            fault = self.case_graph.value(node, KG.fault)
            remedies = sorted(self.objects(node, KG.remedy),
                              key=lambda r: int(self.onto.value(self.onto.value(r, KG.remedyNeedsFault), KG.faultRank)))
            entries.append({
                "actor": self.code(self.case_graph.value(node, KG.liableActor)),
                "role": self.code(role),
                "acts": sorted((self.code(self.act_class(a)) for a in self.objects(node, KG.liableFor)),
                               key=ACT_ORDER.index),
                "fault": self.code(fault) if fault is not None else "none",
                "remedies": [self.code(r) for r in remedies],
                "remedies_conditional": [self.code(r) for r in sorted(self.objects(node, KG.remedyConditional), key=self.fault_rank)],
                "remedy_details": self.remedy_details(node),
                "because": [because_entry(step) for step in self.liability_steps(node)],
            })
        return sorted(entries, key=lambda e: e["actor"])

    def fault_rank(self, remedy) -> int:
        """The rank of the least fault a remedy needs (injunction 0, damages 1, criminal 2)."""
        return int(self.onto.value(self.onto.value(remedy, KG.remedyNeedsFault), KG.faultRank))

    def remedy_details(self, node) -> list[dict]:
        """The remedies in detail against one liable actor (the liable entry's `remedy_details`):
        each claim or sanction, whether it is available, waits for an unknown fault or is excluded by
        law, and its provisions; those needing least fault first."""
        entries = []
        for prop, status in ((KG.remedyDetail, "available"), (KG.remedyDetailConditional, "conditional"),
                             (KG.remedyDetailExcluded, "excluded")):
            for detail in self.objects(node, prop):
                name = _labels(detail)
                cited = sorted((provision_of(p).citation for p in self.onto.objects(detail, KG.detailProvision)), key=lambda c: c.en)
                provisions = [c.en for c in cited]
                rank = self.onto.value(self.onto.value(detail, KG.detailNeedsFault), KG.faultRank)
                entries.append((int(rank or 0), self.code(detail), {
                    "remedy": self.code(detail), "status": status, "provisions": provisions,
                    "provisions_ja": [c.ja for c in cited],
                    "label": name.en, "label_ja": name.ja}))
        return [entry for _, _, entry in sorted(entries, key=lambda e: e[:2])]

    def liability_steps(self, node) -> list[Step]:
        """The steps behind one liable entry: its role, fault and remedies, each with the rule,
        provision and sources that drew it."""
        actor = self.case_graph.value(node, KG.liableActor)
        who = self.code(actor)
        steps = []
        for prop, kind in ((KG.liabilityRole, "role"), (KG.fault, "fault"), (KG.remedy, "remedy"),
                           (KG.remedyConditional, "remedy_conditional"), (KG.remedyExcluded, "remedy_excluded")):
            for found in sorted(self.objects(node, prop), key=str):
                what = Text(f"{_labels(prop).en} ({_labels(actor).en})", f"{_labels(prop).ja}（{_labels(actor).ja}）")
                finding = Finding(kind, self.code(found), _said(what, _labels(found)), subject=who)
                steps += [self.step(r, finding) for r in self.rules_for((node, prop, found))]
        return steps

    def risks(self) -> list[str]:
        """The identifiers of the risks raised."""
        return sorted(str(self.onto.value(r, KG.scenarioValue) or self.onto.value(r, URIRef("http://www.w3.org/2004/02/skos/core#notation")))
                      for r in self.objects(self.case, KG.raisesRisk))

    def risk_details(self) -> list[dict]:
        """Each raised risk, gravest first: its definition (en, ja), severity, area, source with its
        issuer and bindingness, legal basis, the non-binding guidance that bears on it, the rules
        that raised it and the countermeasures to recommend, each with its source."""
        details = []
        for risk in self.objects(self.case, KG.raisesRisk):
            entry = case_risk_entry(risk, self.case_graph, self.case)
            entry["raised_by"] = [rule_reason(r) for r in sorted(self.rules_for((self.case, KG.raisesRisk, risk)), key=str)]
            details.append(entry)
        return sorted(details, key=lambda e: (-(e["severity"] or 0), e["risk"]))

    def missing_facts(self) -> list[str]:
        """The keys of the facts whose answer could change a conclusion."""
        return sorted(str(k) for k in self.objects(self.case, KG.missingFactKey))
