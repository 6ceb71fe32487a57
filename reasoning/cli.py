"""The `chosaku` command line: a thin shell over evaluate() and the ontology checks."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import ChosakuError, ScenarioError, ValidationError
from .resources import cases_dir

SAMPLE_CASE = "rag-type4-novel-rewrite.yaml"


def _cmd_verify(args) -> int:
    """Re-run a stored result's scenario and say whether its conclusions are the same (exit 0) or
    which changed and which version or law file differs (exit 1)."""
    from .verify import verification_lines, verify

    if len(args.files) > 1:
        print("error: --verify takes one result and at most one scenario file / "
              "--verify には結果を一つとシナリオを一つまで指定します", file=sys.stderr)
        return 2
    try:
        verification = verify(Path(args.verify), Path(args.files[0]) if args.files else None)
    except (ScenarioError, ValidationError) as exc:
        _report_invalid(args.files[0] if args.files else args.verify, exc)
        return 2
    if args.format == "json":
        print(json.dumps(verification.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(verification_lines(verification)))
    return 0 if verification.same and verification.scenario_matches is not False else 1


def _cmd_evaluate(args) -> int:
    if args.verify:
        return _cmd_verify(args)
    if not args.files:
        print("error: give at least one scenario file (or --verify RESULT.json) / "
              "シナリオのファイルを指定してください", file=sys.stderr)
        return 2
    from .evaluate import evaluate
    from .ontology_graph import load_ontology
    from .text import render_text

    args.format = args.format or "json"
    status = 0
    for index, path in enumerate(args.files):
        try:
            result = evaluate(Path(path), position=args.position)
        except (ScenarioError, ValidationError) as exc:
            _report_invalid(path, exc)
            status = 1
            continue
        if args.format == "json":
            print(result.to_json(indent=None if len(args.files) > 1 else 2))
        elif args.format == "text":
            print(("\n" if index else "") + render_text(result, load_ontology(), lang=getattr(args, "lang", None)), end="")
        elif args.format == "ttl":
            print(result.to_turtle())
        else:
            print(result.to_jsonld())
    return status


def _report_invalid(path, exc: ScenarioError | ValidationError) -> None:
    """Why a scenario was refused, on stderr: each message in English, then in Japanese."""
    if isinstance(exc, ValidationError):
        print(f"{path}: invalid scenario / 不正なシナリオ", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem.message_en}\n    {problem.message_ja}", file=sys.stderr)
    else:
        print(f"{path}: unreadable scenario / 読み取れないシナリオ\n  - {exc.message_en}\n    {exc.message_ja}", file=sys.stderr)


def _cmd_validate(args) -> int:
    from .load import load_scenario
    from .validate import validation_problems

    status = 0
    for path in args.files:
        try:
            problems = validation_problems(load_scenario(Path(path)).graph)
        except ScenarioError as exc:
            _report_invalid(path, exc)
            status = 1
            continue
        if problems:
            _report_invalid(path, ValidationError(problems))
            status = 1
        else:
            print(f"{path}: valid / 適合")
    return status


def _cmd_ontology(args) -> int:
    from .ontology_graph import load_ontology
    from .ontology_check import check_ontology
    from .ontology_stats import ontology_counts

    graph = load_ontology()
    for name, count in ontology_counts(graph).items():
        print(f"{name:32} {count}")
    if not args.check:
        return 0
    violations = check_ontology(graph)
    for violation in violations:
        print(f"  {violation}")
    print(f"SHACL self-check: {'conforms' if not violations else f'{len(violations)} violations'}")
    if args.hermit:
        from .dl import run_hermit

        individuals = run_hermit()
        print(f"HermiT: consistent ({len(individuals)} individuals classified)")
    return 1 if violations else 0


def _cmd_sweep(args) -> int:
    from .load import parse_mapping, read_text
    from .sweep import flip_summary, run_sweep, write_outputs

    text, hint = read_text(Path(args.base))
    base = parse_mapping(text, hint)
    keys = [k.strip() for k in args.facts.split(",") if k.strip()] if args.facts else None
    table, facts = run_sweep(base, keys, workers=args.workers, limit=args.max, progress=not args.quiet,
                             cluster=args.cluster)
    paths = write_outputs(table, flip_summary(table, facts), Path(args.out))
    print(f"{len(table)} scenarios ({int(table['valid'].sum())} valid) over {len(facts)} facts")
    for kind, path in paths.items():
        print(f"  {kind:9} {path}")
    return 0


def _cmd_coverage(args) -> int:
    from .coverage import build_coverage, write_coverage

    if args.write:
        print(f"wrote {write_coverage()}")
    else:
        print(build_coverage(), end="")
    return 0


def _cmd_explore(args) -> int:
    """Start the explorer on the sample case; with --text, print the sample case's explanation."""
    if args.text:
        args.files = [str(cases_dir() / SAMPLE_CASE)]
        args.format, args.position = "text", None
        return _cmd_evaluate(args)
    args.case = args.case or SAMPLE_CASE.removesuffix(".yaml")
    return _cmd_ui(args)


