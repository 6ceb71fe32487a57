"""The benchmark: one command (`./run bench`), a table on stdout and JSON in benchmarks/results.json.

Measures, in one run so that ratios are comparable on a noisy machine:
- warm evaluate() latency p50 / p95 on the case library and on generated scenarios;
- cold start: a fresh process importing the package, loading the ontology and returning a result;
- the naive baseline: pyshacl.validate(advanced=True) with the shapes and ontology parsed for
  every call, rules and validation in one go, checked to reach the same conclusions;
- what-if of a whole library scenario, and compare (two scenarios, two positions);
- sweep throughput on 1 and 2 worker processes;
- the endpoint's first answer after start, with and without the store's snapshot on disk;
- the benchmark process's peak memory;
- SPARQL research queries over 1,000 and 10,000 case graphs in pyoxigraph;
- the property tests with 10,000 generated scenarios (--properties N; 0 skips them);
- with --soak [N], only the hostile-input fuzzer, N examples per test (default 10,000);
- with --load [SECONDS], only the endpoint load test (benchmarks/load_endpoint.py), SECONDS per phase.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent

from chosaku import evaluate  # noqa: E402
from chosaku.answers import set_answer, work_key  # noqa: E402
from chosaku.facts import fact_index  # noqa: E402
from chosaku.load import Yaml12Loader  # noqa: E402
from chosaku.namespaces import PREFIXES  # noqa: E402
from chosaku.ontology_graph import module_files  # noqa: E402
from chosaku.oxrdf import to_ox  # noqa: E402
from chosaku.resources import cases_dir  # noqa: E402

import yaml  # noqa: E402

TECHNIQUES = ["fine_tuning", "semantic_search", "icl", "rag", "image_generation"]
RESEARCH_QUERIES = {
    "conclusions by act": """SELECT ?act ?conclusion (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a kg:conclusion ?c . ?a a ?cls } 
        ?cls kg:scenarioValue ?act . ?c kg:scenarioValue ?conclusion } GROUP BY ?act ?conclusion""",
    "47-5 requirement that blocks most": """SELECT ?key (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?r kg:assessedRequirement ?req ;
        kg:status kg:failed ; kg:forExemption ?ex . ?ex kg:assessedProvision jpca:Art47-5-Para1 } ?req kg:requirementKey ?key }
        GROUP BY ?key ORDER BY DESC(?n) LIMIT 5""",
    "cases where the provider is liable": """SELECT ?case ?role WHERE { GRAPH ?g { ?case kg:hasLiability ?l .
        ?l kg:liableActor kg:ai_provider ; kg:liabilityRole ?role . FILTER (?role != kg:no_role) } } LIMIT 100""",
}


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _cases():
    data = []
    for path in sorted(cases_dir().glob("*.yaml")):
        case = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
        data.append({k: v for k, v in case.items() if k not in ("expected", "sources")})
    return data


def generated(count, seed=7):
    """Random scenarios: every fact left out or given a value of its vocabulary."""
    rng = random.Random(seed)
    out = []
    for number in range(count):
        data = {"id": f"generated-{number}", "technique": rng.choice(TECHNIQUES), "works": [{"id": "w"}]}
        for key, spec in sorted(fact_index().items()):
            if key == "technique" or rng.random() < 0.5:
                continue
            value = rng.choice([True, False] if not spec.values else sorted(spec.values))
            data = set_answer(data, work_key("w", spec) if spec.per_work else key, value)
        out.append(data)
    return out


def warm_latency(scenarios, repeat=2):
    evaluate(scenarios[0])
    times = []
    for _ in range(repeat):
        for scenario in scenarios:
            start = time.perf_counter()
            try:
                evaluate(scenario).to_dict()
            except Exception:  # contradictions among generated scenarios are refused: still timed
                pass
            times.append(time.perf_counter() - start)
    return {"n": len(times), "p50_ms": statistics.median(times) * 1000, "p95_ms": _percentile(times, 0.95) * 1000,
            "mean_ms": statistics.mean(times) * 1000}


def cold_start():
    case = cases_dir() / "rag-type4-novel-rewrite.yaml"
    code = ("import time; t=time.perf_counter(); from chosaku import evaluate; "
            f"evaluate({str(case)!r}).to_dict(); print(time.perf_counter()-t)")
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        runs.append((time.perf_counter() - start, float(out.stdout.strip())))
    return {"process_s": min(r[0] for r in runs), "import_to_result_s": min(r[1] for r in runs)}


def naive_baseline(scenarios):
    """pyshacl the plain way: ontology, rules and shapes parsed per call, rules then validation."""
    import pyshacl
    from rdflib import Graph

    from chosaku.load import load_scenario
    from chosaku.namespaces import KG

    times, agree = [], 0
    for scenario in scenarios:
        start = time.perf_counter()
        shapes = Graph()
        for path in module_files():
            shapes.parse(path, format="turtle")
        shapes.parse(ROOT / "ontology" / "shapes" / "scenario-shapes.ttl", format="turtle")
        data = Graph()
        for triple in shapes:
            data.add(triple)
        loaded = load_scenario(scenario)
        for triple in loaded.graph:
            data.add(triple)
        pyshacl.validate(data, shacl_graph=shapes, advanced=True, inplace=True, iterate_rules=True, inference="none")
        times.append(time.perf_counter() - start)
        naive = {str(a).rsplit("/", 1)[-1]: str(data.value(a, KG.conclusion)).rsplit("#", 1)[-1]
                 for a in data.objects(loaded.node, KG.hasAct)}
        ours = {a["act"]: a["conclusion"] for a in evaluate(scenario).to_dict()["acts"]}
        agree += naive == ours
    return {"n": len(times), "mean_s": statistics.mean(times), "same_conclusions": f"{agree}/{len(times)}"}


def _rdf11(triples) -> set:
    """Triples with every literal typed xsd:string written as the simple literal it is in RDF 1.1
    (rdflib keeps "x" and "x"^^xsd:string apart; pyshacl-turbo writes the first where we write the second)."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    def term(value):
        return Literal(str(value)) if isinstance(value, Literal) and value.datatype == XSD.string else value
    return {tuple(term(value) for value in triple) for triple in triples}


