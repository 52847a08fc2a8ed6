"""Excel export (openpyxl write-only, constant memory): a summary sheet and a detail sheet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlite_utils import Database

from ..clock import from_utc_text, local
from ..prooflog import STATUS_LABELS
from . import rows as log_rows
from .csv_export import KIND_VI, neutralise
from .periods import Period
from .targets import COUNTING_RULE_VI, STATUS_LABELS as TARGET_LABELS, topic_label

DATE_FORMAT = "dd/mm/yyyy hh:mm:ss"
#: (header, width, row → value)
DETAIL = (
    ("Mã buổi phát", 10, lambda r: r["occurrence_id"]),
    ("Giờ theo lịch (giờ Việt Nam)", 20, lambda r: r["scheduled_local"]),
    ("Bắt đầu (giờ Việt Nam)", 20, lambda r: _local(r["started_utc"])),
    ("Kết thúc (giờ Việt Nam)", 20, lambda r: _local(r["ended_utc"])),
    ("Loại", 10, lambda r: KIND_VI.get(r["kind"], r["kind"])),
    ("Trạng thái", 10, lambda r: STATUS_LABELS[r["status"]]),
    ("Số giây đã phát", 9, lambda r: r["seconds_played"]),
    ("Độ dài chương trình (giây)", 9, lambda r: r["programme_seconds"]),
    ("Lý do", 28, lambda r: r["reason"]),
    ("Đầu ra", 18, lambda r: " – ".join(filter(None, [r["output"], r["output_note"]]))),
    ("Độ lớn (LUFS)", 8, lambda r: r["loudness_lufs"]),
    ("Thứ tự tin", 6, lambda r: r["item_position"]),
    ("Mã bản tin", 8, lambda r: r["bulletin_id"]),
    ("Tiêu đề", 40, lambda r: r["title"]),
    ("Chủ đề", 10, lambda r: r["topic"]),
    ("Phát hết tin", 8, lambda r: None if r["item_completed"] is None else ("có" if r["item_completed"] else "không")),
    ("Giọng đọc", 9, lambda r: r["engine"]),
    ("Người duyệt", 16, lambda r: r["approved_by"]),
    ("SHA-256 chương trình", 20, lambda r: r["programme_sha256"]),
    ("Mã băm (hash)", 20, lambda r: r["hash"]),
)
_DATE_COLUMNS = {1, 2, 3}


def _local(text: str | None) -> datetime | None:
    # Excel has no time zones: write the station's local time, naive, as users read it
    return local(from_utc_text(text)).replace(tzinfo=None) if text else None


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(n)


def write(db: Database, path: Path, period: Period | None, *, now: datetime, station_name: str = "",
          progress: Callable[[int], None] | None = None) -> int:
    """Write the workbook atomically to *path*; return the detail rows written."""
    snapshot = log_rows.head(db)
    summary = log_rows.summarise(db, period, now, snapshot)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def cell(ws, value, font=None, fmt=None):
        c = WriteOnlyCell(ws, value=neutralise(value))
        if font:
            c.font = font
        if fmt:
            c.number_format = fmt
        return c

    ws = wb.create_sheet("Tổng hợp")
    for letter, width in zip("ABCDEF", (14, 12, 18, 10, 22, 40)):
        ws.column_dimensions[letter].width = width
    ws.append([cell(ws, f"Nhật ký phát {station_name} – {summary.period.label_vi}".strip(), bold)])
    ws.append([f"Lập lúc {local(now):%d/%m/%Y %H:%M}"])
    ws.append([f"Đầu chuỗi nhật ký: {snapshot.count} mục, mã băm cuối {snapshot.hash}"])
    ws.append([COUNTING_RULE_VI])
    ws.append([])
    ws.append([cell(ws, h, bold) for h in ("Tháng", "Chủ đề", "Số buổi phát tính chỉ tiêu", "Chỉ tiêu", "Kết quả")])
    for line in summary.months:
        month_cell = (cell(ws, line.period.start.replace(day=1), fmt="mm/yyyy")
                      if line.period.kind == "month" and not line.period.cutoff
                      else cell(ws, f"{line.period.key} ({line.period.start:%d/%m}–{line.period.last_day:%d/%m})"))
        ws.append([month_cell, topic_label(line.topic), line.count, line.minimum,
                   TARGET_LABELS.get(line.status, "")])
    ws.append([])
    ws.append([cell(ws, h, bold) for h in ("Chỉ tiêu", "Kỳ", "Từ ngày", "Đến ngày", "Số buổi / chỉ tiêu", "Kết quả")])
    for r in summary.results:
        ws.append([r.target["id"], r.period.key, cell(ws, r.period.start, fmt="dd/mm/yyyy"),
                   cell(ws, r.period.last_day, fmt="dd/mm/yyyy"),
                   f"{r.count}/{r.minimum}", r.status_vi])
    ws.append([])
    ws.append([cell(ws, "Trạng thái", bold), cell(ws, "Số buổi", bold)])
    for status_, n in summary.by_status.items():
        ws.append([STATUS_LABELS[status_], n])
    ws.append([cell(ws, "Tổng", bold), summary.total])

    detail = wb.create_sheet("Chi tiết")
    detail.freeze_panes = "A2"
    for n, (_, width, _) in enumerate(DETAIL, 1):
        detail.column_dimensions[_letter(n)].width = width
    detail.append([cell(detail, header, bold) for header, _, _ in DETAIL])
    count = 0
    getters = [g for _, _, g in DETAIL]
    # one styled cell per date column, reused: openpyxl writes each row as it is appended,
    # and building three new cells a row cost a third of the export's time
    date_cells = {n: cell(detail, None, fmt=DATE_FORMAT) for n in _DATE_COLUMNS}
    for row in log_rows.iter_rows(db, summary.period, snapshot.last_id):
        values = [g(row) for g in getters]
        for n, date_cell in date_cells.items():
            if values[n] is not None:
                date_cell.value = values[n]
                values[n] = date_cell
        values[13] = neutralise(values[13])
        values[8] = neutralise(values[8])
        detail.append(values)
        count += 1
        if progress and count % 1000 == 0:
            progress(1000)
    if progress:
        progress(count % 1000)
    tmp = path.with_name(path.name + ".tmp")
    try:
        wb.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return count
