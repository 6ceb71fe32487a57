"""What a reader needs first from a result, in English and Japanese: a bottom line per act, who is
liable and for what, the facts still open as questions, the facts as answered, and the design
changes that would make an infringing act lawful (read from what-if).

Everything here is read from the engine's result (the contract and the typed explanation) and the
ontology's labels; nothing decides law. The explorer's summary and the memo both use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answers import WORK_KEY, answered_keys, get_answer, spec_of
from .citations import provision_for
from .explanation import ActExplanation, Source, Text
from .facts import FactSpec
from .glossary import label_of, term
from .memo_cite import provision_citation, provision_title
from .whatif import FactImpact

# The contract's code of the criminal remedy: shown apart from the civil remedies.
CRIMINAL = "criminal"
# Conclusions that leave nothing to answer for.
CLEARED = ("lawful", "not_at_issue")
# Seed 004 第6 著作権侵害にならないシステム設計とは is the commentary's chapter on system design that
# avoids infringement (seed 004 numbers two chapters 第6): a design change that clears an act cites
# it where the engine's reasoning for the cleared act does.
DESIGN_CHAPTER = ("seed004", "第6 著作権侵害にならないシステム設計とは")
# Facts whose other answers describe another system rather than a change of this one's design.
NOT_DESIGN = ("technique",)
# How a conclusion reads to a lawyer where the ontology's short label would mislead ('条件付き'
# reads as 'conditionally lawful'): it is undetermined until the open facts are answered.
CONCLUSION_WORDING = {"conditional": Text("undetermined (depends on the facts)", "未確定（事実関係次第）")}


def both(value_set: str, code) -> Text:
    """The ontology label of a contract code in English and Japanese."""
    return Text(term(value_set, code, "en"), term(value_set, code, "ja"))


def conclusion_text(code: str) -> Text:
    """How a conclusion code reads (lawful, infringing, undetermined ...)."""
    return CONCLUSION_WORDING.get(code) or both("Conclusion", code)


def exemption_status_text(code: str) -> Text:
    """How an exemption's status reads (applies, does not apply, undetermined)."""
    return CONCLUSION_WORDING.get(code) or both("ExemptionStatus", code)


def cap(text: str) -> str:
    """The text with its first letter capitalised (the rest kept: 'AI user' stays 'AI user')."""
    return text[:1].upper() + text[1:]


def cite(provision) -> Text:
    """A provision cited as a lawyer does, in both languages."""
    return Text(provision_citation(provision, "en"), provision_citation(provision, "ja"))


def join(items: list[Text], en_sep: str = ", ", ja_sep: str = "、") -> Text:
    """Several texts joined in each language."""
    return Text(en_sep.join(i.en for i in items), ja_sep.join(i.ja for i in items))


def question(spec: FactSpec) -> Text:
    """The fact's question (its help text), else its label."""
    return Text(spec.help_en or spec.label_en or spec.key, spec.help_ja or spec.label_ja or spec.key)


def fact_label(key: str) -> Text:
    """The fact's label, with the work it concerns (works.novel.pirated → unlawful upload [novel])."""
    spec = spec_of(key)
    match = WORK_KEY.match(key)
    suffix = f" [{match.group(1)}]" if match else ""
    return Text((spec.label_en or key) + suffix, (spec.label_ja or key) + suffix)


def answer_text(spec: FactSpec, value: Any) -> Text:
    """How an answer reads: yes / no, a value's ontology label, 'unknown' for None."""
    if value is None:
        return Text("unknown", "不明")
    if value is True:
        return Text("yes", "はい")
    if value is False:
        return Text("no", "いいえ")
    node = spec.values.get(str(value))
    return Text(label_of(node, "en"), label_of(node, "ja")) if node is not None else Text(str(value), str(value))


# --- bottom lines ---------------------------------------------------------------------------------


def _actors(act: ActExplanation) -> Text:
    return join([both("AIActorRole", a) for a in act.actors]) if act.actors else Text("—", "—")


def _rights(act: ActExplanation) -> Text:
    """The rights at issue as a lawyer names them: 複製権（著作権法21条）."""
    cited = {s.provision.iri: s.provision for s in act.steps if s.finding.kind == "right" and s.provision is not None}
    return join([Text(f"{provision_title(p, 'en') or 'right'} ({provision_citation(p, 'en')})",
                      f"{provision_title(p, 'ja') or '権利'}（{provision_citation(p, 'ja')}）") for p in cited.values()])


