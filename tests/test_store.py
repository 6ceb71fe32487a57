"""The dataset and its stores: named graphs per case, the cache, saved cases that survive a
restart, atomic writes, one-transaction updates, and a remote SPARQL 1.1 store by URL."""

from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest
import yaml

from chosaku import case_cache
from chosaku.errors import ValidationError
from chosaku.namespaces import CASE, KG
from chosaku.resources import cases_dir
from chosaku.atomic import atomic_write
from chosaku.dataset import ONTOLOGY_GRAPH, StoreError, case_files, case_graph_name
from chosaku.dataset_build import build_dataset
from chosaku.embedded_store import EmbeddedStore
from chosaku.open_store import open_store
from chosaku.query import run_query
from chosaku.save import save_case

from case_library import SMALL_CASES, read_case



def _count(store, query: str) -> int:
    return int(run_query(store, query).rows[0][0])


@pytest.fixture(scope="module")
def library(shipped):
    """The embedded store of the shipped library, opened once for the tests that only read it."""
    return open_store(shipped)


def test_the_dataset_has_the_ontology_and_each_case_under_each_position(library):
    store = library
    ids = {read_case(path)["id"] for path in case_files(cases_dir())}
    assert store.dataset.problems == []
    assert {entry.id for entry in store.dataset.cases} == ids
    names = set(store.graph_names)
    assert str(ONTOLOGY_GRAPH) in names
    for entry in store.dataset.cases:  # as written, and under the other position
        other = "seeds" if entry.position == "agency" else "agency"
        assert str(case_graph_name(entry.id)) in names
        assert str(case_graph_name(entry.id, other)) in names
    # the default graph: the ontology and every case once, as written (under the seeds' position)
    assert store.default_graphs == [str(ONTOLOGY_GRAPH)] + [str(case_graph_name(i)) for i in
                                                           [e.id for e in store.dataset.cases]]
    assert _count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:Scenario }") == len(ids)
    written_under_agency = sum(1 for entry in store.dataset.cases if entry.position == "agency")
    assert written_under_agency == len([i for i in ids if i.startswith("pos-agency-")])
    assert _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c kg:position pos:agency }") == written_under_agency
    assert _count(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?c kg:position pos:agency } }") == len(ids)
    # each case graph holds facts, inferences and their provenance
    graph = case_graph_name("liability-pattern1-provider-direct")
    rules = run_query(store, f"""SELECT DISTINCT ?rule WHERE {{ GRAPH <{graph}> {{
        ?s rdf:subject <{graph}/act/transmission> ; rdf:predicate kg:conclusion ; kg:inferredBy ?rule }} }}""")
    assert [str(r[0]) for r in rules.rows] == ["https://w3id.org/chosaku-kg/rule/act-conclusion"]
    assert run_query(store, f"ASK {{ GRAPH <{graph}> {{ <{graph}> kg:display kg:full }} }}").boolean is True


def test_cached_cases_are_not_evaluated_again_until_a_case_changes(tmp_path, small_cases, monkeypatch):
    data = tmp_path / "data"
    first = build_dataset(data, small_cases)
    assert len(first.cases) == 2 and len(list((data / "cache").glob("case-*.nq.gz"))) == 2
    evaluated = []
    original = case_cache.evaluate_case_graphs
    monkeypatch.setattr(case_cache, "evaluate_case_graphs",
                        lambda source: evaluated.append(Path(source).name) or original(source))
    again = build_dataset(data, small_cases)
    assert evaluated == [] and [e.cache for e in again.cases] == [e.cache for e in first.cases]
    changed = small_cases / SMALL_CASES[0]
    changed.write_text(changed.read_text(encoding="utf-8").replace("display: full", "display: partial"),
                       encoding="utf-8")
    third = build_dataset(data, small_cases)
    assert evaluated == [SMALL_CASES[0]]
    before, after = ({e.id: e.cache for e in d.cases} for d in (first, third))
    assert after["icl-pattern3-answer-only"] == before["icl-pattern3-answer-only"]
    assert after["liability-pattern1-provider-direct"] != before["liability-pattern1-provider-direct"]


