"""The CSV export's SQL projection writes, cell for cell, what the row-by-row Python
conversion writes: labels, local times, masked passwords, the file note, formula guards."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from radio import prooflog
from radio.reports import csv_export, csv_sql
from radio.reports import rows as log_rows

T0 = datetime(2026, 11, 22, 16, 59, 59, 999000, tzinfo=UTC)  # 23:59:59.999 local, a day boundary


def _log(db):
    cases = [
        dict(status="aired", output="device", reason=None, title='Tin "thường", có dấu phẩy\nxuống dòng', kind="slot"),
        dict(status="partial", output="icecast://nguon:matkhau@127.0.0.1:8000/loa", reason="-dừng giữa chừng",
             title="=HYPERLINK(\"http://x\")", kind="urgent"),
        dict(status="failed", output="file:/srv/aired", reason="@lỗi", title="+84 912", kind="resume"),
        dict(status="missed", output=None, reason="station was not running", title=None, kind="slot"),
        dict(status="cancelled", output="pulse:thon1", reason="\tkhông còn tin", title="\rTin", kind="slot"),
    ]
    for n, case in enumerate(cases):
        when = T0 + timedelta(hours=5 * n)
        items = [] if case["title"] is None else [
            prooflog.LoggedItem(0, n + 1, case["title"], "cchc", "normal", engine="espeak", duration_ms=1000,
                                completed=case["status"] == "aired", approved_by="lanhdao" if n % 2 else None,
                                approved_at="2026-11-20T03:04:05.678+00:00" if n % 2 else None),
            prooflog.LoggedItem(1, None, "Tin hai", completed=False)]
        prooflog.append(db, prooflog.Entry(
            key=f"k{n}", scheduled_at=when, status=case["status"], kind=case["kind"], reason=case["reason"],
            started_at=when if case["status"] != "missed" else None, seconds_played=-0.0 if n == 4 else 12.5,
            programme_seconds=30.0, output=case["output"], loudness_lufs=-16.25, items=items), now=when)


@pytest.mark.parametrize("english", [False, True])
def test_sql_projection_matches_the_python_conversion(fresh_db, english):
    _log(fresh_db)
    head = log_rows.head(fresh_db)
    columns = log_rows.COLUMNS if english else csv_export.COLUMNS_VI
    convert = csv_export._english if english else csv_export._vietnamese

    def text(rows):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue()

    expected = text(convert(row) for row in log_rows.iter_rows(fresh_db, None, head.last_id))
    got = "".join(line for batch in csv_sql.lines(fresh_db.conn, columns, None, head.last_id, english=english,
                                                  chunk=2) for line in batch)
    assert got == expected
    assert "matkhau" not in got and "'=HYPERLINK" in got and "'-dừng" in got and "-16.25" in got
