"""The questions programs and agents ask the engine, answered as JSON-ready dicts: the REST API
(chosaku.api) and the MCP server (chosaku.mcp_server) are thin shells over these functions.

Nothing here reasons about the law: each answer is read from evaluate(), the what-if analysis,
the typed explanation (chosaku.explanation) or the ontology. A parameter the engine cannot take
raises ParameterError naming it; an unknown provision or case raises NotFoundError."""

from __future__ import annotations

import time
from functools import lru_cache

from rdflib.namespace import RDF

from .citations import provision_index, provision_of, sources_of
from .errors import ChosakuError, ScenarioError, ValidationError
from .evaluate import evaluate
from .explain import ACT_ORDER
from .explanation import ActExplanation, ExemptionCheck
from .glossary import exemption_nodes, label_of, positions
from .labels import labels, local_name
from .load import load_scenario, parse_mapping, read_text
from .namespaces import KG
from .ontology_graph import load_ontology
from .resources import cases_dir
from .answers import spec_of
from .validate import validation_problems
from .whatif import impact_rows, what_if

LANGUAGES = ("en", "ja")
PER_PAGE_MAX = 100
LIBRARY_ONLY_KEYS = ("sources", "expected", "expected_error", "notes")


class ParameterError(ChosakuError):
    """A request parameter the engine cannot take; `key` names it."""

    def __init__(self, key: str, message_en: str, message_ja: str):
        super().__init__(message_en, message_ja)
        self.key = key


class NotFoundError(ParameterError):
    """No provision or case with the id asked for."""


class TimeLimitError(ChosakuError):
    """An answer took longer than the time allowed for it."""


def _deadline_check(deadline: float | None):
    """A what-if progress callback that stops the analysis between two evaluations once the
    deadline (time.monotonic()) has passed."""
    def check(*_) -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise TimeLimitError("the analysis took longer than the time allowed for one request",
                                 "分析が一回の要求に許される時間を超えました")
    return check


def _choice(key: str, value, allowed, what_en: str, what_ja: str):
    if value is not None and value not in allowed:
        codes = ", ".join(allowed)
        raise ParameterError(key, f"{key}: {value!r} is not {what_en}; expected one of {codes}",
                             f"{key}：{value!r} は{what_ja}ではありません。{codes} のいずれかを指定してください")
    return value


def check_position(position: str | None) -> str | None:
    """The position key, or ParameterError when it names no interpretive position."""
    return _choice("position", position, sorted(positions()), "an interpretive position", "解釈上の立場")


def check_lang(lang: str | None) -> str | None:
    """The language ('en', 'ja'), or ParameterError."""
    return _choice("lang", lang, LANGUAGES, "a language", "言語")


def evaluate_scenario(scenario, position: str | None = None, lang: str | None = None) -> dict:
    """The result contract of a scenario (with its receipt); with `lang`, also `text`: the
    explanation in that language (chosaku.text)."""
    result = evaluate(scenario, position=check_position(position))
    data = dict(result.to_dict())
    if check_lang(lang):
        from .text import render_text

        data["text"] = render_text(result, load_ontology(), lang=lang)
    return data


def validation_report(scenario) -> dict:
    """{"valid": bool, "problems": [{key, value, en, ja}]}: every reason the scenario breaks the
    format (ScenarioError when it cannot be read at all)."""
    problems = validation_problems(load_scenario(scenario).graph)
    return {"valid": not problems, "problems": [p.to_dict() for p in problems]}


def _mapping(scenario) -> dict:
    if isinstance(scenario, dict):
        return scenario
    text, hint = read_text(scenario)
    return parse_mapping(text, hint)


def what_if_report(scenario, position: str | None = None, deadline: float | None = None) -> dict:
    """Which conclusions change if each fact were answered otherwise, most decisive first
    (chosaku.whatif), as rows of key, current answer, alternative and changes."""
    impacts = what_if(_mapping(scenario), position=check_position(position), progress=_deadline_check(deadline))
    return {"impacts": impact_rows(impacts)}


def _question(key: str) -> dict:
    spec = spec_of(key)
    if spec.boolean:
        answers = [{"value": True, "en": "yes", "ja": "はい"}, {"value": False, "en": "no", "ja": "いいえ"}]
    else:
        answers = [{"value": code, "en": label_of(node, "en"), "ja": label_of(node, "ja")}
                   for code, node in sorted(spec.values.items())]
    return {"key": key, "label": {"en": spec.label_en, "ja": spec.label_ja},
            "question": {"en": spec.help_en or spec.label_en, "ja": spec.help_ja or spec.label_ja},
            "answers": answers}


