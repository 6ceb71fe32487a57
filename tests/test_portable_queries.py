"""The example queries are portable as written: each declares every prefix it uses, and a second
SPARQL 1.1 parser (Jena's, the one `qparse` and Fuseki use) accepts each one without the project's
predeclared prefixes. The same run shows Jena refusing what it should (a query that rebinds an
in-scope variable with AS; a query whose prefixes are not declared), so the check can fail."""

from __future__ import annotations

import re

import pytest
from rdflib.plugins.sparql import prepareQuery

from chosaku.query_catalogue import example_queries

from java_tools import jena, run_java

EXAMPLES = {example.name: example for example in example_queries()}
PREFIX_LINE = re.compile(r"^PREFIX\s+([A-Za-z][\w-]*):\s+<[^>]*>\s*$", re.MULTILINE)
# (a rebinding of ?x, as guidance-by-provision.rq once had it; an undeclared prefix)
REBINDING = "SELECT (GROUP_CONCAT(?x) AS ?x) WHERE { ?s ?p ?o BIND (?s AS ?x) }"
UNDECLARED = "SELECT ?s WHERE { ?s a kg:Scenario }"


def _body(text: str) -> str:
    """The query without comments, strings and IRIs (what may hold a prefixed name)."""
    return re.sub(r'"""(.*?)"""|"(?:[^"\\\n]|\\.)*"|<[^>\s]*>|#[^\n]*', " ", text, flags=re.S)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_declares_exactly_the_prefixes_it_uses(name):
    text = EXAMPLES[name].text
    declared = PREFIX_LINE.findall(text)
    used = set(re.findall(r"(?<![\w?$:-])([A-Za-z][\w-]*):", _body(PREFIX_LINE.sub("", text))))
    assert sorted(declared) == sorted(set(declared)), f"{name}: a prefix declared twice"
    assert set(declared) == used, f"{name}: declares {sorted(declared)}, uses {sorted(used)}"
    prepareQuery(text)  # rdflib, with no prefixes given


def test_jena_parses_every_example_and_refuses_invalid_sparql(tmp_path):
    classpath = jena(tmp_path)
    controls = {"rebinding": REBINDING, "undeclared": UNDECLARED}
    files = {name: example.text for name, example in EXAMPLES.items()} | controls
    paths = []
    for name, text in files.items():
        path = tmp_path / f"{name}.rq"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    rows = {row[1]: row for row in run_java("JenaCheck", classpath, ["queries", *paths])}
    verdicts = {name: rows[str(tmp_path / f"{name}.rq")][0] for name in files}
    assert verdicts == {name: "ok" for name in EXAMPLES} | {"rebinding": "error", "undeclared": "error"}, \
        {name: rows[str(tmp_path / f"{name}.rq")][2:] for name, verdict in verdicts.items() if verdict == "error"}
    assert "?x" in rows[str(tmp_path / "rebinding.rq")][2]
    assert "kg:Scenario" in rows[str(tmp_path / "undeclared.rq")][2]