def peer_engines(scenarios):
    """The same rules on a prebuilt graph: our engine, pyshacl (advanced, on a pyoxigraph store
    holding the ontology) and pyshacl-turbo (a Rust SHACL engine with pySHACL's API), each
    compared with ours triple for triple; pyshacl-turbo is skipped, saying so, when not installed."""
    from rdflib import Graph

    from chosaku.infer import run_rules, run_rules_reference
    from chosaku.load import load_scenario
    from chosaku.ontology_graph import load_ontology

    ontology = load_ontology()
    loaded = [load_scenario(path).graph for path in scenarios]
    ours, ours_s, pyshacl_s, pyshacl_same = [], [], [], 0
    for graph in loaded:
        start = time.perf_counter()
        inferred = set(run_rules(graph).triples)
        ours_s.append(time.perf_counter() - start)
        ours.append(inferred)
        start = time.perf_counter()
        reference = set(run_rules_reference(graph))
        pyshacl_s.append(time.perf_counter() - start)
        pyshacl_same += reference == inferred
    result = {"n": len(loaded), "ours_mean_ms": statistics.mean(ours_s) * 1000,
              "pyshacl_mean_ms": statistics.mean(pyshacl_s) * 1000, "pyshacl_same": f"{pyshacl_same}/{len(loaded)}"}
    try:
        import pyshacl_turbo
    except ImportError:
        result["turbo"] = "pyshacl-turbo is not installed (pip install pyshacl-turbo)"
        return result
    turbo_s, turbo_same = [], 0
    for graph, inferred in zip(loaded, ours):
        data = Graph()
        for triple in ontology:
            data.add(triple)
        for triple in graph:
            data.add(triple)
        before = set(data)
        start = time.perf_counter()
        expanded = pyshacl_turbo.shacl_rules(data, shacl_graph=ontology, advanced=True, iterate_rules=True)
        turbo_s.append(time.perf_counter() - start)
        turbo_same += _rdf11({tuple(t[:3]) for t in expanded} - before) == _rdf11(inferred)
    result.update(turbo_mean_ms=statistics.mean(turbo_s) * 1000, turbo_same=f"{turbo_same}/{len(loaded)}",
                  turbo_version=getattr(pyshacl_turbo, "__version__", "") or _version_of("pyshacl-turbo"))
    return result


