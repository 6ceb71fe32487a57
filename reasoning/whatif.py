"""What-if: for each fact of a scenario, which conclusions and which actors would change if it
were answered differently. Every alternative is re-evaluated by the engine (all together in one
batch pass, or one by one through evaluate()); nothing here reasons about the law, it only
compares two results of the engine.

The facts considered are those the scenario answers and those the engine lists as missing
(a fact left out and not missing cannot change a conclusion, by the result contract). The facts
that matter most come first: most changed act conclusions, then most changed exemptions, then
other changes (acts that appear or disappear, who performs an act, RAG type, liability, risks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .answers import answered_keys, get_answer, set_answer, spec_of
from .batch import evaluate_many, in_act_order
from .errors import ValidationError
from .evaluate import evaluate
from .facts import FactSpec

CONCLUSION_ASPECTS = ("conclusion",)


@dataclass(frozen=True)
class Change:
    """One difference between the current result and an alternative's result."""

    aspect: str            # conclusion | act | actors | exemption | rag_type | display_pattern | liability | risk
    act: str | None        # the act concerned, if any
    item: str | None       # the exemption key, the actor or the risk concerned, if any
    # for `actors`: before and after are the act's actors as sorted tuples (who performs it)
    before: Any
    after: Any


@dataclass
class Alternative:
    """Another answer to a fact and what it changes (or the problems if it contradicts others)."""

    value: Any             # None: the fact left unknown
    changes: list[Change] = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def weight(self) -> tuple[int, int, int]:
        """(changed conclusions of acts in both results, changed exemptions, other changes —
        acts that appear or disappear, who performs an act, RAG type, liability, risks)."""
        conclusions = sum(c.aspect in CONCLUSION_ASPECTS for c in self.changes)
        exemptions = sum(c.aspect == "exemption" for c in self.changes)
        return conclusions, exemptions, len(self.changes) - conclusions - exemptions


@dataclass
class FactImpact:
    """A fact, its current answer and its alternatives."""

    key: str
    spec: FactSpec
    current: Any           # None: unknown now
    alternatives: list[Alternative]

    @property
    def weight(self) -> tuple[int, int, int]:
        """The weight of the alternative that changes most."""
        return max((a.weight for a in self.alternatives), default=(0, 0, 0))



def alternatives_for(spec: FactSpec, current: Any, include_unknown: bool = False) -> list[Any]:
    """The other answers a fact can take: every allowed value but the current one
    (true/false for yes-no facts), and None (unknown) if asked and the fact is answered."""
    values: list[Any] = [True, False] if spec.boolean else sorted(spec.values)
    others = [v for v in values if v != current]
    if include_unknown and current is not None:
        others.append(None)
    return others


def _liability(result: dict) -> dict:
    return {e["actor"]: (e["role"], e["fault"], tuple(e["remedies"])) for e in result.get("liable", [])}


def compare_results(before: dict, after: dict) -> list[Change]:
    """The differences between two results of the contract, act by act."""
    changes = []
    for aspect in ("rag_type", "display_pattern"):
        if before.get(aspect) != after.get(aspect):
            changes.append(Change(aspect, None, None, before.get(aspect), after.get(aspect)))
    acts_before = {a["act"]: a for a in before.get("acts", [])}
    acts_after = {a["act"]: a for a in after.get("acts", [])}
    for name in list(acts_before) + [n for n in acts_after if n not in acts_before]:
        old, new = acts_before.get(name), acts_after.get(name)
        if old is None or new is None:
            changes.append(Change("act", name, None, old and old["conclusion"], new and new["conclusion"]))
            continue
        if old["conclusion"] != new["conclusion"]:
            changes.append(Change("conclusion", name, None, old["conclusion"], new["conclusion"]))
        actors_before, actors_after = tuple(sorted(old.get("actors", ()))), tuple(sorted(new.get("actors", ())))
        if actors_before != actors_after:
            changes.append(Change("actors", name, None, actors_before, actors_after))
        keys = list(old["exemptions"]) + [k for k in new["exemptions"] if k not in old["exemptions"]]
        for key in keys:
            if old["exemptions"].get(key) != new["exemptions"].get(key):
                changes.append(Change("exemption", name, key, old["exemptions"].get(key), new["exemptions"].get(key)))
    liable_before, liable_after = _liability(before), _liability(after)
    for actor in sorted(set(liable_before) | set(liable_after)):
        if liable_before.get(actor) != liable_after.get(actor):
            changes.append(Change("liability", None, actor, liable_before.get(actor), liable_after.get(actor)))
    risks_before, risks_after = set(before.get("risks", [])), set(after.get("risks", []))
    changes += [Change("risk", None, r, r in risks_before, r in risks_after)
                for r in sorted(risks_before ^ risks_after)]
    return changes


def candidate_keys(scenario: dict, result: dict) -> list[str]:
    """The facts worth asking about: those answered, then those the engine lists as missing."""
    keys = answered_keys(scenario)
    return keys + [k for k in result.get("missing_facts", []) if k not in keys]


def summary_result(summary: dict) -> dict:
    """A summary of chosaku.batch.evaluate_many as the parts of a result that compare_results
    reads: rag_type, display_pattern, acts (act, actors, conclusion, exemptions; in the contract's
    order), liable (actor, role, fault, remedies) and risks."""
    acts = [{"act": act, "actors": summary["actors"].get(act, []), "conclusion": conclusion,
             "exemptions": summary["exemptions"].get(act, {})}
            for act, conclusion in in_act_order(summary["conclusions"]).items()]
    return {"rag_type": summary["rag_type"], "display_pattern": summary["display_pattern"], "acts": acts,
            "liable": summary["liability"], "risks": summary["risks"]}


