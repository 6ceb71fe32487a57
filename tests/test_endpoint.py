"""`chosaku serve` with clients we did not write: SPARQLWrapper (SELECT, ASK, CONSTRUCT) and plain
HTTP. Updates and SERVICE are refused with 403 and a message; a deliberately heavy query is
stopped by the time limit while a second client still gets its answers; content negotiation; the
query page is served from here. The server runs on 127.0.0.1 on a free port and is stopped by PID."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from heavy_queries import counting_query
from processes import start_endpoint, stop
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from chosaku.namespaces import CASE, JPCA, KG

TIMEOUT = 2.0
HEAVY = counting_query(5)  # 10^10 rows: only the time limit stops it


@pytest.fixture(scope="module")
def endpoint(shipped):
    """`chosaku serve` on 127.0.0.1 with a free port; yields the /sparql URL; stopped by its PID."""
    process, url = start_endpoint(shipped, "--timeout", str(TIMEOUT), "--limit", "500")
    try:
        for _ in range(50):  # bounded: until it answers
            try:
                urllib.request.urlopen(url.replace("/sparql", "/examples.json"), timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        stop(process)


def _client(url, query, fmt=JSON):
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def _http(url, data=None, headers=None, method=None):
    """(status, headers, body text) of a request; errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


def _get(url, query, accept=None, **params):
    return _http(url + "?" + urllib.parse.urlencode({"query": query, **params}),
                 headers={"Accept": accept} if accept else {})


# --- SPARQLWrapper ----------------------------------------------------------------------------

def test_sparqlwrapper_select(endpoint):
    answer = _client(endpoint, """SELECT ?case ?role WHERE {
        ?case kg:hasLiability ?l . ?l kg:liableActor kg:ai_provider ; kg:liabilityRole ?role .
        FILTER (?role IN (kg:direct, kg:aider)) }""").queryAndConvert()
    roles = {b["case"]["value"]: b["role"]["value"] for b in answer["results"]["bindings"]}
    assert roles[f"{CASE}liability-pattern1-provider-direct"] == str(KG.direct)
    assert roles[f"{CASE}liability-easy-excess-provider-aider"] == str(KG.aider)


def test_sparqlwrapper_select_by_post_as_xml(endpoint):
    client = _client(endpoint, "SELECT ?key WHERE { ?e kg:exemptionKey ?key } ORDER BY ?key", XML)
    client.setMethod(POST)
    document = client.queryAndConvert()
    keys = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert keys == sorted(keys) and "art47_5_1" in keys and len(keys) == 8


def test_sparqlwrapper_ask(endpoint):
    assert _client(endpoint, "ASK { ?l kg:liabilityRole kg:aider }").queryAndConvert()["boolean"] is True
    assert _client(endpoint, "ASK { ?l kg:liabilityRole kg:no_such_role }").queryAndConvert()["boolean"] is False


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")
def test_sparqlwrapper_construct(endpoint):
    act = URIRef(f"{CASE}liability-pattern1-provider-direct/act/transmission")
    graph = _client(endpoint, f"CONSTRUCT {{ <{act}> kg:conclusion ?c ; kg:actor ?a }} "
                              f"WHERE {{ <{act}> kg:conclusion ?c ; kg:actor ?a }}", TURTLE).queryAndConvert()
    parsed = Graph().parse(data=graph, format="turtle")
    assert set(parsed) == {(act, KG.conclusion, KG.infringing), (act, KG.actor, KG.ai_provider)}
    as_rdfxml = _client(endpoint, f"CONSTRUCT WHERE {{ <{act}> kg:conclusion ?c }}", XML).queryAndConvert()
    assert isinstance(as_rdfxml, Graph) and set(as_rdfxml) == {(act, KG.conclusion, KG.infringing)}


