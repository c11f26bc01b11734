"""Render the conclusion notice as DOCX, laid out per Decree 30/2020/NĐ-CP (Appendix I).

A4, margins 20/20/30/15 mm, Times New Roman; the header is a borderless two-column table (issuing
body and number on the left, national motto on the right), the signature block another one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from services.cli.conclusion import notice as c

FONT = "Times New Roman"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT_WIDTH, RIGHT_WIDTH = 70.0, 95.0  # mm; the A4 text width is 165 mm between the margins
TEXT_WIDTH = LEFT_WIDTH + RIGHT_WIDTH


# python-docx ships without type hints; its objects are Any here.
Docx = Any


def _run(paragraph: Docx, text: str, size: float = 13, bold: bool = False, italic: bool = False) -> Docx:
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    # East-Asian font slot too, or Word substitutes a font for the Vietnamese diacritics.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _para(
    container: Docx,
    text: str = "",
    align: Docx = None,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
) -> Docx:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _run(paragraph, text, size, bold, italic)
    return paragraph


_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _rule(cell: Docx, cell_width: float, length: float) -> None:
    """The short solid rule Decree 30 draws under the motto and the issuing body, centred in the cell."""
    paragraph = _para(cell, "", CENTER, 2)
    indent = Mm(max(cell_width - length, 0) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph.paragraph_format.line_spacing = Pt(2)
    # Schema order matters to Word: pBdr goes before spacing, ind and jc.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def _borderless_table(document: Docx, columns: Sequence[float]) -> Docx:
    table = document.add_table(rows=1, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, width in zip(table.rows[0].cells, columns, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table


def _header(document: Docx, info: c.ConferenceInfo) -> None:
    left, right = _borderless_table(document, (LEFT_WIDTH, RIGHT_WIDTH)).rows[0].cells
    if info.parent_body:
        _para(left, info.parent_body.upper(), CENTER, 13)
    _para(left, info.issuing_body.upper(), CENTER, 13, bold=True)
    _rule(left, LEFT_WIDTH, 25)
    _para(left, c.number_line(info.document_number), CENTER, 13).paragraph_format.space_before = Pt(6)
    _para(right, MOTTO, CENTER, 12, bold=True)
    _para(right, MOTTO_2, CENTER, 13, bold=True)
    _rule(right, RIGHT_WIDTH, 62)
    date = _para(right, c.date_line(info.place, info.issued_on), CENTER, 13, italic=True)
    date.paragraph_format.space_before = Pt(6)


def _opinions(document: Docx, items: Sequence[c.ConclusionItem]) -> None:
    number = 0
    for index, (title, section) in enumerate(c.grouped(items), start=1):
        heading = _para(document, f"{_roman(index)}. {title.upper()}", JUSTIFY, 13, bold=True)
        heading.paragraph_format.space_before = Pt(6)
        for item in section:
            number += 1
            paragraph = _para(document, "", JUSTIFY, 13)
            paragraph.paragraph_format.first_line_indent = Mm(10)
            paragraph.paragraph_format.space_before = Pt(3)
            _run(paragraph, f"{number}. [{item.tracking_code}] ", bold=True)
            who = f" ({item.submitter})" if item.submitter else ""
            _run(paragraph, f"{c.field_name(item)}{who}: {item.summary}", italic=True)
            answer = _para(document, c.disposition(item), JUSTIFY, 13)
            answer.paragraph_format.first_line_indent = Mm(10)


def _roman(number: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI")[number - 1]


def _signature(document: Docx, info: c.ConferenceInfo) -> None:
    left, right = _borderless_table(document, (80, 90)).rows[0].cells
    _para(left, "Nơi nhận:", None, 12, bold=True, italic=True)
    for recipient in info.recipients:
        _para(left, f"- {recipient};", None, 11)
    if info.signer.on_behalf:
        _para(right, info.signer.on_behalf.upper(), CENTER, 13, bold=True)
    for line in info.signer.position.upper().splitlines():
        _para(right, line, CENTER, 13, bold=True)
    for _ in range(4):
        _para(right, "", CENTER)
    _para(right, info.signer.name, CENTER, 13, bold=True)


def render_docx(info: c.ConferenceInfo, items: Sequence[c.ConclusionItem], path: Path) -> Path:
    """Write the notice to ``path`` and return it."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    _header(document, info)
    _para(document, "")
    _para(document, "THÔNG BÁO", CENTER, 14, bold=True)
    _para(document, c.subtitle(info), CENTER, 14, bold=True)
    _rule(document, TEXT_WIDTH, 40)
    intro = _para(document, c.introduction(info), JUSTIFY, 14)
    intro.paragraph_format.first_line_indent = Mm(10)
    intro.paragraph_format.space_before = Pt(6)
    _opinions(document, items)
    closing = _para(document, c.CLOSING, JUSTIFY, 14)
    closing.paragraph_format.first_line_indent = Mm(10)
    closing.paragraph_format.space_before = Pt(6)
    _para(document, "")
    _signature(document, info)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
