"""The explorer in a real browser: `streamlit run` of the explorer on 127.0.0.1, Debian's chromium
driven headless by Playwright (never a downloaded browser), a known case's conclusion checked on
the rendered page, a screenshot saved, the app stopped by its PID."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from processes import stop

from chosaku.cli import streamlit_command

CHROMIUM = os.environ.get("CHOSAKU_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"Debian's chromium is not installed at {CHROMIUM} "
                                       "(.ci/run installs it: apt-get install -y chromium)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the explorer did not answer on port {port} within {timeout} s")


@pytest.fixture
def explorer(tmp_path):
    """The explorer served on 127.0.0.1 (a free port); stopped by its PID afterwards."""
    port = free_port()
    log = open(tmp_path / "streamlit.log", "w")
    process = subprocess.Popen(streamlit_command("127.0.0.1", port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        wait_for_health(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process, group=True)
        log.close()


def test_known_case_conclusion_in_a_real_browser(explorer, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2400})
            page.goto(f"{explorer}/?case=semsearch-475-not-incidental&lang=en", timeout=30000)
            page.get_by_role("tab", name="Results").click(timeout=30000)
            page.wait_for_selector("text=Why it fails", timeout=30000)
            page.get_by_role("tab", name="output · infringing").click()
            page.wait_for_selector("text=incidental to the result", timeout=10000)
            body = " ".join(page.inner_text("body").split())
            assert "Semantic search showing the excerpt as the result itself" in body
            assert "incidental to the result: unmet" in body
            assert "does not apply" in body and "infringing" in body
            shot = tmp_path / "explorer-results.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
    print(f"screenshot: {shot}", file=sys.stderr)
