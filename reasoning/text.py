"""A readable bilingual (en / ja) explanation of a result, for the terminal."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from .namespaces import KG
from .labels import label

MARKS = {"met": "✓", "unmet": "✗", "unknown": "?"}


def members(graph: Graph, cls) -> dict[str, object]:
    """Contract code → node for the individuals (or subclasses, for acts) of a value set."""
    nodes = set(graph.subjects(RDF.type, cls)) | set(graph.subjects(RDFS.subClassOf, cls))
    return {str(graph.value(n, KG.scenarioValue)): n for n in nodes if graph.value(n, KG.scenarioValue) is not None}


def _both(graph: Graph, node) -> str:
    return f"{label(graph, node, 'en')} / {label(graph, node, 'ja')}" if node is not None else "-"


def render_text(result, ontology: Graph) -> str:
    """The result as plain text: each act's conclusion, exemptions with their requirement
    checklists and citations, then liability, risks and the facts still to answer."""
    data = result.to_dict()
    acts, actors = members(ontology, KG.Act), members(ontology, KG.AIActorRole)
    conclusions, statuses = members(ontology, KG.Conclusion), members(ontology, KG.ExemptionStatus)
    roles = members(ontology, KG.LiabilityRole)
    exemptions = {str(k): s for s, k in ontology.subject_objects(KG.exemptionKey)}
    dash = lambda v: "-" if v is None else v  # noqa: E731
    out = [f"Case / 事例: {data['id']}",
           f"  RAG type / RAG類型: {dash(data['rag_type'])}    display pattern / 表示パターン: "
           f"{dash(data['display_pattern'])}    position / 解釈上の立場: {data.get('position')}"]
    for act in data["acts"]:
        who = ", ".join(f"{_both(ontology, actors.get(a))} ({act['fault'].get(a, '-')})" for a in act["actors"]) or "-"
        out += ["", f"[{_both(ontology, acts.get(act['act']))}]  {act['conclusion'].upper()} / "
                    f"{label(ontology, conclusions.get(act['conclusion']), 'ja')}",
                f"  actors / 行為主体: {who}"]
        for key, status in act["exemptions"].items():
            provision = exemptions.get(key)
            out.append(f"  {label(ontology, provision, 'en')}")
            out.append(f"    {label(ontology, provision, 'ja')}: {status} / {label(ontology, statuses.get(status), 'ja')}")
            for req in result.requirements.get(act["act"], {}).get(key, []):
                work = f" [{req['work']}]" if "work" in req else ""
                out.append(f"      {MARKS[req['status']]} {req['label']}{work} / {req['label_ja']}: {' / '.join(req['reading'])}"
                           f"  ({req.get('rule', '-')}; {req.get('source') or '-'})")
        out.append("  because / 根拠:")
        out += [f"    - {e.get('finding', '')} — {e['rule']}, {e.get('provision') or '-'}, {e.get('source') or '-'}"
                for e in act["because"]]
    out += ["", "Liability / 責任:"]
    out += [f"  {_both(ontology, actors.get(e['actor']))}: {e['role']} / {label(ontology, roles.get(e['role']), 'ja')}; "
            f"acts: {', '.join(e['acts']) or '-'}; fault: {e['fault']}; remedies: {', '.join(e['remedies']) or '-'}"
            for e in data["liable"]] or ["  -"]
    out += ["", "Risks / リスク: " + (", ".join(data["risks"]) or "-"),
            "Facts to answer / 回答が必要な事実: " + (", ".join(data["missing_facts"]) or "-")]
    return "\n".join(out) + "\n"
