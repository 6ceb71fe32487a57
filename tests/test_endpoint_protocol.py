"""`chosaku serve` as SPARQL 1.1 Protocol clients we did not write read it: rdflib's SPARQLStore
(XML and JSON results, where rdflib's own XML writer loses 0, 0.0 and false), SPARQLWrapper, a
browser's CORS preflight, the service description and /void, 400 for a missing or repeated query
and for a graph the dataset does not have, N-Quads and TriG for CONSTRUCT; Comunica (npm) queries it
as a SPARQL source. The server runs on
127.0.0.1 on a free port and is stopped by PID."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, XML, SPARQLWrapper

from chosaku.namespaces import CASE, KG
from processes import start_endpoint, stop

SD = "http://www.w3.org/ns/sparql-service-description#"
ZEROS = 'SELECT ?i ?d ?b ?t WHERE { VALUES (?i ?d ?b ?t) { (0 0.0 false true) } }'


@pytest.fixture(scope="module")
def endpoint(shipped):
    """`chosaku serve` with CORS for one origin; yields the /sparql URL; stopped by its PID."""
    process, url = start_endpoint(shipped, "--cors-origin", "https://yasgui.example")  # listening already
    try:
        yield url
    finally:
        stop(process)


def _http(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


@pytest.mark.parametrize("returns", ["xml", "json"])
def test_rdflib_sparqlstore_reads_zero_and_false_as_written(endpoint, returns):
    store = SPARQLStore(endpoint, returnFormat=returns)
    row = list(store.query(ZEROS))[0]
    assert row.i == Literal("0", datatype=XSD.integer) and row.i.toPython() == 0
    assert str(row.d) in ("0", "0.0") and row.d.datatype == XSD.decimal and row.d.toPython() == 0
    assert row.b == Literal("false", datatype=XSD.boolean) and row.b.toPython() is False
    assert row.t.toPython() is True
    act = URIRef(f"{CASE}liability-pattern1-provider-direct/act/transmission")
    assert [r.c for r in store.query(f"SELECT ?c WHERE {{ <{act}> kg:conclusion ?c }}",
                                     initNs={"kg": str(KG)})] == [KG.infringing]


def test_sparqlwrapper_reads_the_xml_lexical_forms(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(ZEROS)
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    as_xml = [n.firstChild.data if n.firstChild else "" for n in document.getElementsByTagName("literal")]
    client.setReturnFormat(JSON)
    binding = client.queryAndConvert()["results"]["bindings"][0]
    assert as_xml == [binding[v]["value"] for v in ("i", "d", "b", "t")]  # the same lexical forms as JSON
    assert as_xml[0] == "0" and as_xml[2:] == ["false", "true"] and float(as_xml[1]) == 0


def test_cors_preflight_and_answers_for_the_configured_origin_only(endpoint):
    status, headers, _ = _http(endpoint, method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    url = endpoint + "?" + urllib.parse.urlencode({"query": "ASK { ?s a kg:Scenario }"})
    status, headers, body = _http(url, headers={"Origin": "https://yasgui.example", "Accept": "application/json"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
    assert json.loads(body)["boolean"] is True
    status, headers, _ = _http(url, headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in headers
    status, _, _ = _http(endpoint, method="OPTIONS", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert status == 400


def test_the_service_description_states_the_dataset_truthfully(endpoint):
    status, headers, body = _http(endpoint, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    service = URIRef(endpoint)
    assert (service, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) not in graph
    dataset = graph.value(service, URIRef(SD + "defaultDataset"))
    default = graph.value(dataset, URIRef(SD + "defaultGraph"))
    names = {graph.value(n, URIRef(SD + "name")) for n in graph.objects(dataset, URIRef(SD + "namedGraph"))}
    case = URIRef(f"{CASE}liability-pattern1-provider-direct")
    assert case in names and URIRef(f"{case}/position/agency") in names
    parts = set(graph.objects(default, URIRef("http://purl.org/dc/terms/hasPart")))
    assert case in parts and URIRef(f"{case}/position/agency") not in parts
    status, _, void = _http(endpoint.replace("/sparql", "/void"))
    description = Graph().parse(data=void, format="turtle")
    root = URIRef("https://w3id.org/chosaku-kg/dataset")
    assert description.value(root, URIRef("http://rdfs.org/ns/void#sparqlEndpoint")) == service
    assert len(set(description.objects(root, URIRef("http://rdfs.org/ns/void#subset")))) == len(names)


def test_a_missing_or_repeated_query_is_a_bad_request(endpoint):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = _http(endpoint, data=b"", headers=form)
    assert status == 400 and "must carry a query" in body
    status, _, body = _http(endpoint, data=b"default-graph-uri=urn%3Ax", headers=form)
    assert status == 400 and "must carry a query" in body
    twice = urllib.parse.urlencode([("query", "ASK {}"), ("query", "ASK { ?s ?p ?o }")])
    status, _, body = _http(endpoint + "?" + twice)
    assert status == 400 and "given 2 times" in body
    status, _, body = _http(endpoint, data=twice.encode(), headers=form)
    assert status == 400 and "given 2 times" in body


def test_an_unknown_graph_is_an_error_not_an_empty_answer(endpoint):
    query = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                    "default-graph-uri": "urn:x-rdflib:default"})
    status, _, body = _http(endpoint + "?" + query)
    assert status == 400 and "no graph 'urn:x-rdflib:default'" in body
    named = urllib.parse.urlencode({"query": "ASK { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": f"{CASE}no-such-case"})
    status, _, body = _http(endpoint + "?" + named)
    assert status == 400 and "named-graph-uri" in body


def test_graph_parameters_give_exactly_the_graphs_named(endpoint):
    case = f"{CASE}liability-pattern1-provider-direct"
    query = "ASK { GRAPH ?g { ?s ?p ?o } }"
    only_default = urllib.parse.urlencode({"query": query, "default-graph-uri": case})
    status, _, body = _http(endpoint + "?" + only_default, headers={"Accept": "application/json"})
    assert status == 200 and json.loads(body)["boolean"] is False  # no named graph given: none
    both = urllib.parse.urlencode({"query": query, "default-graph-uri": case, "named-graph-uri": case})
    status, _, body = _http(endpoint + "?" + both, headers={"Accept": "application/json"})
    assert json.loads(body)["boolean"] is True


@pytest.mark.parametrize("media", ["application/n-quads", "application/trig"])
def test_construct_as_n_quads_and_trig(endpoint, media):
    act = f"{CASE}liability-pattern1-provider-direct/act/transmission"
    query = urllib.parse.urlencode({"query": f"CONSTRUCT WHERE {{ <{act}> kg:conclusion ?c }}"})
    status, headers, body = _http(endpoint + "?" + query, headers={"Accept": media})
    assert status == 200 and headers["Content-Type"].startswith(media)
    graph = Graph().parse(data=body, format="nquads" if media.endswith("n-quads") else "trig")
    assert set(graph) == {(URIRef(act), KG.conclusion, KG.infringing)}


COMUNICA = Path.home() / ".cache" / "chosaku-kg-tests" / "comunica"
COMUNICA_SCRIPT = """import { QueryEngine } from '@comunica/query-sparql';
const [url, query] = process.argv.slice(2);
const stream = await new QueryEngine().queryBindings(query, { sources: [{ type: 'sparql', value: url }] });
const rows = (await stream.toArray()).map(b => Object.fromEntries([...b].map(([k, v]) => [k.value, v.value])));
console.log(JSON.stringify(rows));
"""


def _comunica() -> Path:
    """Comunica (npm @comunica/query-sparql 4.x) in a cache folder, installed there when missing."""
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("Comunica needs Node.js and npm, which are not installed")
    if not (COMUNICA / "node_modules" / "@comunica" / "query-sparql").is_dir():
        COMUNICA.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "@comunica/query-sparql@4"], cwd=COMUNICA,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            pytest.skip(f"npm could not install @comunica/query-sparql@4: {done.stderr[-500:]}")
    script = COMUNICA / "chosaku-query.mjs"
    script.write_text(COMUNICA_SCRIPT)
    return script


def test_comunica_reads_the_endpoint_as_a_sparql_source(endpoint):
    script = _comunica()
    act = f"{CASE}liability-pattern1-provider-direct/act/transmission"
    query = (f"PREFIX kg: <{KG}> SELECT ?c ?zero WHERE {{ <{act}> kg:conclusion ?c . BIND(0 AS ?zero) }}")
    done = subprocess.run(["node", str(script), endpoint, query], capture_output=True, text=True, timeout=120,
                          cwd=COMUNICA)
    assert done.returncode == 0, done.stderr[-1000:]
    assert json.loads(done.stdout) == [{"c": str(KG.infringing), "zero": "0"}]