def _version_of(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


def sweep_throughput(workers: int):
    from chosaku.sweep import run_sweep

    base = next(c for c in _cases() if c["id"] == "semsearch-pattern2-snippet")
    keys = ["display", "context", "light_use.minor", "light_use.incidental", "works.book.pirated", "full_text_browsable"]
    start = time.perf_counter()
    table, _ = run_sweep(base, keys, workers=workers, progress=False)
    elapsed = time.perf_counter() - start
    return {"scenarios": len(table), "seconds": elapsed, "per_second": len(table) / elapsed, "workers": workers}


WHATIF_CASES = ("image-lora-one-artist", "req-art30-3-no-licence-intended", "liability-output-without-works")


def what_if_latency():
    """What-if of whole library scenarios (every answered fact and every missing one, every other value)."""
    from chosaku.whatif import what_if

    cases = {c["id"]: c for c in _cases()}
    runs = {}
    for case_id in WHATIF_CASES:
        what_if(cases[case_id])
        start = time.perf_counter()
        impacts = what_if(cases[case_id])
        runs[case_id] = {"ms": (time.perf_counter() - start) * 1000,
                         "alternatives": sum(len(i.alternatives) for i in impacts)}
    return {"cases": runs, "max_ms": max(r["ms"] for r in runs.values())}


def compare_latency():
    """The compare view's work, in one pass of the rules (chosaku.whatif.compare): two scenarios,
    and one scenario under both interpretive positions; and, for reference, the four full
    evaluations the same comparisons took one by one."""
    from chosaku.whatif import compare

    cases = {c["id"]: c for c in _cases()}
    pair = [cases["rag-type4-novel-rewrite"], cases["liability-output-without-works"]]

    def p50_ms(work):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    return {"scenarios_p50_ms": p50_ms(lambda: compare(*pair)),
            "positions_p50_ms": p50_ms(lambda: compare(pair[0], pair[0], "seeds", "agency")),
            "one_by_one_p50_ms": p50_ms(lambda: [evaluate(scenario, position=position).to_dict()
                                                 for scenario in pair for position in ("seeds", "agency")])}


def endpoint_first_answer():
    """Seconds from starting `chosaku serve` to its first answers, and for a whole `chosaku query`
    command, without and with the snapshot."""
    import shutil
    import socket
    import tempfile
    import urllib.parse
    import urllib.request

    from chosaku.dataset_build import build_dataset
    from chosaku.resources import data_dir
    from chosaku.store_snapshot import build_snapshot

    data = data_dir()
    dataset = build_dataset(data)
    files = [dataset.ontology_file] + [entry.cache for entry in dataset.cases]
    queries = {"ASK {}": "ASK {}", "missing-facts.rq": (ROOT / "queries" / "missing-facts.rq").read_text(encoding="utf-8")}
    results = {}
    had_snapshot = (data / "store").exists()
    for label, snapshot in (("memory", "off"), ("snapshot", "on")):
        if snapshot == "on":
            build_snapshot(data, files)
        for name, text in queries.items():
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            env = dict(os.environ, CHOSAKU_STORE_SNAPSHOT=snapshot, CHOSAKU_DATA=str(data))
            start = time.perf_counter()
            server = subprocess.Popen([sys.executable, "-m", "chosaku", "serve", "--port", str(port)], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tempfile.gettempdir())
            url = f"http://127.0.0.1:{port}/sparql?query={urllib.parse.quote(text)}"
            try:
                while time.perf_counter() - start < 120:
                    try:
                        with urllib.request.urlopen(url, timeout=60) as answer:
                            answer.read()
                        break
                    except OSError:
                        time.sleep(0.05)
                results[f"{label}: {name}"] = time.perf_counter() - start
            finally:
                server.terminate()
                server.wait()
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "chosaku", "query", text], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tempfile.gettempdir())
            results[f"{label}: query {name}"] = time.perf_counter() - start
    if not had_snapshot:
        shutil.rmtree(data / "store", ignore_errors=True)  # (the benchmark leaves no snapshot it built)
    return results


