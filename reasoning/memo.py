"""A memo to file on an evaluated scenario, in Japanese or English, as Markdown, PDF or Word.

    from chosaku.memo import render_memo
    pdf = render_memo("cases/rag-type4-novel-rewrite.yaml", "pdf", "ja")   # bytes

Sections: 事案の概要 / facts (as answered, the open ones listed), 結論 / conclusion per act, 理由 /
reasons with each exemption's checklist, 責任 / liability (actor, role, fault, civil remedies,
criminal exposure), リスクと対策 / risks and countermeasures (with the design changes what-if
found, when given), 未確定事項 / open questions, 根拠 / authorities (provision text verbatim,
sources with date and URL, the project's paraphrases marked 要旨 / summary). The memo is dated and
carries the engine, ontology and statute text versions and the SHA-256 of the scenario.

The memo is built once as a list of blocks (`memo_blocks`); each format only lays them out
(chosaku.memo_pdf with ReportLab, chosaku.memo_docx with python-docx, Markdown here)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from .answers import mapping_of, set_answer
from .errors import ScenarioError, ValidationError
from .citations import provision_for
from .evaluate import evaluate
from .explanation import Provision, Source, Text
from .glossary import position_label, term
from .load import load_scenario
from .memo_cite import paraphrase, provision_citation, provision_heading, source_citation, source_reference
from .memo_content import (answered_facts, bottom_line, conclusion_text, design_changes, exemption_status_text,
                           liabilities, open_questions)
from .result import Result

FORMATS = ("md", "pdf", "docx")
MARK = {"met": "○", "unmet": "×", "unknown": "?"}  # as Japanese checklists mark them; every PDF font has these

W = {  # the memo's own words
    "title": ("Memo", "法務メモ"),
    "date": ("Date", "作成日"),
    "engine": ("Engine version", "エンジンのバージョン"),
    "ontology": ("Ontology version", "オントロジーのバージョン"),
    "statute": ("Statute text as of", "条文の時点"),
    "hash": ("Scenario SHA-256", "シナリオのSHA-256"),
    "position": ("Interpretive position", "解釈上の立場"),
    "disclaimer": ("Prepared with chosaku-kg to support legal analysis; it is not legal advice.",
                   "chosaku-kg により作成した法的分析の補助資料であり、法的助言ではありません。"),
    "facts": ("1. Facts", "1. 事案の概要"),
    "facts_none": ("No fact is answered.", "回答済みの事実はありません。"),
    "fact": ("Fact", "事実"),
    "answer": ("Answer", "回答"),
    "open_listed": ("Not yet answered (see 6): ", "未回答（6を参照）："),
    "conclusions": ("2. Conclusion per act", "2. 行為ごとの結論"),
    "act": ("Act", "行為"),
    "conclusion": ("Conclusion", "結論"),
    "bottom": ("In one sentence", "要点"),
    "reasons": ("3. Reasons", "3. 理由"),
    "requirement": ("Requirement", "要件"),
    "work": ("Work", "著作物"),
    "status": ("Status", "判断"),
    "authority": ("Authority", "根拠"),
    "no_exemption": ("No exemption is weighed for this act.", "この行為について検討する権利制限規定はありません。"),
    "liability": ("4. Liability", "4. 責任"),
    "actor": ("Actor", "行為主体"),
    "role": ("Role", "責任の種類"),
    "fault": ("Fault", "故意・過失"),
    "acts": ("Acts", "対象行為"),
    "civil": ("Civil remedies", "民事上の救済"),
    "criminal": ("Criminal exposure", "刑事責任"),
    "nobody": ("Nobody is liable for an infringing act.", "侵害行為について責任を負う者はいません。"),
    "risks": ("5. Risks and countermeasures", "5. リスクと対策"),
    "no_risks": ("No risk raised.", "指摘されたリスクはありません。"),
    "severity": ("severity", "重大度"),
    "design": ("Design changes that clear an infringing act (what-if)", "侵害を解消する設計変更（仮定分析）"),
    "design_none": ("No single change of an answered fact clears an infringing act.",
                    "回答済みの事実を一つ変えるだけで侵害を解消できるものはありません。"),
    "open": ("6. Open questions", "6. 未確定事項"),
    "open_none": ("Every fact that matters is answered.", "結論を左右する事実はすべて回答済みです。"),
    "basis": ("7. Authorities", "7. 根拠"),
    "provisions": ("Provisions (official text)", "条文（公式の条文）"),
    "sources": ("Sources", "出典"),
    "issued": ("issued", "公表"),
    "none": ("—", "—"),
}


def w(key: str, lang: str) -> str:
    """One of the memo's own words in the language."""
    en, ja = W[key]
    return ja if lang == "ja" else en


