"""The explorer in a real browser: one `streamlit run` of the explorer on 127.0.0.1 for the module,
Debian's chromium driven headless by Playwright (never a downloaded browser). A known case's
conclusion is checked on the rendered page, the language switch is shown to keep every answer,
and the app is stopped by its PID. Screenshots go to the test's temporary folder."""

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

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


@pytest.fixture(scope="module")
def explorer(tmp_path_factory):
    """The explorer served on 127.0.0.1 (a free port) for the whole module; stopped by its PID."""
    port = free_port()
    log = open(tmp_path_factory.mktemp("streamlit") / "streamlit.log", "w")
    process = subprocess.Popen(streamlit_command("127.0.0.1", port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        wait_for_health(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process, group=True)
        log.close()


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, for the whole module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


def body_text(page) -> str:
    return " ".join(page.inner_text("body").split())


def settle(page, timeout: float = 30) -> None:
    """Wait until the app has finished its rerun (Streamlit's running indicator is gone)."""
    page.wait_for_timeout(400)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=timeout * 1000)
    page.wait_for_timeout(300)


def download(page, label: str) -> bytes:
    """Click the download button labelled `label` and return the file's bytes (once the app has
    settled: a click that lands during a rerun, such as the one the window-width report starts,
    is lost)."""
    settle(page)
    with page.expect_download(timeout=30000) as info:
        page.get_by_role("button", name=label, exact=True).click()
    return Path(info.value.path()).read_bytes()


def answer(page, question: str, option: str) -> None:
    """Pick `option` in the yes/no radio group labelled `question`."""
    page.get_by_role("radiogroup", name=question, exact=True).get_by_text(option, exact=True).click()
    settle(page)


def test_known_case_conclusion_in_a_real_browser(explorer, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(f"{explorer}/?case=semsearch-475-not-incidental&lang=en", timeout=30000)
    page.locator(".st-key-questionnaire").wait_for(timeout=60000)   # 1400 px: side by side, once the width is known
    settle(page)
    page.get_by_role("tab", name="Analysis").click(timeout=30000)
    page.wait_for_selector("text=Why it fails", timeout=30000)
    page.get_by_role("tab", name="output · infringing").click()
    page.locator("text=incidental to the result >> visible=true").first.wait_for(timeout=10000)
    body = body_text(page)
    assert "Semantic search showing the excerpt as the result itself" in body
    assert "incidental to the result: unmet" in body
    assert "does not apply" in body and "infringing" in body
    shot = tmp_path / "explorer-results.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()
    print(f"screenshot: {shot}", file=sys.stderr)


INVALID = ("The scenario is not valid yet", "シナリオがまだ有効ではありません")


def test_language_switch_keeps_every_answer_both_ways(explorer, browser, tmp_path):
    """Switching en → ja and ja → en and answering a question changes the scenario by that answer
    only (select boxes and radios used to hand back the other language's labels as values)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{explorer}/?case=rag-type4-novel-rewrite&lang=en", timeout=30000)
    page.get_by_role("tab", name="Scenario", exact=True).click(timeout=30000)
    page.wait_for_selector("text=Output filtering", timeout=30000)
    before = yaml.safe_load(download(page, "Scenario (YAML)"))
    assert before["id"] == "rag-type4-novel-rewrite" and before["output_filtering"] is False

    page.get_by_role("radiogroup", name="Language / 言語").get_by_text("日本語", exact=True).click()
    settle(page)
    page.get_by_role("tab", name="シナリオ", exact=True).click()
    page.wait_for_selector("text=出力フィルタ", timeout=30000)
    answer(page, "出力フィルタ", "はい")
    after = yaml.safe_load(download(page, "シナリオ（YAML）"))
    assert after == {**before, "output_filtering": True}
    body = body_text(page)
    assert not any(message in body for message in INVALID)
    start = page.get_by_role("combobox", name="出発点").input_value()
    assert start == "RAGタイプ4：利用者が小説をアップロードし再現出力を公開 (rag-type4-novel-rewrite)"
    assert page.get_by_role("combobox", name="技術").input_value() == "RAG（検索拡張生成）"
    page.screenshot(path=str(tmp_path / "switch-ja.png"))

    page.get_by_role("radiogroup", name="Language / 言語").get_by_text("English", exact=True).click()
    settle(page)
    page.get_by_role("tab", name="Scenario", exact=True).click()
    page.wait_for_selector("text=Whole works browsable", timeout=30000)
    answer(page, "Whole works browsable", "Yes")
    again = yaml.safe_load(download(page, "Scenario (YAML)"))
    assert again == {**before, "output_filtering": True, "full_text_browsable": True}
    body = body_text(page)
    assert not any(message in body for message in INVALID)
    assert page.get_by_role("combobox", name="Technique").input_value() == "retrieval-augmented generation"
    assert page.get_by_role("combobox", name="Start from").input_value().endswith("(rag-type4-novel-rewrite)")
    page.close()


def test_verdict_in_the_first_viewport_and_memo_downloaded(explorer, browser, tmp_path):
    """At 1280×720 the summary's verdicts start inside the first viewport; the memo downloaded from
    the explorer is a PDF that cites Art. 30-4 and carries today's date (seed 003 (7) タイプ4: the
    user's collection and input infringe, Art. 30-4 failing on the enjoyment purpose)."""
    pypdf = pytest.importorskip("pypdf")
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{explorer}/?case=rag-type4-novel-rewrite&lang=ja", timeout=30000)
    verdicts = page.locator(".st-key-verdicts")
    verdicts.wait_for(timeout=60000)
    box = verdicts.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + 60 <= 720, box   # the first verdict line is on screen
    first = " ".join(verdicts.inner_text().split())
    assert first.startswith("侵害 収集・蓄積は複製権（著作権法21条）の侵害に当たる")
    body = body_text(page)
    assert "条件付き" not in body and "Technical details" not in body and "Summary" not in body
    page.screenshot(path=str(tmp_path / "summary-ja-1280.png"))
    memo = download(page, "メモ（PDF）")
    assert memo.startswith(b"%PDF")
    text = "".join("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(memo)).pages).split())
    assert "30条の4" in text and time.strftime("%Y-%m-%d") in text
    assert "入力は複製権（著作権法21条）の侵害に当たる" in text
    page.close()


def inside(box, width: int, height: int) -> bool:
    """The element's top edge (and a first line of it) lies in the first width×height viewport."""
    return box is not None and 0 <= box["x"] < width and 0 <= box["y"] and box["y"] + 40 <= height


def test_questionnaire_and_verdict_side_by_side_on_a_wide_screen(explorer, browser, tmp_path):
    """At 1440×900 the questionnaire (left) and the verdicts (right) are both on screen without
    scrolling, and the verdicts stay on screen while the questionnaire scrolls; answering in the
    left column changes the right one: an output that adapts the novel
    infringes the right of adaptation (Copyright Act Art. 27) rather than reproduction (Art. 21)."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{explorer}/?case=rag-type4-novel-rewrite&lang=en", timeout=30000)
    questionnaire, verdicts = page.locator(".st-key-questionnaire"), page.locator(".st-key-verdicts")
    questionnaire.wait_for(timeout=60000)
    verdicts.wait_for(timeout=60000)
    settle(page)
    left, right = questionnaire.bounding_box(), verdicts.bounding_box()
    assert inside(left, 1440, 900) and inside(right, 1440, 900), (left, right)
    assert left["x"] + left["width"] <= right["x"], (left, right)      # side by side, questionnaire first
    assert questionnaire.get_by_role("radiogroup", name="Output adapts the work", exact=True).is_visible()
    assert page.get_by_role("tab", name="Scenario", exact=True).count() == 0   # no questionnaire tab beside it
    before = " ".join(verdicts.inner_text().split())
    assert "Output infringes the right of reproduction (Copyright Act Art. 21)" in before
    page.screenshot(path=str(tmp_path / "side-by-side-en-1440.png"))

    page.mouse.move(500, 600)
    page.mouse.wheel(0, 1500)                   # the questionnaire scrolls; the result stays in view
    page.wait_for_timeout(500)
    assert inside(verdicts.bounding_box(), 1440, 900), verdicts.bounding_box()
    answer(page, "Output adapts the work", "Yes")
    assert inside(verdicts.bounding_box(), 1440, 900), verdicts.bounding_box()
    after = " ".join(page.locator(".st-key-verdicts").inner_text().split())
    assert "Output infringes the rights of translation, adaptation, etc. (Copyright Act Art. 27)" in after
    assert "Output infringes the right of reproduction" not in after
    page.close()


def test_file_uploader_speaks_japanese(explorer, browser, tmp_path):
    """In Japanese the file uploader's button and limits are ours (Streamlit writes them in English)."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{explorer}/?case=rag-type4-novel-rewrite&lang=ja", timeout=30000)
    uploader = page.locator("[data-testid=stFileUploader]")
    uploader.wait_for(timeout=60000)
    settle(page)
    assert not uploader.get_by_text("Upload", exact=True).is_visible()
    assert not uploader.get_by_text("200MB per file", exact=False).is_visible()
    drawn = uploader.evaluate("""u => [u.querySelector('[data-testid=stBaseButton-secondary] [data-testid=stMarkdownContainer]'),
                                       u.querySelector('[data-testid=stFileUploaderDropzoneInstructions] > div')]
                                      .map(e => getComputedStyle(e, '::after').content)""")
    assert drawn == ['"ファイルを選択"', '"ドロップ可・200MBまで"'], drawn
    uploader.screenshot(path=str(tmp_path / "uploader-ja.png"))
    page.close()
