"""Excel export, streamed in constant memory: a summary sheet and a detail sheet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from radio.clock import from_utc_text, local
from radio.wording.reasons import shown
from radio.proof.log import STANDING_LABELS
from radio.reports import rows as log_rows
from radio.reports.csv_export import KIND_VI, neutralise
from radio.reports.periods import Period
from radio.reports.sheet_writer import Styled, Workbook, typed_row
from radio.reports.summary_text import summary_sentences
from radio.reports.targets import COUNTING_RULE_VI, STATUS_LABELS as TARGET_LABELS, topic_label

DATE_FORMAT = "dd/mm/yyyy hh:mm:ss"
_UNIX_EPOCH_SERIAL = 25569  # 1970-01-01 in Excel's 1900 date system
#: (header, width, row → value)
DETAIL = (
    ("Mã buổi phát", 10, lambda r: r["occurrence_id"]),
    ("Giờ theo lịch (giờ Việt Nam)", 20, lambda r: _local_serial(r["scheduled_utc"])),
    ("Bắt đầu (giờ Việt Nam)", 20, lambda r: _local_serial(r["started_utc"])),
    ("Kết thúc (giờ Việt Nam)", 20, lambda r: _local_serial(r["ended_utc"])),
    ("Loại", 10, lambda r: KIND_VI.get(r["kind"], r["kind"])),
    ("Trạng thái", 10, lambda r: STANDING_LABELS.get(r["status"], r["status"])),
    ("Số giây đã phát", 9, lambda r: r["seconds_played"]),
    ("Độ dài chương trình (giây)", 9, lambda r: r["programme_seconds"]),
    ("Lý do", 28, lambda r: shown(r["reason"], r["reason_parts"]) if r["reason"] else r["reason"]),
    ("Đầu ra", 18, lambda r: " – ".join(filter(None, [r["output"], r["output_note"]]))),
    ("Độ lớn (LUFS)", 8, lambda r: r["loudness_lufs"]),
    ("Thứ tự tin", 6, lambda r: r["item_position"]),
    ("Mã bản tin", 8, lambda r: r["bulletin_id"]),
    ("Tiêu đề", 40, lambda r: r["title"]),
    ("Chủ đề", 10, lambda r: topic_label(r["topic"]) if r["topic"] else None),
    ("Phát hết tin", 8, lambda r: None if r["item_completed"] is None else ("có" if r["item_completed"] else "không")),
    ("Giọng đọc", 9, lambda r: r["engine"]),
    ("Người duyệt", 16, lambda r: r["approved_by"]),
    ("SHA-256 chương trình", 20, lambda r: r["programme_sha256"]),
    ("Mã băm (hash)", 20, lambda r: r["hash"]),
)
#: each DETAIL column's cell type (n number, t date and time as a serial, s text), in order
DETAIL_KINDS = "ntttssnnssnnnsssssss"


#: the station's UTC offset (s) by UTC hour ("2026-11-22T05"): a year's export converts
#: 300,000 times, and the zone's rules change far less often than hourly
_OFFSETS: dict[str, float] = {}


def _local_serial(text: str | None) -> float | None:
    """Excel's day number of the station's local time at UTC text *text* (Excel has no
    time zones: the sheet shows local time, as users read it)."""
    if not text:
        return None
    when = from_utc_text(text)
    offset = _OFFSETS.get(text[:13])
    if offset is None:
        offset = _OFFSETS[text[:13]] = local(when).utcoffset().total_seconds()
    return (when.timestamp() + offset) / 86400 + _UNIX_EPOCH_SERIAL


def write(db: Database, path: Path, period: Period | None, *, now: datetime, station_name: str = "",
          progress: Callable[[int], None] | None = None) -> int:
    """Write the workbook atomically to *path*; return the detail rows written.

    Rows stream from the SQL cursor into the zipped sheet (:mod:`.sheet_writer`), so
    memory stays flat for a year of entries.
    """
    snapshot = log_rows.head(db)
    summary = log_rows.summarise(db, period, now, snapshot)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with Workbook(tmp) as wb:
            _summary_sheet(wb, summary, snapshot, now, station_name)
            count = _detail_sheet(wb, db, summary.period, snapshot.last_id, progress)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _summary_sheet(wb: Workbook, summary, snapshot, now: datetime, station_name: str) -> None:
    ws = wb.sheet("Tổng hợp", widths=[14, 12, 18, 10, 22, 40])
    ws.append([Styled(neutralise(f"Nhật ký phát {station_name} – {summary.period.label_vi}".strip()), "bold")])
    ws.append([f"Lập lúc {local(now):%d/%m/%Y %H:%M}"])
    ws.append([f"Đầu chuỗi nhật ký: {snapshot.count} mục, mã băm cuối {snapshot.hash}"])
    ws.append([COUNTING_RULE_VI])
    ws.append([])
    ws.append([Styled(h, "bold") for h in ("Tháng", "Chủ đề", "Số buổi phát tính chỉ tiêu", "Chỉ tiêu", "Kết quả")])
    for line in summary.months:
        month_cell = (Styled(line.period.start.replace(day=1), "month")
                      if line.period.kind == "month" and not line.period.cutoff
                      else f"{line.period.key} ({line.period.start:%d/%m}–{line.period.last_day:%d/%m})")
        ws.append([month_cell, neutralise(topic_label(line.topic)), line.count, line.minimum,
                   TARGET_LABELS.get(line.status, "")])
    ws.append([])
    ws.append([Styled(h, "bold") for h in ("Chỉ tiêu", "Kỳ", "Từ ngày", "Đến ngày", "Số buổi / chỉ tiêu", "Kết quả")])
    for r in summary.results:
        ws.append([r.target["id"], r.period.key, Styled(r.period.start, "date"), Styled(r.period.last_day, "date"),
                   f"{r.count}/{r.minimum}", r.status_vi])
    ws.append([])
    ws.append([Styled("Trạng thái", "bold"), Styled("Số buổi", "bold")])
    for status_, n in summary.by_status.items():
        ws.append([STANDING_LABELS.get(status_, status_), n])
    ws.append([Styled("Tổng", "bold"), summary.total])
    # by kind (an emergency or a manual entry is not "theo lịch"), then what reached loudspeakers
    ws.append([])
    ws.append([Styled("Loại buổi phát", "bold"), Styled("Số buổi", "bold")])
    for kind, n in summary.by_kind.items():
        ws.append([KIND_VI.get(kind, kind), n])
    ws.append([])
    for text in summary_sentences(summary):
        ws.append([neutralise(text)])


def _detail_sheet(wb: Workbook, db: Database, period: Period | None, upto_id: int,
                  progress: Callable[[int], None] | None) -> int:
    detail = wb.sheet("Chi tiết", widths=[width for _, width, _ in DETAIL], freeze_header=True)
    detail.append([Styled(header, "bold") for header, _, _ in DETAIL])
    row_xml = typed_row(DETAIL_KINDS)
    getters = [g for _, _, g in DETAIL]
    count = 0
    for row in log_rows.iter_rows(db, period, upto_id):
        values = [g(row) for g in getters]
        values[13] = neutralise(values[13])  # titles and reasons are typed by people
        values[8] = neutralise(values[8])
        detail.append_typed(values, row_xml)
        count += 1
        if progress and count % 1000 == 0:
            progress(1000)
    if progress:
        progress(count % 1000)
    return count
