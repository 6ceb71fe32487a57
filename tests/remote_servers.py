"""Real SPARQL servers for the tests and the benchmark: the Oxigraph server (PyPI `oxigraph`, its
`oxigraph serve` command) and Virtuoso (Debian `virtuoso-opensource-7`, `virtuoso-t`), each on a
free loopback port with its own temporary database, stopped by PID. When one cannot be started
the functions raise Unavailable with the exact reason (the tests skip with it)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rdflib import XSD, Literal

from processes import stop


class Unavailable(RuntimeError):
    """A server that cannot be installed or started here (the message says why)."""


@dataclass
class Server:
    """A started server: its process, query URL and the folder holding its database."""

    name: str
    process: subprocess.Popen
    query_url: str
    folder: Path

    def stop(self) -> None:
        """Stop the server by its PID (SIGTERM, then SIGKILL)."""
        if self.process.poll() is None:
            stop(self.process)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_answers(server: Server, probe: str, seconds: float, log: Path | None = None) -> Server:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            urllib.request.urlopen(probe, timeout=2).read()
            return server
        except urllib.error.HTTPError:
            return server  # it answers, even if not 200
        except OSError:
            time.sleep(0.2)
    detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    server.stop()
    raise Unavailable(f"{server.name} did not start within {seconds:g} s (exit {server.process.poll()}): {detail}")


def oxigraph_command() -> str:
    """The `oxigraph` command of this venv (PyPI package `oxigraph`), or raise Unavailable."""
    found = Path(sys.executable).with_name("oxigraph")
    if found.exists():
        return str(found)
    other = shutil.which("oxigraph")
    if other:
        return other
    raise Unavailable("the Oxigraph server is not installed: `pip install oxigraph` (the dev extra) provides "
                      "the `oxigraph serve` command")


def start_oxigraph(folder: Path, timeout_s: int = 30) -> Server:
    """`oxigraph serve` on 127.0.0.1 with an on-disk store in `folder`; query URL /query."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "server.log"
    process = subprocess.Popen([oxigraph_command(), "serve", "--location", str(folder / "db"), "--bind",
                                f"127.0.0.1:{port}", "--timeout-s", str(timeout_s)],
                               stdout=subprocess.DEVNULL, stderr=open(log, "wb"))
    base = f"http://127.0.0.1:{port}"
    server = Server("oxigraph", process, f"{base}/query", folder)
    return _wait_until_answers(server, f"{base}/query?query=ASK%7B%7D", 30, log)


VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {db}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 1G
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {db}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[Client]
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
MaxSortedTopRows = 1000000
"""


def virtuoso_commands() -> tuple[str, str]:
    """`virtuoso-t` and `isql-vt` (Debian virtuoso-opensource-7), or raise Unavailable."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not server or not isql:
        raise Unavailable("Virtuoso is not installed: `apt-get install virtuoso-opensource-7` (.ci/run installs "
                          "it when missing) provides virtuoso-t and isql-vt")
    return server, isql


def isql(server: Server, statement: str, timeout: float = 120) -> str:
    """Run one SQL statement in a Virtuoso started by start_virtuoso (as dba, the fresh database's default)."""
    _, command = virtuoso_commands()
    done = subprocess.run([command, f"127.0.0.1:{server.folder.joinpath('sql-port').read_text()}", "dba", "dba",
                           f"exec={statement}"], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise Unavailable(f"isql-vt refused {statement!r}: {done.stdout[-500:]} {done.stderr[-500:]}")
    return done.stdout


def start_virtuoso(folder: Path, buffers: int = 40_000) -> Server:
    """`virtuoso-t` in the foreground on free loopback ports with a fresh database in `folder`;
    SPARQL at /sparql, the Graph Store Protocol at /sparql-graph-crud. The anonymous SPARQL user
    is given the right to update (a local test database only)."""
    command, _ = virtuoso_commands()
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (folder / "sql-port").write_text(str(sql_port))
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=folder, sql_port=sql_port, http_port=http_port, buffers=buffers,
                                       dirty=buffers * 3 // 4))
    log = folder / "virtuoso.log"
    process = subprocess.Popen([command, "+foreground", "+configfile", str(ini)], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=dict(os.environ, LC_ALL="C"))
    base = f"http://127.0.0.1:{http_port}"
    server = Server("virtuoso", process, f"{base}/sparql", folder)
    _wait_until_answers(server, f"{base}/sparql?query=ASK%7B%7D", 90, log)
    try:
        isql(server, "GRANT SPARQL_UPDATE TO \"SPARQL\"")
        isql(server, "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7)")
    except (Unavailable, subprocess.TimeoutExpired) as exc:
        server.stop()
        raise Unavailable(f"Virtuoso started but could not be opened for updates: {exc}") from exc
    return server


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


def comparable_rows(result, server: str) -> list:
    """The rows (or triples, or the boolean) of an answer in a form compared across stores (_cell)."""
    if result.form == "ASK":
        return [result.boolean]
    if result.form == "SELECT":
        return sorted((tuple(_cell(t, server) for t in row) for row in result.rows), key=repr)
    return sorted(result.triples)
