"""Render the conclusion notice as DOCX, laid out per its issuing body's rules.

A People's Committee's notice follows Decree 30/2020/NĐ-CP (Appendix I), a Party committee's
Hướng dẫn 36-HD/VPTW. Both: A4, margins 20/20/30/15 mm, Times New Roman, 6 pt after each paragraph,
Vietnamese as the document's language, page numbers top centre from page 2. The header is a
borderless two-column table (issuing body and number on the left; the national title and motto,
or "ĐẢNG CỘNG SẢN VIỆT NAM", on the right), the signature block another one; each table's grid
columns have the widths of its cells, so Word and LibreOffice lay it out alike.
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
LANGUAGE = "vi-VN"
MOTTO, MOTTO_2 = c.STATE_MOTTO
AFTER = 6.0  # pt after a paragraph (Decree 30: at least 6 pt)
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT_WIDTH, RIGHT_WIDTH = 70.0, 95.0  # mm; the A4 text width is 165 mm between the margins
TEXT_WIDTH = LEFT_WIDTH + RIGHT_WIDTH
SIGN_LEFT, SIGN_RIGHT = 75.0, 90.0  # the signature block fits the text width too


# python-docx ships without type hints; its objects are Any here.
Docx = Any


def _run(paragraph: Docx, text: str, size: float = 13, bold: bool = False, italic: bool = False) -> Docx:
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    rpr = run._element.get_or_add_rPr()
    # East-Asian font slot too, or Word substitutes a font for the Vietnamese diacritics.
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _set_language(rpr)
    return run


def _set_language(rpr: Docx) -> None:
    """Mark text as Vietnamese (spelling, hyphenation), in the place the schema gives w:lang."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        later = [rpr.find(qn(t)) for t in ("w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")]
        anchor = next((e for e in later if e is not None), None)
        if anchor is None:
            rpr.append(lang)
        else:
            anchor.addprevious(lang)
    for key in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(key), LANGUAGE)


def _para(
    container: Docx,
    text: str = "",
    align: Docx = None,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    after: float = AFTER,
) -> Docx:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
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
    paragraph = _para(cell, "", CENTER, 2, after=0)
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
    """A one-row table of fixed columns: the grid, the table and every cell say the same widths."""
    table = document.add_table(rows=1, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for grid_column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), columns, strict=True):
        grid_column.set(qn("w:w"), str(Mm(width).twips))
    tbl_pr = table._tbl.tblPr
    tbl_width = tbl_pr.find(qn("w:tblW"))
    if tbl_width is None:
        tbl_width = OxmlElement("w:tblW")
        tbl_pr.append(tbl_width)
    tbl_width.set(qn("w:w"), str(sum(Mm(width).twips for width in columns)))
    tbl_width.set(qn("w:type"), "dxa")
    for cell, width in zip(table.rows[0].cells, columns, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table


def _header(document: Docx, info: c.ConferenceInfo) -> None:
    left, right = _borderless_table(document, (LEFT_WIDTH, RIGHT_WIDTH)).rows[0].cells
    if info.parent_body:
        _para(left, info.parent_body.upper(), CENTER, 13, after=0)
    _para(left, info.issuing_body.upper(), CENTER, 13, bold=True, after=0)
    if info.style is c.Style.PARTY:
        # Hướng dẫn 36: a star under the issuing body, the number without a colon.
        _para(left, "*", CENTER, 13, after=0)
        number = _para(left, c.number_line(info.document_number, info.style), CENTER, 13, after=0)
        _para(right, c.PARTY_MOTTO, CENTER, 15, bold=True, after=0)
        _rule(right, RIGHT_WIDTH, 62)
    else:
        _rule(left, LEFT_WIDTH, 25)
        number = _para(left, c.number_line(info.document_number, info.style), CENTER, 13, after=0)
        _para(right, MOTTO, CENTER, 12, bold=True, after=0)
        _para(right, MOTTO_2, CENTER, 13, bold=True, after=0)
        _rule(right, RIGHT_WIDTH, 62)
    number.paragraph_format.space_before = Pt(6)
    date = _para(right, c.date_line(info.place, info.issued_on), CENTER, 13, italic=True, after=0)
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
            _run(paragraph, f"{number}. [{c.codes_text(item)}] ", bold=True)
            who = f" ({item.submitters})" if item.submitters else ""
            _run(paragraph, f"{c.field_name(item)}{who}: {item.summary}", italic=True)
            answer = _para(document, c.disposition(item), JUSTIFY, 13)
            answer.paragraph_format.first_line_indent = Mm(10)


def _roman(number: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI")[number - 1]


def _signature(document: Docx, info: c.ConferenceInfo) -> None:
    left, right = _borderless_table(document, (SIGN_LEFT, SIGN_RIGHT)).rows[0].cells
    _para(left, "Nơi nhận:", None, 12, bold=True, italic=True, after=0)
    for index, recipient in enumerate(info.recipients, start=1):
        end = "." if index == len(info.recipients) else ";"
        _para(left, f"- {recipient}{end}", None, 11, after=0)
    if info.signer.on_behalf:
        _para(right, info.signer.on_behalf.upper(), CENTER, 13, bold=True, after=0)
    for line in info.signer.position.upper().splitlines():
        _para(right, line, CENTER, 13, bold=True, after=0)
    for _ in range(4):
        _para(right, "", CENTER, after=0)
    _para(right, info.signer.name, CENTER, 13, bold=True, after=0)


def _page_numbers(section: Docx) -> None:
    """A PAGE field top centre on every page but the first (Decree 30, Hướng dẫn 36)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    begin = _run(paragraph, "", 13)
    field_begin = OxmlElement("w:fldChar")
    field_begin.set(qn("w:fldCharType"), "begin")
    begin._element.append(field_begin)
    instruction = _run(paragraph, "", 13)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instruction._element.append(text)
    separate = _run(paragraph, "", 13)
    field_separate = OxmlElement("w:fldChar")
    field_separate.set(qn("w:fldCharType"), "separate")
    separate._element.append(field_separate)
    _run(paragraph, "2", 13)
    end = _run(paragraph, "", 13)
    field_end = OxmlElement("w:fldChar")
    field_end.set(qn("w:fldCharType"), "end")
    end._element.append(field_end)


def _styles(document: Docx) -> None:
    """Times New Roman 13 pt, 6 pt after, Vietnamese: in the defaults and the Normal style."""
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.paragraph_format.space_after = Pt(AFTER)
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _set_language(rpr)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        default_rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if default_rpr is not None:
            _set_language(default_rpr)


def render_docx(info: c.ConferenceInfo, items: Sequence[c.ConclusionItem], path: Path) -> Path:
    """Write the notice to ``path`` and return it."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _styles(document)
    _page_numbers(section)
    _header(document, info)
    _para(document, "", after=0)
    _para(document, "THÔNG BÁO", CENTER, 14, bold=True, after=0)
    _para(document, c.subtitle(info), CENTER, 14, bold=True, after=0)
    _rule(document, TEXT_WIDTH, 40)
    intro = _para(document, c.introduction(info), JUSTIFY, 14)
    intro.paragraph_format.first_line_indent = Mm(10)
    intro.paragraph_format.space_before = Pt(6)
    if summary := c.summary_paragraph(info):
        overall = _para(document, summary, JUSTIFY, 14)
        overall.paragraph_format.first_line_indent = Mm(10)
    _opinions(document, items)
    closing = _para(document, c.CLOSING, JUSTIFY, 14)
    closing.paragraph_format.first_line_indent = Mm(10)
    closing.paragraph_format.space_before = Pt(6)
    _para(document, "")
    _signature(document, info)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
