"""The parts of a Word report in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I), shared by
the commune's report (:mod:`.docx_export`) and the province's (:mod:`radio.hub.report`).

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman, body 14 pt
justified; the issuing body and the number on the left, quốc hiệu and tiêu ngữ on the
right, the place and date line in italics (:func:`heading`); "BÁO CÁO" and the title
centred in bold (:func:`title`); tables whose header row repeats on every page
(:func:`grid`); "Nơi nhận:" and the signer block (:func:`signature`).
"""

from __future__ import annotations

from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from radio.clock import local
from radio.store.fields import xml_safe

FONT = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def font(run, size: float, *, bold=False, italic=False):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def para(container, text="", size=14, *, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
         indent=True, after=6):
    """A paragraph of body text (justified, first line indented) or, with *align*, a heading line."""
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(0)
    if indent and align == WD_ALIGN_PARAGRAPH.JUSTIFY:
        p.paragraph_format.first_line_indent = Cm(1.27)
    if text:
        font(p.add_run(xml_safe(text)), size, bold=bold, italic=italic)
    return p


def no_borders(table) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def widths(table, widths_cm) -> None:
    # LibreOffice lays tables out from the grid columns, Word from the cells: set both
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)


def cell(cell_, text, size=13, *, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER):
    p = cell_.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    font(p.add_run(xml_safe(str(text))), size, bold=bold, italic=italic)
    return p


#: what follows w:tblHeader in a row's properties (ECMA-376 CT_TrPr's order)
_AFTER_TBL_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


def repeat_header(row) -> None:
    """Mark a table row as its header: Word and LibreOffice repeat it at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.insert_element_before(header, *_AFTER_TBL_HEADER)


def keep_whole(row) -> None:
    """A table row that is never split across two pages."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert_element_before(OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader",
                                    *_AFTER_TBL_HEADER)


def grid(doc, headers: list[str], rows: list[list], widths_cm: list[float], *, size: float = 12):
    """A bordered table: the header row in bold, repeated on every page; then *rows*, each
    kept whole on one page.

    A text value longer than 12 characters is left-aligned, anything else centred.
    """
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(table, widths_cm)
    repeat_header(table.rows[0])
    for cell_, header, width in zip(table.rows[0].cells, headers, widths_cm):
        cell_.width = Cm(width)
        cell(cell_, header, size, bold=True)
    for values in rows:
        row = table.add_row()
        keep_whole(row)
        cells = row.cells
        for n, (cell_, value) in enumerate(zip(cells, values)):
            cell_.width = Cm(widths_cm[n])
            cell(cell_, "" if value is None else value, size,
                 align=WD_ALIGN_PARAGRAPH.LEFT if isinstance(value, str) and len(value) > 12
                 else WD_ALIGN_PARAGRAPH.CENTER)
    return table


def date_line(place: str, when: datetime) -> str:
    day = local(when)
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def document() -> Document:
    """An empty A4 portrait document with the decree's margins and body font."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return doc


def heading(doc, *, issuer: str, number: str, place: str, now: datetime, number_suffix: str = "BC-UBND") -> None:
    """The issuing body (upper case) and ``Số: N/BC-UBND`` on the left; quốc hiệu, tiêu ngữ
    and the place and date line on the right. An empty *number* leaves ``...`` to fill in."""
    head = doc.add_table(rows=2, cols=2)
    no_borders(head)
    widths(head, (6.0, 10.5))
    for row in head.rows:
        for cell_, width in zip(row.cells, (Cm(6.0), Cm(10.5))):
            cell_.width = width
    left, right = head.rows[0].cells
    cell(left, xml_safe(issuer).upper(), 13, bold=True)
    cell(left, "", 13)
    left.add_paragraph().alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(left.paragraphs[-1].add_run("―――――"), 11)
    cell(right, QUOC_HIEU, 12, bold=True)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    font(p.add_run(TIEU_NGU), 13, bold=True)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(p.add_run("――――――――――――――"), 11)
    cell(head.rows[1].cells[0], f"Số: {(number or '').strip() or '...'}/{number_suffix}", 13)
    cell(head.rows[1].cells[1], date_line(xml_safe(place), now), 14, italic=True)


def title(doc, text: str) -> None:
    """``BÁO CÁO`` and the report's title under it, centred in bold."""
    para(doc, "", after=6, indent=False)
    para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(doc, text, 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)


def signature(doc, *, recipients: str, authority: str, signer_title: str, signer: str = "") -> None:
    """``Nơi nhận:`` (*recipients* separated by semicolons) on the left; the signer block
    (``TM. ỦY BAN NHÂN DÂN``, the title, room to sign, the name) on the right."""
    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    left, right = sign.rows[0].cells
    widths(sign, (8.0, 8.5))
    left.width, right.width = Cm(8.0), Cm(8.5)
    cell(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for name in [r.strip() for r in xml_safe(recipients).split(";") if r.strip()]:
        p = left.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        font(p.add_run(f"- {name};" if not name.endswith((".", ";")) else f"- {name}"), 11)
    cell(right, xml_safe(authority).upper(), 14, bold=True)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(p.add_run(xml_safe(signer_title).upper()), 14, bold=True)
    for _ in range(3):
        right.add_paragraph()
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(p.add_run(xml_safe(signer or "")), 14, bold=True)
