"""The receipt of an evaluation: what a result was drawn from, so that it can be reproduced and
checked later (`chosaku evaluate --verify`).

Every result carries one under `receipt` (an added field of the contract):

- `engine_version`: the installed package's version (importlib.metadata);
- `ontology_version`, `ontology_iri`, `ontology_version_iri`: read from the ontology's header
  (owl:versionInfo, owl:versionIRI), never written here;
- `law_files`: the SHA-256 of every Turtle file of the ontology (law, rules, shapes, sources) by
  its path under the ontology folder, and `law_files_sha256`, one hash over all of them;
- `statute_text_as_of`: the date from which the statute text the ontology carries is in force
  (kg:statuteTextAsOf on the Copyright Act);
- `position`: the interpretive position reasoned under;
- `evaluated_at`: the evaluation time in UTC (ISO 8601, seconds). CHOSAKU_EVALUATION_TIME fixes it
  (for reproducible outputs and tests);
- `scenario`: the scenario as evaluated, canonical (its facts, id and titles as the engine read
  them, unknown facts absent, works by id, and the position reasoned under), and
  `scenario_sha256`, the SHA-256 of its
  canonical JSON (UTF-8, keys sorted, no whitespace: RFC 8785 for the values a scenario holds).

The same receipt is recorded in the case graph as PROV: the evaluation activity with its time,
associated with the engine (a prov:SoftwareAgent with its version), using the ontology version."""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import datetime, timezone
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from .answers import mapping_of
from .errors import ChosakuError
from .load import Scenario
from .namespaces import BASE, JPCA, KG
from .ontology_graph import load_ontology
from .resources import ontology_dir

DISTRIBUTION = "chosaku-kg"
# the entry ontology (imports every module), then the core vocabulary's header
ONTOLOGY_IRIS = (URIRef(BASE + "ontology"), URIRef(BASE + "ns"))
ENGINE_IRI = BASE + "engine/"
TIME_VARIABLE = "CHOSAKU_EVALUATION_TIME"
LAW_FILE_PATTERN = "*.ttl"
RECEIPT_KEYS = ("engine_version", "ontology_version", "ontology_iri", "ontology_version_iri", "law_files_sha256",
                "law_files", "statute_text_as_of", "position", "evaluated_at", "scenario_sha256", "scenario")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@lru_cache(maxsize=1)
def engine_version() -> str:
    """The version of the installed chosaku-kg package ('unknown' when it is not installed); read
    once per process."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"


def ontology_header(graph: Graph | None = None) -> dict[str, str | None]:
    """The ontology's IRI, owl:versionInfo and owl:versionIRI, as its header states them: the
    entry ontology that imports every module where there is one, else the core vocabulary's."""
    graph = graph if graph is not None else load_ontology()
    ontology = next((iri for iri in ONTOLOGY_IRIS if (iri, RDF.type, OWL.Ontology) in graph), ONTOLOGY_IRIS[-1])
    info = graph.value(ontology, OWL.versionInfo)
    iri = graph.value(ontology, OWL.versionIRI)
    return {"ontology_version": str(info) if info is not None else None, "ontology_iri": str(ontology),
            "ontology_version_iri": str(iri) if iri is not None else None}


def statute_text_as_of(graph: Graph | None = None) -> str | None:
    """The date from which the Copyright Act's text in the ontology is in force (ISO date), or None."""
    graph = graph if graph is not None else load_ontology()
    value = graph.value(JPCA.Act, KG.statuteTextAsOf)
    return str(value) if value is not None else None