def _first_unmet(act: ActExplanation):
    for exemption in act.exemptions:
        for requirement in exemption.requirements:
            if requirement.status == "unmet":
                return exemption, requirement
    return None, None


def _unknown_requirements(act: ActExplanation, limit: int = 3) -> list[Text]:
    seen = {}
    for exemption in act.exemptions:
        if exemption.status != "conditional":  # an exemption that already fails waits for nothing
            continue
        for requirement in exemption.requirements:
            if requirement.status == "unknown":
                seen.setdefault(requirement.label, None)
    return list(seen)[:limit]


def bottom_line(act: ActExplanation) -> Text:
    """One sentence on an act, from its conclusion, actors, rights and exemption checks."""
    name = act.label
    if act.conclusion == "infringing":
        rights = _rights(act)
        on = Text(f"{rights.en}", f"{rights.ja}の") if rights.en else Text("right", "")
        exemption, requirement = _first_unmet(act)
        why = Text("", "")
        if exemption is not None:
            law = cite(exemption.provision)
            why = Text(f"; {law.en} does not apply (“{requirement.label.en}” is not met)",
                       f"。{law.ja}は「{requirement.label.ja}」を満たさず適用されない")
        actors = _actors(act)
        return Text(f"{cap(name.en)} infringes the {on.en} (actor: {actors.en}){why.en}.",
                    f"{name.ja}は{on.ja}侵害に当たる（行為主体：{actors.ja}）{why.ja}。")
    if act.conclusion == "lawful":
        applying = [cite(e.provision) for e in act.exemptions if e.status == "applies"]
        if applying:
            cites = join(applying)
            return Text(f"{cap(name.en)} is lawful: {cites.en} applies.",
                        f"{name.ja}は適法（{cites.ja}が適用される）。")
        if act.works and all(w.protected_expression == "unmet" for w in act.works):
            return Text(f"{cap(name.en)} is lawful: it uses no protected expression.",
                        f"{name.ja}は適法（保護される表現を利用しない）。")
        return Text(f"{cap(name.en)} is lawful.", f"{name.ja}は適法。")
    if act.conclusion == "conditional":
        open_ = _unknown_requirements(act)
        if open_:
            return Text(f"{cap(name.en)} is undetermined: it depends on "
                        + ", ".join(f"“{r.en}”" for r in open_) + ".",
                        f"{name.ja}は未確定（事実関係次第）：" + "".join(f"「{r.ja}」" for r in open_) + "によって結論が決まる。")
        return Text(f"{cap(name.en)} is undetermined: it depends on facts still to answer.",
                    f"{name.ja}は未確定（事実関係次第）：未回答の事実によって結論が決まる。")
    return Text(f"{cap(name.en)} is not at issue.", f"{name.ja}は問題とならない。")


# --- liability ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Liability:
    """Who is liable, for which acts, with what fault, and which remedies and criminal exposure."""

    actor: Text
    role: Text
    fault: Text
    acts: Text
    remedies: Text            # civil remedies available ('' when none)
    remedies_if_fault: Text   # civil remedies that wait for the unknown fault
    criminal: Text            # criminal exposure: available / waits for the fault / ''
    sentence: Text


def liabilities(data: dict) -> list[Liability]:
    """The result's `liable` entries in words, civil remedies and criminal exposure apart."""
    lines = []
    for entry in data.get("liable", []):
        actor, role, fault = both("AIActorRole", entry["actor"]), both("LiabilityRole", entry["role"]), both("Fault", entry["fault"])
        acts = join([both("Act", a) for a in entry["acts"]])
        civil = join([both("Remedy", r) for r in entry["remedies"] if r != CRIMINAL])
        civil_if = join([both("Remedy", r) for r in entry.get("remedies_conditional") or [] if r != CRIMINAL])
        provisions = next((d.get("provisions") or [] for d in entry.get("remedy_details") or []
                           if d.get("remedy") == CRIMINAL), [])
        law = join([cite(p) for p in map(provision_for, provisions) if p is not None])
        where = Text(f" ({law.en})" if law.en else "", f"（{law.ja}）" if law.ja else "")
        if CRIMINAL in entry["remedies"]:
            criminal = Text(f"criminal penalty possible{where.en}", f"刑事罰の対象となり得る{where.ja}")
        elif CRIMINAL in (entry.get("remedies_conditional") or []):
            criminal = Text(f"criminal penalty only if the fault is intent, not yet known{where.en}",
                            f"刑事罰は故意がある場合に限る（故意の有無は未確定）{where.ja}")
        else:
            criminal = Text("", "")
        sentence = Text(f"{cap(actor.en)} is liable as {role.en} for {acts.en} ({fault.en}).",
                        f"{actor.ja}が{acts.ja}について{role.ja}として責任を負う（{fault.ja}）。")
        lines.append(Liability(actor, role, fault, acts, civil, civil_if, criminal, sentence))
    return lines


