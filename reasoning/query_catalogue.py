"""Queries kept in files: the example queries of queries/ with their titles and questions, and the
query a command-line argument names (a file, standard input, or the query itself)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .query_errors import QueryError
from .resources import queries_dir

HEADER_LINE = re.compile(r"^#\s*([a-z_]+):\s*(.*)$")


@dataclass
class Example:
    """An example query of queries/: its name (file stem), titles, the question it answers (en, ja)."""

    name: str
    title: str
    title_ja: str
    question: str
    text: str
    question_ja: str = ""


def example_queries(directory: Path | None = None) -> list[Example]:
    """The example queries, read from their header comments (# title:, # title_ja:, # question:,
    # question_ja:)."""
    examples = []
    for path in sorted((directory or queries_dir()).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        fields = {}
        for line in text.splitlines():
            match = HEADER_LINE.match(line)
            if not line.startswith("#"):
                break
            if match:
                fields[match.group(1)] = match.group(2).strip()
        examples.append(Example(name=path.stem, title=fields.get("title", path.stem), title_ja=fields.get("title_ja", ""),
                                question=fields.get("question", ""), text=text,
                                question_ja=fields.get("question_ja", "")))
    return examples


def read_query_argument(argument: str) -> str:
    """The query text of the CLI argument: a file (e.g. queries/x.rq), `-` for standard input, or
    the query itself."""
    if argument == "-":
        return sys.stdin.read()
    path = Path(argument)
    try:
        is_file = "\n" not in argument and path.is_file()
    except OSError:  # too long for a file name: a query
        is_file = False
    if is_file or ("\n" not in argument and " " not in argument and path.suffix in (".rq", ".sparql")):
        if not is_file:
            raise QueryError(f"{path}: no such query file / クエリファイルがありません")
        return path.read_text(encoding="utf-8")
    return argument
