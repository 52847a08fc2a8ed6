"""CSV export: UTF-8 with BOM (Excel reads the Vietnamese), Vietnamese headers by default.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or
CR) get a leading apostrophe, as OWASP's CSV-injection advice says: a bulletin
title is typed by people and ends up opened in Excel at the district office.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlite_utils import Database

from ..prooflog import STATUS_LABELS
from . import rows as log_rows
from .periods import Period

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADERS_VI = {
    "occurrence_id": "Mã buổi phát", "key": "Khóa", "kind": "Loại", "slot_id": "Khung giờ",
    "scheduled_local": "Giờ theo lịch (giờ Việt Nam)", "scheduled_utc": "Giờ theo lịch (UTC)",
    "started_utc": "Bắt đầu (UTC)", "ended_utc": "Kết thúc (UTC)", "seconds_played": "Số giây đã phát",
    "programme_seconds": "Độ dài chương trình (giây)", "status": "Trạng thái", "reason": "Lý do",
    "output": "Đầu ra", "output_kind": "Loại đầu ra", "output_note": "Ghi chú đầu ra",
    "approved_by": "Người duyệt", "approved_at_local": "Thời điểm duyệt (giờ Việt Nam)",
    "loudness_lufs": "Độ lớn (LUFS)", "programme_sha256": "SHA-256 chương trình",
    "item_position": "Thứ tự tin", "bulletin_id": "Mã bản tin", "title": "Tiêu đề", "topic": "Chủ đề",
    "priority": "Mức ưu tiên", "engine": "Giọng đọc", "text_sha256": "SHA-256 nội dung",
    "audio_sha256": "SHA-256 âm thanh", "item_completed": "Phát hết tin", "hash": "Mã băm (hash)",
}
#: Vietnamese export: today's columns less the duplicated English status
COLUMNS_VI = tuple(c for c in log_rows.COLUMNS if c != "status_vi")
KIND_VI = {"slot": "theo lịch", "urgent": "phát ngay", "resume": "phát tiếp", "manual": "nhập tay"}
CHAIN_LABEL_VI = "Đầu chuỗi nhật ký (số mục:mã băm cuối)"


def neutralise(value):
    """A cell safe to open in a spreadsheet: text that starts like a formula gets ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _english(row: dict) -> list:
    row = dict(row, scheduled_local=row["scheduled_local"].strftime("%d/%m/%Y %H:%M:%S"),
               status_vi=STATUS_LABELS[row["status"]],
               item_completed=None if row["item_completed"] is None else row["item_completed"])
    return [neutralise(row[c]) for c in log_rows.COLUMNS]


def _vietnamese(row: dict) -> list:
    done = row["item_completed"]
    row = dict(row, scheduled_local=row["scheduled_local"].strftime("%d/%m/%Y %H:%M:%S"),
               status=STATUS_LABELS[row["status"]], kind=KIND_VI.get(row["kind"], row["kind"]),
               item_completed=None if done is None else ("có" if done else "không"))
    return [neutralise(row[c]) for c in COLUMNS_VI]


def lines(db: Database, period: Period | None, *, english: bool = False,
          progress: Callable[[int], None] | None = None, stats: dict | None = None) -> Iterator[str]:
    """The CSV text in chunks (no BOM), ending with the chain head row.

    :param progress: called with the number of rows written since its last call
    :param stats: filled with ``rows`` (data rows written) and ``head``
    """
    snapshot = log_rows.head(db)
    stats = stats if stats is not None else {}
    stats.update(rows=0, head=snapshot)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(log_rows.COLUMNS if english else [HEADERS_VI[c] for c in COLUMNS_VI])
    yield flush()
    convert = _english if english else _vietnamese
    for row in log_rows.iter_rows(db, period, snapshot.last_id):
        writer.writerow(convert(row))
        stats["rows"] += 1
        if stats["rows"] % 1000 == 0:
            if progress:
                progress(1000)
            yield flush()
    if progress:
        progress(stats["rows"] % 1000)
    writer.writerow(["chain_head" if english else CHAIN_LABEL_VI, snapshot.text])
    yield flush()


def write(db: Database, target: Path | io.TextIOBase, period: Period | None, *, english: bool = False,
          progress: Callable[[int], None] | None = None) -> int:
    """Write the CSV to a file (atomically, with BOM) or a text stream; return the data rows."""
    stats: dict = {}
    chunks = lines(db, period, english=english, progress=progress, stats=stats)
    if isinstance(target, Path):
        tmp = target.with_name(target.name + ".tmp")
        try:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                fh.writelines(chunks)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
    else:
        target.writelines(chunks)
    return stats["rows"]
