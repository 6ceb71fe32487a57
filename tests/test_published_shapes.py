"""The published scenario shapes (ontology/shapes/scenario-shapes-full.ttl) are the engine's, whole:
generated, equal to what the engine validates with, closed, loadable by Jena's SHACL, and judged
the same by pyshacl and by Jena on the case library and the bad-input corpus."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from chosaku.errors import ChosakuError
from chosaku.load import load_scenario
from chosaku.namespaces import KG, SH
from chosaku.oxrdf import to_store
from chosaku.resources import cases_dir, ontology_dir
from chosaku.shapes_file import PUBLISHED_SHAPES, published_shapes
from chosaku.validate import scenario_shapes

from checkout import REPO_ROOT
from java_tools import jena, run_java

BOGUS = """@prefix kg: <https://w3id.org/chosaku-kg/ns#> .
@prefix case: <https://w3id.org/chosaku-kg/case/> .
case:bogus a kg:Scenario ; kg:caseId "bogus" ; kg:technique kg:rag ; kg:hasWork case:bogus-work ;
    kg:bogusKey true .
case:bogus-work a kg:Work ; kg:workId "novel" .
"""


@pytest.fixture(scope="module")
def published() -> Graph:
    return Graph().parse(ontology_dir() / PUBLISHED_SHAPES, format="turtle")


def test_the_file_equals_the_generated_shapes(published):
    assert isomorphic(published, published_shapes()), "run: python -m chosaku.shapes_file --write"
    engine = scenario_shapes()
    japanese = [m for m in engine.objects(None, SH.message) if m.language == "ja"]
    assert len(japanese) > 100 and sorted(published.objects(None, KG.messageJa)) == sorted(japanese)
    assert all(m.language == "en" for m in published.objects(None, SH.message))
    # every per-key shape of the engine is in the file (the file is the whole, not a part)
    assert set(engine.subjects(RDF.type, SH.NodeShape)) == set(published.subjects(RDF.type, SH.NodeShape))


def test_the_shapes_are_closed_a_bogus_key_is_refused(published):
    data = Graph().parse(data=BOGUS, format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=published, advanced=True, inference="none")
    assert conforms is False
    paths = set(report.objects(None, SH.resultPath))
    assert paths == {KG.bogusKey}
    # without the bogus key the same graph conforms: the closed shapes allow the format's own properties
    data.remove((None, KG.bogusKey, None))
    assert pyshacl.validate(data, shacl_graph=published, advanced=True, inference="none")[0] is True
    with pytest.raises(ChosakuError, match="bogusKey"):  # the engine refuses it too
        load_scenario(BOGUS)


def _inputs() -> list:
    """The case library (valid and invalid) and the bad-input corpus, as files."""
    library = sorted(cases_dir().glob("*.yaml")) + sorted((cases_dir() / "invalid").glob("*.yaml"))
    return library + sorted((REPO_ROOT / "tests" / "bad_inputs").glob("*.*"))


def _results(report: Graph) -> frozenset:
    return frozenset((str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath) or ""))
                     for r in report.subjects(RDF.type, SH.ValidationResult))


def test_pyshacl_and_jena_agree_on_the_cases_and_bad_inputs(tmp_path, published):
    classpath = jena(tmp_path)
    graphs = {}
    for path in _inputs():
        try:
            graphs[path.name] = load_scenario(path).graph
        except ChosakuError:
            continue  # refused before there is a graph to validate
    files = []
    expected = {}
    for index, (name, graph) in enumerate(sorted(graphs.items())):
        target = tmp_path / f"{index:03d}-{name}.ttl"
        graph.serialize(target, format="turtle")
        files.append(str(target))
        conforms, report, _ = pyshacl.validate(to_store(graph), shacl_graph=published, advanced=True,
                                               inference="none")
        expected[str(target)] = (bool(conforms), _results(report))
    rows = run_java("JenaCheck", classpath, ["shacl", str(ontology_dir() / PUBLISHED_SHAPES), *files])
    assert rows[0][0] == "shapes" and int(rows[0][1]) >= 70
    found = {row[1]: [row[2] == "true", set()] for row in rows if row[0] == "conforms"}
    for row in rows:
        if row[0] == "result":
            found[row[1]][1].add((row[2], row[3].strip("<>")))
    jena_view = {file: (flag, frozenset(results)) for file, (flag, results) in found.items()}
    agree = [file for file in files if jena_view.get(file) == expected[file]]
    disagree = {file: (expected[file], jena_view.get(file)) for file in files if file not in agree}
    print(f"pyshacl and Jena agree on {len(agree)} of {len(files)} scenario graphs "
          f"({sum(not expected[f][0] for f in files)} refused)")
    assert disagree == {}
    assert len(files) >= 150 and sum(not expected[f][0] for f in files) >= 50
