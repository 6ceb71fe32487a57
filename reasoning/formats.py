"""Telling scenario files and texts apart: whether an argument names a file, and whether a text
is Turtle, JSON or YAML. The loader, the saved-case store and the explorer's upload all ask here."""

from __future__ import annotations

import re
from pathlib import Path

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json", ".ttl")
MAX_PATH_LENGTH = 4096
SUFFIX_OF = {"turtle": ".ttl", "json": ".json", "yaml": ".yaml"}
_TURTLE_START = re.compile(r"\s*(@prefix|PREFIX|<)")
_TURTLE_LINE = re.compile(r"^\s*(@prefix|PREFIX)\b", re.MULTILINE)


def names_a_file(source) -> bool:
    """Whether `source` stands for a scenario file: a Path, or a one-line string ending in a
    scenario suffix (.yaml, .yml, .json, .ttl); anything else is the scenario's text."""
    if isinstance(source, Path):
        return True
    return (isinstance(source, str) and "\n" not in source and len(source) < MAX_PATH_LENGTH
            and Path(source).suffix in SCENARIO_SUFFIXES)


def scenario_format(text: str, suffix: str = "") -> str:
    """'turtle', 'json' or 'yaml': by the file suffix when there is one, else by the text (Turtle
    starts with a prefix declaration or an IRI, JSON with '{'; the rest is read as YAML)."""
    suffix = suffix.lower()
    if suffix == ".ttl" or (not suffix and (_TURTLE_START.match(text) or _TURTLE_LINE.search(text))):
        return "turtle"
    if suffix == ".json" or text.lstrip().startswith("{"):
        return "json"
    return "yaml"


def file_suffix(source_format: str) -> str:
    """The file suffix a scenario of this format is kept under."""
    return SUFFIX_OF[source_format]
