"""The dataset on real SPARQL servers: the Oxigraph server (PyPI `oxigraph`) and Virtuoso (Debian
`virtuoso-opensource-7`), each started once for this module on a free loopback port and stopped
by PID. Every example query answers the same rows on both as on the embedded store; a second
client sends nothing; cases saved by one client are seen by another; a read-only store is used as
it is; a refused write leaves the store and the local data consistent; Virtuoso stops a query at
the time limit on the server. A server that cannot be started skips its tests with the reason."""

from __future__ import annotations

import re
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from chosaku.dataset import StoreError
from chosaku.dataset_build import build_dataset
from chosaku.namespaces import CASE
from chosaku.open_store import open_store
from chosaku.query import run_query
from chosaku.query_catalogue import example_queries
from chosaku.query_errors import QueryFailed, QueryTimeout
from chosaku.resources import cases_dir
from chosaku.save import save_case
from chosaku.store_manifest import Entry, remove_text, write_text
from chosaku.store_union import UNION_GRAPH, union_add_text, union_remove_text

from case_library import EVERY_QUERY_ANSWERED, read_case
from remote_servers import Unavailable, comparable_rows, start_oxigraph, start_virtuoso

SERVERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}
CASES = EVERY_QUERY_ANSWERED
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


def test_the_first_client_sends_every_case_and_the_store_lists_them(remote, embedded):
    local = {entry.id for entry in remote.dataset.cases}
    assert remote.dataset.problems == [] and len(local) == len(CASES)
    assert {case.id for case in remote.cases} == local
    assert remote.sync() == 0  # a second sync (a second client with the same cases) sends nothing
    # (a scan of every quad; right after a load Virtuoso has been seen to plan it badly: 0.25 s to
    # over 10 s for the same query on the same 14 cases)
    named = run_query(remote, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", timeout=120)
    assert int(named.rows[0][0]) == len(remote.graph_names) == len(embedded.graph_names)


@pytest.mark.parametrize("example", example_queries(), ids=lambda e: e.name)
def test_every_example_query_answers_the_same_rows_as_on_the_embedded_store(remote, embedded, server, example):
    expected = run_query(embedded, example.text, timeout=120)
    answer = run_query(remote, example.text, timeout=120)
    assert answer.variables == expected.variables
    assert comparable_rows(answer, server.name) == comparable_rows(expected, server.name)
    assert len(expected.rows or expected.triples or [expected.boolean]) > 0
    counts = ROWS.setdefault(example.name, {"embedded": len(comparable_rows(expected, ""))})
    counts[server.name] = len(comparable_rows(answer, ""))


ROWS: dict[str, dict[str, int]] = {}  # query → store → rows, printed at the end of the module


@pytest.fixture(scope="module", autouse=True)
def _row_table():
    """Print the table "query × store → rows" (pytest -s shows it)."""
    yield
    if ROWS:
        print("\n| query | embedded | oxigraph | virtuoso |\n|---|---|---|---|")
        for name, counts in sorted(ROWS.items()):
            print(f"| {name} | {counts.get('embedded')} | {counts.get('oxigraph', '–')} | {counts.get('virtuoso', '–')} |")


def _union_mismatches(store) -> int:
    """The triples in the union graph that no graph the store lists in the default graph holds,
    plus those listed but missing from the union graph (0: the union graph is exact)."""
    listed = " ".join(f"<{name}>" for name in store.default_graphs)
    text = f"""SELECT (COUNT(*) AS ?n) WHERE {{
      {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ VALUES ?g {{ {listed} }} GRAPH ?g {{ ?s ?p ?o }} }} }}
      UNION
      {{ VALUES ?g {{ {listed} }} GRAPH ?g {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} }}
    }}"""
    return int(run_query(store, text, default_graphs=[], named_graphs=[], timeout=120).rows[0][0])


def _union_size(store) -> int:
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }}"
    return int(run_query(store, text, default_graphs=[], named_graphs=[], timeout=60).rows[0][0])


def test_virtuoso_keeps_the_default_graph_as_one_graph_and_other_stores_list_it(remote, server):
    """Virtuoso checks every row against every listed graph (minutes at 1,000 cases), so a
    Virtuoso store keeps the union graph and is marked as keeping it; the Oxigraph server lists
    the graphs with each query unless asked for the union layout."""
    if server.name == "virtuoso":
        assert remote.union is True and remote.keeps_union is True
        assert _union_mismatches(remote) == 0 and _union_size(remote) > 10_000
    else:
        assert remote.union is False and remote.keeps_union is False and _union_size(remote) == 0