def test_a_saved_case_survives_a_restart_and_saving_again_replaces_it(tmp_path, small_cases):
    data = tmp_path / "data"
    scenario = dict(read_case(cases_dir() / "liability-pattern1-provider-direct.yaml"), id="my-saved-service")
    for key in ("expected", "sources"):
        scenario.pop(key)
    live = open_store(data, small_cases)
    saved = save_case(scenario, data=data, cases=small_cases, store=live)
    assert saved.path == data / "saved" / "my-saved-service.yaml"
    assert yaml.safe_load(saved.path.read_text(encoding="utf-8"))["id"] == "my-saved-service"
    conclusion = f"SELECT ?c WHERE {{ <{CASE}my-saved-service/act/transmission> kg:conclusion ?c }}"
    assert [r[0] for r in run_query(live, conclusion).rows] == [KG.infringing]

    restarted = open_store(data, small_cases)
    assert {e.id: e.origin for e in restarted.dataset.cases}["my-saved-service"] == "saved"
    assert [r[0] for r in run_query(restarted, conclusion).rows] == [KG.infringing]

    # saving the same id with other facts replaces the case, in the live store too
    save_case(dict(scenario, display="none"), data=data, cases=small_cases, store=restarted)
    display = f"SELECT ?d WHERE {{ <{CASE}my-saved-service> kg:display ?d }}"
    assert [r[0] for r in run_query(restarted, display).rows] == [KG.no_display]
    assert [r[0] for r in run_query(restarted, conclusion).rows] != [KG.infringing]
    assert [p.name for p in (data / "saved").iterdir() if not p.name.startswith(".")] == ["my-saved-service.yaml"]


def test_a_running_store_picks_up_cases_saved_by_another_process(tmp_path, small_cases):
    data = tmp_path / "data"
    live = open_store(data, small_cases)
    assert not live.refresh()
    scenario = dict(read_case(cases_dir() / "icl-pattern3-answer-only.yaml"), id="saved-elsewhere")
    save_case(scenario, data=data, cases=small_cases)           # no store given: files only
    assert live.refresh()
    assert _count(live, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{CASE}saved-elsewhere> a kg:Scenario }}") == 1
    (data / "saved" / "saved-elsewhere.yaml").unlink()
    assert live.refresh()
    assert _count(live, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ <{CASE}saved-elsewhere> ?p ?o }} }}") == 0


def test_saving_refuses_a_shipped_id_and_invalid_scenarios_and_writes_nothing(tmp_path, small_cases):
    data = tmp_path / "data"
    with pytest.raises(StoreError, match="liability-pattern1-provider-direct.*shipped"):
        save_case(cases_dir() / SMALL_CASES[0], data=data, cases=small_cases)
    broken = dict(read_case(cases_dir() / SMALL_CASES[0]), id="broken-one", display="everything")
    with pytest.raises(ValidationError):
        save_case(broken, data=data, cases=small_cases)
    assert not (data / "saved").exists() or list((data / "saved").iterdir()) == []


def test_atomic_write_keeps_the_old_file_whole_when_the_writer_dies(tmp_path):
    target = tmp_path / "case.yaml"
    atomic_write(target, b"id: old\n")
    pid = os.fork()
    if pid == 0:  # the writer dies at the worst moment: new bytes on disk, before the rename
        os.replace = lambda *args: os._exit(9)
        atomic_write(target, b"id: new\n" * 100_000)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 9
    assert target.read_bytes() == b"id: old\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert len(leftovers) == 1 and leftovers[0].startswith(".case.yaml.") and leftovers[0].endswith(".tmp")
    assert case_files(tmp_path) == [target]  # hidden temporary files are never read as cases


def test_atomic_write_removes_its_temporary_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "case.yaml"
    atomic_write(target, b"id: old\n")

    def failing(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"id: new\n")
    assert target.read_bytes() == b"id: old\n" and [p.name for p in tmp_path.iterdir()] == ["case.yaml"]