# --- facts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A fact of the scenario: its key, label, question and answer."""

    key: str
    label: Text
    question: Text
    answer: Text


def answered_facts(scenario: dict) -> list[Fact]:
    """The facts the scenario answers, in the order of the format."""
    facts = []
    for key in answered_keys(scenario):
        spec = spec_of(key)
        facts.append(Fact(key, fact_label(key), question(spec), answer_text(spec, get_answer(scenario, key))))
    return facts


def open_questions(data: dict) -> list[Fact]:
    """The facts the engine still needs (`missing_facts`), each as its question."""
    return [Fact(key, fact_label(key), question(spec_of(key)), answer_text(spec_of(key), None))
            for key in data.get("missing_facts", [])]


# --- design changes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DesignChange:
    """Another answer to a fact that clears at least one infringing act and makes none worse."""

    key: str
    fact: Text
    now: Text
    change_to: Text
    value: Any
    cleared: tuple[Text, ...]   # the acts it clears, with their new conclusion
    sources: tuple[Source, ...]  # what the commentary's design chapter says of it, where cited

    @property
    def sentence(self) -> Text:
        """'If X were Y (now Z): input → lawful, ...'"""
        cleared = join(list(self.cleared))
        return Text(f"If “{self.fact.en}” were {self.change_to.en} (now {self.now.en}): {cleared.en}.",
                    f"「{self.fact.ja}」を{self.change_to.ja}とすれば（現在：{self.now.ja}）：{cleared.ja}。")


def _clears(changes) -> tuple[list, bool]:
    cleared, worse = [], False
    for change in changes:
        if change.aspect not in ("conclusion", "act"):
            continue
        if change.before == "infringing" and (change.after in CLEARED or change.after is None):
            cleared.append(change)
        elif change.after == "infringing" or (change.before in CLEARED and change.after == "conditional"):
            worse = True
    return cleared, worse


def design_sources(explanation, acts: list[str]) -> tuple[Source, ...]:
    """The passages of the design chapter (seed 004 第6) the engine cites for these acts."""
    found = {}
    for code in acts:
        act = explanation.act(code) if explanation is not None else None
        if act is None:
            continue
        cited = [s for step in act.steps for s in step.sources]
        cited += [s for e in act.exemptions for r in e.requirements if r.status == "met" for s in r.sources]
        for source in cited:
            document, _, section = source.citation.partition(" ")
            if document == DESIGN_CHAPTER[0] and section.startswith(DESIGN_CHAPTER[1]):
                found.setdefault(source.iri, source)
    return tuple(found.values())


def design_changes(impacts: list[FactImpact], explain=None, limit: int = 5) -> list[DesignChange]:
    """The alternatives of a what-if that clear an infringing act without making another act worse,
    those clearing most first. `explain(key, value)` may return the alternative's typed explanation,
    to cite the design chapter of the commentary where the engine does."""
    found = []
    for impact in impacts:
        if impact.key in NOT_DESIGN:
            continue
        for alternative in impact.alternatives:
            if alternative.problems:
                continue
            cleared, worse = _clears(alternative.changes)
            if not cleared or worse:
                continue
            words = tuple(Text(f"{both('Act', c.act).en} → {conclusion_text(c.after).en if c.after else 'no longer performed'}",
                               f"{both('Act', c.act).ja} → {conclusion_text(c.after).ja if c.after else '行われない'}")
                          for c in cleared)
            sources = design_sources(explain(impact.key, alternative.value) if explain else None, [c.act for c in cleared])
            found.append(DesignChange(impact.key, fact_label(impact.key), answer_text(impact.spec, impact.current),
                                      answer_text(impact.spec, alternative.value), alternative.value, words, sources))
    found.sort(key=lambda d: -len(d.cleared))
    return found[:limit]
