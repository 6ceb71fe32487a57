"""A readable explanation of a result for the terminal: bilingual (en / ja on each line) by
default, or in one language. Each act's reasoning comes from the typed explanation
(chosaku.explanation); codes of the contract are shown as the ontology's labels."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from .answers import WORK_KEY, spec_of
from .errors import ScenarioError
from .explanation import Source, Step, Text
from .labels import labels
from .namespaces import KG
from .ontology_graph import load_ontology

MARKS = {"met": "✓", "unmet": "✗", "unknown": "?"}
BOTH = None  # the `lang` of the bilingual text


def members(graph: Graph, cls) -> dict[str, object]:
    """Contract code → node for the individuals (or subclasses, for acts) of a value set."""
    nodes = set(graph.subjects(RDF.type, cls)) | set(graph.subjects(RDFS.subClassOf, cls))
    return {str(graph.value(n, KG.scenarioValue)): n for n in nodes if graph.value(n, KG.scenarioValue) is not None}


class Writer:
    """Picks the words of one language, or both ('en / ja'), for every line of the text."""

    def __init__(self, ontology: Graph, lang: str | None):
        self.onto = ontology
        self.lang = lang
        self.vocab = {name: members(ontology, KG[name]) for name in
                      ("Act", "AIActorRole", "Conclusion", "ExemptionStatus", "LiabilityRole", "Fault", "Remedy")}

    def say(self, en: str, ja: str, separator: str = " / ") -> str:
        """en, ja, or 'en / ja' (one of them when they are the same)."""
        return Text(en, ja).in_lang(self.lang) if self.lang else Text(en, ja).both(separator)

    def text(self, text: Text) -> str:
        """A bilingual text in the writer's language(s)."""
        return self.say(text.en, text.ja)

    def term(self, cls: str, code) -> str:
        """The label of a contract code of a value set; in bilingual text 'label en / label ja'."""
        node = self.vocab[cls].get(str(code)) if code is not None else None
        return self.text(labels(self.onto, node)) if node is not None else ("-" if code is None else str(code))

    def code_and_label(self, cls: str, code: str, upper: bool = False) -> str:
        """The code and its Japanese label ('infringing / 侵害') in bilingual text, else the label."""
        node = self.vocab[cls].get(code)
        if node is None:
            return code
        found = labels(self.onto, node)
        return f"{code.upper() if upper else code} / {found.ja}" if self.lang is None else found.in_lang(self.lang)

    @staticmethod
    def sources(sources: tuple[Source, ...]) -> str:
        """The sources' citations (document id and section)."""
        return "; ".join(s.citation for s in sources) or "-"

    def rule(self, rule) -> str:
        """A rule: its local name, or its label in one-language text."""
        if rule is None:
            return "-"
        return rule.name if self.lang is None else rule.label.in_lang(self.lang)

    def step(self, step: Step) -> str:
        """One reasoning step: finding — rule, provision, sources."""
        provision = step.provision
        cited = ("-" if provision is None else provision.code if self.lang is None else provision.citation.in_lang(self.lang))
        return f"    - {self.text(step.finding.text)} — {self.rule(step.rule)}, {cited}, {self.sources(step.sources)}"

    def fact(self, key: str) -> str:
        """A fact still to answer: its key, or its question label in one-language text."""
        if self.lang is None:
            return key
        try:
            spec = spec_of(key)
        except ScenarioError:
            return key
        match = WORK_KEY.match(key)
        name = (spec.label_ja if self.lang == "ja" else spec.label_en) or key
        return f"{name} [{match.group(1)}]" if match else name


