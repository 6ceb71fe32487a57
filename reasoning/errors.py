"""The engine's exceptions: each names what was wrong and what was expected, in English
(`message_en`) and Japanese (`message_ja`), so that every consumer picks its language without
parsing the text."""

from __future__ import annotations


class ChosakuError(Exception):
    """Base class of the engine's errors: a message in English and one in Japanese.

    `message_ja` falls back to the English message where none is given (the ontology and
    engine errors meant for developers); `str()` is 'en / ja', or the one message when both
    are the same."""

    def __init__(self, message_en: str, message_ja: str | None = None):
        super().__init__(message_en, message_ja)
        self.message_en = message_en
        self.message_ja = message_ja if message_ja is not None else message_en

    def message(self, lang: str) -> str:
        """The message in `lang` ('ja'; anything else reads as English)."""
        return self.message_ja if lang == "ja" else self.message_en

    def __str__(self) -> str:
        return self.message_en if self.message_ja == self.message_en else f"{self.message_en} / {self.message_ja}"


class OntologyError(ChosakuError):
    """The ontology or a shapes/rules file cannot be read."""


class ScenarioError(ChosakuError):
    """A scenario cannot be read at all (not YAML/JSON/Turtle, not a mapping, unreadable file)."""


class ValidationError(ChosakuError):
    """A scenario breaks the format; `problems` lists each with key, value and messages
    (`message_en`, `message_ja`); the error's own messages list them one a line."""

    def __init__(self, problems):
        self.problems = list(problems)
        Exception.__init__(self, self.problems)
        self.message_en = "\n".join(p.message_en for p in self.problems)
        self.message_ja = "\n".join(p.message_ja for p in self.problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
