"""The memo laid out as a Word document with python-docx (East Asian font set for Japanese)."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

FONT = {"ja": "Yu Gothic", "en": "Calibri"}


def _east_asian(style, name: str) -> None:
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def to_docx(blocks, lang: str) -> bytes:
    """The memo's blocks (chosaku.memo.Block) as a .docx file."""
    document = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        _east_asian(document.styles[name], FONT.get(lang, FONT["en"]))
    document.styles["Normal"].font.size = Pt(10)
    for block in blocks:
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "meta":
            for label, value in block.items:
                document.add_paragraph(f"{label}: {value}")
        elif block.kind == "h1":
            document.add_heading(block.text, level=1)
        elif block.kind == "h2":
            document.add_heading(block.text, level=2)
        elif block.kind == "bullets":
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif block.kind == "table":
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header):
                cell.text = str(text)
            for row in block.items:
                for cell, text in zip(table.add_row().cells, row):
                    cell.text = str(text)
        elif block.kind == "quote":
            document.add_paragraph(block.text, style="Quote")
        elif block.kind == "note":
            paragraph = document.add_paragraph()
            paragraph.add_run(block.text).italic = True
        else:
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