def render_text(result, ontology: Graph | None = None, lang: str | None = BOTH) -> str:
    """The result as plain text: each act's conclusion, exemptions with their requirement
    checklists and citations, the reasoning steps, then liability, risks and the facts still to
    answer. `lang` None gives English and Japanese on each line; 'en' or 'ja' one language
    (labels instead of codes)."""
    onto = ontology if ontology is not None else load_ontology()
    w = Writer(onto, lang)
    data = result.to_dict()
    dash = lambda v: "-" if v is None else v  # noqa: E731
    positions = {str(k): p for p, k in onto.subject_objects(KG.positionKey)}
    shown_position = (data.get("position") if lang is None or data.get("position") not in positions
                      else labels(onto, positions[data["position"]]).in_lang(lang))
    out = [f"{w.say('Case', '事例')}: {data['id']}",
           f"  {w.say('RAG type', 'RAG類型')}: {dash(data['rag_type'])}    {w.say('display pattern', '表示パターン')}: "
           f"{dash(data['display_pattern'])}    {w.say('position', '解釈上の立場')}: {shown_position}"]
    for act in data["acts"]:
        explained = result.explanation.act(act["act"])
        who = ", ".join(f"{w.term('AIActorRole', a)} ({w.term('Fault', act['fault'].get(a)) if lang else act['fault'].get(a, '-')})"
                        for a in act["actors"]) or "-"
        conclusion = w.code_and_label("Conclusion", act["conclusion"], upper=True)
        out += ["", f"[{w.term('Act', act['act'])}]  {conclusion}", f"  {w.say('actors', '行為主体')}: {who}"]
        cited = {s.finding.value: s.provision for s in (explained.steps if explained is not None else ())
                 if s.finding.kind == "right" and s.provision is not None}
        if act.get("rights"):
            out.append(f"  {w.say('rights at issue', '問題となる権利')}: "
                       + ", ".join(w.text(cited[r].citation) if r in cited else r for r in act["rights"]))
        for exemption in explained.exemptions if explained is not None else ():
            name = exemption.provision.label
            if lang is None:
                out += [f"  {name.en}", f"    {name.ja}: {w.code_and_label('ExemptionStatus', exemption.status)}"]
            else:
                out.append(f"  {name.in_lang(lang)}: {exemption.status_label.in_lang(lang)}")
            for req in exemption.requirements:
                work = f" [{req.work}]" if req.work is not None else ""
                label = f"{req.label.en}{work} / {req.label.ja}" if lang is None else f"{req.label.in_lang(lang)}{work}"
                out.append(f"      {MARKS[req.status]} {label}: {w.text(req.reading)}  ({w.rule(req.rule)}; {w.sources(req.sources)})")
        out += render_works(w, explained.works if explained is not None else (), lang)
        out.append(f"  {w.say('because', '根拠')}:")
        out += [w.step(step) for step in (explained.steps if explained is not None else ())]
    out += ["", f"{w.say('Liability', '責任')}:"]
    out += [f"  {w.term('AIActorRole', e['actor'])}: {w.code_and_label('LiabilityRole', e['role'])}; "
            f"{w.say('acts', '行為')}: {', '.join(w.term('Act', a) if lang else a for a in e['acts']) or '-'}; "
            f"{w.say('fault', '故意・過失')}: {w.term('Fault', e['fault']) if lang else e['fault']}; "
            f"{w.say('remedies', '救済')}: {', '.join(w.term('Remedy', r) if lang else r for r in e['remedies']) or '-'}"
            + (f"; {w.say('if the fault allows', '故意・過失次第')}: "
               + ", ".join(w.term('Remedy', r) if lang else r for r in e["remedies_conditional"])
               if e.get("remedies_conditional") else "")
            + "".join(f"\n    - {w.say(d['label'], d['label_ja'])} "
                      f"({w.say(', '.join(d['provisions']), '、'.join(d.get('provisions_ja') or d['provisions']))}): "
                      + w.say({"available": "available", "conditional": "depends on the fault",
                               "excluded": "excluded by law"}[d["status"]],
                              {"available": "可", "conditional": "故意・過失次第", "excluded": "法律上除外"}[d["status"]])
                      for d in e.get("remedy_details", []))
            for e in data["liable"]] or ([] if liability_open(data) else ["  -"])
    if liability_open(data):
        out.append("  " + w.say("who is liable depends on the facts still to answer",
                                "責任を負う者は、回答が必要な事実によって決まる"))
    details = {d["risk"]: d for d in data.get("risk_details", [])}
    raised = ", ".join(r if lang is None or r not in details else Text(details[r]["label"], details[r]["label_ja"]).in_lang(lang)
                       for r in data["risks"])
    out += ["", f"{w.say('Risks', 'リスク')}: " + (raised or "-")]
    out += render_risks(data.get("risk_details", []), lang)
    out += [f"{w.say('Facts to answer', '回答が必要な事実')}: " + (", ".join(w.fact(k) for k in data["missing_facts"]) or "-")]
    return "\n".join(out) + "\n"


def liability_open(data: dict) -> bool:
    """Whether who is liable is still open: an act is conditional, or an infringing act has no
    known actor (the facts that decide it are among the facts to answer)."""
    return any(a["conclusion"] == "conditional" or (a["conclusion"] == "infringing" and not a["actors"])
               for a in data["acts"])


def render_works(w: Writer, works, lang: str | None = BOTH) -> list[str]:
    """The act assessed for each work: its conclusion for the work, whether it uses the work's
    protected expression, and each exemption's status for the work."""
    if not works:
        return []
    out = [f"  {w.say('by work', '著作物ごと')}:"]
    for work in works:
        protected = (work.protected_expression if lang is None else work.protected_label.in_lang(lang))
        out.append(f"    [{work.work}] {w.code_and_label('Conclusion', work.conclusion, upper=True)}; "
                   f"{w.say('uses protected expression', '保護される表現の利用')}: {protected}")
        statuses = ", ".join(f"{e.key if lang is None else e.provision.citation.in_lang(lang)}: "
                             f"{e.status if lang is None else e.status_label.in_lang(lang)}" for e in work.exemptions)
        if statuses:
            out.append(f"      {statuses}")
    return out