def test_a_store_set_up_with_the_union_graph_answers_every_example_query_as_the_embedded_store(
        remote, embedded, server, shipped, case_folder, tmp_path):
    """A client asking for the union layout builds the union graph from the cases the store lists
    and marks the store (the Oxigraph server here); every client then queries through it and keeps
    it exact; every example query answers the same rows as on the embedded store."""
    union = open_store(client_data(shipped, case_folder, tmp_path / "union"), case_folder, url=server.query_url,
                       layout="union")
    assert union.union is True and union.dataset.problems == []
    assert _union_mismatches(union) == 0
    later = open_store(client_data(shipped, case_folder, tmp_path / "later"), case_folder, url=server.query_url,
                       layout="listed")
    assert later.union is True  # the store's mark, not the client's wish
    for example in example_queries():
        expected = run_query(embedded, example.text, timeout=120)
        answer = run_query(later, example.text, timeout=120)
        assert answer.variables == expected.variables, example.name
        assert comparable_rows(answer, server.name) == comparable_rows(expected, server.name), example.name


def test_a_case_replaced_leaves_the_union_graph_exact_and_keeps_the_triples_cases_share(remote, server, case_folder):
    """Saving a case again with other facts takes its old triples out of the union graph, but not
    those another case also holds (every case names the engine that evaluated it)."""
    if not remote.union:
        open_store(remote.dataset.data, case_folder, url=server.query_url, layout="union")
        remote.sync()
    data = remote.dataset.data
    scenario = _scenario(f"replaced-on-{server.name}")
    save_case(scenario, data=data, cases=case_folder, store=remote)
    changed = dict(scenario, title="Answer-only ICL, retitled")
    save_case(changed, data=data, cases=case_folder, store=remote)
    assert _union_mismatches(remote) == 0
    title = f"ASK {{ <{CASE}{scenario['id']}> kg:title \"{scenario['title']}\"@en }}"
    assert run_query(remote, title).boolean is False
    assert run_query(remote, title.replace(scenario["title"], changed["title"])).boolean is True
    engine = f"ASK {{ GRAPH <{UNION_GRAPH}> {{ ?engine a prov:SoftwareAgent }} }}"
    assert run_query(remote, engine, default_graphs=[], named_graphs=[]).boolean is True


def test_the_union_graph_keeps_a_triple_another_listed_case_still_holds(remote, server, case_folder):
    """Taking a case out of the union graph removes only the triples no other listed case holds
    (two made-up cases share one triple; each is taken out in turn)."""
    if not remote.union:
        open_store(remote.dataset.data, case_folder, url=server.query_url, layout="union")
        remote.sync()
    probes = [Entry(f"union-probe-{n}", "probe", f"{CASE}union-probe-{n}", [f"{CASE}union-probe-{n}"], "saved")
              for n in (1, 2)]
    shared, own = "<urn:x-chosaku-test:s> <urn:x-chosaku-test:p> <urn:x-chosaku-test:shared> .", \
        "<urn:x-chosaku-test:s> <urn:x-chosaku-test:p> <urn:x-chosaku-test:own> ."

    def in_union(triple: str) -> bool:
        ask = f"ASK {{ GRAPH <{UNION_GRAPH}> {{ {triple} }} }}"
        return run_query(remote, ask, default_graphs=[], named_graphs=[]).boolean

    try:
        remote.replace_graphs({probes[0].default_graph: f"{shared}\n{own}", probes[1].default_graph: shared})
        for probe in probes:
            remote.update(write_text(probe))
            remote.update(union_add_text(probe.default_graph))
        assert in_union(shared) and in_union(own)
        remote.update(remove_text(probes[0].id))
        remote.update(union_remove_text(probes[0].default_graph))
        assert in_union(shared) and not in_union(own)
        remote.update(remove_text(probes[1].id))
        remote.update(union_remove_text(probes[1].default_graph))
        assert not in_union(shared)
    finally:
        for probe in probes:
            remote.update(remove_text(probe.id))
            remote.update(f"DROP SILENT GRAPH <{probe.default_graph}>")
        remote.update(f"DELETE DATA {{ GRAPH <{UNION_GRAPH}> {{ {shared} {own} }} }}")


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