def peak_memory_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sparql(counts=(1000, 10000)):
    """Case graphs (facts + inferences) copied under fresh case IRIs into named graphs."""
    header = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())
    templates = []
    for scenario in _cases():
        result = evaluate(scenario)
        case = f"https://w3id.org/chosaku-kg/case/{scenario['id']}"
        lines = []
        for s, p, o in result.graph:
            if (str(s).startswith(case + "/inference/")):
                continue
            lines.append((str(s), p, o))
        templates.append((case, lines))
    out = {}
    for count in counts:
        store = ox.Store()
        ontology = ox.Store()
        for path in module_files():
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        start = time.perf_counter()
        quads = []
        for number in range(count):
            case, lines = templates[number % len(templates)]
            fresh = f"{case}-{number}"
            graph = ox.NamedNode(f"{fresh}#graph")
            for s, p, o in lines:
                subject = ox.NamedNode(s.replace(case, fresh, 1)) if s.startswith(case) else to_ox_iri(s)
                obj = to_ox(o)
                if isinstance(obj, ox.NamedNode) and obj.value.startswith(case):
                    obj = ox.NamedNode(obj.value.replace(case, fresh, 1))
                quads.append(ox.Quad(subject, to_ox(p), obj, graph))
            if len(quads) > 200_000:
                store.extend(quads)
                quads = []
        store.extend(quads)
        load = time.perf_counter() - start
        timings = {}
        for name, query in RESEARCH_QUERIES.items():
            start = time.perf_counter()
            rows = list(store.query(f"{header}\n{query}"))
            timings[name] = {"seconds": time.perf_counter() - start, "rows": len(rows)}
        out[count] = {"load_s": load, "triples": len(store), "queries": timings}
        del ontology
    return out


def to_ox_iri(value):
    return ox.NamedNode(value)


def generated_tests(test_file: str, variable: str, examples: int) -> dict:
    """Run a hypothesis test file with `examples` generated cases (set through `variable`)."""
    env = dict(os.environ, **{variable: str(examples)})
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return {"examples": examples, "seconds": time.perf_counter() - start, "passed": done.returncode == 0,
            "summary": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]}


def properties(examples):
    """The property tests (legal invariants over generated scenarios)."""
    return generated_tests("tests/test_properties.py", "CHOSAKU_HYPOTHESIS_EXAMPLES", examples)


def soak(examples):
    """The hostile-input fuzzer (arbitrary values at every position, as dicts, YAML and JSON)."""
    return generated_tests("tests/test_fuzz_inputs.py", "CHOSAKU_FUZZ_EXAMPLES", examples)


