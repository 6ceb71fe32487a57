"""chosaku-kg: a knowledge-graph reasoning engine for Japanese copyright law and generative AI.

    from chosaku import evaluate
    result = evaluate("cases/rag-type4-novel-rewrite.yaml")
    result.to_dict()   # the result contract (docs/scenario-format.md)
    result.graph       # facts + inferences + provenance (rdflib Graph)

The public API is what `__all__` names:

- `evaluate`, `Result` and the errors (`ChosakuError`, `ScenarioError`, `ValidationError`),
  importable from `chosaku` itself;
- the public modules (PUBLIC_MODULES, below), whose public names — those not starting with `_` —
  the command line, the explorer, the tests and the benchmarks use. They are imported when first
  used (`chosaku.glossary`, `from chosaku.query import run_query`), so `import chosaku` stays light.

Modules not listed are the package's own workings (the result graph, the explanation reader, the
cache's fingerprint, the store interface and its remote client ...): use them
through the public ones. tests/test_import_layers.py checks that nothing outside the package
imports a module not listed here, or a name starting with `_`.
"""

from importlib import import_module

from .errors import ChosakuError, ScenarioError, ValidationError
from .evaluate import evaluate
from .result import Result

PUBLIC_MODULES = (
    # vocabulary: namespaces, data locations, the ontology, labels of codes, file formats
    "namespaces", "resources", "errors", "ontology_graph", "oxrdf", "labels", "glossary", "formats", "atomic",
    "explanation",
    # scenarios and the engine
    "facts", "load", "answers", "validate", "infer", "dl", "ontology_check", "ontology_stats",
    "ontology_modules", "version", "shapes_file", "jsonld_context", "provenance_forms", "dump",
    # explanations and renderings of a result
    "citations", "contract", "text", "export", "case_view",
    # a memo to file on a result: its summary lines, citations as a lawyer writes them, PDF / Word / Markdown
    "memo", "memo_cite", "memo_content",
    # what a result was drawn from, and checking a stored result against the engine now
    "receipt", "verify",
    # analyses over many evaluations
    "whatif", "sweep", "batch", "coverage",
    # the researchers' dataset: cases, cache, stores, saving, queries, the endpoint
    "dataset", "case_cache", "dataset_build", "embedded_store", "store_snapshot", "open_store", "save", "scenario_store",
    "query", "query_check", "query_errors", "query_output", "query_catalogue", "serve",
    # what a remote store holds, for loading one by other means (a bulk loader): blank nodes as
    # skolem IRIs, the manifest graph's entries, the union graph
    "skolem", "store_manifest", "store_union",
    # running work in a forked child within time, memory and answer-size limits
    "sandbox",
    # programs and agents: the scenario format as JSON Schema, the REST API, the MCP server
    "scenario_schema", "api_service", "api_spec", "api", "mcp_server",
    # the command line
    "cli",
)

__all__ = ["evaluate", "Result", "ChosakuError", "ScenarioError", "ValidationError", *PUBLIC_MODULES]


def __getattr__(name: str):
    """A public module on first use (`chosaku.glossary`), imported then."""
    if name in PUBLIC_MODULES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