def test_a_store_that_asks_for_credentials_gets_them_and_says_when_they_are_missing_or_wrong(
        remote, server, shipped, case_folder, tmp_path, monkeypatch):
    """Virtuoso's /sparql-auth asks with HTTP Digest: without credentials, and with a wrong
    password, opening the store says so (the password never in the message); with the user and
    password from the environment, the client reads and writes through the authenticated
    endpoints, and what it saves is seen by the anonymous client."""
    _virtuoso_only(server)
    url = server.query_url.replace("/sparql", "/sparql-auth")
    data = client_data(shipped, case_folder, tmp_path / "authenticated")
    with pytest.raises(StoreError) as missing:
        open_store(data, case_folder, url=url, read_only=True)
    assert "asks for credentials" in missing.value.message_en and "$CHOSAKU_STORE_PASSWORD" in missing.value.message_en
    assert "認証を求めています" in missing.value.message_ja
    with pytest.raises(StoreError) as wrong:
        open_store(data, case_folder, url=url, user="dba", password="not-the-password")
    assert "refused the credentials of user 'dba'" in wrong.value.message_en
    assert "not-the-password" not in wrong.value.message_en + wrong.value.message_ja
    with pytest.raises(StoreError, match="no password"):
        open_store(data, case_folder, url=url, user="dba")
    monkeypatch.setenv("CHOSAKU_STORE_USER", "dba")
    monkeypatch.setenv("CHOSAKU_STORE_PASSWORD", "dba")
    authenticated = open_store(data, case_folder, url=url)
    assert authenticated.endpoints.gsp_url.endswith("/sparql-graph-crud-auth") and authenticated.union
    assert {case.id for case in authenticated.cases} >= {case.id for case in remote.dataset.cases}
    saved = save_case(_scenario("saved-with-credentials"), data=data, cases=case_folder, store=authenticated)
    remote.sync()
    assert run_query(remote, f"ASK {{ <{CASE}{saved.id}> a kg:Scenario }}").boolean is True
    assert _union_mismatches(remote) == 0


def _virtuoso_only(server):
    if server.name != "virtuoso":
        pytest.skip("a Virtuoso limit and its way of taking a dataset")


def _extra_graphs(count: int) -> list[str]:
    """Graph names as long as a copied case's position graph (about 90 characters)."""
    return [f"{CASE}no-such-case-with-a-long-name-{n:05d}/position/agency" for n in range(count)]


def test_virtuoso_answers_a_dataset_of_3000_graphs(remote, server):
    """3,000 graph names of a copied case's length, sent to Virtuoso as pragmas in the query text,
    name the dataset as the protocol's parameters would: the case is found with its graph listed
    and not without it."""
    _virtuoso_only(server)
    case = remote.cases[0]
    ask = f"ASK {{ <{case.default_graph}> a kg:Scenario }}"
    answer = run_query(remote, ask, default_graphs=remote.default_graphs + _extra_graphs(3000), named_graphs=[],
                       timeout=60)
    assert answer.boolean is True
    assert run_query(remote, ask, default_graphs=_extra_graphs(3000), named_graphs=[], timeout=60).boolean is False


def test_a_dataset_beyond_virtuosos_limit_is_refused_naming_the_limit(remote, server):
    """Virtuoso 7.2's compiler takes at most 4,094 graphs in a dataset list (4,095: SP030 "Too many
    arguments"); the remote store says so before sending. Named graphs go only with a query that
    has a GRAPH pattern, so a query without one is answered whatever their number."""
    _virtuoso_only(server)
    ask = f"ASK {{ <{remote.cases[0].default_graph}> a kg:Scenario }}"
    with pytest.raises(QueryFailed, match=r"4095 default .* at most 4094 graphs in each list") as refused:
        run_query(remote, ask, default_graphs=_extra_graphs(4095), named_graphs=[])
    assert "既定グラフ 4095 個" in refused.value.message_ja and "4094 個まで" in refused.value.message_ja
    assert "既定グラフ" not in refused.value.message_en   # the languages kept apart, not joined
    many_named = remote.graph_names + _extra_graphs(5000)
    assert run_query(remote, ask, default_graphs=remote.default_graphs, named_graphs=many_named).boolean is True
    with_graph = f"ASK {{ GRAPH <{remote.cases[0].default_graph}> {{ ?s a kg:Scenario }} }}"
    with pytest.raises(QueryFailed, match=r"5\d{3} named graph\(s\).* at most 4094"):
        run_query(remote, with_graph, default_graphs=remote.default_graphs, named_graphs=many_named)
    assert run_query(remote, with_graph, default_graphs=[], named_graphs=remote.graph_names).boolean is True



