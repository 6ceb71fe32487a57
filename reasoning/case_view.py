"""The annotated case graph as a network to draw: its nodes (the scenario, works, acts,
exemption and requirement assessments, fault, liability) with a colour group, a caption and their
facts, and its edges with the rules that inferred them. Plain text: whoever draws it escapes it."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

from .explain import STATUS_CODES
from .glossary import term, value_codes
from .labels import code, label, local_name, text_in
from .namespaces import CASE, KG
from .ontology_graph import load_ontology
from .provenance import inferred_triples

SKIP_TYPES = {RDF.Statement, PROV.Activity}
# Requirement assessments also point at their act; the edge to their exemption implies it.
SKIP_EDGES = {(KG.RequirementAssessment, KG.assessedAct)}
LEGEND_VALUE_SETS = ("Conclusion", "ExemptionStatus", "RequirementStatus")


def _kind(graph, node) -> URIRef | None:
    types = [t for t in graph.objects(node, RDF.type) if t not in SKIP_TYPES]
    return sorted(types, key=str)[0] if types else None


def _group_and_caption(graph, onto, node, kind, lang: str) -> tuple[str, str]:
    """The colour group (a fixed code) and the caption of a node."""
    if kind == KG.Scenario:
        return "scenario", text_in(graph, node, KG.title, lang) or str(graph.value(node, KG.caseId) or local_name(node))
    if kind == KG.Work:
        return "work", str(graph.value(node, KG.workId) or local_name(node))
    if kind == KG.ExemptionAssessment:
        status = graph.value(node, KG.status)
        provision = graph.value(node, KG.assessedProvision)
        citation = text_in(onto, provision, KG.citation, lang, label(onto, provision, lang))
        return code(onto, status) or "conditional", f"{citation}: {label(onto, status, lang)}"
    if kind == KG.RequirementAssessment:
        status = graph.value(node, KG.status)
        requirement = graph.value(node, KG.assessedRequirement)
        return STATUS_CODES.get(status, "unknown"), f"{label(onto, requirement, lang)}: {label(onto, status, lang)}"
    if kind == KG.FaultAssessment:
        return "fault", f"{label(onto, graph.value(node, KG.faultOf), lang)}: {label(onto, graph.value(node, KG.fault), lang)}"
    if kind == KG.Liability:
        return "liability", (f"{label(onto, graph.value(node, KG.liableActor), lang)}: "
                             f"{label(onto, graph.value(node, KG.liabilityRole), lang)}")
    conclusion = graph.value(node, KG.conclusion)
    if conclusion is not None:
        return code(onto, conclusion) or "conditional", f"{label(onto, kind, lang)}: {label(onto, conclusion, lang)}"
    return "other", label(onto, kind, lang) if kind is not None else local_name(node)


def graph_elements(result, lang: str = "en", requirements: bool = True) -> dict:
    """{"nodes": [{"data": {...}}], "edges": [{"data": {...}}]} of a Result's case graph: each node
    with its id, colour group (`label`), caption (`name`), type and facts (labelled, with the rules
    that inferred them); each edge with its predicate and `inferred_by`. `requirements=False`
    leaves out the requirement assessments (the exemptions keep their status)."""
    graph, onto = result.graph, load_ontology()
    inferred = {triple: sorted(local_name(r) for r in rules) for triple, rules in inferred_triples(graph).items()}
    nodes = {}
    for subject in set(graph.subjects()):
        if not isinstance(subject, URIRef) or not str(subject).startswith(str(CASE)):
            continue
        kind = _kind(graph, subject)
        if kind is None and any(graph.objects(subject, RDF.type)):
            continue  # a provenance statement or the evaluation activity
        if kind == KG.RequirementAssessment and not requirements:
            continue
        nodes[subject] = kind
    elements = {"nodes": [], "edges": []}
    for node, kind in sorted(nodes.items(), key=lambda kv: str(kv[0])):
        group, caption = _group_and_caption(graph, onto, node, kind, lang)
        data = {"id": str(node), "label": group, "name": caption,
                "type": label(onto, kind, lang) if kind is not None else ""}
        for prop, value in sorted(graph.predicate_objects(node), key=lambda po: str(po[0])):
            if prop == RDF.type or value in nodes:
                continue
            shown = str(value) if isinstance(value, Literal) else label(onto, value, lang)
            rules = inferred.get((node, prop, value))
            data[label(onto, prop, lang)] = shown + (f"  ⟵ {', '.join(rules)}" if rules else "")
        elements["nodes"].append({"data": data})
    for number, (s, p, o) in enumerate(sorted((tr for tr in graph if tr[0] in nodes and tr[2] in nodes),
                                              key=lambda tr: tuple(map(str, tr)))):
        if (nodes[s], p) in SKIP_EDGES:
            continue
        data = {"id": f"e{number}", "source": str(s), "target": str(o), "label": local_name(p),
                "name": label(onto, p, lang)}
        rules = inferred.get((s, p, o))
        if rules:
            data["inferred_by"] = ", ".join(rules)
        elements["edges"].append({"data": data})
    return elements


def legend_label(group: str, lang: str) -> str:
    """The label of a colour group (a conclusion or status code), else the code."""
    for value_set in LEGEND_VALUE_SETS:
        if group in value_codes(value_set):
            return term(value_set, group, lang)
    return group
