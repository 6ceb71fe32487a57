"""The typed explanation of a result: for each act, the steps of its reasoning (rule, provision,
sources, finding) and the requirement checklist of each exemption weighed.

Every object is immutable and already resolved against the ontology (labels and citations in
English and Japanese, the provision's official text, each source's document, section, issuer,
authority and legal force), so a renderer — the contract JSON (chosaku.contract), the text
output (chosaku.text), the explorer — reads fields and never parses a string back. This module
imports nothing from the rest of the package: anything may use it."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "ja")


@dataclass(frozen=True)
class Text:
    """The same text in English and in Japanese."""

    en: str
    ja: str

    def in_lang(self, lang: str) -> str:
        """The text in `lang` ('ja' or 'en'; anything else reads as English), falling back to
        the other language when that one is empty."""
        return (self.ja or self.en) if lang == "ja" else (self.en or self.ja)

    def both(self, separator: str = " / ") -> str:
        """'en / ja', or one of them when both are the same or one is empty."""
        if not self.en or not self.ja or self.en == self.ja:
            return self.en or self.ja
        return f"{self.en}{separator}{self.ja}"


EMPTY = Text("", "")


@dataclass(frozen=True)
class Rule:
    """A SHACL rule of the ontology that inferred a triple."""

    iri: str
    name: str      # its local name, as the contract's `rule` writes it
    label: Text


@dataclass(frozen=True)
class Provision:
    """A provision of the law (or another instrument) a step rests on."""

    iri: str
    code: str       # the contract's `provision`: the exemption key (art30_4) or the English citation
    key: str | None  # the exemption key when the provision is an exemption of the contract
    citation: Text  # 'Art. 30-4' / '第30条の4'
    label: Text
    official_text: str  # the statute's official text (Japanese), '' when the ontology has none
    summary: Text
    comment: Text


@dataclass(frozen=True)
class Source:
    """A source passage (or a whole document) a rule or requirement cites."""

    iri: str
    citation: str    # 'seed004 第3 3(2)': document id and section, as the contract writes it
    document_iri: str
    document: Text   # the document's title
    section: str
    issuer: Text
    authority: Text  # the kind of authority (statute, judgment, guideline, commentary ...)
    binding: bool    # the document says it binds (kg:binding true); guidance never does
    label: Text      # the passage's own label
    text: Text       # the passage (its rdfs:comment)


# The kinds of finding and what `subject` and `value` hold for each.
FINDING_KINDS = {
    "actor": "value: the actor (ai_provider ...)",
    "expression_use": "value: requirement status (met, unmet, unknown)",
    "protected_expression": "value: requirement status (met, unmet, unknown)",
    "exemption": "subject: exemption key; value: exemption status",
    "requirement": "subject: exemption key; requirement: its key; work: the work id or None; value: status",
    "conclusion": "value: the conclusion",
    "fault": "subject: the actor; value: the fault",
    "right": "value: the right at issue (art21, art23, art26_2, art27, art49)",
    "role": "subject: the actor; value: its liability role (direct, aider, none)",
    "remedy": "subject: the actor; value: a remedy available against it",
    "remedy_conditional": "subject: the actor; value: a remedy that waits for its unknown fault",
    "remedy_excluded": "subject: the actor; value: a remedy the law excludes for it",
}


@dataclass(frozen=True)
class Finding:
    """What a step found, as codes of the contract (see FINDING_KINDS) and as text read from the
    ontology's labels in both languages."""

    kind: str
    value: str
    text: Text
    subject: str | None = None
    requirement: str | None = None
    work: str | None = None


@dataclass(frozen=True)
class Step:
    """One step of an act's reasoning: the rule that drew it, the provision and the sources it
    rests on, and what it found."""

    rule: Rule | None
    provision: Provision | None
    sources: tuple[Source, ...]
    finding: Finding


@dataclass(frozen=True)
class RequirementCheck:
    """One requirement of an exemption, assessed for an act (and a work, where it is per work)."""

    iri: str
    key: str
    label: Text
    status: str       # met | unmet | unknown
    status_label: Text
    proviso: bool     # a proviso condition: 'met' reads as 'the proviso does not apply'
    reading: Text     # how the status reads for this requirement
    work: str | None
    rule: Rule | None
    provision: Provision | None  # the requirement's own provision
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ExemptionCheck:
    """An exemption weighed for an act: its status and its requirement checklist."""

    provision: Provision
    status: str       # applies | not_applicable | conditional
    status_label: Text
    requirements: tuple[RequirementCheck, ...]

    @property
    def key(self) -> str:
        """The contract's exemption key (art30_4 ...)."""
        return self.provision.key or self.provision.code


@dataclass(frozen=True)
class WorkExemptionStatus:
    """An exemption weighed for an act, as far as one work is concerned: its status for that work."""

    provision: Provision
    status: str       # applies | not_applicable | conditional
    status_label: Text
    requirements: tuple[RequirementCheck, ...] = ()  # the checks combined for this work

    @property
    def key(self) -> str:
        """The contract's exemption key (art30_4 ...)."""
        return self.provision.key or self.provision.code


@dataclass(frozen=True)
class WorkExplanation:
    """One act assessed for one work: whether it uses that work's protected expression, the
    conclusion on the act as far as that work is concerned, and each exemption's status for it."""

    work: str                   # the work's id
    protected_expression: str   # met | unmet (only unprotected elements reused) | unknown
    protected_label: Text
    conclusion: str             # lawful | infringing | conditional | not_at_issue
    conclusion_label: Text
    exemptions: tuple[WorkExemptionStatus, ...]

    def exemption(self, key: str) -> WorkExemptionStatus | None:
        """The exemption weighed under `key` for this work, or None."""
        return next((e for e in self.exemptions if e.key == key), None)


@dataclass(frozen=True)
class ActExplanation:
    """One act: its actors, conclusion, exemptions, fault, and every step behind them."""

    act: str            # training | collection | input | output | transmission | use
    label: Text
    actors: tuple[str, ...]
    conclusion: str
    conclusion_label: Text
    exemptions: tuple[ExemptionCheck, ...]
    fault: tuple[tuple[str, str], ...]  # (actor, fault), by actor
    steps: tuple[Step, ...]
    rights: tuple[str, ...] = ()  # the rights the act is at issue under (art21, art23 ...), by article
    works: tuple[WorkExplanation, ...] = ()  # the act assessed work by work, by work id

    def exemption(self, key: str) -> ExemptionCheck | None:
        """The exemption weighed under `key`, or None."""
        return next((e for e in self.exemptions if e.key == key), None)

    def work(self, work_id: str) -> WorkExplanation | None:
        """The act assessed for one work (by its id), or None."""
        return next((w for w in self.works if w.work == work_id), None)


@dataclass(frozen=True)
class Explanation:
    """The typed explanation of a whole result, act by act in the contract's order."""

    acts: tuple[ActExplanation, ...]

    def act(self, code: str) -> ActExplanation | None:
        """The explanation of one act (training, collection ...), or None if the case has none."""
        return next((a for a in self.acts if a.act == code), None)
