"""The dataset's cache files: a case evaluated as written and under each other position, kept as
gzipped N-Quads with a one-line header, one file per case keyed by a hash of the case file and
the engine (so a case is evaluated again only when it or the engine changed). Every file is
written atomically."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from .atomic import atomic_write
from .dataset import HEADER_MARK, ONTOLOGY_GRAPH, StoreError, case_graph_name
from .errors import ScenarioError, ValidationError
from .evaluate import evaluate
from .namespaces import KG
from .ontology_graph import load_ontology
from .oxrdf import to_ox



def positions() -> list[str]:
    """The interpretive positions the ontology defines (kg:positionKey), in a stable order."""
    return sorted(str(key) for key in load_ontology().objects(None, KG.positionKey))


def nquads(triples, name: URIRef) -> str:
    """Triples (an rdflib graph, or rdflib terms) as N-Quads lines in the named graph `name`."""
    graph_name = ox.NamedNode(str(name))
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph_name) for s, p, o in triples]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")


def evaluate_case_graphs(source) -> tuple[dict, str]:
    """Evaluate a scenario as written and under each other position.

    Returns (header, N-Quads text): the header names the case id, its default graph and all its
    graphs. Raises ScenarioError or ValidationError for a scenario that cannot be evaluated."""
    result = evaluate(source)
    case_id, own = result.data["id"], result.data.get("position")
    graphs = {str(case_graph_name(case_id)): result.triples()}
    for position in positions():
        if position != own:
            graphs[str(case_graph_name(case_id, position))] = evaluate(source, position=position).triples()
    header = {"id": case_id, "position": own, "default": str(case_graph_name(case_id)), "graphs": list(graphs)}
    return header, "".join(nquads(graph, URIRef(name)) for name, graph in graphs.items())


def cache_bytes(header: dict, quads: str) -> bytes:
    """The content of a cache file: the header line, then the N-Quads, gzipped reproducibly."""
    text = HEADER_MARK + json.dumps(header, ensure_ascii=False) + "\n" + quads
    return gzip.compress(text.encode("utf-8"), compresslevel=3, mtime=0)


def case_cache_file(cache: Path, fingerprint: str, content: bytes) -> Path:
    """The cache file of a case file's content under an engine fingerprint."""
    key = hashlib.sha256(fingerprint.encode() + b"\0" + content).hexdigest()[:32]
    return cache / f"case-{key}.nq.gz"


def read_header(path: Path) -> dict:
    """The header of a cache file (case id, position, default graph, graphs)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        first = handle.readline()
    if not first.startswith(HEADER_MARK):
        raise StoreError(f"{path}: not a case cache file (its first line must start with '{HEADER_MARK}')")
    return json.loads(first[len(HEADER_MARK):])


def graphs_of(cache: Path) -> dict[str, str]:
    """The N-Triples text of each graph in a case cache file."""
    graphs: dict[str, list[str]] = {}
    with gzip.open(cache, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            body, name = line.rstrip().rsplit(" <", 1)
            graphs.setdefault(name[:-3], []).append(body + " .")
    return {name: "\n".join(lines) for name, lines in graphs.items()}


def evaluate_to_cache(job: tuple[str, str]) -> tuple[str, str | None]:
    """Evaluate one case file (path, cache path) into its cache file. Returns (path, error
    message or None); a worker process runs this."""
    case_path, cache_path = job
    try:
        header, quads = evaluate_case_graphs(Path(case_path))
    except (ScenarioError, ValidationError) as exc:
        return case_path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    header["file"] = Path(case_path).name
    atomic_write(Path(cache_path), cache_bytes(header, quads))
    return case_path, None


def ontology_cache_file(cache: Path, fingerprint: str) -> Path:
    """The ontology's N-Quads file for this engine, written the first time it is asked for."""
    path = cache / f"ontology-{fingerprint[:24]}.nq.gz"
    if not path.exists():
        header = {"id": None, "default": str(ONTOLOGY_GRAPH), "graphs": [str(ONTOLOGY_GRAPH)]}
        atomic_write(path, cache_bytes(header, nquads(load_ontology(), ONTOLOGY_GRAPH)))
    return path
