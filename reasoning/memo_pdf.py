"""The memo laid out as PDF with ReportLab (A4, Japanese-capable font).

The font is a Japanese TrueType font embedded in the file when one is installed (IPAex Gothic from
Debian's fonts-ipaexfont-gothic, IPA Gothic, or one named by CHOSAKU_MEMO_FONT); otherwise
ReportLab's built-in CID font HeiseiKakuGo-W5, which every PDF reader with Japanese support
displays (its text stays extractable either way)."""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

TTF_CANDIDATES = ("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
                  "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
                  "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
                  "/usr/share/fonts/truetype/ipafont-gothic/ipag.ttf")
CID_FONT = "HeiseiKakuGo-W5"


@lru_cache(maxsize=1)
def memo_font() -> str:
    """The registered font name: an embedded TrueType Japanese font if one is found, else the CID font."""
    for candidate in filter(None, (os.environ.get("CHOSAKU_MEMO_FONT"), *TTF_CANDIDATES)):
        if Path(candidate).is_file():
            try:
                pdfmetrics.registerFont(TTFont("ChosakuMemo", candidate))
                return "ChosakuMemo"
            except Exception:  # not a TrueType font ReportLab can embed: try the next one
                continue
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, alignment=TA_LEFT, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=15, leading=20, spaceAfter=6),
        "meta": ParagraphStyle("meta", parent=base, fontSize=8.5, leading=12, textColor=colors.HexColor("#333333")),
        "h1": ParagraphStyle("h1", parent=base, fontSize=12.5, leading=17, spaceBefore=10, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=10.5, leading=15, spaceBefore=6, spaceAfter=2),
        "p": ParagraphStyle("p", parent=base, spaceAfter=3),
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=12, textColor=colors.HexColor("#555555"),
                               spaceAfter=3),
        "quote": ParagraphStyle("quote", parent=base, fontSize=8.5, leading=12, leftIndent=8 * mm, spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10.5),
    }


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(header, rows, style: ParagraphStyle, width: float) -> Table:
    data = [[_para(h, style) for h in header]] + [[_para(c, style) for c in row] for row in rows]
    columns = len(header)
    if columns == 5 and header[0] == "":  # a checklist: a narrow mark column
        widths = [6 * mm] + [(width - 6 * mm) * f for f in (0.3, 0.12, 0.16, 0.42)]
    elif columns == 3:  # act, conclusion, the sentence
        widths = [width * f for f in (0.16, 0.16, 0.68)]
    else:
        widths = [width / columns] * columns
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def to_pdf(blocks, lang: str) -> bytes:
    """The memo's blocks (chosaku.memo.Block) as an A4 PDF."""
    font = memo_font()
    styles = _styles(font)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=next((b.text for b in blocks if b.kind == "title"), "memo"),
                            author="chosaku-kg", lang=lang)
    story = []
    for block in blocks:
        if block.kind == "meta":
            story.append(_para("  ·  ".join(f"{label}: {value}" for label, value in block.items), styles["meta"]))
            story.append(Spacer(1, 2 * mm))
        elif block.kind == "bullets":
            story += [_para(f"・{item}" if lang == "ja" else f"• {item}", styles["p"]) for item in block.items]
        elif block.kind == "table":
            story.append(_table(block.header, block.items, styles["cell"], doc.width))
            story.append(Spacer(1, 2 * mm))
        else:
            story.append(_para(block.text, styles[block.kind]))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"{document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
