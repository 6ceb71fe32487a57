"""Stopping a server process a test started: SIGTERM, then SIGKILL if it does not exit."""

import os
import signal
import subprocess


def stop(process: subprocess.Popen, group: bool = False) -> None:
    """Stop `process` (its whole process group when `group`) and wait for it."""
    kill = os.killpg if group else os.kill
    kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def start_endpoint(data, *options: str) -> tuple[subprocess.Popen, str]:
    """Start `chosaku serve` on 127.0.0.1 (a free port) over the data folder `data`; return the
    process and its /sparql URL once it is announced (the socket listens before that)."""
    import sys
    import time

    env = dict(os.environ, CHOSAKU_DATA=str(data), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "chosaku", "serve", "--host", "127.0.0.1", "--port", "0",
                                *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    url, deadline = None, time.monotonic() + 120
    while url is None and time.monotonic() < deadline and process.poll() is None:
        line = process.stdout.readline()
        if "/sparql" in line:
            url = line.split(" at ", 1)[1].split()[0]
    if url is None:
        stop(process) if process.poll() is None else None
        raise RuntimeError(f"the endpoint did not start: {process.stderr.read()}")
    return process, url
