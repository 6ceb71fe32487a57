"""Evaluating many scenarios at once, for sweeps and benchmarks: one SHACL validation and one
pass of the rules over all of them together (the rules bind $this to every scenario), and a
summary of each case read back with SPARQL. For the full explanation of one case use evaluate()."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef

from .errors import ScenarioError
from .explain import ACT_ORDER
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
               ?ex a kg:ExemptionAssessment ; kg:assessedAct ?node ; kg:assessedProvision ?p ; kg:status ?s .
               ?p kg:exemptionKey ?key .
               ?s kg:scenarioValue ?status . OPTIONAL { ?p kg:analysisOrder ?rank } }
               ORDER BY ?case ?act COALESCE(xsd:integer(?rank), 99) STR(?ex)""",
    "actors": """SELECT ?case ?act ?actor WHERE { ?case kg:hasAct ?node . ?node a ?cls ; kg:actor ?a .
               ?cls rdfs:subClassOf kg:Act ; kg:scenarioValue ?act . ?a kg:scenarioValue ?actor }""",
    "liability": """SELECT ?case ?actor ?role ?fault ?remedy ?rank WHERE {
               ?case kg:hasLiability ?l . ?l kg:liableActor ?a ; kg:liabilityRole ?r .
               ?a kg:scenarioValue ?actor . ?r kg:scenarioValue ?role .
               OPTIONAL { ?l kg:fault ?f . ?f kg:scenarioValue ?fault }
               OPTIONAL { ?l kg:remedy ?m . ?m kg:scenarioValue ?remedy ; kg:remedyNeedsFault ?n . ?n kg:faultRank ?rank } }""",
    "risks": """SELECT ?case ?risk WHERE { ?case kg:raisesRisk ?r .
               OPTIONAL { ?r kg:scenarioValue ?value } OPTIONAL { ?r skos:notation ?notation }
               BIND(COALESCE(?value, ?notation) AS ?risk) }""",
    "rag_type": """SELECT ?case ?number WHERE { ?case kg:ragType ?t . ?t kg:ragTypeNumber ?number }""",
    "display_pattern": """SELECT ?case ?number WHERE { ?case a kg:Scenario ; kg:display ?d . ?d kg:patternNumber ?number }""",
    "missing_facts": """SELECT ?case ?key WHERE { ?case kg:missingFactKey ?key }""",
    "liable": """SELECT ?case ?actor ?role WHERE { ?case kg:hasLiability ?l . ?l kg:liableActor ?a ; kg:liabilityRole ?r .
               ?a kg:scenarioValue ?actor . ?r kg:scenarioValue ?role }""",
}


def in_act_order(by_act: dict) -> dict:
    """A mapping keyed by act in the contract's order of acts (training, collection, input, ...)."""
    def rank(item):
        return (ACT_ORDER.index(item[0]) if item[0] in ACT_ORDER else len(ACT_ORDER), item[0])
    return dict(sorted(by_act.items(), key=rank))


def _case_of(node: URIRef, cases: dict[str, str]) -> str | None:
    text = str(node)
    for iri, case_id in cases.items():
        if text == iri or text.startswith(iri + "/"):
            return case_id
    return None


def _add_liability(entries: dict, row) -> None:
    """One solution of the liability query into {actor: {role, fault, remedies {(rank, code)}}}."""
    entry = entries.setdefault(row["actor"].value, {"role": row["role"].value, "fault": "none", "remedies": set()})
    if row["fault"] is not None:
        entry["fault"] = row["fault"].value
    if row["remedy"] is not None:
        entry["remedies"].add((int(row["rank"].value), row["remedy"].value))


# Scenarios whose rules run in one pass. A pass costs less per scenario than one evaluation each,
# but a few rules join across every scenario in the pass, so past a few dozen the cost per
# scenario grows again: many scenarios are evaluated in passes of this size.
SCENARIOS_PER_PASS = 16


def evaluate_many(mappings: list[dict], position: str | None = None) -> list[dict]:
    """Summaries of many scenarios (mappings in the scenario format, each with a distinct id).

    Each summary: id, valid, problems (messages, when invalid), rag_type, display_pattern,
    conclusions {act: conclusion} (acts in the contract's order), exemptions {act: {key: status}}
    (in the order of analysis), missing_facts, liable {actor: role} (by actor); and, as evaluate() gives them, actors {act: [actor, ...]}
    (sorted), liability [{actor, role, fault, remedies}] (by actor; remedies those needing least
    fault first; fault 'none' where none is found) and risks (sorted).
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
    valid = [s for s in loaded if s.id not in problems]
    summaries = {s.id: {"id": s.id, "valid": s.id not in problems, "problems": sorted(problems.get(s.id, [])),
                        "rag_type": None, "display_pattern": None, "conclusions": {}, "exemptions": {},
                        "missing_facts": [], "liable": {}, "actors": {}, "liability": {}, "risks": []}
                 for s in loaded}
    rows = {name: [] for name in SUMMARY_QUERIES}
    for start in range(0, len(valid), SCENARIOS_PER_PASS):
        graph = Graph()
        for scenario in valid[start:start + SCENARIOS_PER_PASS]:
            for triple in scenario.graph:
                graph.add(triple)
        with inferred_dataset(graph, provenance=False) as (store, dataset, _):
            for name, query in SUMMARY_QUERIES.items():
                rows[name] += store.query(f"{_HEADER}\n{query}", default_graph=dataset)
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
            elif name == "actors":
                summary["actors"].setdefault(row["act"].value, set()).add(row["actor"].value)
            elif name == "liability":
                _add_liability(summary["liability"], row)
            elif name == "risks":
                summary["risks"].append(row["risk"].value)
            else:
                summary["liable"][row["actor"].value] = row["role"].value
    for summary in summaries.values():
        summary["missing_facts"].sort()
        summary["risks"] = sorted(set(summary["risks"]))
        summary["conclusions"] = in_act_order(summary["conclusions"])  # (the order of SPARQL's answer
        summary["exemptions"] = in_act_order(summary["exemptions"])    # may differ from process to process)
        summary["liable"] = dict(sorted(summary["liable"].items()))
        summary["actors"] = in_act_order({act: sorted(actors) for act, actors in summary["actors"].items()})
        summary["liability"] = [{"actor": actor, "role": e["role"], "fault": e["fault"],
                                 "remedies": [r for _, r in sorted(e["remedies"])]}
                                for actor, e in sorted(summary["liability"].items())]
    return [summaries[i] for i in ids]
