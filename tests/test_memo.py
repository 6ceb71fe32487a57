"""The memo to file (chosaku.memo): PDF read back with pypdf, Word with python-docx, Markdown as
text; each states the conclusion of a known case and cites its provision, and carries the date,
the versions and the scenario's hash. The command line writes it."""

import datetime as dt
import io
import subprocess
import sys

import pytest

from chosaku import evaluate
from chosaku.answers import mapping_of
from chosaku.load import load_scenario
from chosaku.memo import render_memo
from chosaku.memo_cite import provision_citation, source_citation
from chosaku.resources import cases_dir

CASE = cases_dir() / "rag-type4-novel-rewrite.yaml"
DAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def case():
    """The RAG type 4 case (seed 003 (7) タイプ4; seed 004 第4 RAG 2 パターン1): every act infringing,
    Art. 30-4 failing on the coexisting enjoyment purpose."""
    scenario = mapping_of(load_scenario(CASE))
    return evaluate(scenario), scenario


def pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_pdf_memo_in_japanese_states_conclusion_provision_date_and_hash(case):
    result, scenario = case
    data = render_memo(result, "pdf", "ja", scenario=scenario, today=DAY)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    compact = "".join(text.split())
    # seed 003 (7) タイプ4: the user's input of the novel infringes; Art. 30-4 fails on the
    # coexisting enjoyment purpose (seed 004 第4 RAG 2 パターン1)
    assert "入力は複製権（著作権法21条）の侵害に当たる" in compact
    assert "著作権法30条の4は「享受目的が併存しないこと」を満たさず適用されない" in compact
    for heading in ("事案の概要", "行為ごとの結論", "理由", "責任", "リスクと対策", "未確定事項", "根拠"):
        assert heading in compact
    # the provision's official text, verbatim (Art. 30-4)
    assert "著作物は、次に掲げる場合その他の当該著作物に表現された思想又は感情を自ら享受し" in compact
    assert "2026-12-01" in text
    assert result.receipt["scenario_sha256"] in compact  # the hash of the result's receipt
    assert "【要旨】" in compact   # the project's paraphrase of a source is marked as such


def test_docx_memo_in_english_has_the_conclusion_table_and_the_provision(case):
    docx = pytest.importorskip("docx")
    result, scenario = case
    document = docx.Document(io.BytesIO(render_memo(result, "docx", "en", scenario=scenario, today=DAY)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Date: 2026-12-01" in text
    # the conclusion per act: input, infringing (seed 003 (7) タイプ4)
    conclusions = document.tables[1]
    rows = {row.cells[0].text: row.cells[1].text for row in conclusions.rows[1:]}
    assert rows == {"collection": "infringing", "input": "infringing", "output": "infringing",
                    "transmission": "infringing", "use of the output": "infringing"}
    assert "Copyright Act Art. 30-4" in "\n".join(cells)
    # liability: the user, direct infringer, intent; criminal exposure apart from civil remedies
    liability = next(t for t in document.tables if t.rows[0].cells[0].text == "Actor")
    line = [c.text for c in liability.rows[1].cells]
    assert line[:3] == ["AI user", "direct infringer", "intent"]
    assert "criminal" not in line[4] and line[5].startswith("criminal penalty possible (Copyright Act Art. 119(1)")


def test_markdown_memo_lists_open_facts_as_questions():
    """seed 004 第3 セマンティック検索 3(2)エ: whether the excerpt is minor decides Art. 47-5(1);
    left unknown, the output is undetermined and the memo asks it."""
    text = render_memo(cases_dir() / "unknown-light-use-minor.yaml", "md", "ja", today=DAY).decode("utf-8")
    assert "| 生成・出力 | 未確定（事実関係次第） |" in text
    assert "未回答（6を参照）：軽微性" in text
    assert "- 軽微性：表示部分の割合・量・精度は軽微ですか。" in text


def test_lawyer_citations(case):
    result, _ = case
    act = result.explanation.act("input")
    art30_4 = act.exemption("art30_4")
    assert provision_citation(art30_4.provision, "ja") == "著作権法30条の4"
    assert provision_citation(art30_4.provision, "en") == "Copyright Act Art. 30-4"
    item2 = next(r for r in art30_4.requirements if r.key.endswith("information_analysis") or "第2号" in r.label.ja)
    assert provision_citation(item2.provision, "ja").startswith("著作権法30条の4")
    rokuraku = [s for a in evaluate(cases_dir() / "rag-type8-db-and-rag-provider.yaml").explanation.acts
                for step in a.steps for s in step.sources if s.document_iri.endswith("judgment-rokuraku2")]
    assert rokuraku, "the provider's input rests on Rokuraku II (seed 003 (10) タイプ7 ア(イ))"
    assert source_citation(rokuraku[0], "ja") == "最一小判平成23年1月20日民集65巻1号399頁（ロクラクII）"


def test_bad_format_and_language_are_refused_by_name(case):
    result, scenario = case
    with pytest.raises(ValueError, match="unknown memo format 'odt': expected one of md, pdf, docx"):
        render_memo(result, "odt", "ja", scenario=scenario)
    with pytest.raises(ValueError, match="unknown memo language 'fr'"):
        render_memo(result, "md", "fr", scenario=scenario)


def test_cli_writes_the_memo(tmp_path):
    out = tmp_path / "memo.pdf"
    done = subprocess.run([sys.executable, "-m", "chosaku", "memo", str(CASE), "--format", "pdf", "--lang", "ja",
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = "".join(pdf_text(out.read_bytes()).split())
    assert "30条の4" in text and dt.date.today().isoformat() in text
    binary = subprocess.run([sys.executable, "-m", "chosaku", "memo", str(CASE), "--format", "docx"],
                            capture_output=True, text=True, timeout=120)
    assert binary.returncode == 2 and "give --out FILE" in binary.stderr


def test_memo_lists_design_changes_with_the_commentary_on_system_design():
    """seed 004 第6 著作権侵害にならないシステム設計とは: outputs that reuse only unprotected elements of
    the works (Esashi Oiwake) reproduce nothing; the what-if of that fact clears both infringing acts
    of the semantic-search case, and the memo cites that chapter for it."""
    from chosaku.whatif import what_if

    scenario = mapping_of(load_scenario(cases_dir() / "semsearch-475-not-incidental.yaml"))
    impacts = what_if(scenario, keys=["works.book.unprotected_only"])
    text = render_memo(scenario, "md", "ja", impacts=impacts, today=DAY).decode("utf-8")
    line = next(x for x in text.splitlines() if x.startswith("- 「保護されない要素のみの利用 [book]」をはいとすれば"))
    assert "収集・蓄積 → 適法、生成・出力 → 適法" in line
    assert line.endswith("第6 著作権侵害にならないシステム設計とは")