def test_replacing_graphs_is_one_transaction(tmp_path, small_cases):
    store = open_store(tmp_path / "data", small_cases)
    assert isinstance(store, EmbeddedStore)
    graph = str(case_graph_name("icl-pattern3-answer-only"))
    before = len(store)
    with pytest.raises(SyntaxError):
        store.replace_graphs({graph: '<urn:a> <urn:b> "ok" .',
                              "urn:other": '<urn:a> <urn:b> "broken"@ .'})
    assert len(store) == before  # neither graph dropped nor anything inserted
    store.replace_graphs({graph: '<urn:a> <urn:b> "replaced" .'})
    assert len(store) < before
    rows = run_query(store, f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    assert [str(r[0]) for r in rows] == ["replaced"]


def _listed(store, query: str) -> str:
    """The query with its default graph given as the list of the dataset's default graphs (FROM),
    which the embedded store answers without the union it keeps as its default graph."""
    froms = "\n".join(f"FROM <{name}>" for name in store.default_graphs)
    return query.replace("WHERE {", f"{froms}\nWHERE {{", 1)


# (query over the store's default graph, the same query over the listed graphs). A default graph
# given as several graphs is their RDF merge: a triple that two cases share is one triple (SPARQL
# 1.1, 13.2), which pyoxigraph's listed default graph counts once per graph, hence DISTINCT there.
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DISTINCT_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
UNION_PROBES = [
    (COUNT, DISTINCT_COUNT),
    ("SELECT ?case ?act ?conclusion WHERE { ?case kg:hasAct ?act . ?act kg:conclusion ?conclusion }",) * 2,
    ("SELECT ?a ?req WHERE { ?a kg:assessedRequirement ?req ; kg:status kg:failed . ?req kg:requirementKey ?key }",) * 2,
]


def test_the_store_s_default_graph_answers_as_the_listed_default_graphs(tmp_path, small_cases):
    store = open_store(tmp_path / "data", small_cases)
    assert isinstance(store, EmbeddedStore)
    for query, reference in UNION_PROBES:
        union = run_query(store, query)
        listed = run_query(store, _listed(store, reference))
        assert union.rows and sorted(union.rows) == sorted(listed.rows), query


def test_the_library_s_default_graph_holds_each_triple_of_its_graphs_once(library):
    store = library
    assert _count(store, COUNT) == _count(store, _listed(store, DISTINCT_COUNT)) > 600_000


def test_a_changed_case_changes_the_default_graph_in_the_same_update(tmp_path, small_cases):
    store = open_store(tmp_path / "data", small_cases)
    count = COUNT
    scenarios = "SELECT ?c WHERE { ?c a kg:Scenario }"
    assert sorted(str(r[0]) for r in run_query(store, scenarios).rows) == sorted(
        str(case_graph_name(read_case(small_cases / name)["id"])) for name in SMALL_CASES)
    before = _count(store, count)
    # a case replaced: its old triples leave the default graph, its new ones enter it
    graph = str(case_graph_name("icl-pattern3-answer-only"))
    store.replace_graphs({graph: '<urn:a> <urn:b> "replaced" .'})
    assert run_query(store, 'ASK { <urn:a> <urn:b> "replaced" }').boolean is True
    assert f"<{graph}>" not in {r[0].n3() for r in run_query(store, scenarios).rows}
    assert _count(store, count) == _count(store, _listed(store, DISTINCT_COUNT)) < before
    # a case file removed: refresh drops its graphs, and the default graph loses it
    (small_cases / "icl-pattern3-answer-only.yaml").unlink()
    assert store.refresh() is True
    assert run_query(store, 'ASK { <urn:a> <urn:b> "replaced" }').boolean is False
    assert _count(store, count) == _count(store, _listed(store, DISTINCT_COUNT))
    # a case saved: the default graph has it at once
    scenario = dict(read_case(cases_dir() / "icl-pattern3-answer-only.yaml"), id="my-saved-case")
    save_case(scenario, data=tmp_path / "data", cases=small_cases, store=store)
    assert run_query(store, f"ASK {{ <{case_graph_name('my-saved-case')}> a kg:Scenario }}").boolean is True
    assert _count(store, count) == _count(store, _listed(store, DISTINCT_COUNT)) > _count(
        store, _listed(store, DISTINCT_COUNT).replace(f"FROM <{case_graph_name('my-saved-case')}>", ""))


# --- a remote SPARQL 1.1 store --------------------------------------------------------------------

class _Fuseki(BaseHTTPRequestHandler):
    """A minimal Fuseki-shaped service over pyoxigraph: /ds/query (form), /ds/update
    (application/sparql-update bodies only, as Fuseki takes large updates) and /ds/data (Graph
    Store Protocol PUT). It records what it was sent."""

    store: ox.Store = None
    updates: list = []
    puts: list = []
    timeouts: list = []

    def log_message(self, *args):
        pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers["Content-Length"]))

    def _answer(self, status, body=b"", kind="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        graph = parse_qs(self.path.split("?", 1)[1])["graph"][0]
        assert self.path.startswith("/ds/data?") and self.headers["Content-Type"] == "application/n-triples"
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
                 for t in ox.parse(self._body(), format=ox.RdfFormat.N_TRIPLES)]
        self.store.update(f"DROP SILENT GRAPH <{graph}>")
        self.store.extend(quads)
        type(self).puts.append(graph)
        self._answer(204)

    def do_POST(self):
        body = self._body()
        if self.path == "/ds/update":
            if not self.headers["Content-Type"].startswith("application/sparql-update"):
                return self._answer(415, b"send application/sparql-update")
            type(self).updates.append(body.decode("utf-8"))
            self.store.update(body.decode("utf-8"))
            return self._answer(204)
        form = parse_qs(body.decode("utf-8"))
        type(self).timeouts.append(form.get("timeout", [None])[0])
        options = {}
        if "default-graph-uri" in form or "named-graph-uri" in form:
            options = {"default_graph": [ox.NamedNode(g) for g in form.get("default-graph-uri", [])],
                       "named_graphs": [ox.NamedNode(g) for g in form.get("named-graph-uri", [])]}
        answer = self.store.query(form["query"][0], **options)
        if isinstance(answer, ox.QueryTriples):
            return self._answer(200, answer.serialize(format=ox.RdfFormat.N_TRIPLES), "application/n-triples")
        self._answer(200, answer.serialize(format=ox.QueryResultsFormat.JSON), "application/sparql-results+json")