def missing_fact_questions(scenario, position: str | None = None, deadline: float | None = None) -> dict:
    """The facts the engine still needs, as questions (en, ja) with their allowed answers, most
    decisive first: ordered by how many conclusions, then exemptions, then other findings another
    answer can change (chosaku.whatif). Facts not weighed before the deadline (time.monotonic())
    follow in the result's order with `can_change: null`, and `ranked` is then false."""
    mapping = _mapping(scenario)
    result = evaluate(mapping, position=check_position(position)).to_dict()
    weighed, unweighed = [], []
    for key in result["missing_facts"]:
        if deadline is not None and time.monotonic() > deadline:
            unweighed.append(key)
            continue
        weighed += what_if(mapping, position=position, keys=[key])
    weighed.sort(key=lambda impact: tuple(-w for w in impact.weight))  # stable: ties keep the result's order
    questions = [{**_question(impact.key), "can_change": dict(zip(("conclusions", "exemptions", "other"), impact.weight))}
                 for impact in weighed]
    questions += [{**_question(key), "can_change": None} for key in unweighed]
    return {"id": result["id"], "missing_facts": result["missing_facts"], "ranked": not unweighed,
            "questions": questions}


def _act(scenario, act: str, position: str | None) -> tuple[ActExplanation, dict]:
    _choice("act", act, ACT_ORDER, "an act", "行為")
    result = evaluate(scenario, position=check_position(position))
    found = result.explanation.act(act)
    if found is None:
        acts = ", ".join(a.act for a in result.explanation.acts)
        raise ParameterError("act", f"act: the scenario has no act {act!r}; its acts are {acts}",
                             f"act：シナリオに行為 {act!r} はありません（行為：{acts}）")
    return found, result.to_dict()


def _exemption(act: ActExplanation, key: str) -> ExemptionCheck:
    _choice("exemption", key, sorted(exemption_nodes()), "an exemption key", "権利制限規定のキー")
    found = act.exemption(key)
    if found is None:
        weighed = ", ".join(e.key for e in act.exemptions) or "none / なし"
        raise ParameterError("exemption", f"exemption: {key} is not weighed for the act {act.act}; weighed: {weighed}",
                             f"exemption：{key} は行為 {act.act} について検討されていません（検討：{weighed}）")
    return found


def _text(text) -> dict:
    return {"en": text.en, "ja": text.ja}


def provision_brief(provision) -> dict | None:
    """A provision as a step cites it: code, exemption key, citation and label (en, ja), IRI
    (its official text: GET /provisions/{id})."""
    if provision is None:
        return None
    return {"id": local_name(provision.iri), "code": provision.code, "key": provision.key,
            "citation": _text(provision.citation), "label": _text(provision.label), "iri": provision.iri}


def source_brief(source) -> dict:
    """A source passage as a step cites it: citation, document, section, issuer, authority, whether
    it binds, and the passage (the project's paraphrase, en and ja)."""
    return {"citation": source.citation, "document": _text(source.document), "section": source.section,
            "issuer": _text(source.issuer), "authority": _text(source.authority), "binding": source.binding,
            "passage": _text(source.text)}


def requirement_brief(check) -> dict:
    """One row of a requirement checklist: key, label, status and how it reads, the work, and the
    rule, provision and sources (by citation) behind it."""
    return {"key": check.key, "label": _text(check.label), "status": check.status, "proviso": check.proviso,
            "reading": _text(check.reading), "work": check.work, "rule": check.rule.name if check.rule else None,
            "provision": provision_brief(check.provision), "sources": [s.citation for s in check.sources]}


def exemption_brief(check: ExemptionCheck) -> dict:
    """An exemption weighed for an act: status, provision and its requirement checklist."""
    return {"key": check.key, "status": check.status, "status_label": _text(check.status_label),
            "provision": provision_brief(check.provision),
            "requirements": [requirement_brief(r) for r in check.requirements]}


def step_brief(step) -> dict:
    """One step of an act's reasoning: the rule, the provision, the sources and the finding."""
    finding = step.finding
    return {"rule": {"name": step.rule.name, "label": _text(step.rule.label), "iri": step.rule.iri} if step.rule else None,
            "provision": provision_brief(step.provision), "sources": [source_brief(s) for s in step.sources],
            "finding": {"kind": finding.kind, "subject": finding.subject, "requirement": finding.requirement,
                        "work": finding.work, "value": finding.value, "text": _text(finding.text)}}


def explain_act(scenario, act: str, exemption: str | None = None, position: str | None = None,
                page: int = 1, per_page: int = 10) -> dict:
    """The typed explanation of one act (or of one exemption weighed for it): conclusion, actors,
    exemptions with their requirement checklists, and the steps behind them (rule, provision with
    its official text, sources, finding in en and ja), the steps paged."""
    if not isinstance(page, int) or page < 1:
        raise ParameterError("page", f"page: {page!r}; expected a whole number from 1", f"page：{page!r}。1以上の整数を指定してください")
    if not isinstance(per_page, int) or not 1 <= per_page <= PER_PAGE_MAX:
        raise ParameterError("per_page", f"per_page: {per_page!r}; expected 1 to {PER_PAGE_MAX}",
                             f"per_page：{per_page!r}。1から{PER_PAGE_MAX}までを指定してください")
    found, data = _act(scenario, act, position)
    exemptions = (_exemption(found, exemption),) if exemption else found.exemptions
    steps = [s for s in found.steps if exemption is None or s.finding.subject == exemption
             or (s.provision is not None and s.provision.key == exemption)]
    start = (page - 1) * per_page
    return {
        "id": data["id"], "position": data["position"], "act": found.act, "label": _text(found.label),
        "actors": list(found.actors), "conclusion": found.conclusion, "conclusion_label": _text(found.conclusion_label),
        "fault": dict(found.fault), "rights": list(found.rights),
        "exemptions": [exemption_brief(e) for e in exemptions],
        "works": [{"work": w.work, "protected_expression": w.protected_expression, "conclusion": w.conclusion,
                   "exemptions": {e.key: e.status for e in w.exemptions}} for w in found.works],
        "steps": [step_brief(s) for s in steps[start:start + per_page]],
        "page": page, "per_page": per_page, "total_steps": len(steps),
        "next_page": page + 1 if start + per_page < len(steps) else None,
    }