def render_risks(details: list[dict], lang: str | None = BOTH) -> list[str]:
    """The raised risks, gravest first: definition, why raised, source with its force and issuer,
    legal basis, non-binding guidance (said to be so), and countermeasures with their sources.
    `lang` None gives both languages, 'en' or 'ja' one."""
    def say(en, ja, separator=" / "):
        return Text(en or "", ja or "").in_lang(lang) if lang else Text(en or "", ja or "").both(separator)

    def pair(en, ja):
        if lang:
            return Text(en or "", ja or "").in_lang(lang) or "-"
        return (en or ja or "-") if (en or "") == (ja or "") else f"{en or '-'} / {ja or '-'}"

    def force(binding: bool) -> str:
        return say("binding law", "法的拘束力あり") if binding else say("non-binding", "法的拘束力なし")

    out = []
    for risk in details:
        name = f"{risk['risk']} — {risk['label']} / {risk['label_ja']}" if lang is None else pair(risk["label"], risk["label_ja"])
        out += [f"  ■ {name}",
                f"    {say('severity', '重大度')}: {risk['severity']}    {say('area', '分野')}: {pair(risk['area_label'], risk['area_label_ja'])}"]
        out += ([f"    en: {risk['definition']}", f"    ja: {risk['definition_ja']}"] if lang is None
                else [f"    {pair(risk['definition'], risk['definition_ja'])}"])
        out += [f"    {say('raised because', '理由')}: {pair(r['reason'], r['reason_ja'])}" + (f" ({r['rule']})" if lang is None else "")
                for r in risk.get("raised_by", [])]
        if risk.get("conditional"):
            fact = Writer(load_ontology(), lang).fact
            out.append(f"    {say('conditional on unanswered facts', '未回答の事実による条件付き')}: "
                       + ", ".join(fact(k) for k in risk.get("missing_facts") or []))
        kinds = "; ".join(sorted({pair(d["authority"], d["authority_ja"]) for d in risk["documents"]}))
        out.append(f"    {say('source', '典拠')}: {risk['source'] or '-'} — {force(risk['binding'])} ({kinds}); "
                   f"{say('issuer', '発出者')}: {pair(risk['issuer'], risk['issuer_ja'])}")
        for b in risk["legal_basis"]:
            line = f"    {say('legal basis', '法的根拠')}: {pair(b['provision'], b['provision_ja'])}"
            if b["instrument"] != b["provision"]:
                line += f" ({pair(b['instrument'], b['instrument_ja'])})"
            line += f" — {force(b['binding'])}"
            if b["text"]:
                line += f"; {say(b['text'] + ' text', '公式条文' if b['text'] == 'official' else '要約')}"
            if b["note"]:
                line += (f"\n      {b['note']}\n      {b['note_ja']}" if lang is None else f"\n      {pair(b['note'], b['note_ja'])}")
            out.append(line)
        if not risk["legal_basis"]:
            out.append(f"    {say('legal basis', '法的根拠')}: " + say(
                "none in the ontology (social or reputational risk, or law not modelled)",
                "オントロジーに根拠法令なし（社会的・評判上のリスク又は未収録）"))
        if risk["guidance"]:
            plain_guidance = not any(g["binding"] for g in risk["guidance"])
            out.append(f"    {say('non-binding guidance', '法的拘束力のない指針') if plain_guidance else say('guidance', '指針')}:")
            for g in risk["guidance"]:
                out.append(f"      - {pair(g['label'], g['label_ja'])} — {pair(g['issuer'], g['issuer_ja'])}, "
                           f"{g['issued'] or say('date unknown', '日付不明')}; {pair(g['authority'], g['authority_ja'])}, {force(g['binding'])}")
                if g["note"]:
                    out += [f"        {g['note']}", f"        {g['note_ja']}"] if lang is None else [f"        {pair(g['note'], g['note_ja'])}"]
        measures = risk["countermeasures"]
        plain = not any(m["binding"] for m in measures)
        out.append(f"    {say('countermeasures', '対策')}" + (
            " — " + say("recommendations resting on non-binding sources", "法的拘束力のない典拠に基づく推奨") + ":" if plain else ":"))
        for m in measures:
            out += [f"      - {pair(m['label'], m['label_ja'])}",
                    f"        {say('source', '典拠')}: {m['source'] or '-'} ({force(m['binding'])}; {pair(m['issuer'], m['issuer_ja'])})"]
    return out
