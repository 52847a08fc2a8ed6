"""The commune's Word report in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I).

The layout's parts (page, heading, title, tables, signer block) are
:mod:`.docx_layout`'s; the body ends with "./", then "Nơi nhận:" and the signer block.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from sqlite_utils import Database

from radio.clock import from_utc_text, local
from radio.store.fields import xml_safe
from radio.reports import chart, docx_layout as layout, rows as log_rows
from radio.reports.periods import Period
from radio.reports.summary_text import MANUAL_NOTE, summary_sentences
from radio.reports.targets import COUNTING_RULE_VI, describe_vi, topic_label

STATUS_WORDS = {"missed": "không đạt", "at risk": "chưa đạt"}
TITLE = "Kết quả công tác tuyên truyền cải cách hành chính trên hệ thống loa truyền thanh"


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
    doc = layout.document()
    layout.heading(doc, issuer=settings["report_issuer"], number=settings.get("report_number") or "",
                   place=settings["report_place"], now=now)
    layout.title(doc, f"{TITLE} {period.label_vi}")

    station = settings["station_name"]
    layout.para(doc, f"{station} báo cáo kết quả công tác tuyên truyền cải cách hành chính (CCHC) trên hệ "
                     f"thống loa truyền thanh {period.label_vi}, từ ngày {period.start:%d/%m/%Y} đến ngày "
                     f"{period.last_day:%d/%m/%Y}, theo nhật ký phát tự động của đài"
                     f"{' (chỉ tính các buổi phát ra loa; các buổi không phát ra loa được nêu riêng)' if summary.silent_outputs else ''}"
                     ", như sau:")
    layout.para(doc, "I. KẾT QUẢ THỰC HIỆN", bold=True, indent=False)
    layout.para(doc, "1. Tổng hợp các buổi phát", bold=True, indent=False)
    for text in summary_sentences(summary):
        layout.para(doc, text)
    layout.para(doc, "2. Kết quả thực hiện chỉ tiêu", bold=True, indent=False)
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
            layout.para(doc, f"- {describe_vi(results[0].target)}: {text}.")
    else:
        layout.para(doc, "Đài chưa đặt chỉ tiêu nào cho kỳ này.")
    layout.para(doc, COUNTING_RULE_VI, 13, italic=True)
    layout.grid(doc, ["Tháng", "Chủ đề", "Số buổi phát", "Chỉ tiêu", "Kết quả"],
                [[f"{int(m.period.key[5:7]):02d}/{m.period.key[:4]}", topic_label(m.topic), m.count,
                  m.minimum, {"met": "Đạt", "missed": "Không đạt", "at risk": "Chưa đạt",
                              "upcoming": "Chưa đến kỳ"}.get(m.status, "")] for m in summary.months],
                [3.0, 2.5, 3.0, 2.5, 3.5])
    layout.para(doc, "", after=0, indent=False)
    picture = layout.para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    picture.add_run().add_picture(io.BytesIO(chart.png(summary.months)), width=Cm(15.5))
    layout.para(doc, "Biểu đồ: số buổi phát có tin bài CCHC theo tháng so với chỉ tiêu.", 12, italic=True,
                align=WD_ALIGN_PARAGRAPH.CENTER)

    layout.para(doc, "3. Danh sách tin bài đã phát", bold=True, indent=False)
    if summary.bulletins:
        layout.grid(doc, ["STT", "Tên tin bài", "Chủ đề", "Số lần phát", "Lần đầu", "Lần cuối"],
                    [[n, b["title"] + (f" ({MANUAL_NOTE})" if b["manual"] else ""), topic_label(b["topic"] or ""),
                      b["aired"], _vn(b["first"]), _vn(b["last"])]
               for n, b in enumerate(summary.bulletins, 1)],
              [1.2, 6.0, 1.8, 1.8, 2.6, 2.6])
        if progress:
            progress(len(summary.bulletins))
    else:
        layout.para(doc, "Không có tin bài nào được phát trọn vẹn trong kỳ.")
    layout.para(doc, "Chi tiết từng buổi phát (giờ theo lịch, giờ bắt đầu, kết thúc, trạng thái, lý do) có "
                     "trong tệp Excel xuất từ nhật ký phát cùng kỳ.", 13, italic=True)

    layout.para(doc, "II. XÁC THỰC NHẬT KÝ PHÁT", bold=True, indent=False)
    # claims only what holds: the head printed here, kept outside the station, is what makes a
    # later edit or deletion detectable; inside the station alone, the key holder can rewrite it
    layout.para(doc, f"Nhật ký phát được đài ghi tự động và liên kết bằng mã băm SHA-256. Đầu chuỗi tại thời điểm "
                     f"lập báo cáo: {summary.head.count} mục, mã băm cuối {summary.head.hash}. Đối chiếu với đầu "
                     f"chuỗi này (lệnh: radio log verify --expect {summary.head.text}), mọi sửa đổi hoặc xóa bỏ các "
                     f"dòng đến thời điểm lập báo cáo đều bị phát hiện; vì vậy cần lưu giữ báo cáo này ngoài đài. "
                     f"Nếu không có đầu chuỗi lưu ngoài đài, người nắm cả cơ sở dữ liệu và khóa ký có thể sửa "
                     f"nhật ký mà không bị phát hiện.")
    layout.para(doc, f"Trên đây là báo cáo {TITLE[0].lower() + TITLE[1:]} {period.label_vi} của {station}./")

    layout.signature(doc, recipients=settings["report_recipients"], authority=settings["report_authority"],
                     signer_title=settings["report_signer_title"], signer=settings.get("report_signer") or "")
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