class _Recorder(BaseHTTPRequestHandler):
    """A stand-in SPARQL endpoint holding nothing: keeps each query's form fields, answers ASK
    true and SELECT (the manifest, the graphs) with no rows."""

    received: list[list[tuple[str, str]]] = []

    def do_POST(self):  # noqa: N802 (the http.server hook)
        length = int(self.headers.get("Content-Length", 0))
        fields = parse_qsl(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
        if "cancelled-at-the-limit" in dict(fields).get("query", ""):  # as Virtuoso cancels a query at its limit
            body = b"Virtuoso HY008 Error SR203: Async statement killed by SQLCancel.\n\nSPARQL query:\n..."
            self.send_response(500, "SPARQL Request Failed")
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if "SELECT" in dict(fields).get("query", ""):
            body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
        else:
            self.received.append(fields)
            body = b'{"head": {}, "boolean": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def recorder():
    """A stand-in endpoint on a free loopback port; yields its base URL, stopped afterwards."""
    _Recorder.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _recording_store(url: str, kind: str, tmp_path):
    """A read-only remote store of `kind` on the stand-in endpoint (no case in it)."""
    (tmp_path / "no-cases").mkdir()
    store = open_store(tmp_path / "data", tmp_path / "no-cases", url=url, kind=kind, read_only=True)
    _Recorder.received.clear()  # what opening the store asked (the manifest, the union mark)
    return store


@pytest.mark.parametrize("kind", ["virtuoso", "oxigraph"])
def test_the_dataset_is_sent_as_pragmas_to_virtuoso_and_as_parameters_to_others(recorder, kind, tmp_path):
    store = _recording_store(f"{recorder}/{'sparql' if kind == 'virtuoso' else 'query'}", kind, tmp_path)
    default, named = ["http://example.org/g1", "http://example.org/g2"], ["http://example.org/g1", "http://example.org/n"]
    assert run_query(store, "ASK { GRAPH ?g { ?s ?p ?o } }", default_graphs=default, named_graphs=named).boolean is True
    fields = _Recorder.received[-1]
    query = dict(fields)["query"]
    sent = {"default": [v for k, v in fields if k == "default-graph-uri"],
            "named": [v for k, v in fields if k == "named-graph-uri"]}
    pragmas = {"default": re.findall(r"^define input:default-graph-uri <([^>]*)>$", query, re.MULTILINE),
               "named": re.findall(r"^define input:named-graph-uri <([^>]*)>$", query, re.MULTILINE)}
    if kind == "virtuoso":
        assert pragmas == {"default": default, "named": named} and sent == {"default": [], "named": []}
        assert query.index("define input:") < query.index("PREFIX") < query.index("ASK")
    else:
        assert sent == {"default": default, "named": named} and pragmas == {"default": [], "named": []}


def test_a_query_virtuoso_cancels_at_its_time_limit_is_a_timeout(recorder, tmp_path):
    """Virtuoso reports a query stopped at its limit as S1T00 "timed out", or (under load) as SQL
    state HY008, the statement killed by SQLCancel: both are the time limit, not a failed query."""
    store = _recording_store(f"{recorder}/sparql", "virtuoso", tmp_path)
    with pytest.raises(QueryTimeout, match="did not answer within 1 s.*timed out on the server.*HY008"):
        run_query(store, 'ASK { ?s ?p "cancelled-at-the-limit" }', timeout=1)


@pytest.mark.parametrize("kind", ["virtuoso", "oxigraph"])
def test_named_graphs_are_sent_only_with_a_query_that_can_reach_them(recorder, kind, tmp_path):
    store = _recording_store(f"{recorder}/{'sparql' if kind == 'virtuoso' else 'query'}", kind, tmp_path)
    named = ["http://example.org/n1", "http://example.org/n2"]
    run_query(store, "ASK { ?s ?p ?o }", default_graphs=["http://example.org/g"], named_graphs=named)
    run_query(store, "ASK { ?s ?p ?o FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }", default_graphs=[], named_graphs=named)
    run_query(store, '# a graph of cases\nASK { ?s ?p <http://example.org/graph> , "a GRAPH" }', default_graphs=[],
              named_graphs=named)
    without, with_graph, only_in_words = (" ".join(v for _, v in fields) for fields in _Recorder.received[-3:])
    assert "http://example.org/n1" not in without and "http://example.org/g" in without
    assert "http://example.org/n1" in with_graph and "http://example.org/n2" in with_graph
    assert "http://example.org/n1" not in only_in_words  # "graph" in a comment, an IRI, a string


def test_a_graph_name_that_is_no_iri_never_reaches_the_query_text(recorder, tmp_path):
    store = _recording_store(f"{recorder}/sparql", "virtuoso", tmp_path)
    with pytest.raises(QueryFailed, match="cannot be written as an IRI"):
        run_query(store, "ASK { ?s ?p ?o }", default_graphs=["http://example.org/g> define sql:x <y"], named_graphs=[])
    assert _Recorder.received == []


def test_a_store_that_cannot_be_reached_is_named_in_english_and_japanese(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError) as unreachable:
        open_store(tmp_path / "data", tmp_path / "no-cases", url=f"http://127.0.0.1:{port}/sparql", read_only=True)
    assert f"the SPARQL store at http://127.0.0.1:{port}/sparql cannot be reached" in unreachable.value.message_en
    assert f"SPARQLストア http://127.0.0.1:{port}/sparql に接続できません" in unreachable.value.message_ja
