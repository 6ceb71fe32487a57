"""The decision flowchart of each act, drawn from the result (never by hand): the act and its
actors, then each exemption the engine weighed, in the engine's order (Art. 30-4, then Art. 47-5,
then the others), with every requirement marked met ✓, unmet ✗ (red) or unknown ? (orange); an
exemption that applies leads to the act's conclusion, one that does not leads on to the next; an
undetermined step is dashed. This regenerates seed 004 第5's flowchart from the executable rules."""

from __future__ import annotations

import html

import streamlit as st

from chosaku.explanation import ActExplanation
from chosaku.memo_cite import provision_citation

from .diagram import dot_string
from .i18n import t, term
from .palette import HEX

MARK = {"met": "✓", "unmet": "✗", "unknown": "?"}
TEXT_COLOUR = {"met": "#1b5e20", "unmet": "#b71c1c", "unknown": "#e65100"}
EDGE = {"applies": ("applies_edge", "solid"), "not_applicable": ("fails_edge", "solid"),
        "conditional": ("open_edge", "dashed")}
WORDS = {"applies_edge": ("applies", "適用あり"), "fails_edge": ("does not apply", "適用なし"),
         "open_edge": ("undetermined", "未確定"), "no_exemption": ("no exemption weighed", "検討する権利制限規定なし")}


def _word(key: str, lang: str) -> str:
    en, ja = WORDS[key]
    return ja if lang == "ja" else en


def _html(text: str) -> str:
    return html.escape(str(text), quote=True)


def widen(text: str) -> str:
    """Ideographic spaces that make up for the renderer measuring wide (CJK) characters as narrow
    ones, so that a line is not cut at the box's edge."""
    return "\u3000" * (sum(not c.isascii() for c in text) // 3)


def exemption_label(exemption, lang: str) -> str:
    """A Graphviz HTML label: the provision, then one line per requirement with its mark."""
    rows = [f'<TR><TD ALIGN="LEFT"><B>{_html(provision_citation(exemption.provision, lang))}</B></TD></TR>']
    seen = set()
    for requirement in exemption.requirements:
        line = requirement.label.in_lang(lang) + (f" [{requirement.work}]" if requirement.work else "")
        if requirement.proviso:  # a proviso 'met' reads as 'the proviso does not apply'
            line += ("：" if lang == "ja" else ": ") + requirement.reading.in_lang(lang)
        if (line, requirement.status) in seen:
            continue
        seen.add((line, requirement.status))
        text = _html(f"{MARK.get(requirement.status, '?')} {line}" + widen(line))
        colour = TEXT_COLOUR.get(requirement.status, "#000000")
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}" POINT-SIZE="10">{text}</FONT></TD></TR>')
    return "<<TABLE BORDER=\"0\" CELLSPACING=\"1\">" + "".join(rows) + "</TABLE>>"


def act_flowchart(act: ActExplanation, lang: str) -> str:
    """DOT text of one act's decision flow."""
    actors = "、".join(term("AIActorRole", a, lang) for a in act.actors) if lang == "ja" else \
        ", ".join(term("AIActorRole", a, lang) for a in act.actors)
    head = f"{act.label.in_lang(lang)}\n({actors})" if actors else act.label.in_lang(lang)
    conclusion = term("Conclusion", act.conclusion, lang)
    lines = ["digraph flow {", "  rankdir=TB;", '  node [fontname="Noto Sans CJK JP, sans-serif", fontsize=11];',
             '  edge [fontname="Noto Sans CJK JP, sans-serif", fontsize=10];',
             f"  act [shape=box, style=\"rounded,bold\", label={dot_string(head)}];",
             f"  end [shape=box, style=\"rounded,filled\", fontcolor=white, fillcolor=\"{HEX.get(act.conclusion, '#757575')}\", "
             f"label={dot_string(conclusion)}];"]
    previous = "act"
    if not act.exemptions:
        lines.append(f"  act -> end [label={dot_string(_word('no_exemption', lang))}];")
    for index, exemption in enumerate(act.exemptions):
        node = f"e{index}"
        border = HEX.get(exemption.status, "#757575")
        style = "dashed" if exemption.status == "conditional" else "solid"
        lines.append(f"  {node} [shape=box, style={style}, penwidth=2, color=\"{border}\", label={exemption_label(exemption, lang)}];")
        if index:
            kind, edge_style = EDGE["not_applicable"] if act.exemptions[index - 1].status == "not_applicable" else EDGE["conditional"]
            lines.append(f"  {previous} -> {node} [style={edge_style}, label={dot_string(_word(kind, lang))}];")
        else:
            lines.append(f"  act -> {node};")
        if exemption.status == "applies":
            lines.append(f"  {node} -> end [color=\"{HEX['lawful']}\", label={dot_string(_word('applies_edge', lang))}];")
        previous = node
    if act.exemptions and act.exemptions[-1].status != "applies":
        kind, edge_style = EDGE[act.exemptions[-1].status]
        lines.append(f"  {previous} -> end [style={edge_style}, label={dot_string(_word(kind, lang))}];")
    lines.append("}")
    return "\n".join(lines)


def render_flowcharts(result, lang: str) -> None:
    """One tab per act, each with its decision flowchart."""
    st.caption(t("flow_intro", lang))
    acts = result.explanation.acts
    if not acts:
        return
    tabs = st.tabs([f"{a.label.in_lang(lang)} · {term('Conclusion', a.conclusion, lang)}" for a in acts])
    for tab, act in zip(tabs, acts):
        with tab:
            st.graphviz_chart(act_flowchart(act, lang))
