"""The package's import structure: no cycles, layers that hold, an explorer that takes what it shows
from the package's public API (chosaku.__all__), and no private names used from outside the package.

Every module of reasoning/ (chosaku.*) and ui/ (chosaku.explorer.*) is parsed and each import it
makes, at module level or inside a function, is an edge of the import graph."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import chosaku
from checkout import REPO_ROOT

PACKAGES = {"chosaku": REPO_ROOT / "reasoning", "chosaku.explorer": REPO_ROOT / "ui"}

# Layers, lowest first. A module may import modules of its own layer or of lower ones.
VOCABULARY, ENGINE, EXPLAIN, EVALUATE, ANALYSES, DATASET, FRONT = range(7)
LAYER_NAMES = ["rdf/vocabulary", "scenario/engine", "explain", "evaluate", "render/analyses", "dataset", "cli/explorer"]
LAYERS = {
    # rdf and vocabulary: namespaces, data locations, errors, the ontology, terms and their labels
    "chosaku.namespaces": VOCABULARY,
    "chosaku.resources": VOCABULARY,
    "chosaku.errors": VOCABULARY,
    "chosaku.ontology_graph": VOCABULARY,
    "chosaku.oxrdf": VOCABULARY,
    "chosaku.labels": VOCABULARY,
    "chosaku.glossary": VOCABULARY,
    "chosaku.iris": VOCABULARY,
    "chosaku.provenance": VOCABULARY,
    "chosaku.serialization": VOCABULARY,
    "chosaku.formats": VOCABULARY,
    "chosaku.atomic": VOCABULARY,
    "chosaku.version": VOCABULARY,
    "chosaku.explanation": VOCABULARY,
    "chosaku.triple_index": VOCABULARY,
    # the scenario and the engine: facts, loading, answers, validation, inference, ontology checks
    "chosaku.facts": ENGINE,
    "chosaku.load": ENGINE,
    "chosaku.turtle_facts": ENGINE,
    "chosaku.scenario_text": ENGINE,
    "chosaku.answers": ENGINE,
    "chosaku.validate": ENGINE,
    "chosaku.validate_fast": ENGINE,
    "chosaku.infer": ENGINE,
    "chosaku.dl": ENGINE,
    "chosaku.ontology_check": ENGINE,
    "chosaku.ontology_stats": ENGINE,
    "chosaku.ontology_modules": ENGINE,
    "chosaku.shapes_file": ENGINE,
    "chosaku.jsonld_context": VOCABULARY,
    "chosaku.provenance_forms": VOCABULARY,
    "chosaku.scenario_schema": ENGINE,
    "chosaku.fingerprint": ENGINE,  # the engine's identity (its ontology and code), for caches and workers
    # explaining the inferred graph
    "chosaku.explain": EXPLAIN,
    "chosaku.citations": EXPLAIN,
    "chosaku.riskinfo": EXPLAIN,
    "chosaku.contract": EXPLAIN,
    # evaluating a scenario
    "chosaku.evaluate": EVALUATE,
    "chosaku.result": EVALUATE,
    "chosaku.receipt": EVALUATE,
    # rendering results and analyses over many evaluations
    "chosaku.text": ANALYSES,
    "chosaku.export": ANALYSES,
    "chosaku.case_view": ANALYSES,
    "chosaku.whatif": ANALYSES,
    "chosaku.sweep": ANALYSES,
    "chosaku.batch": ANALYSES,
    "chosaku.coverage": ANALYSES,
    "chosaku.memo": ANALYSES,
    "chosaku.memo_cite": ANALYSES,
    "chosaku.memo_content": ANALYSES,
    "chosaku.memo_pdf": ANALYSES,
    "chosaku.memo_docx": ANALYSES,
    "chosaku.verify": ANALYSES,
    # the researchers' dataset: cache, stores, saving, queries, the endpoint
    "chosaku.dataset": DATASET,
    "chosaku.case_cache": DATASET,
    "chosaku.dataset_build": DATASET,
    "chosaku.dump": DATASET,
    "chosaku.query_result": DATASET,
    "chosaku.store": DATASET,
    "chosaku.embedded_store": DATASET,
    "chosaku.store_snapshot": DATASET,
    "chosaku.remote_store": DATASET,
    "chosaku.skolem": DATASET,
    "chosaku.store_endpoints": DATASET,
    "chosaku.store_http": DATASET,
    "chosaku.store_manifest": DATASET,
    "chosaku.store_union": DATASET,
    "chosaku.results_xml": DATASET,
    "chosaku.service_description": DATASET,
    "chosaku.open_store": DATASET,
    "chosaku.scenario_store": DATASET,
    "chosaku.save": DATASET,
    "chosaku.query_errors": DATASET,
    "chosaku.query_check": DATASET,
    "chosaku.sandbox": DATASET,
    "chosaku.query": DATASET,
    "chosaku.query_output": DATASET,
    "chosaku.query_catalogue": DATASET,
    "chosaku.serve": DATASET,
    "chosaku.request_deadline": DATASET,
    "chosaku.api_service": DATASET,
    "chosaku.api_spec": DATASET,
    "chosaku.api": DATASET,
    "chosaku.mcp_server": DATASET,
    # the fronts: the package's face, the command line and the explorer
    "chosaku": FRONT,
    "chosaku.__main__": FRONT,
    "chosaku.cli": FRONT,
    "chosaku.explorer": FRONT,
    "chosaku.explorer.app": FRONT,
    "chosaku.explorer.builder": FRONT,
    "chosaku.explorer.diagram": FRONT,
    "chosaku.explorer.graphview": FRONT,
    "chosaku.explorer.i18n": FRONT,
    "chosaku.explorer.palette": FRONT,
    "chosaku.explorer.results": FRONT,
    "chosaku.explorer.sparql": FRONT,
    "chosaku.explorer.state": FRONT,
    "chosaku.explorer.whatif": FRONT,
    "chosaku.explorer.summary": FRONT,
    "chosaku.explorer.flowchart": FRONT,
    "chosaku.explorer.compare": FRONT,
    "chosaku.explorer.viewport": FRONT,
}
# What the explorer must not import: it shows what the package's public API gives it.
EXPLORER_FORBIDDEN = ("rdflib", "pyoxigraph", "chosaku.namespaces", "chosaku.ontology_graph")


def _module_files() -> dict[str, Path]:
    modules = {}
    for package, directory in PACKAGES.items():
        for path in sorted(directory.glob("*.py")):
            modules[package if path.stem == "__init__" else f"{package}.{path.stem}"] = path
    return modules


MODULES = _module_files()


def _imported(name: str, path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import of a module, at any depth; `from X import y`
    names X.y when that is a module of the package, else X."""
    package = name if path.stem == "__init__" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                found.append((candidate if candidate in MODULES else module, node.lineno))
    return found