def compare(left: dict, right: dict, left_position: str | None = None,
            right_position: str | None = None) -> tuple[dict, dict, list[Change]]:
    """Two scenarios, or one scenario under two interpretive positions (by key; None keeps the
    scenario's own), evaluated together in one pass of the rules (chosaku.batch.evaluate_many):
    (left, right, changes), the two results as summary_result gives them and the changes from left
    to right (compare_results: conclusions, exemptions, who performs each act, liability, risks,
    RAG type, display pattern). Raises ValidationError for a scenario that breaks the format."""
    sides = [(left, left_position), (right, right_position)]
    mappings = [dict(scenario, id=f"compare-{side}", **({"position": position} if position else {}))
                for side, (scenario, position) in zip(("left", "right"), sides)]
    summaries = evaluate_many(mappings)
    for summary, (scenario, position) in zip(summaries, sides):
        if not summary["valid"]:
            evaluate(scenario, position=position)  # raises the ValidationError with its problems
    one, other = (summary_result(summary) for summary in summaries)
    return one, other, compare_results(one, other)


def _one_by_one(variants: list[dict], position: str | None, progress, names: list[str]) -> list:
    """Each variant evaluated alone: its result, or the ValidationError it raises."""
    outcomes = []
    for done, (variant, name) in enumerate(zip(variants, names)):
        if progress is not None:
            progress(done, len(variants), name)
        try:
            outcomes.append(evaluate(variant, position=position).to_dict())
        except ValidationError as exc:
            outcomes.append(exc)
    return outcomes


def _in_batches(variants: list[dict], position: str | None, progress, names: list[str], per_pass: int) -> list:
    """The variants validated and inferred `per_pass` at a time (chosaku.batch.evaluate_many),
    each under an id of its own; a variant the batch finds invalid is evaluated alone for its
    validation problems."""
    outcomes: list = []
    for start in range(0, len(variants), per_pass):
        if progress is not None:
            progress(start, len(variants), names[start])
        chunk = variants[start:start + per_pass]
        base_id = str(chunk[0].get("id") or "scenario")
        summaries = evaluate_many([dict(v, id=f"{base_id}-whatif-{n}") for n, v in enumerate(chunk)], position=position)
        for variant, summary in zip(chunk, summaries):
            if summary["valid"]:
                outcomes.append(summary_result(summary))
            else:
                outcomes += _one_by_one([variant], position, None, [""])
    return outcomes


# Variants per pass of the rules: each pass is one set of rule queries over all its variants, so
# fewer passes cost less, up to the point where the queries' own work over many scenarios
# dominates. Measured on 2 cores (what-if of a whole library case, 28 and 45 variants): one per
# pass 2.6 s / 4.8 s, 8 per pass 1.1 s / 2.3 s, 16 per pass 1.1 s / 2.1 s, 64 per pass 1.6 s / 2.8 s.
PER_PASS = 16


def what_if(scenario: dict, position: str | None = None, keys: list[str] | None = None,
            include_unknown: bool = False,
            progress: Callable[[int, int, str], None] | None = None,
            per_pass: int | None = PER_PASS) -> list[FactImpact]:
    """For each fact (all candidates, or `keys`), every other answer re-evaluated and compared
    with the current result; sorted with the facts that change most first (see Alternative.weight).
    A change is one of a conclusion, an exemption, who performs an act, liability, risks, RAG
    type or display pattern (see compare_results).

    The alternatives are evaluated `per_pass` together in each pass of the rules
    (chosaku.batch.evaluate_many; all in one pass with per_pass >= their number), or, with
    per_pass None, one by one through evaluate() — the same changes either way (see PER_PASS).
    Raises ValidationError if the scenario itself is invalid. An alternative that contradicts
    another answer is kept with its validation problems and no changes."""
    base = evaluate(scenario, position=position).to_dict()
    keys = keys if keys is not None else candidate_keys(scenario, base)
    plan = []
    for key in keys:
        spec, current = spec_of(key), get_answer(scenario, key)
        plan.append((key, spec, current, alternatives_for(spec, current, include_unknown)))
    names = [key for key, _, _, values in plan for _ in values]
    variants = [set_answer(scenario, key, value) for key, _, _, values in plan for value in values]
    if per_pass is not None and per_pass < 1:
        raise ValueError(f"per_pass must be a positive number of variants or None, not {per_pass!r}")
    outcomes = iter(_one_by_one(variants, position, progress, names) if per_pass is None
                    else _in_batches(variants, position, progress, names, per_pass))
    impacts = []
    for key, spec, current, values in plan:
        alternatives = []
        for value in values:
            other = next(outcomes)
            alternatives.append(Alternative(value, problems=other.problems) if isinstance(other, ValidationError)
                                else Alternative(value, compare_results(base, other)))
        impacts.append(FactImpact(key, spec, current, alternatives))
    if progress is not None:
        progress(len(variants), len(variants), "")
    order = {key: index for index, key in enumerate(keys)}
    return sorted(impacts, key=lambda f: (tuple(-w for w in f.weight), order[f.key]))


def impact_rows(impacts: list[FactImpact]) -> list[dict]:
    """One JSON-ready row per fact and alternative that changes something or is refused."""
    rows = []
    for impact in impacts:
        for alternative in impact.alternatives:
            if not alternative.changes and not alternative.problems:
                continue
            rows.append({
                "key": impact.key, "current": impact.current, "alternative": alternative.value,
                "changes": [vars(c) for c in alternative.changes],
                "problems": [p.to_dict() for p in alternative.problems],
            })
    return rows
