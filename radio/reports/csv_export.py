"""CSV export: UTF-8 with BOM (Excel reads the Vietnamese), Vietnamese headers by default.

The chain head is not a row of the CSV (a line after the data broke CSV readers):
a file written to disk gets a companion ``<name>.head`` (:func:`write_head`) with
the head and the CSV's sha256, the admin's download states it in the
``X-Chain-Head`` response header and on the log page, and ``radio log export``
prints it.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or
CR) get a leading apostrophe, as OWASP's CSV-injection advice says: a bulletin
title is typed by people and ends up opened in Excel at the district office.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlite_utils import Database

from radio.proof.log import KIND_LABELS
from radio.reports import csv_sql
from radio.reports import rows as log_rows
from radio.reports.periods import Period

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
KIND_VI = KIND_LABELS
CHAIN_LABEL_VI = "Đầu chuỗi nhật ký (số mục:mã băm cuối)"
#: the companion file of a CSV written to disk: ``<name>.head``
HEAD_SUFFIX = ".head"


def neutralise(value):
    """A cell safe to open in a spreadsheet: text that starts like a formula gets ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _text(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def chunks(db: Database, period: Period | None, *, english: bool = False,
           progress: Callable[[int], None] | None = None, stats: dict | None = None,
           upto: log_rows.Head | None = None) -> Iterator[bytes]:
    """The CSV as UTF-8 bytes in chunks (no BOM): the header, then the rows.

    :param progress: called with the number of rows written since its last call (once a chunk)
    :param stats: filled with ``rows`` (data rows written) and ``head`` (the chain head the
        rows were read up to, for the companion file or a response header)
    :param upto: that head, taken by the caller (default: now)
    """
    snapshot = upto or log_rows.head(db)
    stats = stats if stats is not None else {}
    stats.update(rows=0, head=snapshot)
    columns = log_rows.COLUMNS if english else COLUMNS_VI
    yield _text([log_rows.COLUMNS if english else [HEADERS_VI[c] for c in COLUMNS_VI]]).encode()
    for count, data in csv_sql.chunks(db.conn, columns, period, snapshot.last_id, english=english):
        stats["rows"] += count
        if progress:
            progress(count)
        yield data


def lines(db: Database, period: Period | None, *, english: bool = False,
          progress: Callable[[int], None] | None = None, stats: dict | None = None,
          upto: log_rows.Head | None = None) -> Iterator[str]:
    """The CSV text in chunks (no BOM); see :func:`chunks`."""
    for data in chunks(db, period, english=english, progress=progress, stats=stats, upto=upto):
        yield data.decode()


def write(db: Database, target: Path | io.TextIOBase, period: Period | None, *, english: bool = False,
          progress: Callable[[int], None] | None = None, head_file: Path | None = None,
          stats: dict | None = None) -> int:
    """Write the CSV to a file (atomically, with BOM) or a text stream; return the data rows.

    A file gets its companion ``<target>.head`` (or *head_file*): see :func:`write_head`.
    """
    stats = stats if stats is not None else {}
    if isinstance(target, Path):
        tmp = target.with_name(target.name + ".tmp")
        digest = hashlib.sha256(codecs.BOM_UTF8)
        try:
            with open(tmp, "wb") as fh:
                fh.write(codecs.BOM_UTF8)
                for data in chunks(db, period, english=english, progress=progress, stats=stats):
                    digest.update(data)
                    fh.write(data)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
        write_head(head_file or target.with_name(target.name + HEAD_SUFFIX), stats["head"].text,
                   digest.hexdigest(), (head_file.name[:-len(HEAD_SUFFIX)] if head_file else target.name))
    else:
        target.writelines(lines(db, period, english=english, progress=progress, stats=stats))
    return stats["rows"]


def write_head(path: Path, head: str, sha256: str, name: str) -> None:
    """The companion of a CSV: two lines, ``chain_head COUNT:HASH`` (the head its rows
    were read up to, for ``radio log verify --expect``) and ``sha256 HEX  NAME`` (the
    CSV file's own hash, in ``sha256sum`` format). See docs/proof-format.md."""
    path.write_text(f"chain_head {head}\nsha256 {sha256}  {name}\n", encoding="utf-8")