@lru_cache(maxsize=4)
def _law_files_in(directory: str) -> tuple[tuple[str, str], ...]:
    root = Path(directory)
    return tuple((path.relative_to(root).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
                 for path in sorted(root.rglob(LAW_FILE_PATTERN)))


def law_files(directory: Path | None = None) -> dict[str, str]:
    """The SHA-256 of each Turtle file of the ontology, by its path under the ontology folder
    (read once per folder and process, as the ontology itself is)."""
    return dict(_law_files_in(str(directory or ontology_dir())))


def law_files_hash(files: dict[str, str]) -> str:
    """One SHA-256 over the law files: each 'path  hash' line, sorted by path."""
    lines = "".join(f"{path}  {digest}\n" for path, digest in sorted(files.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def canonical_json(value) -> bytes:
    """The canonical JSON of a value: UTF-8, keys sorted, no insignificant whitespace."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode("utf-8")


def canonical_scenario(loaded: Scenario) -> dict:
    """The scenario as the engine read it, rebuilt from its graph: the same mapping whether it
    was written in YAML, JSON or Turtle, with unknown facts absent and the works ordered by id."""
    return mapping_of(Scenario(id=loaded.id, title=loaded.title, data=None, graph=loaded.graph, node=loaded.node))


def positioned(scenario: dict, position: str | None) -> dict:
    """The canonical scenario with the position it is evaluated under."""
    return dict(scenario, position=position) if position else scenario


def scenario_hash(scenario: dict) -> str:
    """The SHA-256 of a canonical scenario's canonical JSON."""
    return hashlib.sha256(canonical_json(scenario)).hexdigest()


def evaluation_time() -> str:
    """The present time in UTC to the second ('2026-12-01T09:30:00Z'), or CHOSAKU_EVALUATION_TIME
    when it is set (it must be written the same way)."""
    fixed = os.environ.get(TIME_VARIABLE)
    if fixed:
        if not _TIME.fullmatch(fixed):
            raise ChosakuError(f"{TIME_VARIABLE}={fixed!r}: expected a UTC time written as 2026-01-01T00:00:00Z",
                               f"{TIME_VARIABLE}={fixed!r}：UTC の時刻を 2026-01-01T00:00:00Z の形で指定してください")
        return fixed
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=4)
def _law_and_versions(directory: str) -> dict:
    """The receipt's fields that depend only on the ontology folder (read once per folder)."""
    files = law_files(Path(directory))
    return {"engine_version": engine_version(), **ontology_header(), "law_files_sha256": law_files_hash(files),
            "law_files": files, "statute_text_as_of": statute_text_as_of()}


def make_receipt(scenario: dict, position: str | None, evaluated_at: str | None = None) -> dict:
    """The receipt of evaluating a canonical scenario under a position (see the module's doc). The
    scenario records the position reasoned under, whether it was written, overridden or the default."""
    scenario = positioned(scenario, position)
    fixed = _law_and_versions(str(ontology_dir()))
    return {
        **fixed,
        "law_files": dict(fixed["law_files"]),
        "position": position,
        "evaluated_at": evaluated_at or evaluation_time(),
        "scenario_sha256": scenario_hash(scenario),
        "scenario": scenario,
    }


def engine_agent(engine: str) -> URIRef:
    """The IRI of the engine of a version, as the PROV agent of its evaluations."""
    return URIRef(f"{ENGINE_IRI}{engine}")


def add_provenance(graph: Graph, case: URIRef, receipt: dict) -> None:
    """Record the receipt in a case graph as PROV: the case generated by the evaluation activity,
    at its time, associated with the engine (prov:SoftwareAgent with its version), using the
    ontology version, with the law files' and the scenario's hashes and the statute text's date."""
    activity = URIRef(f"{case}/evaluation")
    agent = engine_agent(receipt["engine_version"])
    graph.add((case, PROV.wasGeneratedBy, activity))
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, PROV.startedAtTime, Literal(receipt["evaluated_at"], datatype=XSD.dateTime)))
    graph.add((activity, PROV.wasAssociatedWith, agent))
    graph.add((activity, PROV.used, URIRef(receipt["ontology_version_iri"] or receipt["ontology_iri"])))
    graph.add((activity, KG.engineVersion, Literal(receipt["engine_version"])))
    graph.add((activity, KG.lawFilesHash, Literal(receipt["law_files_sha256"])))
    graph.add((activity, KG.scenarioHash, Literal(receipt["scenario_sha256"])))
    if receipt["statute_text_as_of"]:
        graph.add((activity, KG.statuteTextAsOf, Literal(receipt["statute_text_as_of"], datatype=XSD.date)))
    graph.add((agent, RDF.type, PROV.SoftwareAgent))
    graph.add((agent, RDFS.label, Literal(f"{DISTRIBUTION} {receipt['engine_version']}")))