@dataclass(frozen=True)
class Block:
    """One block of the memo: kind is title | meta | h1 | h2 | p | note | bullets | table | quote."""

    kind: str
    text: str = ""
    items: tuple = ()     # bullets: strings; meta: (label, value); table: rows of strings
    header: tuple = ()    # table: column titles


# --- the blocks -----------------------------------------------------------------------------------


def _title(scenario: dict, data: dict, lang: str) -> str:
    first, second = ("title_ja", "title") if lang == "ja" else ("title", "title_ja")
    return str(scenario.get(first) or scenario.get(second) or data.get("id") or "")


def _facts(scenario: dict, data: dict, lang: str) -> list[Block]:
    blocks = [Block("h1", w("facts", lang))]
    facts = answered_facts(scenario)
    if data.get("rag_type") is not None:
        rag = Text(f"RAG type {data['rag_type']}", f"RAGタイプ{data['rag_type']}")
        pattern = data.get("display_pattern")
        extra = Text(f", display pattern {pattern}", f"・表示パターン{pattern}") if pattern else Text("", "")
        blocks.append(Block("p", rag.in_lang(lang) + extra.in_lang(lang)))
    if facts:
        blocks.append(Block("table", header=(w("fact", lang), w("answer", lang)),
                            items=tuple((f.label.in_lang(lang), f.answer.in_lang(lang)) for f in facts)))
    else:
        blocks.append(Block("p", w("facts_none", lang)))
    questions = open_questions(data)
    if questions:
        sep = "、" if lang == "ja" else ", "
        blocks.append(Block("p", w("open_listed", lang) + sep.join(q.label.in_lang(lang) for q in questions)))
    return blocks


def _conclusions(result: Result, lang: str) -> list[Block]:
    rows = tuple((a.label.in_lang(lang), conclusion_text(a.conclusion).in_lang(lang), bottom_line(a).in_lang(lang))
                 for a in result.explanation.acts)
    return [Block("h1", w("conclusions", lang)),
            Block("table", header=(w("act", lang), w("conclusion", lang), w("bottom", lang)), items=rows)]


class Authorities:
    """The provisions and sources the memo cites, in order of first use, numbered."""

    def __init__(self):
        self.provisions: dict[str, Provision] = {}
        self.sources: dict[str, Source] = {}

    def note(self, provision: Provision | None, sources, lang: str) -> str:
        """The provision's citation and the numbers of the sources ([1][2], listed in section 7),
        registering them."""
        parts = []
        if provision is not None:
            self.provisions.setdefault(provision.iri, provision)
            parts.append(provision_citation(provision, lang))
        for source in sources:
            self.sources.setdefault(source.iri, source)
        numbers = "".join(f"[{self.number(s)}]" for s in sources)
        return (" " if parts and numbers else "").join(parts + ([numbers] if numbers else []))

    def number(self, source: Source) -> int:
        """The source's number in the list of section 7 (order of first use)."""
        return list(self.sources).index(source.iri) + 1


def _reasons(result: Result, cited: Authorities, lang: str) -> list[Block]:
    blocks = [Block("h1", w("reasons", lang))]
    for act in result.explanation.acts:
        blocks.append(Block("h2", f"{act.label.in_lang(lang)}：{conclusion_text(act.conclusion).in_lang(lang)}"
                            if lang == "ja" else f"{act.label.en.capitalize()}: {conclusion_text(act.conclusion).en}"))
        blocks.append(Block("p", bottom_line(act).in_lang(lang)))
        if not act.exemptions:
            blocks.append(Block("note", w("no_exemption", lang)))
        for exemption in act.exemptions:
            head = provision_heading(exemption.provision, lang)
            status = exemption_status_text(exemption.status)
            blocks.append(Block("p", f"{head}：{status.ja}" if lang == "ja" else f"{head}: {status.en}"))
            rows = tuple((MARK.get(r.status, "?"), r.label.in_lang(lang), r.work or "", r.reading.in_lang(lang),
                          cited.note(r.provision, r.sources, lang)) for r in exemption.requirements)
            if rows:
                blocks.append(Block("table", items=rows, header=("", w("requirement", lang), w("work", lang),
                                                                   w("status", lang), w("authority", lang))))
    return blocks


