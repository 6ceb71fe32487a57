"""evaluate(): the one entry point. Load → validate (SHACL) → infer (SHACL rules) → explain."""

from __future__ import annotations

from itertools import chain
from pathlib import Path

from rdflib import Graph, Literal

from .errors import ValidationError
from .contract import act_entry
from .explain import CaseReader
from .explanation import Explanation
from .infer import run_rules
from .load import load_scenario
from .namespaces import KG, POS
from .ontology_graph import load_ontology
from .receipt import canonical_scenario, evaluation_time, make_receipt
from .result import Result, case_triples
from .triple_index import TripleIndex
from .validate import validate_graph


def choose_position(graph: Graph, node, position: str | None) -> None:
    """Set the scenario's interpretive position (by key) in its graph, replacing its own; None keeps it."""
    if position is None:
        return
    graph.remove((node, KG.position, None))
    graph.add((node, KG.position, POS[position] if position.replace("-", "").isalnum() else Literal(position)))


def evaluate(scenario: str | Path | dict, position: str | None = None) -> Result:
    """Evaluate a scenario (a path, YAML/JSON/Turtle text or a dict) under the contract.

    `position` selects an interpretive position by key ('seeds' by default, or 'agency'),
    overriding the scenario's `position:`. The result carries its receipt (chosaku.receipt). Raises ScenarioError for unreadable input and
    ValidationError (with every problem, in en and ja) for a scenario that breaks the format.
    """
    loaded = load_scenario(scenario)
    choose_position(loaded.graph, loaded.node, position)
    validate_graph(loaded.graph)
    evaluated_at, scenario_as_read = evaluation_time(), canonical_scenario(loaded)
    inference = run_rules(loaded.graph)
    facts_and_inferences = TripleIndex(chain(loaded.graph, inference.produced_by))
    reader = CaseReader(load_ontology(), facts_and_inferences, loaded.node, inference.produced_by)
    explanation = Explanation(tuple(reader.act_explanation(act) for act in reader.acts()))
    data = {
        "id": loaded.id,
        "rag_type": reader.rag_type(),
        "display_pattern": reader.display_pattern(),
        "acts": [act_entry(act) for act in explanation.acts],
        "liable": reader.liable(),
        "risks": reader.risks(),
        "risk_details": reader.risk_details(),
        "missing_facts": reader.missing_facts(),
        "position": reader.position(),
    }
    data["receipt"] = make_receipt(scenario_as_read, data["position"], evaluated_at)
    return Result(data=data, explanation=explanation,
                  build_triples=lambda: case_triples(facts_and_inferences, inference.produced_by, loaded.node,
                                                     data["receipt"]))


__all__ = ["evaluate", "ValidationError"]
