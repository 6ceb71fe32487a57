"""`chosaku serve` under hostile and careless clients: twenty simultaneous first queries on a fresh
server all answered; oversize bodies and URLs refused before they are read; invalid graph IRIs
and deep nesting answered 400, not 500; a query that would take gigabytes stopped at its memory
limit with 413 while the server keeps answering."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from heavy_queries import counting_query
from processes import start_endpoint, stop

QUICK = "SELECT ?s WHERE { ?s a kg:Scenario } LIMIT 1"


@pytest.fixture
def fresh_endpoint(shipped):
    """A new `chosaku serve` process (its SPARQL parser never used yet); yields the /sparql URL."""
    process, url = start_endpoint(shipped, "--timeout", "20")
    try:
        yield url
    finally:
        stop(process)


def _status(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _get(url, query, **params):
    return _status(url + "?" + urllib.parse.urlencode({"query": query, **params}),
                   headers={"Accept": "application/sparql-results+json"})


def test_twenty_simultaneous_first_queries_are_all_answered(fresh_endpoint):
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: _get(fresh_endpoint, QUICK), range(20)))
    assert [status for status, _ in answers] == [200] * 20, [body[:200] for status, body in answers if status != 200]


def test_oversize_body_refused_from_its_content_length_and_oversize_url_414(fresh_endpoint):
    parsed = urllib.parse.urlparse(fresh_endpoint)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    connection.putrequest("POST", parsed.path)
    connection.putheader("Content-Type", "application/sparql-query")
    connection.putheader("Content-Length", str(200_000_000))
    connection.endheaders()
    connection.send(b"SELECT")  # the rest never comes: the answer must not wait for it
    response = connection.getresponse()
    assert response.status == 413 and b"larger than 1000000 bytes" in response.read()
    connection.close()
    status, body = _get(fresh_endpoint, QUICK + " " + "#" * 20_000)
    assert status == 414 and "POST the query instead" in body


def test_invalid_graph_iri_and_deep_nesting_are_bad_requests(fresh_endpoint):
    status, body = _get(fresh_endpoint, QUICK, **{"default-graph-uri": "not an iri"})
    assert status == 400 and "default-graph-uri" in body
    deep = "SELECT ?s WHERE { " + "{ " * 60 + "?s ?p ?o " + "} " * 60 + "}"
    status, body = _get(fresh_endpoint, deep)
    assert status == 400 and "nests brackets more than 40 levels" in body
    status, body = _status(fresh_endpoint, data=("SELECT * WHERE { VALUES ?x { " + "1 " * 60_000 + "} }").encode(),
                           headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and "longer than 100000 characters" in body


def test_a_memory_hungry_query_is_stopped_and_the_server_keeps_answering(fresh_endpoint):
    status, body = _get(fresh_endpoint, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f")
    assert status in (413, 503), body[:300]
    assert "memory" in body or "time limit" in body or "CPU" in body
    assert _get(fresh_endpoint, QUICK)[0] == 200


def _trickle(host, port, request: bytes, pause: float, stop_after: float) -> tuple[bytes, float]:
    """Send `request` one byte every `pause` s (a slow client); return what the server answered
    and the seconds until it closed the connection (or `stop_after` passed)."""
    import socket
    import time

    started = time.monotonic()
    answer = b""
    with socket.create_connection((host, port), timeout=stop_after) as sock:
        sock.settimeout(pause)
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
            except OSError:  # closed by the server
                break
            try:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
            except socket.timeout:
                pass
            if time.monotonic() - started > stop_after:
                break
        sock.settimeout(max(0.1, stop_after - (time.monotonic() - started)))
        try:
            while chunk := sock.recv(4096):
                answer += chunk
        except OSError:
            pass
    return answer, time.monotonic() - started


def test_a_client_that_trickles_its_request_is_cut_off_and_a_slow_answer_is_not(shipped):
    process, url = start_endpoint(shipped, "--timeout", "30", "--request-deadline", "1.5")
    try:
        parsed = urllib.parse.urlparse(url)
        request = f"GET {parsed.path}?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-Pad: a\r\n" * 20 + "\r\n"
        answer, seconds = _trickle(parsed.hostname, parsed.port, request.encode(), pause=0.25, stop_after=15)
        assert answer.startswith(b"HTTP/1.1 408") and b"not received within 1.5 s" in answer, answer[:300]
        assert 1.4 < seconds < 5
        # a complete request whose answer takes longer than the request deadline is answered in full
        status, body = _get(url, counting_query(4, 30))  # 3·10^7 rows: seconds of work
        assert status == 200 and "30000000" in body
    finally:
        stop(process)


def _peak_memory(pid: int) -> int:
    """The peak resident memory (VmHWM) of a process, in bytes."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def test_an_answer_larger_than_memory_should_hold_is_streamed_whole(shipped):
    """10,000 rows of 10 KiB each (~100 MB of JSON) reach the client whole, with their length
    announced, while the server's peak memory grows by far less than the answer: the query process
    writes the answer, the server spools it to disk and streams it."""
    doubling = " ".join(f"BIND (CONCAT(?v{n}, ?v{n}) AS ?v{n + 1})" for n in range(10))
    hundred = " ".join(str(n) for n in range(100))
    query = (f'SELECT ?i ?j ?v10 WHERE {{ VALUES ?i {{ {hundred} }} VALUES ?j {{ {hundred} }} '
             f'BIND ("0123456789" AS ?v0) {doubling} }}')
    process, url = start_endpoint(shipped, "--timeout", "60")
    try:
        assert _get(url, QUICK)[0] == 200
        before = _peak_memory(process.pid)
        request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                         headers={"Accept": "text/tab-separated-values"})
        with urllib.request.urlopen(request, timeout=120) as response:
            announced = int(response.headers["Content-Length"])
            lines = received = 0
            while chunk := response.read(1 << 20):
                received += len(chunk)
                lines += chunk.count(b"\n")
        grown = _peak_memory(process.pid) - before
    finally:
        stop(process)
    assert received == announced > 100_000_000 and lines == 10_001
    assert grown < 40_000_000, f"the server's peak memory grew by {grown:,} bytes for a {received:,}-byte answer"
