"""Preparing a query: parsed first, SPARQL Update and SERVICE refused (the dataset is read-only
and queries never fetch other URLs), and the project's prefixes predeclared.

rdflib's SPARQL grammar (pyparsing) is not safe to use from several threads at once, least of all
on first use (rdflib issue 1282): parsing is serialised by one lock and the grammar is warmed up
when this module is imported, before any server thread exists. Text that would make the parser
work long or recurse deeply (very long queries, deeply nested brackets) is refused before parsing."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from .namespaces import PREFIXES
from .query_errors import QueryRefused, QuerySyntaxError, QueryTooLarge

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
UPDATE_START = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                          r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
COMMENT = re.compile(r"^\s*#.*$", re.MULTILINE)
MAX_QUERY_CHARS = 100_000
MAX_NESTING = 40
_PARSER = threading.Lock()
UPDATE_REFUSED = ("SPARQL Update is refused: the dataset is read-only to queries. Save a case with "
                  "`chosaku save FILE` instead. / SPARQL Update は受け付けません（読み取り専用）。")
SERVICE_REFUSED = ("SERVICE (federated query) is refused: queries run only over the local dataset. Fetch "
                   "the other data yourself and load it into your own store. / SERVICE（連合クエリ）は受け付けません。")


@dataclass
class Prepared:
    """A checked query: its text with the project's prefixes declared, its form, and whether it
    names its own dataset (FROM / FROM NAMED)."""

    text: str
    form: str
    has_dataset: bool


def _comp_names(node):
    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _comp_names(value)
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        for value in node:
            yield from _comp_names(value)


NOT_CODE = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^<>\s]*>|#[^\n]*')


def without_literals(text: str) -> str:
    """The query's text with its strings, IRIs and comments blanked out: what is left holds every
    keyword, bracket and variable (and prefixed names)."""
    return NOT_CODE.sub(" ", text)


def _nesting(text: str) -> int:
    """The deepest nesting of (), {} and [] outside strings, IRIs and comments (an estimate that
    never undercounts what the parser would recurse into)."""
    depth = deepest = 0
    for char in without_literals(text):
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth = max(0, depth - 1)
    return deepest


def _parse(parser, text: str):
    with _PARSER:
        return parser(text)


def prepare(text: str) -> Prepared:
    """Parse a query and refuse what the dataset does not run; declare the project's prefixes.

    Raises QueryRefused for SPARQL Update or SERVICE and QuerySyntaxError for anything that is
    not a SPARQL 1.1 query (with the parser's message)."""
    if not text or not COMMENT.sub("", text).strip():
        raise QuerySyntaxError("the query is empty; give a SELECT, ASK, CONSTRUCT or DESCRIBE query / クエリが空です")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLarge(f"the query is longer than {MAX_QUERY_CHARS} characters; shorten it (a long VALUES "
                           f"list belongs in a saved case or your own store) / クエリが {MAX_QUERY_CHARS} 文字を超えています")
    if _nesting(text) > MAX_NESTING:
        raise QuerySyntaxError(f"the query nests brackets more than {MAX_NESTING} levels deep / "
                               f"括弧の入れ子が {MAX_NESTING} 段を超えています")
    try:
        tree = _parse(parseQuery, text)
    except RecursionError as exc:
        raise QuerySyntaxError("the query nests too deeply to parse / クエリの入れ子が深すぎます") from exc
    except ParseException as exc:
        if UPDATE_START.match(COMMENT.sub("", text)):
            raise QueryRefused(UPDATE_REFUSED) from exc
        try:
            _parse(parseUpdate, text)
        except (ParseException, RecursionError):
            raise QuerySyntaxError(f"not a valid SPARQL 1.1 query: {exc} / SPARQLクエリとして読めません") from exc
        raise QueryRefused(UPDATE_REFUSED) from exc
    if "ServiceGraphPattern" in set(_comp_names(tree)):
        raise QueryRefused(SERVICE_REFUSED)
    form = FORMS[tree[1].name]
    declared = {str(decl.prefix) for decl in tree[0] if getattr(decl, "name", "") == "PrefixDecl"}
    header = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items()
                     if prefix not in declared)
    return Prepared(header + text, form, "datasetClause" in tree[1].keys())


_parse(parseQuery, "ASK {}")  # the grammar's first-use set-up, done now, in one thread