def test_sparqlwrapper_update_is_refused_with_403_and_a_message(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(urllib.error.HTTPError) as caught:
        client.query()
    assert caught.value.code == 403
    assert "SPARQL Update is refused" in caught.value.read().decode("utf-8")
    status, _, body = _http(endpoint, data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and "read-only" in body
    assert _get(endpoint, "ASK { <urn:a> <urn:b> <urn:c> }")[2].find('"boolean": false') >= 0


def test_service_is_refused_with_403_and_a_message(endpoint):
    status, _, body = _get(endpoint, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 403 and "SERVICE (federated query) is refused" in body
    client = _client(endpoint, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(urllib.error.HTTPError) as caught:
        client.query()
    assert caught.value.code == 403


def test_a_heavy_query_is_stopped_while_another_client_gets_answers(endpoint):
    heavy = {}

    def run_heavy():
        started = time.monotonic()
        heavy["answer"] = _http(endpoint, data=urllib.parse.urlencode({"query": HEAVY}).encode(),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        heavy["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(0.3)  # the heavy query is running now
    light = []
    for _ in range(5):
        started = time.monotonic()
        answer = _client(endpoint, "ASK { jpca:Art30-4 a kg:Exemption }").queryAndConvert()
        light.append((answer["boolean"], time.monotonic() - started, thread.is_alive()))
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert all(ok for ok, _, _ in light)
    assert any(running for _, _, running in light), "the light queries finished before the heavy one started"
    assert max(seconds for _, seconds, running in light if running) < TIMEOUT
    status, _, body = heavy["answer"]
    assert status == 503 and f"time limit of {TIMEOUT:g} s" in body
    assert TIMEOUT <= heavy["seconds"] < TIMEOUT + 5


# --- the protocol ----------------------------------------------------------------------------

def test_content_negotiation(endpoint):
    query = "SELECT ?key WHERE { jpca:Art30-4 kg:exemptionKey ?key }"
    status, headers, body = _get(endpoint, query, "text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and body.split() == ["key", "art30_4"]
    status, headers, body = _get(endpoint, query, "application/sparql-results+xml")
    assert headers["Content-Type"].startswith("application/sparql-results+xml") and "<literal>art30_4</literal>" in body
    status, headers, body = _get(endpoint, query, "text/tab-separated-values")
    assert body.splitlines() == ["?key", '"art30_4"']
    status, headers, body = _get(endpoint, query, "text/html;q=0.9, application/json")
    assert json.loads(body)["results"]["bindings"] == [{"key": {"type": "literal", "value": "art30_4"}}]
    status, _, body = _get(endpoint, query, "text/turtle")
    assert status == 406 and "application/sparql-results+json" in body
    construct = "CONSTRUCT WHERE { jpca:Art30-4 kg:exemptionKey ?key }"
    status, headers, body = _get(endpoint, construct, "application/ld+json")
    assert headers["Content-Type"].startswith("application/ld+json")
    assert json.loads(body)["@context"]["kg"] == str(KG)
    status, headers, body = _get(endpoint, construct, format="nt")
    assert body.strip() == f'<{JPCA["Art30-4"]}> <{KG.exemptionKey}> "art30_4" .'
    client = _client(endpoint, query, CSV)
    assert client.queryAndConvert().decode("utf-8").split() == ["key", "art30_4"]


def test_protocol_graph_parameters_choose_the_dataset(endpoint):
    query = f"SELECT ?c WHERE {{ <{CASE}icl-pattern3-answer-only/act/input> kg:conclusion ?c }}"
    status, _, body = _get(endpoint, query, "application/json")
    assert [b["c"]["value"] for b in json.loads(body)["results"]["bindings"]] == [str(KG.lawful)]
    status, _, body = _get(endpoint, query, "application/json",
                           **{"default-graph-uri": f"{CASE}icl-pattern3-answer-only/position/agency"})
    assert [b["c"]["value"] for b in json.loads(body)["results"]["bindings"]] == [str(KG.conditional)]


def test_the_row_limit_and_errors_are_reported(endpoint):
    status, headers, body = _get(endpoint, "SELECT ?s WHERE { ?s a kg:RequirementAssessment }", "application/json")
    assert status == 200 and headers["X-Result-Limit-Reached"] == "500"
    assert len(json.loads(body)["results"]["bindings"]) == 500
    status, _, body = _get(endpoint, "SELECT ?x WHERE { ?x kg:conclusion }")
    assert status == 400 and "not a valid SPARQL 1.1 query" in body
    status, _, body = _http(endpoint, data=b"query", headers={"Content-Type": "text/plain"})
    assert status == 415 and "application/sparql-query" in body
    status, _, body = _http(endpoint, data=b"ASK { ?s a kg:Scenario }", headers={"Content-Type": "application/sparql-query",
                                                                              "Accept": "application/json"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_the_query_page_is_self_hosted_and_offers_the_examples(endpoint):
    status, headers, page = _http(endpoint, headers={"Accept": "text/html"})
    assert status == 200 and "<textarea" in page and 'id="example"' in page
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page  # no CDN
    status, _, script = _http(endpoint.replace("/sparql", "/static/query.js"))
    assert status == 200 and "textContent" in script and "innerHTML" not in script
    status, _, listing = _http(endpoint.replace("/sparql", "/examples.json"))
    examples = json.loads(listing)["examples"]
    assert len(examples) >= 12 and {"provider-liability", "positions-compared"} <= {e["name"] for e in examples}
    status, headers, description = _http(endpoint, headers={"Accept": "text/turtle"})
    assert status == 200 and "sd:SPARQL11Query" in description
    status, _, _ = _http(endpoint, headers={"Host": "attacker.example"})
    assert status == 400