def main(argv=None):
    parser = argparse.ArgumentParser(description="chosaku-kg benchmark")
    parser.add_argument("--generated", type=int, default=200, help="generated scenarios for latency (default 200)")
    parser.add_argument("--naive", type=int, default=3, help="scenarios for the naive baseline (slow; default 3)")
    parser.add_argument("--properties", type=int, default=10_000,
                        help="run the property tests with N generated scenarios (default 10000, about an hour on "
                             "2 cores; 0 skips them)")
    parser.add_argument("--peers", type=int, default=20,
                        help="scenarios for the comparison with pyshacl and pyshacl-turbo on the same rules (default 20)")
    parser.add_argument("--skip-sparql", action="store_true")
    parser.add_argument("--soak", type=int, nargs="?", const=10_000, default=None,
                        help="run only the hostile-input fuzzer with N examples per test (default 10000) and report it")
    parser.add_argument("--load", type=float, nargs="?", const=30, default=None,
                        help="run only the endpoint load test, SECONDS per phase (default 30), and report it")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"))
    args = parser.parse_args(argv)
    if args.load:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from load_endpoint import main as load_main

        sys.argv = [sys.argv[0], str(args.load)]
        load_main()
        return
    if args.soak:
        result = soak(args.soak)
        print(f"soak: {result['examples']} examples per fuzz test, {result['seconds']:.0f} s, "
              f"{'passed' if result['passed'] else 'FAILED'} ({result['summary']})")
        return

    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    cases = _cases()
    results["warm_cases"] = warm_latency(cases)
    results["warm_generated"] = warm_latency(generated(args.generated), repeat=1)
    results["cold_start"] = cold_start()
    results["naive"] = naive_baseline(cases[:args.naive])
    results["naive"]["ratio_to_warm_mean"] = results["naive"]["mean_s"] * 1000 / results["warm_cases"]["mean_ms"]
    results["peers"] = peer_engines(cases[:args.peers])
    results["what_if"] = what_if_latency()
    results["compare"] = compare_latency()
    results["sweep"] = sweep_throughput(2)
    results["sweep_1"] = sweep_throughput(1)
    results["first_answer"] = endpoint_first_answer()
    results["peak_memory_mib"] = peak_memory_mib()
    if not args.skip_sparql:
        results["sparql"] = sparql()
    if args.properties:
        results["properties"] = properties(args.properties)

    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False, default=float), encoding="utf-8")
    rows = [
        ("warm evaluate, cases p50 / p95", f"{results['warm_cases']['p50_ms']:.1f} / {results['warm_cases']['p95_ms']:.1f} ms", "p95 <= 10 ms"),
        ("warm evaluate, generated p50 / p95", f"{results['warm_generated']['p50_ms']:.1f} / {results['warm_generated']['p95_ms']:.1f} ms", "p95 <= 10 ms"),
        ("cold start (process / import->result)", f"{results['cold_start']['process_s']:.2f} / {results['cold_start']['import_to_result_s']:.2f} s", "<= 1 s"),
        ("naive pyshacl per scenario", f"{results['naive']['mean_s']:.2f} s ({results['naive']['same_conclusions']} same)", ""),
        ("speed-up over naive", f"{results['naive']['ratio_to_warm_mean']:.0f}x", ">= 20x"),
        ("same rules: ours / pyshacl / pyshacl-turbo",
         f"{results['peers']['ours_mean_ms']:.0f} / {results['peers']['pyshacl_mean_ms']:.0f} / "
         + (f"{results['peers']['turbo_mean_ms']:.0f} ms (same: {results['peers']['pyshacl_same']}, "
            f"{results['peers']['turbo_same']})" if "turbo_mean_ms" in results["peers"] else results["peers"]["turbo"]),
         ">= 5x pyshacl-turbo"),
        ("what-if of a whole scenario (slowest of 3)",
         f"{results['what_if']['max_ms']:.0f} ms (" + ", ".join(f"{r['alternatives']} alt. {r['ms']:.0f} ms"
                                                         for r in results['what_if']['cases'].values()) + ")", "<= 300 ms"),
        ("compare, 2 scenarios / 1 scenario x 2 positions (one pass each)",
         f"{results['compare']['scenarios_p50_ms']:.0f} / {results['compare']['positions_p50_ms']:.0f} ms "
         f"(4 full evaluations: {results['compare']['one_by_one_p50_ms']:.0f} ms)", ""),
        ("sweep throughput, 1 / 2 workers", f"{results['sweep_1']['per_second']:.0f} / {results['sweep']['per_second']:.0f} scenarios/s", ">= 1,000/s on 2 cores"),
        ("first answer of serve, and a whole query command (memory / snapshot)",
         " ; ".join(f"{k.split(': ')[1]} {results['first_answer'][f'memory: ' + k.split(': ')[1]]:.1f} / {v:.1f} s"
                    for k, v in results['first_answer'].items() if k.startswith("snapshot")), "<= 3 s"),
        ("peak memory of the benchmark process", f"{results['peak_memory_mib']:.0f} MiB", ""),
    ]
    for count, data in results.get("sparql", {}).items():
        worst = max(q["seconds"] for q in data["queries"].values())
        rows.append((f"SPARQL over {count} case graphs (slowest query)", f"{worst:.3f} s ({data['triples']} triples)", "<= 1 s at 10,000"))
    if "properties" in results:
        p = results["properties"]
        rows.append(("property tests", f"{p['examples']} examples, {p['seconds']:.0f} s, {'passed' if p['passed'] else 'FAILED'}", ""))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':{width}}  {'result':45}  target")
    for name, value, target in rows:
        print(f"{name:{width}}  {value:45}  {target}")
    print(f"\nJSON: {args.out}")


if __name__ == "__main__":
    main()
