"""The RAG diagram: who stores the works, who inputs them, who generates, sends and uses the
output — drawn from the result's acts and their (normative) actors, as Graphviz DOT text."""

from __future__ import annotations

from .i18n import t, term

ACT_EDGES = (("output", "generates"), ("transmission", "sends"), ("use", "uses"))


def dot_string(text: str) -> str:
    """A DOT double-quoted string: backslashes, quotes and line breaks escaped."""
    cleaned = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", "\\n")
    return f'"{cleaned}"'


def actors_by_act(result: dict) -> dict[str, list[str]]:
    """act code → its actors (codes), as the result gives them."""
    return {a["act"]: list(a["actors"]) for a in result.get("acts", [])}


def rag_dot(result: dict, scenario: dict, lang: str) -> str:
    """DOT text of the diagram. Actor, act and location labels come from the ontology."""
    acts = actors_by_act(result)
    location = (scenario.get("collection") or {}).get("on") if isinstance(scenario.get("collection"), dict) else None
    store = t("vector_db", lang) + (f"\n({term('Location', location, lang)})" if location else "")
    lines = ["digraph rag {", "  rankdir=LR;", '  node [fontname="sans-serif", fontsize=11];',
             '  edge [fontname="sans-serif", fontsize=10];',
             f"  store [shape=cylinder, label={dot_string(store)}];",
             f"  model [shape=ellipse, style=filled, fillcolor=\"#e3f2fd\", label={dot_string(t('model', lang))}];",
             f"  output [shape=note, label={dot_string(t('output_node', lang))}];",
             '  store -> model [style=dashed];', '  model -> output;']
    actors = sorted({a for names in acts.values() for a in names})
    for actor in actors:
        lines.append(f"  {dot_string(actor)} [shape=box, style=rounded, label={dot_string(term('AIActorRole', actor, lang))}];")
    for actor in acts.get("collection", []):
        lines.append(f"  {dot_string(actor)} -> store [label={dot_string(t('stores', lang))}, penwidth=2];")
    for actor in acts.get("input", []):
        lines.append(f"  {dot_string(actor)} -> model [label={dot_string(t('inputs', lang))}, penwidth=2];")
    for act, verb in ACT_EDGES:
        for actor in acts.get(act, []):
            lines.append(f"  {dot_string(actor)} -> output [label={dot_string(t(verb, lang))}, style=dotted];")
    lines.append("}")
    return "\n".join(lines)
