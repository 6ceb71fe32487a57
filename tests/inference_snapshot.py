"""The inference snapshot: every triple the rules infer for every case of the library, with the
rules that inferred it, under the case's own interpretive position and under the Agency's.

The golden file (tests/golden/inferred-triples.json.gz) proves that a change which is not meant to
change the law, such as moving rules or requirements between Turtle files, changes no conclusion:
tests/test_inference_snapshot.py compares the current inference with it case by case.

When a change IS meant to change conclusions (a new requirement, a corrected rule), regenerate the
golden file and review its diff in the commit:

    .venv/bin/python tests/inference_snapshot.py --write     # rewrite the golden file
    .venv/bin/python tests/inference_snapshot.py             # only report the differences

Only the inferred triples are recorded (not the scenario's own facts nor the ontology). Blank
nodes, should a rule or the loader ever produce them, are canonicalised with rdflib.compare, so
the snapshot does not depend on their labels. Rule IRIs identify the rules, never the file that
holds them, so moving a rule to another file leaves the snapshot unchanged.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script: make case_library importable
    sys.path.insert(0, str(HERE))

GOLDEN = HERE / "golden" / "inferred-triples.json.gz"
POSITIONS = (None, "agency")  # None: the position the case itself chooses (or the default)
_INFERRED_BY = URIRef("urn:chosaku:snapshot:inferredBy")


def snapshot_key(case_id: str, position: str | None) -> str:
    return f"{case_id}@{position or 'own'}"


def _nt(term) -> str:
    return term.n3()


def _line(triple) -> str:
    return " ".join(_nt(t) for t in triple) + " ."


def inferred(path: Path, position: str | None) -> dict[str, list[str]]:
    """The inferred triples of one case as {N-Triples line: sorted rule IRIs}."""
    from chosaku.evaluate import choose_position
    from chosaku.infer import run_rules
    from chosaku.load import load_scenario

    loaded = load_scenario(path)
    choose_position(loaded.graph, loaded.node, position)
    produced_by = run_rules(loaded.graph).produced_by
    if not any(isinstance(t, BNode) for triple in produced_by for t in triple):
        return {_line(triple): sorted(str(r) for r in rules) for triple, rules in produced_by.items()}
    # Blank nodes: reify each triple on a blank node of its own with its rules, canonicalise the
    # whole graph, and read the triples back with their canonical labels.
    graph = Graph()
    for (s, p, o), rules in produced_by.items():
        statement = BNode()
        graph.add((statement, RDF.subject, s))
        graph.add((statement, RDF.predicate, p))
        graph.add((statement, RDF.object, o))
        for rule in rules:
            graph.add((statement, _INFERRED_BY, rule))
    canonical = to_canonical_graph(graph)
    result = {}
    for statement in set(canonical.subjects(RDF.subject, None)):
        triple = (canonical.value(statement, RDF.subject), canonical.value(statement, RDF.predicate),
                  canonical.value(statement, RDF.object))
        result[_line(triple)] = sorted(str(r) for r in canonical.objects(statement, _INFERRED_BY))
    return result


def case_paths() -> list[Path]:
    from case_library import case_files

    return case_files()


def current() -> dict[str, dict[str, list[str]]]:
    """The snapshot of the current ontology and engine over the whole case library."""
    return {snapshot_key(path.stem, position): inferred(path, position)
            for path in case_paths() for position in POSITIONS}


def read_golden(path: Path = GOLDEN) -> dict[str, dict[str, list[str]]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)["cases"]


def write_golden(snapshot: dict, path: Path = GOLDEN) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "about": "Triples inferred by the rules for every case of cases/*.yaml, under the case's own "
                 "position (@own) and under position 'agency' (@agency): N-Triples line -> rules. "
                 "Regenerate with: python tests/inference_snapshot.py --write",
        "cases": {key: dict(sorted(snapshot[key].items())) for key in sorted(snapshot)},
    }
    text = json.dumps(document, ensure_ascii=False, indent=0, sort_keys=False)
    # mtime=0: the same snapshot always gives the same bytes
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    return path


def diff(expected: dict[str, list[str]], actual: dict[str, list[str]], limit: int = 20) -> str:
    """A readable account of how two snapshots of one case differ ('' if they do not)."""
    removed = sorted(set(expected) - set(actual))
    added = sorted(set(actual) - set(expected))
    changed = sorted(t for t in set(expected) & set(actual) if expected[t] != actual[t])
    if not (removed or added or changed):
        return ""
    lines = [f"{len(removed)} triple(s) no longer inferred, {len(added)} newly inferred, "
             f"{len(changed)} inferred by other rules"]
    for title, items, show in (("- removed", removed, lambda t: f"{t}   [{', '.join(expected[t])}]"),
                               ("+ added", added, lambda t: f"{t}   [{', '.join(actual[t])}]"),
                               ("~ rules changed", changed,
                                lambda t: f"{t}\n      was [{', '.join(expected[t])}]\n      now [{', '.join(actual[t])}]")):
        if items:
            lines.append(f"{title}:")
            lines += [f"    {show(t)}" for t in items[:limit]]
            if len(items) > limit:
                lines.append(f"    ... and {len(items) - limit} more")
    return "\n".join(lines)


def compare(golden: dict, snapshot: dict) -> list[str]:
    """One message per case whose inference differs from the golden file."""
    problems = []
    for key in sorted(set(golden) | set(snapshot)):
        if key not in snapshot:
            problems.append(f"{key}: in the golden file but no such case now")
        elif key not in golden:
            problems.append(f"{key}: a new case, not in the golden file (regenerate it)")
        else:
            text = diff(golden[key], snapshot[key])
            if text:
                problems.append(f"{key}: {text}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the golden file from the current inference")
    args = parser.parse_args(argv)
    snapshot = current()
    if args.write:
        path = write_golden(snapshot)
        print(f"wrote {path} ({len(snapshot)} evaluations, {sum(map(len, snapshot.values()))} inferred triples)")
        return 0
    problems = compare(read_golden(), snapshot) if GOLDEN.exists() else ["no golden file: run with --write"]
    print("\n\n".join(problems) if problems else f"inference equals the golden file ({len(snapshot)} evaluations)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