def _import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for name, path in MODULES.items():
        graph.add_node(name)
        for target, line in _imported(name, path):
            if target in MODULES and target != name:
                graph.add_edge(name, target, line=line)
    return graph


GRAPH = _import_graph()


def test_every_module_has_a_layer():
    unplaced = sorted(set(MODULES) - set(LAYERS))
    assert not unplaced, f"place these new modules in a layer of LAYERS: {unplaced}"
    gone = sorted(set(LAYERS) - set(MODULES))
    assert not gone, f"these modules of LAYERS no longer exist: {gone}"


def test_the_graph_holds_function_level_imports():
    # cli imports the engine inside its command functions only
    assert GRAPH.has_edge("chosaku.cli", "chosaku.evaluate")
    assert GRAPH.has_edge("chosaku.explorer.app", "chosaku.explorer.state")


def test_no_import_cycles():
    cycles = sorted(nx.simple_cycles(GRAPH), key=len)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c + [c[0]]) for c in cycles[:10])


def test_modules_import_only_their_own_layer_or_lower_ones():
    upward = [f"{source} ({LAYER_NAMES[LAYERS[source]]}) line {data['line']} imports {target} "
              f"({LAYER_NAMES[LAYERS[target]]})"
              for source, target, data in GRAPH.edges(data=True)
              if source in LAYERS and target in LAYERS and LAYERS[target] > LAYERS[source]]
    assert not upward, "imports that go up a layer:\n" + "\n".join(sorted(upward))


def test_the_explorer_takes_what_it_shows_from_the_public_api():
    offending = []
    for name, path in MODULES.items():
        if not name.startswith("chosaku.explorer"):
            continue
        for target, line in _imported(name, path):
            if any(target == f or target.startswith(f + ".") for f in EXPLORER_FORBIDDEN):
                offending.append(f"{path.relative_to(REPO_ROOT)}:{line} imports {target}")
    assert not offending, "\n".join(offending)


def _outside_files() -> list[Path]:
    return (sorted((REPO_ROOT / "tests").glob("*.py")) + sorted((REPO_ROOT / "benchmarks").glob("*.py"))
            + [REPO_ROOT / "reasoning" / "cli.py"])


def _private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


@pytest.mark.parametrize("path", _outside_files(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_tests_benchmarks_and_the_cli_import_no_private_names(path):
    in_package = path.parent == REPO_ROOT / "reasoning"
    private = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if not (module == "chosaku" or module.startswith("chosaku.") or (in_package and node.level)):
                continue
            names = module.split(".") + [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [part for alias in node.names if alias.name.split(".")[0] == "chosaku"
                     for part in alias.name.split(".")]
        else:
            continue
        private += [f"line {node.lineno}: {name}" for name in names if _private(name)]
    assert not private, f"{path.relative_to(REPO_ROOT)} imports private names of the package: {private}"


def _front_files() -> list[tuple[str, Path]]:
    """The code outside the package's workings: tests, benchmarks, the CLI and the explorer."""
    fronts = [(None, path) for path in _outside_files() if path.parent != REPO_ROOT / "reasoning"]
    return fronts + [(name, path) for name, path in MODULES.items()
                     if name == "chosaku.cli" or name.startswith("chosaku.explorer")]


def test_the_fronts_import_only_the_public_modules_named_in_all():
    public = set(chosaku.__all__)
    outside = []
    for name, path in _front_files():
        imports = _imported(name, path) if name else [
            (alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
             if f"{node.module}.{alias.name}" in MODULES else node.module, node.lineno)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not getattr(node, "level", 0)
            for alias in node.names]
        for target, line in imports:
            parts = (target or "").split(".")
            if parts[0] != "chosaku" or len(parts) < 2 or parts[1] == "explorer":
                continue
            if parts[1] not in public:
                outside.append(f"{path.relative_to(REPO_ROOT)}:{line} imports {target}")
    assert not outside, "imports of modules that chosaku.__all__ does not list as public:\n" + "\n".join(outside)
