"""Evaluating many scenarios at once, for sweeps and benchmarks: one SHACL validation and one
pass of the rules over all of them together (the rules bind $this to every scenario), and a
summary of each case read back with SPARQL. For the full explanation of one case use evaluate()."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef

from .errors import ScenarioError
from .infer import inferred_dataset
from .load import scenario_from_mapping
from .namespaces import PREFIXES
from .oxrdf import to_store
from .validate import _problems_from, scenario_shapes
from .validate_fast import compile_shapes, violations

_HEADER = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())
SUMMARY_QUERIES = {
    "acts": """SELECT ?case ?act ?conclusion WHERE { ?case kg:hasAct ?node . ?node a ?cls ; kg:conclusion ?c .
               ?cls rdfs:subClassOf kg:Act ; kg:scenarioValue ?act . ?c kg:scenarioValue ?conclusion }""",
    "exemptions": """SELECT ?case ?act ?key ?status WHERE { ?case kg:hasAct ?node . ?node a ?cls .
               ?cls rdfs:subClassOf kg:Act ; kg:scenarioValue ?act .
               ?ex kg:assessedAct ?node ; kg:assessedProvision ?p ; kg:status ?s . ?p kg:exemptionKey ?key .
               ?s kg:scenarioValue ?status }""",
    "rag_type": """SELECT ?case ?number WHERE { ?case kg:ragType ?t . ?t kg:ragTypeNumber ?number }""",
    "display_pattern": """SELECT ?case ?number WHERE { ?case a kg:Scenario ; kg:display ?d . ?d kg:patternNumber ?number }""",
    "missing_facts": """SELECT ?case ?key WHERE { ?case kg:missingFactKey ?key }""",
    "liable": """SELECT ?case ?actor ?role WHERE { ?case kg:hasLiability ?l . ?l kg:liableActor ?a ; kg:liabilityRole ?r .
               ?a kg:scenarioValue ?actor . ?r kg:scenarioValue ?role }""",
}


def _case_of(node: URIRef, cases: dict[str, str]) -> str | None:
    text = str(node)
    for iri, case_id in cases.items():
        if text == iri or text.startswith(iri + "/"):
            return case_id
    return None


def evaluate_many(mappings: list[dict], position: str | None = None) -> list[dict]:
    """Summaries of many scenarios (mappings in the scenario format, each with a distinct id).

    Each summary: id, valid, problems (messages, when invalid), rag_type, display_pattern,
    conclusions {act: conclusion}, exemptions {act: {key: status}}, missing_facts, liable {actor: role}.
    """
    loaded = [scenario_from_mapping(dict(m, position=position) if position else m) for m in mappings]
    ids = [s.id for s in loaded]
    if len(set(ids)) != len(ids):
        raise ScenarioError("evaluate_many needs a distinct id for every scenario", "シナリオごとに異なる id が必要です")
    union = Graph()
    for scenario in loaded:
        for triple in scenario.graph:
            union.add(triple)
    cases = {str(s.node): s.id for s in loaded}
    problems = defaultdict(list)
    for focus, path, value, messages in violations(compile_shapes(scenario_shapes()), to_store(union)):
        for problem in _problems_from([(focus, path, value, messages)], union):
            problems[_case_of(focus, cases)].append(str(problem))
    valid = Graph()
    for scenario in loaded:
        if scenario.id not in problems:
            for triple in scenario.graph:
                valid.add(triple)
    summaries = {s.id: {"id": s.id, "valid": s.id not in problems, "problems": sorted(problems.get(s.id, [])),
                        "rag_type": None, "display_pattern": None, "conclusions": {}, "exemptions": {},
                        "missing_facts": [], "liable": {}} for s in loaded}
    with inferred_dataset(valid, provenance=False) as (store, dataset, _):
        rows = {name: list(store.query(f"{_HEADER}\n{query}", default_graph=dataset))
                for name, query in SUMMARY_QUERIES.items()}
    for name, solutions in rows.items():
        for row in solutions:
            summary = summaries.get(cases.get(row["case"].value))
            if summary is None:
                continue
            if name == "acts":
                summary["conclusions"][row["act"].value] = row["conclusion"].value
            elif name == "exemptions":
                summary["exemptions"].setdefault(row["act"].value, {})[row["key"].value] = row["status"].value
            elif name in ("rag_type", "display_pattern"):
                summary[name] = int(row["number"].value)
            elif name == "missing_facts":
                summary["missing_facts"].append(row["key"].value)
            else:
                summary["liable"][row["actor"].value] = row["role"].value
    for summary in summaries.values():
        summary["missing_facts"].sort()
    return [summaries[i] for i in ids]