def test_a_remote_sparql_store_by_url_gets_the_dataset_and_answers_like_the_embedded_one(tmp_path, small_cases):
    _Fuseki.store, _Fuseki.updates, _Fuseki.puts, _Fuseki.timeouts = ox.Store(), [], [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Fuseki)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/ds/query"
    try:
        data = tmp_path / "data"
        remote = open_store(data, small_cases, url=url)
        assert remote.update_url.endswith("/ds/update") and remote.endpoints.gsp_url.endswith("/ds/data")
        # one PUT per graph (the ontology and each case under each position), one manifest entry each
        assert sorted(_Fuseki.puts) == sorted(remote.graph_names) and len(_Fuseki.updates) == 3
        embedded = open_store(data, small_cases)
        query = """SELECT ?case ?act ?conclusion WHERE { ?case kg:hasAct ?act . ?act kg:conclusion ?conclusion }
                   ORDER BY ?case ?act"""
        assert run_query(remote, query, timeout=7).rows == run_query(embedded, query).rows
        assert _Fuseki.timeouts[-1] == "7"  # Fuseki's own time limit, in seconds
        construct = "CONSTRUCT { ?a kg:conclusion ?c } WHERE { ?a kg:conclusion ?c }"
        assert set(run_query(remote, construct).triples) == set(run_query(embedded, construct).triples)
        assert run_query(remote, "ASK { ?l kg:liabilityRole kg:direct }").boolean is True
        # a second client sends nothing; a saved case is one PUT per graph and one manifest entry
        sent = len(_Fuseki.puts)
        assert open_store(data, small_cases, url=url).sync() == 0 and len(_Fuseki.puts) == sent
        scenario = dict(read_case(small_cases / SMALL_CASES[1]), id="remote-saved")
        save_case(scenario, data=data, cases=small_cases, store=remote)
        assert len(_Fuseki.puts) == sent + 2  # as written and under the other position
        assert run_query(remote, f"ASK {{ <{CASE}remote-saved> a kg:Scenario }}").boolean is True
        # a graph outside the dataset (another user's data in the same store) is never queried
        _Fuseki.store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode(str(KG.conclusion)), ox.NamedNode("urn:y"),
                                  ox.NamedNode("urn:other-graph")))
        assert run_query(remote, "ASK { GRAPH ?g { <urn:x> ?p ?o } }").boolean is False
        assert run_query(embedded, "ASK { GRAPH ?g { <urn:x> ?p ?o } }").boolean is False
    finally:
        server.shutdown()
        server.server_close()
