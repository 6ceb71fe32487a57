"""The result contract's view of the typed explanation (chosaku.explanation): each act's entry
with its `because` list, and the requirement checklists of `Result.requirements`.

The contract's strings are codes (docs/scenario-format.md): a finding reads `art30_4
no_enjoyment_purpose: unmet`, a provision is an exemption key or an English citation, the
sources are citation strings joined with "; ". They are written here from the typed fields, so
the JSON is the same whatever the explanation's texts say."""

from __future__ import annotations

from .explanation import ActExplanation, Finding, RequirementCheck, Step, WorkExplanation

SOURCE_SEPARATOR = "; "

_FINDINGS = {
    "actor": lambda f: f"actor: {f.value}",
    "expression_use": lambda f: f"uses the works' expression: {f.value}",
    "protected_expression": lambda f: f"uses protected expression: {f.value}",
    "exemption": lambda f: f"{f.subject}: {f.value}",
    "requirement": lambda f: f"{f.subject} {f.requirement}{f'[{f.work}]' if f.work is not None else ''}: {f.value}",
    "conclusion": lambda f: f"conclusion: {f.value}",
    "fault": lambda f: f"fault of {f.subject}: {f.value}",
    "right": lambda f: f"right: {f.value}",
    "role": lambda f: f"role of {f.subject}: {f.value}",
    "remedy": lambda f: f"remedy against {f.subject}: {f.value}",
    "remedy_conditional": lambda f: f"remedy against {f.subject} if its fault allows: {f.value}",
    "remedy_excluded": lambda f: f"remedy excluded for {f.subject}: {f.value}",
}


def finding_code(finding: Finding) -> str:
    """A finding as the contract writes it (`actor: ai_user`, `art30_4: not_applicable` ...)."""
    return _FINDINGS[finding.kind](finding)


def source_code(sources) -> str | None:
    """The contract's `source`: the sources' citation strings joined with "; ", or None."""
    return SOURCE_SEPARATOR.join(s.citation for s in sources) or None


def because_entry(step: Step) -> dict:
    """One entry of an act's `because`: rule, provision, source and finding."""
    entry = {}
    if step.rule is not None:
        entry["rule"] = step.rule.name
    entry["provision"] = step.provision.code if step.provision is not None else None
    if step.rule is not None:
        entry["source"] = source_code(step.sources)
    entry["finding"] = finding_code(step.finding)
    return entry


def act_entry(act: ActExplanation) -> dict:
    """The contract's entry for one act."""
    return {
        "act": act.act,
        "actors": list(act.actors),
        "conclusion": act.conclusion,
        "exemptions": {e.key: e.status for e in act.exemptions},
        "fault": dict(act.fault),
        "because": [because_entry(step) for step in act.steps],
        "rights": list(act.rights),
        "works": {w.work: work_entry(w) for w in act.works},
    }


def work_entry(work: WorkExplanation) -> dict:
    """The contract's entry for one act as far as one work is concerned (the act entry's `works`):
    its conclusion for the work, whether it uses the work's protected expression, and each
    exemption's status for the work."""
    return {
        "conclusion": work.conclusion,
        "protected_expression": work.protected_expression,
        "exemptions": {e.key: e.status for e in work.exemptions},
    }


def requirement_entry(check: RequirementCheck) -> dict:
    """One row of a requirement checklist: key, labels, status, reading, work and what it cites."""
    entry = {
        "requirement": check.key,
        "label": check.label.en,
        "label_ja": check.label.ja,
        "status": check.status,
        "proviso": check.proviso,
        "reading": (check.reading.en, check.reading.ja),
    }
    if check.work is not None:
        entry["work"] = check.work
    if check.rule is not None:
        entry.update(rule=check.rule.name, provision=check.provision.code if check.provision is not None else None,
                     source=source_code(check.sources))
    return entry


def checklists(act: ActExplanation) -> dict[str, list[dict]]:
    """Exemption key → its requirement checklist, for one act."""
    return {e.key: [requirement_entry(r) for r in e.requirements] for e in act.exemptions}