def _liability(data: dict, lang: str) -> list[Block]:
    blocks = [Block("h1", w("liability", lang))]
    lines = liabilities(data)
    if not lines:
        return blocks + [Block("p", w("nobody", lang))]
    rows = []
    for line in lines:
        civil = line.remedies.in_lang(lang)
        if line.remedies_if_fault.in_lang(lang):
            civil += ("（故意・過失次第：" if lang == "ja" else " (if the fault allows: ") \
                + line.remedies_if_fault.in_lang(lang) + ("）" if lang == "ja" else ")")
        rows.append((line.actor.in_lang(lang), line.role.in_lang(lang), line.fault.in_lang(lang),
                     line.acts.in_lang(lang), civil or "—", line.criminal.in_lang(lang) or "—"))
    header = tuple(w(k, lang) for k in ("actor", "role", "fault", "acts", "civil", "criminal"))
    return blocks + [Block("table", items=tuple(rows), header=header)]


def _pick(entry: dict, field: str, lang: str) -> str:
    return str((entry.get(f"{field}_ja") if lang == "ja" else None) or entry.get(field) or "")


def _risks(result: Result, data: dict, impacts, explain, lang: str) -> list[Block]:
    blocks = [Block("h1", w("risks", lang))]
    details = [d for d in data.get("risk_details") or [] if isinstance(d, dict) and d.get("risk") in data.get("risks", [])]
    if not details:
        blocks.append(Block("p", w("no_risks", lang)))
    for entry in details:
        blocks.append(Block("h2", f"{_pick(entry, 'label', lang)}（{w('severity', lang)} {entry.get('severity') or '—'}）"
                            if lang == "ja" else f"{_pick(entry, 'label', lang)} ({w('severity', lang)} {entry.get('severity') or '—'})"))
        if _pick(entry, "definition", lang):
            blocks.append(Block("p", _pick(entry, "definition", lang)))
        measures = tuple(f"{_pick(m, 'label', lang)}：{_pick(m, 'description', lang)}" if lang == "ja"
                         else f"{_pick(m, 'label', lang)}: {_pick(m, 'description', lang)}"
                         for m in entry.get("countermeasures") or [])
        if measures:
            blocks.append(Block("bullets", items=measures))
    if impacts is not None:
        blocks.append(Block("h2", w("design", lang)))
        changes = design_changes(impacts, explain)
        if not changes:
            blocks.append(Block("p", w("design_none", lang)))
        sep = "；" if lang == "ja" else "; "
        blocks.append(Block("bullets", items=tuple(
            c.sentence.in_lang(lang) + (f" — {sep.join(source_citation(s, lang) for s in c.sources)}" if c.sources else "")
            for c in changes)))
    return blocks


def _open(data: dict, lang: str) -> list[Block]:
    questions = open_questions(data)
    if not questions:
        return [Block("h1", w("open", lang)), Block("p", w("open_none", lang))]
    sep = "：" if lang == "ja" else ": "
    return [Block("h1", w("open", lang)),
            Block("bullets", items=tuple(f"{q.label.in_lang(lang)}{sep}{q.question.in_lang(lang)}" for q in questions))]


def _basis(cited: Authorities, lang: str) -> list[Block]:
    blocks = [Block("h1", w("basis", lang)), Block("h2", w("provisions", lang))]
    for provision in cited.provisions.values():
        blocks.append(Block("p", provision_heading(provision, lang)))
        if provision.official_text:
            blocks.append(Block("quote", f"「{provision.official_text}」"))
        elif provision.summary.in_lang(lang):
            blocks.append(Block("note", paraphrase(provision.summary, lang)))
    blocks.append(Block("h2", w("sources", lang)))
    for source in cited.sources.values():
        issued, url = source_reference(source)
        facts = [x for x in (f"{w('issued', lang)} {issued}" if issued else "", url) if x]
        blocks.append(Block("p", f"[{cited.number(source)}] " + source_citation(source, lang) + (f"（{'、'.join(facts)}）" if lang == "ja" and facts
                                                                  else f" ({', '.join(facts)})" if facts else "")))
        if source.text.in_lang(lang):
            blocks.append(Block("note", paraphrase(source.text, lang)))
    return blocks


def _explainer(scenario: dict):
    """explain(key, value): the typed explanation of the scenario with one fact answered otherwise
    (None when the engine refuses it), to cite what the engine cites for a design change."""
    def explain(key: str, value):
        try:
            return evaluate(set_answer(scenario, key, value)).explanation
        except (ScenarioError, ValidationError):
            return None
    return explain


