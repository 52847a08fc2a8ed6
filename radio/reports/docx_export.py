"""The Word report in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I).

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman,
body 14 pt justified; the issuing body and the number on the left, quốc hiệu
and tiêu ngữ on the right, the place and date line in italics; the body ends
with "./", then "Nơi nhận:" and the signer block.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from sqlite_utils import Database

from radio.clock import from_utc_text, local
from radio.store.fields import xml_safe
from radio.reports import chart, rows as log_rows
from radio.reports.periods import Period
from radio.reports.summary_text import MANUAL_NOTE, summary_sentences
from radio.reports.targets import COUNTING_RULE_VI, describe_vi, topic_label

FONT = "Times New Roman"
STATUS_WORDS = {"missed": "không đạt", "at risk": "chưa đạt"}
TITLE = "Kết quả công tác tuyên truyền cải cách hành chính trên hệ thống loa truyền thanh"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def _font(run, size: float, *, bold=False, italic=False):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _para(container, text="", size=14, *, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
          indent=True, after=6):
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(0)
    if indent and align == WD_ALIGN_PARAGRAPH.JUSTIFY:
        p.paragraph_format.first_line_indent = Cm(1.27)
    if text:
        _font(p.add_run(xml_safe(text)), size, bold=bold, italic=italic)
    return p


def _no_borders(table) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def _widths(table, widths_cm) -> None:
    # LibreOffice lays tables out from the grid columns, Word from the cells: set both
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)


def _cell(cell, text, size=13, *, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER):
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    _font(p.add_run(xml_safe(str(text))), size, bold=bold, italic=italic)
    return p


def _grid(doc, headers: list[str], rows: list[list], widths_cm: list[float]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths_cm)
    for cell, header, width in zip(table.rows[0].cells, headers, widths_cm):
        cell.width = Cm(width)
        _cell(cell, header, 12, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for n, (cell, value) in enumerate(zip(cells, values)):
            cell.width = Cm(widths_cm[n])
            _cell(cell, "" if value is None else value, 12,
                  align=WD_ALIGN_PARAGRAPH.LEFT if isinstance(value, str) and len(value) > 12 else WD_ALIGN_PARAGRAPH.CENTER)


def _date_line(place: str, when: datetime) -> str:
    day = local(when)
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def _vn(text: str | None) -> str:
    return local(from_utc_text(text)).strftime("%d/%m/%Y") if text else ""


def build(db: Database, period: Period | None, *, now: datetime, settings: dict,
          progress: Callable[[int], None] | None = None) -> Document:
    """The report as a python-docx Document (see :func:`write`)."""
    # a setting or row stored before radio.store.fields checked for control characters must
    # not make the report fail (lxml refuses them): dropped here, on the way out
    settings = {name: xml_safe(value) for name, value in settings.items()}
    summary = log_rows.summarise(db, period, now)
    period = summary.period
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    head = doc.add_table(rows=2, cols=2)
    _no_borders(head)
    widths = (Cm(6.0), Cm(10.5))
    _widths(head, (6.0, 10.5))
    for row in head.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    left, right = head.rows[0].cells
    _cell(left, settings["report_issuer"].upper(), 13, bold=True)
    _cell(left, "", 13)
    left.add_paragraph().alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(left.paragraphs[-1].add_run("―――――"), 11)
    _cell(right, QUOC_HIEU, 12, bold=True)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    _font(p.add_run(TIEU_NGU), 13, bold=True)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("――――――――――――――"), 11)
    number = (settings.get("report_number") or "").strip() or "..."
    _cell(head.rows[1].cells[0], f"Số: {number}/BC-UBND", 13)
    _cell(head.rows[1].cells[1], _date_line(settings["report_place"], now), 14, italic=True)

    _para(doc, "", after=6, indent=False)
    _para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, f"{TITLE} {period.label_vi}", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)

    station = settings["station_name"]
    _para(doc, f"{station} báo cáo kết quả công tác tuyên truyền cải cách hành chính (CCHC) trên hệ "
               f"thống loa truyền thanh {period.label_vi}, từ ngày {period.start:%d/%m/%Y} đến ngày "
               f"{period.last_day:%d/%m/%Y}, theo nhật ký phát tự động của đài"
               f"{' (chỉ tính các buổi phát ra loa; các buổi không phát ra loa được nêu riêng)' if summary.silent_outputs else ''}"
               ", như sau:")
    _para(doc, "I. KẾT QUẢ THỰC HIỆN", bold=True, indent=False)
    _para(doc, "1. Tổng hợp các buổi phát", bold=True, indent=False)
    for text in summary_sentences(summary):
        _para(doc, text)
    _para(doc, "2. Kết quả thực hiện chỉ tiêu", bold=True, indent=False)
    if summary.results:
        for target_id in dict.fromkeys(r.target["id"] for r in summary.results):
            results = [r for r in summary.results if r.target["id"] == target_id]
            if len(results) == 1:
                r = results[0]
                text = f"{r.period.label_vi}: {r.count}/{r.minimum} buổi phát, {r.status_vi}"
            else:
                met = sum(r.status == "met" for r in results)
                text = f"đạt {met}/{len(results)} kỳ"
                for state in ("missed", "at risk"):
                    names = [r.period.label_vi for r in results if r.status == state]
                    if names:
                        text += f"; {STATUS_WORDS[state]}: {', '.join(names)}"
            _para(doc, f"- {describe_vi(results[0].target)}: {text}.")
    else:
        _para(doc, "Đài chưa đặt chỉ tiêu nào cho kỳ này.")
    _para(doc, COUNTING_RULE_VI, 13, italic=True)
    _grid(doc, ["Tháng", "Chủ đề", "Số buổi phát", "Chỉ tiêu", "Kết quả"],
          [[f"{int(m.period.key[5:7]):02d}/{m.period.key[:4]}", topic_label(m.topic), m.count,
            m.minimum, {"met": "Đạt", "missed": "Không đạt", "at risk": "Chưa đạt",
                        "upcoming": "Chưa đến kỳ"}.get(m.status, "")] for m in summary.months],
          [3.0, 2.5, 3.0, 2.5, 3.5])
    _para(doc, "", after=0, indent=False)
    picture = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    picture.add_run().add_picture(io.BytesIO(chart.png(summary.months)), width=Cm(15.5))
    _para(doc, "Biểu đồ: số buổi phát có tin bài CCHC theo tháng so với chỉ tiêu.", 12, italic=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)

    _para(doc, "3. Danh sách tin bài đã phát", bold=True, indent=False)
    if summary.bulletins:
        _grid(doc, ["STT", "Tên tin bài", "Chủ đề", "Số lần phát", "Lần đầu", "Lần cuối"],
              [[n, b["title"] + (f" ({MANUAL_NOTE})" if b["manual"] else ""), topic_label(b["topic"] or ""),
                b["aired"], _vn(b["first"]), _vn(b["last"])]
               for n, b in enumerate(summary.bulletins, 1)],
              [1.2, 6.0, 1.8, 1.8, 2.6, 2.6])
        if progress:
            progress(len(summary.bulletins))
    else:
        _para(doc, "Không có tin bài nào được phát trọn vẹn trong kỳ.")
    _para(doc, "Chi tiết từng buổi phát (giờ theo lịch, giờ bắt đầu, kết thúc, trạng thái, lý do) có "
               "trong tệp Excel xuất từ nhật ký phát cùng kỳ.", 13, italic=True)

    _para(doc, "II. XÁC THỰC NHẬT KÝ PHÁT", bold=True, indent=False)
    # claims only what holds: the head printed here, kept outside the station, is what makes a
    # later edit or deletion detectable; inside the station alone, the key holder can rewrite it
    _para(doc, f"Nhật ký phát được đài ghi tự động và liên kết bằng mã băm SHA-256. Đầu chuỗi tại thời điểm "
               f"lập báo cáo: {summary.head.count} mục, mã băm cuối {summary.head.hash}. Đối chiếu với đầu "
               f"chuỗi này (lệnh: radio log verify --expect {summary.head.text}), mọi sửa đổi hoặc xóa bỏ các "
               f"dòng đến thời điểm lập báo cáo đều bị phát hiện; vì vậy cần lưu giữ báo cáo này ngoài đài. "
               f"Nếu không có đầu chuỗi lưu ngoài đài, người nắm cả cơ sở dữ liệu và khóa ký có thể sửa "
               f"nhật ký mà không bị phát hiện.")
    _para(doc, f"Trên đây là báo cáo {TITLE[0].lower() + TITLE[1:]} {period.label_vi} của {station}./")

    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    left, right = sign.rows[0].cells
    _widths(sign, (8.0, 8.5))
    left.width, right.width = Cm(8.0), Cm(8.5)
    _cell(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for name in [r.strip() for r in settings["report_recipients"].split(";") if r.strip()]:
        p = left.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        _font(p.add_run(f"- {name};" if not name.endswith((".", ";")) else f"- {name}"), 11)
    _cell(right, settings["report_authority"].upper(), 14, bold=True)
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(settings["report_signer_title"].upper()), 14, bold=True)
    for _ in range(3):
        right.add_paragraph()
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(settings.get("report_signer") or ""), 14, bold=True)
    return doc


def write(db: Database, path: Path, period: Period | None, *, now: datetime, settings: dict,
          progress: Callable[[int], None] | None = None) -> Path:
    """Write the report atomically to *path*."""
    doc = build(db, period, now=now, settings=settings, progress=progress)
    tmp = path.with_name(path.name + ".tmp")
    try:
        doc.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