def streamlit_command(host: str, port: int, case: str | None = None) -> list[str]:
    """The command that serves the explorer (ui/app.py) headless on host:port."""
    from .resources import explorer_app

    command = [sys.executable, "-m", "streamlit", "run", str(explorer_app()),
               "--server.address", host, "--server.port", str(port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]
    return command + (["--", "--case", case] if case else [])


def _cmd_ui(args) -> int:
    """Serve the Streamlit explorer until interrupted (this process becomes the server, so
    signals reach it directly)."""
    import os

    command = streamlit_command(args.host, args.port, getattr(args, "case", None))
    print(f"chosaku explorer: http://{args.host}:{args.port}/ (Ctrl-C stops it)", file=sys.stderr, flush=True)
    sys.stdout.flush()
    os.execv(command[0], command)
    return 0  # not reached


def _cmd_whatif(args) -> int:
    """Which conclusions change when each fact is answered differently, most decisive first."""
    from .answers import mapping_of
    from .load import load_scenario
    from .whatif import impact_rows, what_if

    try:
        scenario = mapping_of(load_scenario(Path(args.file)))
        impacts = what_if(scenario, position=args.position)
    except (ScenarioError, ValidationError) as exc:
        _report_invalid(args.file, exc)
        return 1
    if args.format == "json":
        print(json.dumps(impact_rows(impacts), ensure_ascii=False, indent=2, default=list))
        return 0
    def shown(value) -> str:
        return "-" if value is None else "/".join(map(str, value[:2])) if isinstance(value, tuple) else str(value)

    for row in impact_rows(impacts):
        changes = "; ".join(f"{'/'.join(x for x in (c['act'], c['item']) if x) or c['aspect']}: "
                            f"{shown(c['before'])} -> {shown(c['after'])}" for c in row["changes"])
        print(f"{row['key']}: {shown(row['current'])} -> {shown(row['alternative'])}: "
              f"{changes or 'contradicts another answer / 他の回答と矛盾'}")
    return 0


def _open_store(args, warm_start: bool = False):
    """The dataset's store for the researcher commands (evaluates new or changed cases first);
    `warm_start`: answer from the snapshot while the store loads (see open_store)."""
    from .open_store import open_store, warn

    store = open_store(warm_start=warm_start, cases=Path(args.cases) if getattr(args, "cases", None) else None,
                       url=getattr(args, "store", None), progress=lambda m: print(m, file=sys.stderr),
                       kind=getattr(args, "store_kind", None), update_url=getattr(args, "update_url", None),
                       gsp_url=getattr(args, "gsp_url", None), read_only=getattr(args, "read_only", None) or None,
                       layout=getattr(args, "store_layout", None), user=getattr(args, "store_user", None))
    warn(store.dataset.problems)
    return store


def _cmd_query(args) -> int:
    """Run one SPARQL query over the ontology and every evaluated case."""
    from .query import run_query
    from .query_catalogue import read_query_argument
    from .query_check import prepare
    from .query_output import output_format, serialize

    prepared = prepare(read_query_argument(args.query))  # refuse a bad query before loading anything
    # from the store's snapshot when there is one: a light query is answered before the store
    # would have loaded; a heavy one waits for it, as without the snapshot
    store = _open_store(args, warm_start=True)
    result = run_query(store, prepared, timeout=args.timeout, limit=args.limit)
    sys.stdout.write(serialize(result, output_format(result, args.format)).decode("utf-8"))
    if result.truncated:
        print(f"note: the answer was cut at the row limit of {args.limit} (--limit)", file=sys.stderr)
    return 0


def _cmd_serve(args) -> int:
    """Serve the dataset as a read-only SPARQL endpoint until interrupted."""
    from .serve import serve

    store = _open_store(args, warm_start=True)
    try:
        origins = () if args.cors_origin == ["none"] else tuple(args.cors_origin or ["*"])
        serve(store, host=args.host, port=args.port, timeout=args.timeout, limit=args.limit, cors_origins=origins,
              announce=lambda m: print(m, flush=True), request_deadline=args.request_deadline)
    except KeyboardInterrupt:
        pass
    return 0


def _cmd_api(args) -> int:
    """Serve the REST API until interrupted."""
    from .api import serve_api

    try:
        serve_api(host=args.host, port=args.port, timeout=args.timeout, queue=args.queue,
                  announce=lambda m: print(m, flush=True))
    except KeyboardInterrupt:
        pass
    return 0


def _cmd_mcp(args) -> int:
    """Serve the engine to MCP clients: over stdio, or streamable HTTP with --port."""
    from .mcp_server import run_mcp

    try:
        run_mcp(host=args.host, port=args.port)
    except KeyboardInterrupt:
        pass
    return 0


def _cmd_schema(args) -> int:
    """Print (or write) the scenario format's JSON Schema, generated from the ontology."""
    from .atomic import atomic_write
    from .scenario_schema import schema_text

    if args.out:
        atomic_write(Path(args.out), schema_text().encode("utf-8"))
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(schema_text())
    return 0


def _cmd_export(args) -> int:
    """Evaluate a scenario and write its annotated case graph (Turtle, JSON-LD or GraphML)."""
    from .evaluate import evaluate
    from .export import export
    from .atomic import atomic_write

    try:
        data = export(evaluate(Path(args.file), position=args.position), args.format, provenance=args.provenance)
    except (ScenarioError, ValidationError) as exc:
        _report_invalid(args.file, exc)
        return 1
    except ChosakuError as exc:  # a provenance form the format cannot carry
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out:
        atomic_write(Path(args.out), data)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _cmd_dump(args) -> int:
    """Write the dataset (every named graph) with its VoID description, licence and citation."""
    from .dump import dump

    written = dump(Path(args.out), args.format, compressed=not args.no_gzip,
                   progress=lambda message: print(message, file=sys.stderr))
    for path in (written.quads, written.void, written.licence, written.citation):
        print(path)
    print(f"{written.triples} triples in {written.graphs} named graphs", file=sys.stderr)
    return 0


def _cmd_memo(args) -> int:
    """Evaluate a scenario and write a memo to file on it (PDF, Word or Markdown, Japanese or English)."""
    from .atomic import atomic_write
    from .memo import render_memo

    try:
        impacts = None
        if args.whatif:
            from .answers import mapping_of
            from .load import load_scenario
            from .whatif import what_if

            impacts = what_if(mapping_of(load_scenario(Path(args.file))))
        data = render_memo(Path(args.file), args.format, args.lang, impacts=impacts)
    except (ScenarioError, ValidationError) as exc:
        _report_invalid(args.file, exc)
        return 1
    if args.out:
        atomic_write(Path(args.out), data)
        print(f"wrote {args.out}", file=sys.stderr)
    elif args.format == "md":
        sys.stdout.buffer.write(data)
    else:
        print(f"chosaku memo: a {args.format} memo is binary; give --out FILE", file=sys.stderr)
        return 2
    return 0


def _cmd_save(args) -> int:
    """Evaluate a scenario and save it among the user's cases in the dataset."""
    from .save import save_case

    remote = args.store or os.environ.get("CHOSAKU_STORE_URL")
    try:
        saved = save_case(Path(args.file), cases=Path(args.cases) if args.cases else None,
                          store=_open_store(args) if remote else None)
    except (ScenarioError, ValidationError) as exc:
        _report_invalid(args.file, exc)
        return 1
    print(f"saved case {saved.id} to {saved.path} (graphs: {', '.join(saved.graphs)})")
    return 0


def _add_store_options(parser, read_only: bool = True) -> None:
    """The options of a remote store (with --store): its kind, update and graph store URLs, read-only use."""
    parser.add_argument("--store-kind", choices=["fuseki", "oxigraph", "virtuoso", "generic"],
                        help="the remote store's kind, which sets its update and graph store URLs and how it takes "
                             "a time limit (default: guessed from the URL; $CHOSAKU_STORE_KIND)")
    parser.add_argument("--update-url", help="the remote store's SPARQL Update URL ($CHOSAKU_STORE_UPDATE_URL)")
    parser.add_argument("--gsp-url", help="the remote store's Graph Store Protocol URL, or 'none' to write with SPARQL "
                                          "Update ($CHOSAKU_STORE_GSP_URL)")
    parser.add_argument("--store-layout", choices=["listed", "union"],
                        help="for a store not yet set up: 'union' keeps the default graph as one graph in the store "
                             "(fast with many cases), 'listed' names every graph with each query (default: union on "
                             "Virtuoso, listed elsewhere; a store set up with the union graph keeps it; "
                             "$CHOSAKU_STORE_LAYOUT)")
    parser.add_argument("--store-user", help="the user for a store that asks for credentials; the password is read "
                                             "from $CHOSAKU_STORE_PASSWORD ($CHOSAKU_STORE_USER)")
    if read_only:
        parser.add_argument("--read-only", action="store_true",
                            help="write nothing to the remote store: query the cases it holds "
                                 "($CHOSAKU_STORE_READ_ONLY=1)")


def _add_position(parser) -> None:
    parser.add_argument("--position", help="interpretive position: seeds (default) or agency")


def _add_explorer_options(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    parser.add_argument("--case", help="case id of cases/ to start from (default: the sample case)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `chosaku` (also `python -m chosaku`)."""
    parser = argparse.ArgumentParser(
        prog="chosaku",
        description="Japanese copyright law and generative AI: which exemptions apply, who is liable, "
                    "what is still unknown. 生成AIと著作権法の推論エンジン。")
    sub = parser.add_subparsers(dest="command", required=True)

    evaluate = sub.add_parser("evaluate", help="evaluate scenarios (YAML, JSON or Turtle)")
    evaluate.add_argument("files", nargs="*", help="scenario files (with --verify: optionally the scenario "
                                                   "to check against the receipt)")
    evaluate.add_argument("--verify", metavar="RESULT.json",
                          help="re-run a stored result's scenario (from its receipt) and say whether the conclusions "
                               "are the same; if not, which changed and which version or law file differs "
                               "(exit 0 same, 1 different)")
    evaluate.add_argument("--format", choices=["json", "text", "ttl", "jsonld"], default=None,
                          help="json (default): the result contract (one object per line for several files); "
                               "text: bilingual explanation; ttl / jsonld: the annotated case graph; "
                               "with --verify: text (default) or json")
    evaluate.add_argument("--lang", choices=["en", "ja"], default=None,
                          help="with --format text: one language, labels instead of codes (default: both)")
    _add_position(evaluate)
    evaluate.set_defaults(run=_cmd_evaluate)

    validate = sub.add_parser("validate", help="check scenarios against the shapes; exit 1 if any is invalid")
    validate.add_argument("files", nargs="+")
    validate.set_defaults(run=_cmd_validate)

    ontology = sub.add_parser("ontology", help="what the ontology models (counts); --check validates it")
    ontology.add_argument("--check", action="store_true", help="run the ontology's own SHACL shapes")
    ontology.add_argument("--hermit", action="store_true", help="with --check: also run HermiT (needs Java)")
    ontology.set_defaults(run=_cmd_ontology)

    sweep = sub.add_parser("sweep", help="evaluate every combination of the named facts; decision table and flip summary")
    sweep.add_argument("base", help="base scenario (YAML/JSON); facts not swept keep its values")
    sweep.add_argument("--facts", help="comma-separated keys to sweep (e.g. display,light_use.minor,works.novel.pirated); "
                                      "default: every fact of the format")
    sweep.add_argument("--out", default="sweep-out", help="output directory (default: sweep-out)")
    sweep.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    sweep.add_argument("--cluster", metavar="URL", help="evaluate on this Dask cluster (scheduler address, e.g. "
                       "tcp://10.0.0.5:8786) instead of local processes; its workers need the same chosaku")
    sweep.add_argument("--max", type=int, default=20_000, help="refuse sweeps with more combinations (default 20000)")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    sweep.set_defaults(run=_cmd_sweep)

    coverage = sub.add_parser("coverage", help="provision → requirement → rules → cases (docs/COVERAGE.md)")
    coverage.add_argument("--write", action="store_true", help="write docs/COVERAGE.md instead of printing")
    coverage.set_defaults(run=_cmd_coverage)

    explore = sub.add_parser("explore", help="start the explorer on the sample case (--text: print its explanation)")
    explore.add_argument("--text", action="store_true", help="print the sample case's bilingual explanation instead")
    _add_explorer_options(explore)
    explore.set_defaults(run=_cmd_explore)

    ui = sub.add_parser("ui", help="start the Streamlit explorer on 127.0.0.1")
    _add_explorer_options(ui)
    ui.set_defaults(run=_cmd_ui)

    whatif = sub.add_parser("whatif", help="which conclusions change if each fact were answered differently")
    whatif.add_argument("file", help="scenario file (YAML, JSON or Turtle)")
    whatif.add_argument("--format", choices=["text", "json"], default="text")
    _add_position(whatif)
    whatif.set_defaults(run=_cmd_whatif)
    query = sub.add_parser("query", help="SPARQL over the ontology and every evaluated case (see queries/)")
    query.add_argument("query", help="a query, a file (e.g. queries/provider-liability.rq), or - for standard input")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table",
                       help="table (default), csv, or json (SPARQL JSON results; JSON-LD for CONSTRUCT)")
    query.add_argument("--cases", help="directory of shipped cases (default: cases/)")
    query.add_argument("--store", help="URL of a SPARQL 1.1 store to use instead of the embedded one "
                                       "(default: $CHOSAKU_STORE_URL)")
    query.add_argument("--timeout", type=float, default=10.0, help="seconds before the query is stopped (default 10)")
    query.add_argument("--limit", type=int, default=10_000, help="most rows returned (default 10000)")
    _add_store_options(query)
    query.set_defaults(run=_cmd_query)

    serve = sub.add_parser("serve", help="read-only SPARQL 1.1 endpoint at /sparql, with a query page")
    serve.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    serve.add_argument("--timeout", type=float, default=10.0, help="seconds before a query is stopped (default 10)")
    serve.add_argument("--limit", type=int, default=10_000, help="most rows a query returns (default 10000)")
    serve.add_argument("--request-deadline", type=float, default=10.0,
                       help="seconds a client has to send its whole request before the connection is closed (default 10)")
    serve.add_argument("--cases", help="directory of shipped cases (default: cases/)")
    serve.add_argument("--store", help="URL of a SPARQL 1.1 store to serve instead of the embedded one")
    serve.add_argument("--cors-origin", action="append", metavar="ORIGIN",
                       help="an origin whose web pages may read the answers (repeatable; default: any, '*'; "
                            "'none': no cross-origin reads)")
    _add_store_options(serve)
    serve.set_defaults(run=_cmd_serve)

    api = sub.add_parser("api", help="REST API for programs (OpenAPI 3.1 at /openapi.json), read-only")
    api.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    api.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    api.add_argument("--timeout", type=float, default=30.0, help="seconds allowed for one request (default 30)")
    api.add_argument("--queue", type=int, default=8, help="requests that may wait for the engine before a 503 (default 8)")
    api.set_defaults(run=_cmd_api)

    mcp = sub.add_parser("mcp", help="MCP server for LLM agents: stdio, or streamable HTTP at /mcp with --port")
    mcp.add_argument("--host", default="127.0.0.1", help="with --port: address to serve on (default 127.0.0.1)")
    mcp.add_argument("--port", type=int, default=None, help="serve streamable HTTP on this port instead of stdio")
    mcp.set_defaults(run=_cmd_mcp)

    schema = sub.add_parser("schema", help="the scenario format's JSON Schema (generated from the ontology)")
    schema.add_argument("--out", help="write to this file instead of standard output")
    schema.set_defaults(run=_cmd_schema)

    export = sub.add_parser("export", help="the annotated case graph as Turtle, JSON-LD or GraphML")
    export.add_argument("file", help="scenario file (YAML, JSON or Turtle)")
    export.add_argument("--format", choices=["ttl", "jsonld", "graphml"], default="ttl")
    export.add_argument("--out", help="write to this file (atomically) instead of standard output")
    _add_position(export)
    export.add_argument("--provenance", choices=["statements", "rdf-star", "none"], default="statements",
                        help="how the inferences' provenance is written: rdf:Statement nodes (default), RDF 1.2 "
                             "triple terms (Turtle only, compact), or none")
    export.set_defaults(run=_cmd_export)
    dump = sub.add_parser("dump", help="the whole dataset as files: N-Quads or TriG (gzip), VoID, data licence, CITATION.cff")
    dump.add_argument("out", help="folder to write into (created if missing)")
    dump.add_argument("--format", choices=["nq", "trig"], default="nq")
    dump.add_argument("--no-gzip", action="store_true", help="write the quads uncompressed")
    dump.set_defaults(run=_cmd_dump)

    memo = sub.add_parser("memo", help="a memo to file on a scenario: facts, conclusions, reasons, liability, sources")
    memo.add_argument("file", help="scenario file (YAML, JSON or Turtle)")
    memo.add_argument("--format", choices=["pdf", "docx", "md"], default="pdf")
    memo.add_argument("--lang", choices=["ja", "en"], default="ja")
    memo.add_argument("--out", help="write to this file (atomically); Markdown goes to standard output without it")
    memo.add_argument("--whatif", action="store_true",
                      help="also re-evaluate every other answer and list the design changes that clear an infringing act")
    memo.set_defaults(run=_cmd_memo)
    save = sub.add_parser("save", help="evaluate a scenario and save it into the dataset (data directory)")
    save.add_argument("file", help="scenario file (YAML, JSON or Turtle)")
    save.add_argument("--cases", help="directory of shipped cases, whose ids a saved case may not reuse")
    save.add_argument("--store", help="URL of a SPARQL 1.1 store to send the case to as well")
    _add_store_options(save, read_only=False)
    save.set_defaults(run=_cmd_save)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ChosakuError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a read-only data folder, a full disk, an --out path that cannot be written
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"error: cannot read or write{where}: {exc.strerror or exc} / ファイルを読み書きできません{where}",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