def why_not(scenario, act: str, exemption: str, position: str | None = None) -> dict:
    """Why an exemption does not (or may not) cover an act: its status and the requirements that
    are unmet or unknown, each with its rule, provision and sources; the same for each work."""
    found, data = _act(scenario, act, position)
    check = _exemption(found, exemption)
    blocking = [requirement_brief(r) for r in check.requirements if r.status != "met"]
    works = {w.work: w.exemption(exemption).status for w in found.works if w.exemption(exemption) is not None}
    return {"id": data["id"], "position": data["position"], "act": act, "conclusion": found.conclusion,
            "exemption": exemption, "status": check.status, "status_label": _text(check.status_label),
            "provision": provision_brief(check.provision), "failing_or_unknown": blocking, "works": works,
            "missing_facts": data["missing_facts"]}


# --- provisions and cases ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def provision_ids() -> dict[str, object]:
    """Provision id → node: the IRI's last segment (Art30-4, Art114-Para2) and the exemption keys."""
    ids = {local_name(node): node for node in set(provision_index().values())}
    ids.update(exemption_nodes())
    return dict(sorted(ids.items()))


def provision_list() -> list[dict]:
    """Every provision the ontology carries: id, citation (en, ja) and label."""
    seen, entries = set(), []
    for pid, node in provision_ids().items():
        if node in seen or pid in exemption_nodes():
            continue
        seen.add(node)
        provision = provision_of(node)
        entries.append({"id": pid, "key": provision.key, "citation": _text(provision.citation),
                        "label": _text(provision.label)})
    return entries


def provision_info(provision_id: str) -> dict:
    """One provision: its official text (or summary), citation, label, the requirements it sets
    (key, label, whether a proviso condition, sources) and the sources it cites."""
    node = provision_ids().get(provision_id)
    if node is None:
        raise NotFoundError("id", f"no provision {provision_id!r}; GET /provisions lists them",
                            f"条項 {provision_id!r} はありません（GET /provisions で一覧）")
    onto = load_ontology()
    requirements = []
    for requirement in sorted(onto.objects(node, KG.hasRequirement)):
        key = onto.value(requirement, KG.requirementKey)
        requirements.append({"iri": str(requirement), "key": str(key) if key is not None else local_name(requirement),
                             "label": _text(labels(onto, requirement)),
                             "proviso": (requirement, RDF.type, KG.ProvisoCondition) in onto,
                             "sources": [source_brief(s) for s in sources_of(onto.objects(requirement, KG.citesSource))]})
    provision = provision_of(node)
    return {"id": local_name(node), "iri": provision.iri, "code": provision.code, "key": provision.key,
            "citation": _text(provision.citation), "label": _text(provision.label),
            "official_text": provision.official_text, "summary": _text(provision.summary),
            "comment": _text(provision.comment), "requirements": requirements,
            "sources": [source_brief(s) for s in sources_of(onto.objects(node, KG.citesSource))]}


def _case_files() -> dict[str, object]:
    return {path.stem: path for path in sorted(cases_dir().glob("*.yaml"))}


def case_list() -> list[dict]:
    """The case library: each case's id, titles and technique."""
    entries = []
    for case_id, path in _case_files().items():
        data = parse_mapping(*read_text(path))
        entries.append({"id": case_id, "title": data.get("title"), "title_ja": data.get("title_ja"),
                        "technique": data.get("technique")})
    return entries


def case_detail(case_id: str) -> dict:
    """One case of the library: its scenario, the sources it rests on and its expected result."""
    path = _case_files().get(case_id)
    if path is None:
        raise NotFoundError("id", f"no case {case_id!r}; GET /cases lists them",
                            f"事例 {case_id!r} はありません（GET /cases で一覧）")
    data = parse_mapping(*read_text(path))
    scenario = {k: v for k, v in data.items() if k not in LIBRARY_ONLY_KEYS}
    return {"id": case_id, "scenario": scenario, "sources": data.get("sources") or [],
            "expected": data.get("expected") or {}}


__all__ = ["ParameterError", "NotFoundError", "TimeLimitError", "ScenarioError", "ValidationError", "evaluate_scenario",
           "validation_report", "what_if_report", "missing_fact_questions", "explain_act", "why_not",
           "provision_list", "provision_info", "case_list", "case_detail", "check_position", "check_lang"]
