"""The ontology as OWL tools open it (Protégé, the OWL API): every module an owl:Ontology with its
owl:versionIRI and owl:imports, one entry file importing them all, XML catalogs that resolve every
import to a file here, and each module's import closure in the OWL 2 DL profile — checked by the
OWL API's own profile checker (Debian libowlapi-java) in one JVM run over every module. One version
for the package, the ontology and the results."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.metadata import version

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from chosaku.ontology_modules import CATALOG, ENTRY_FILE, ENTRY_IRI, header_problems, modules
from chosaku.receipt import engine_version, ontology_header
from chosaku.resources import ontology_dir
from chosaku.version import VERSION

from java_tools import owlapi, run_java

CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
# a module that uses a property and a class nobody declares: the profile checker must say so
UNDECLARED = """@prefix kg: <https://w3id.org/chosaku-kg/ns#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://w3id.org/chosaku-kg/ontology/test-undeclared> a owl:Ontology ;
    owl:imports <https://w3id.org/chosaku-kg/ns> .
kg:ai_user kg:notDeclaredAnywhere kg:ai_provider .
kg:ai_user a kg:NotDeclaredClass .
"""


def test_generated_headers_entry_file_and_catalogs_are_up_to_date():
    assert header_problems() == [], "run: python -m chosaku.ontology_modules --write"


def test_every_module_is_an_ontology_of_this_version():
    found = modules()
    assert len(found) >= 30
    for module in found:
        graph = Graph().parse(module.path, format="turtle")
        ontologies = set(graph.subjects(RDF.type, OWL.Ontology))
        assert ontologies == {module.iri}, module.name
        assert graph.value(module.iri, OWL.versionInfo).toPython() == VERSION, module.name
        assert graph.value(module.iri, OWL.versionIRI) == URIRef(f"https://w3id.org/chosaku-kg/ontology/{VERSION}/{module.name}")
        if module.name not in ("external",):
            assert list(graph.objects(module.iri, OWL.imports)), f"{module.name} imports nothing"
    entry = Graph().parse(ontology_dir() / ENTRY_FILE, format="turtle")
    assert set(entry.objects(ENTRY_IRI, OWL.imports)) == {m.iri for m in found}


def test_package_ontology_and_results_carry_one_version():
    assert version("chosaku-kg") == VERSION == engine_version()
    header = ontology_header()
    assert (header["ontology_iri"], header["ontology_version"]) == (str(ENTRY_IRI), VERSION)
    assert header["ontology_version_iri"] == f"{ENTRY_IRI}/{VERSION}"


def _catalog_mapping() -> dict[str, str]:
    """The ontology directory's catalog-v001.xml as IRI -> absolute file path."""
    root = ontology_dir()
    tree = ET.parse(root / CATALOG)
    return {uri.get("name"): str((root / uri.get("uri")).resolve()) for uri in tree.iter(f"{CATALOG_NS}uri")}


def test_every_module_closure_is_owl2_dl_by_the_owl_api_profile_checker(tmp_path):
    classpath = owlapi(tmp_path)
    mapping = _catalog_mapping()
    assert {str(m.iri) for m in modules()} | {str(ENTRY_IRI)} <= set(mapping)
    (tmp_path / "mapping.tsv").write_text("".join(f"{iri}\t{path}\n" for iri, path in mapping.items()))
    control = tmp_path / "undeclared.ttl"
    control.write_text(UNDECLARED, encoding="utf-8")
    files = [str(ontology_dir() / ENTRY_FILE), *(str(m.path) for m in modules()), str(control)]
    rows = run_java("OwlProfile", classpath, [str(tmp_path / "mapping.tsv"), *files])
    reports = {row[1]: (int(row[3]), int(row[4])) for row in rows if row[0] == "module"}
    violations = [row[2] for row in rows if row[0] == "violation" and row[1] != str(control)]
    assert set(reports) == set(files)
    assert violations == [], violations[:10]
    axioms, _ = reports[str(ontology_dir() / ENTRY_FILE)]
    assert axioms > 5000 and all(count > 0 for count, _ in reports.values())
    control_violations = " ".join(row[2] for row in rows if row[0] == "violation" and row[1] == str(control))
    assert "notDeclaredAnywhere" in control_violations and "NotDeclaredClass" in control_violations


def test_hermit_loads_the_whole_ontology_without_fetching_imports():
    """The merged graph carries owl:imports; the reasoner is given every module already, so it
    must not try to fetch one (w3id.org) — and the ontology stays consistent."""
    pytest.importorskip("owlready2")
    from chosaku.dl import run_hermit

    classes = run_hermit()
    assert "https://w3id.org/chosaku-kg/ns#ai_user" in classes