def memo_blocks(result: Result, scenario: dict, lang: str = "ja", impacts=None,
                today: _dt.date | None = None) -> list[Block]:
    """The memo's blocks for an evaluated scenario (`impacts`: a what-if of it, for the design
    changes; `today`: the memo's date, today by default)."""
    data = result.to_dict()
    today = today or _dt.date.today()
    receipt = result.receipt  # the result's own receipt (chosaku.receipt): the memo and the JSON agree
    meta = ((w("date", lang), today.isoformat()), (w("engine", lang), receipt["engine_version"]),
            (w("ontology", lang), receipt["ontology_version"] or "unknown"),
            (w("statute", lang), receipt["statute_text_as_of"] or "unknown"),
            (w("position", lang), position_label(data.get("position") or "seeds", lang)),
            (w("hash", lang), receipt["scenario_sha256"]))
    cited = Authorities()
    reasons = _reasons(result, cited, lang)
    for entry in data.get("liable", []):  # the remedies' provisions are authorities too
        for detail in entry.get("remedy_details") or []:
            for code in detail.get("provisions") or []:
                cited.note(provision_for(code), (), lang)
    return ([Block("title", f"{w('title', lang)}：{_title(scenario, data, lang)}" if lang == "ja"
                   else f"{w('title', lang)}: {_title(scenario, data, lang)}"),
             Block("meta", items=meta), Block("note", w("disclaimer", lang))]
            + _facts(scenario, data, lang) + _conclusions(result, lang) + reasons + _liability(data, lang)
            + _risks(result, data, impacts, _explainer(scenario), lang) + _open(data, lang) + _basis(cited, lang))


# --- Markdown -------------------------------------------------------------------------------------


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: list[Block]) -> str:
    """The memo as Markdown."""
    lines: list[str] = []
    for block in blocks:
        if block.kind == "title":
            lines += [f"# {block.text}", ""]
        elif block.kind == "meta":
            lines += [f"- {label}: {value}" for label, value in block.items] + [""]
        elif block.kind == "h1":
            lines += [f"## {block.text}", ""]
        elif block.kind == "h2":
            lines += [f"### {block.text}", ""]
        elif block.kind == "p":
            lines += [block.text, ""]
        elif block.kind == "note":
            lines += [f"*{block.text}*", ""]
        elif block.kind == "quote":
            lines += [f"> {block.text}", ""]
        elif block.kind == "bullets":
            lines += [f"- {item}" for item in block.items] + [""]
        elif block.kind == "table":
            lines += ["| " + " | ".join(_cell(h) for h in block.header) + " |",
                      "|" + "---|" * len(block.header)]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.items] + [""]
    return "\n".join(lines)


# --- the entry point ------------------------------------------------------------------------------


def _scenario_and_result(source, scenario: dict | None) -> tuple[Result, dict]:
    if isinstance(source, Result):
        receipt = source.to_dict().get("receipt") or {}
        return source, scenario if scenario is not None else dict(receipt.get("scenario") or {"id": source.to_dict().get("id")})
    if isinstance(source, dict):
        return evaluate(source), source
    mapping = mapping_of(load_scenario(Path(source)))
    return evaluate(mapping), mapping


def render_memo(source, fmt: str = "pdf", lang: str = "ja", *, scenario: dict | None = None, impacts=None,
                today: _dt.date | None = None) -> bytes:
    """The memo of a scenario as bytes in `fmt` ('pdf', 'docx' or 'md'), in `lang` ('ja' or 'en').

    `source` is a Result (give `scenario` too, for the facts; the versions and the hash are its receipt's), a scenario mapping or a
    path to a scenario file. `impacts` (chosaku.whatif.what_if of the scenario) adds the design
    changes that clear an infringing act. Raises ValueError for an unknown format or language;
    ScenarioError / ValidationError for a scenario the engine refuses."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown memo format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if lang not in ("ja", "en"):
        raise ValueError(f"unknown memo language {lang!r}: expected ja or en")
    result, mapping = _scenario_and_result(source, scenario)
    blocks = memo_blocks(result, mapping, lang, impacts, today)
    if fmt == "md":
        return to_markdown(blocks).encode("utf-8")
    if fmt == "pdf":
        from .memo_pdf import to_pdf
        return to_pdf(blocks, lang)
    from .memo_docx import to_docx
    return to_docx(blocks, lang)
