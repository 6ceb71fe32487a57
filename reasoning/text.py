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
    out += ["", "Risks / リスク: " + (", ".join(data["risks"]) or "-")]
    out += render_risks(data.get("risk_details", []))
    out += ["Facts to answer / 回答が必要な事実: " + (", ".join(data["missing_facts"]) or "-")]
    return "\n".join(out) + "\n"


def _force(binding: bool) -> str:
    return "binding law / 法的拘束力あり" if binding else "non-binding / 法的拘束力なし"


def _pair(en: str | None, ja: str | None) -> str:
    return (en or ja or "-") if (en or "") == (ja or "") else f"{en or '-'} / {ja or '-'}"


def render_risks(details: list[dict]) -> list[str]:
    """The raised risks, gravest first, in en and ja: definition, why raised, source with its
    force and issuer, legal basis, non-binding guidance (said to be so), and countermeasures
    with their sources."""
    out = []
    for risk in details:
        out += [f"  ■ {risk['risk']} — {risk['label']} / {risk['label_ja']}",
                f"    severity / 重大度: {risk['severity']}    area / 分野: {_pair(risk['area_label'], risk['area_label_ja'])}",
                f"    en: {risk['definition']}", f"    ja: {risk['definition_ja']}"]
        out += [f"    raised because / 理由: {r['reason']} / {r['reason_ja']} ({r['rule']})" for r in risk.get("raised_by", [])]
        kinds = "; ".join(sorted({_pair(d["authority"], d["authority_ja"]) for d in risk["documents"]}))
        out.append(f"    source / 典拠: {risk['source'] or '-'} — {_force(risk['binding'])} ({kinds}); "
                   f"issuer / 発出者: {_pair(risk['issuer'], risk['issuer_ja'])}")
        out += [f"    legal basis / 法的根拠: {b['provision']} / {b['provision_ja']}"
                + (f" ({_pair(b['instrument'], b['instrument_ja'])})" if b["instrument"] != b["provision"] else "")
                + f" — {_force(b['binding'])}" + (f"; {b['text']} text / {'公式条文' if b['text'] == 'official' else '要約'}" if b['text'] else "")
                + (f"\n      {b['note']}\n      {b['note_ja']}" if b['note'] else "")
                for b in risk["legal_basis"]] or ["    legal basis / 法的根拠: none in the ontology (social or reputational risk, "
                                                  "or law not modelled) / オントロジーに根拠法令なし（社会的・評判上のリスク又は未収録）"]
        if risk["guidance"]:
            out.append("    non-binding guidance / 法的拘束力のない指針:" if not any(g["binding"] for g in risk["guidance"])
                       else "    guidance / 指針:")
            for g in risk["guidance"]:
                out.append(f"      - {g['label']} / {g['label_ja']} — {_pair(g['issuer'], g['issuer_ja'])}, {g['issued'] or 'date unknown / 日付不明'}; "
                           f"{_pair(g['authority'], g['authority_ja'])}, {_force(g['binding'])}")
                out += [f"        {g['note']}", f"        {g['note_ja']}"] if g["note"] else []
        measures = risk["countermeasures"]
        plain = not any(m["binding"] for m in measures)
        out.append("    countermeasures / 対策" + (" — recommendations resting on non-binding sources / "
                                                   "法的拘束力のない典拠に基づく推奨:" if plain else ":"))
        for m in measures:
            out += [f"      - {m['label']} / {m['label_ja']}",
                    f"        source / 典拠: {m['source'] or '-'} ({_force(m['binding'])}; {_pair(m['issuer'], m['issuer_ja'])})"]
    return out
