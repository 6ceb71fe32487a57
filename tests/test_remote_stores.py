"""The dataset on real SPARQL servers: the Oxigraph server (PyPI `oxigraph`) and Virtuoso (Debian
`virtuoso-opensource-7`), each started once for this module on a free loopback port and stopped
by PID. Every example query answers the same rows on both as on the embedded store; a second
client sends nothing; cases saved by one client are seen by another; a read-only store is used as
it is; a refused write leaves the store and the local data consistent; Virtuoso stops a query at
the time limit on the server. A server that cannot be started skips its tests with the reason."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import XSD, Literal

from chosaku.dataset import StoreError
from chosaku.dataset_build import build_dataset
from chosaku.namespaces import CASE
from chosaku.open_store import open_store
from chosaku.query import run_query
from chosaku.query_catalogue import example_queries
from chosaku.query_errors import QueryTimeout
from chosaku.resources import cases_dir
from chosaku.save import save_case

from case_library import read_case
from remote_servers import Unavailable, start_oxigraph, start_virtuoso

SERVERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}
# shipped cases on which every example query has an answer (both positions, every liability role)
CASES = ["pos-agency-rag-pattern3-db-and-input", "pos-agency-icl-pattern3-input", "liability-easy-excess-provider-aider",
         "liability-pattern1-provider-direct", "rag-type4-no-display-frequent-similar", "rag-type8-db-and-rag-provider",
         "icl-pattern1-full-reference", "ft-analysis-database-work", "image-similar-relied-sale",
         "liab-input-by-unknown-rag", "semsearch-475-not-minor", "req-art30-1-all-met", "unknown-light-use-minor",
         "liab-db-vendor-separate-rag-operator"]
SMALL = "icl-pattern3-answer-only"


@pytest.fixture(scope="module")
def case_folder(tmp_path_factory):
    """A case library of the CASES (their evaluations are in the session's cache)."""
    folder = tmp_path_factory.mktemp("cases")
    for name in CASES:
        shutil.copy(cases_dir() / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


def client_data(shipped, case_folder, folder: Path) -> Path:
    """A client's own data folder holding the session's evaluations of the module's cases (so
    that what a client saves never reaches the session's data folder)."""
    (folder / "cache").mkdir(parents=True)
    dataset = build_dataset(shipped, case_folder)
    for path in [dataset.ontology_file] + [entry.cache for entry in dataset.cases]:
        shutil.copy(path, folder / "cache" / path.name)
    return folder


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request, tmp_path_factory):
    """One real server per kind for the module (skipped, with the reason, when it cannot start)."""
    try:
        started = SERVERS[request.param](tmp_path_factory.mktemp(request.param))
    except Unavailable as exc:
        pytest.skip(f"{request.param}: {exc}")
    yield started
    started.stop()


@pytest.fixture(scope="module")
def remote(server, shipped, case_folder, tmp_path_factory):
    """The module's cases sent to the server by a first client."""
    data = client_data(shipped, case_folder, tmp_path_factory.mktemp(f"client-{server.name}"))
    return open_store(data, case_folder, url=server.query_url)


@pytest.fixture(scope="module")
def embedded(shipped, case_folder, tmp_path_factory):
    return open_store(client_data(shipped, case_folder, tmp_path_factory.mktemp("embedded")), case_folder)


def _cell(term, server: str):
    """A result cell compared across stores. SPARQL leaves the order of GROUP_CONCAT's parts to the
    store, and whether a concatenation of literals sharing a language tag keeps it (Oxigraph keeps
    it, Virtuoso gives a simple literal, SPARQL 1.1 §18.5.1.7): a text literal is compared as the
    sorted list of its words. Virtuoso 7.2 keeps xsd:boolean values as xsd:integer (true → 1):
    on Virtuoso a boolean is compared as that integer."""
    if isinstance(term, Literal) and term.datatype is None:
        return ("words", tuple(sorted(re.split(r"\s+", str(term).strip()))))
    if server == "virtuoso" and isinstance(term, Literal) and term.datatype == XSD.boolean:
        return Literal(int(term.toPython()))
    return term


def _rows(result, server: str):
    if result.form == "ASK":
        return [result.boolean]
    if result.form == "SELECT":
        return sorted((tuple(_cell(t, server) for t in row) for row in result.rows), key=repr)
    return sorted(result.triples)


def test_the_first_client_sends_every_case_and_the_store_lists_them(remote, embedded):
    local = {entry.id for entry in remote.dataset.cases}
    assert remote.dataset.problems == [] and len(local) == len(CASES)
    assert {case.id for case in remote.cases} == local
    assert remote.sync() == 0  # a second sync (a second client with the same cases) sends nothing
    named = run_query(remote, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(named.rows[0][0]) == len(remote.graph_names) == len(embedded.graph_names)


@pytest.mark.parametrize("example", example_queries(), ids=lambda e: e.name)
def test_every_example_query_answers_the_same_rows_as_on_the_embedded_store(remote, embedded, server, example):
    expected = run_query(embedded, example.text, timeout=120)
    answer = run_query(remote, example.text, timeout=120)
    assert answer.variables == expected.variables
    assert _rows(answer, server.name) == _rows(expected, server.name)
    assert len(expected.rows or expected.triples or [expected.boolean]) > 0
    ROWS.setdefault(example.name, {"embedded": len(_rows(expected, ""))})[server.name] = len(_rows(answer, ""))


ROWS: dict[str, dict[str, int]] = {}  # query → store → rows, printed at the end of the module


@pytest.fixture(scope="module", autouse=True)
def _row_table():
    """Print the table "query × store → rows" (pytest -s shows it)."""
    yield
    if ROWS:
        print("\n| query | embedded | oxigraph | virtuoso |\n|---|---|---|---|")
        for name, counts in sorted(ROWS.items()):
            print(f"| {name} | {counts.get('embedded')} | {counts.get('oxigraph', '–')} | {counts.get('virtuoso', '–')} |")


def _scenario(case_id: str) -> dict:
    scenario = dict(read_case(cases_dir() / f"{SMALL}.yaml"), id=case_id)
    for key in ("expected", "sources"):
        scenario.pop(key, None)
    return scenario


def test_a_second_client_sees_cases_saved_by_the_first_and_sends_nothing(remote, server, shipped, case_folder,
                                                                          tmp_path):
    saved = save_case(_scenario(f"saved-on-{server.name}"), data=remote.dataset.data, cases=case_folder, store=remote)
    assert saved.id in {case.id for case in remote.cases}
    second = open_store(client_data(shipped, case_folder, tmp_path / "second"), case_folder, url=server.query_url)
    assert second.dataset.problems == [] and second.sync() == 0  # its own data folder, no saved case
    assert saved.id in {case.id for case in second.cases}
    ask = f"ASK {{ <{CASE}{saved.id}> a kg:Scenario }}"
    assert run_query(second, ask).boolean is True
    assert len(second.default_graphs) == len(remote.default_graphs)


def test_a_read_only_store_is_queried_as_it_is_and_never_written(remote, server, shipped, case_folder, tmp_path):
    cases = case_folder
    data = client_data(shipped, case_folder, tmp_path / "reader")
    scenario = _scenario("only-here")
    save_case(scenario, data=data, cases=cases)  # a local case the store does not have
    reader = open_store(data, cases, url=server.query_url, read_only=True)
    assert any("read-only" in p and "only-here" in p for p in reader.dataset.problems)
    assert "only-here" not in {case.id for case in reader.cases}
    assert run_query(reader, f"ASK {{ <{CASE}only-here> ?p ?o }}").boolean is False
    with pytest.raises(StoreError, match="saved locally .* read-only"):
        save_case(dict(scenario, id="only-here-too"), data=data, cases=cases, store=reader)
    assert (data / "saved" / "only-here-too.yaml").exists()
    assert "only-here-too" not in {case.id for case in open_store(data, cases, url=server.query_url,
                                                                  read_only=True).cases}


def test_a_refused_write_leaves_the_store_consistent_and_usable(remote, server, case_folder):
    data = remote.dataset.data
    scenario = _scenario(f"refused-on-{server.name}")
    broken = open_store(data, case_folder, url=server.query_url,
                        gsp_url=server.query_url.rsplit("/", 1)[0] + "/no-such-gsp")
    with pytest.raises(StoreError, match="saved locally .* did not take it"):
        save_case(scenario, data=data, cases=case_folder, store=broken)
    assert (data / "saved" / f"{scenario['id']}.yaml").exists()         # the local data keeps it
    assert scenario["id"] not in {case.id for case in broken.cases}     # the store does not list it
    again = open_store(data, case_folder, url=server.query_url)         # the next sync sends it
    assert scenario["id"] in {case.id for case in again.cases}
    assert run_query(again, f"ASK {{ <{CASE}{scenario['id']}> a kg:Scenario }}").boolean is True


def test_the_store_kind_sets_the_update_and_graph_store_urls(remote, server):
    if server.name == "oxigraph":
        assert remote.update_url.endswith("/update") and remote.endpoints.gsp_url.endswith("/store")
    else:
        assert remote.update_url == server.query_url and remote.endpoints.gsp_url.endswith("/sparql-graph-crud")
        assert remote.endpoints.timeout_param == "timeout"


def test_virtuoso_stops_a_heavy_query_at_the_time_limit_on_the_server(remote, server):
    if server.name != "virtuoso":
        pytest.skip("the Oxigraph server takes a time limit only for the whole server (--timeout-s)")
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeout, match="timed out"):
        run_query(remote, heavy, timeout=1)
