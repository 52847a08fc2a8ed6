"""Golden comparison: the CSV export, projected in SQL, against a plain Python reference.

The reference below reads the two tables row by row, converts every cell in Python
(zoneinfo for local times, dictionaries for labels, ``repr`` for numbers, the
formula guard) and lets :mod:`csv` write them: the file the export wrote before
its rows were formatted in SQLite. Both must agree byte for byte on a log full of
awkward values.
"""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from radio.proof import corrections, log as prooflog
from radio.accounts.roles import Actor
from radio.clock import to_utc_text
from radio.wording.messages import vi_reason
from radio.schedule.outputs import masked
from radio.reports import csv_export, csv_sql, periods
from radio.reports import rows as log_rows
from radio.bulletins.topics import topic_label

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
LEADER = Actor("lanhdao", "leader")
KIND_VI = {"slot": "theo lịch", "urgent": "phát khẩn cấp", "resume": "phát tiếp", "manual": "nhập tay",
           "correction": "đính chính"}
STATUS_VI = {"aired": "đã phát", "partial": "phát dở", "failed": "lỗi", "missed": "bị lỡ",
             "cancelled": "đã hủy", "void": "hủy bỏ"}
PRIORITY_VI = {"normal": "thường", "priority": "ưu tiên", "urgent": "khẩn cấp"}


def reference(db, period, *, english: bool, zone: ZoneInfo = HCM) -> bytes:
    """The export as the straightforward Python conversion writes it."""
    occurrences = [dict(zip([d[0] for d in cur.description], r)) for cur in [db.conn.execute(
        "SELECT * FROM occurrences ORDER BY scheduled_at, id")] for r in cur.fetchall()]
    items: dict[int, list[dict]] = {}
    cur = db.conn.execute("SELECT * FROM occurrence_items ORDER BY occurrence_id, position")
    for r in cur.fetchall():
        row = dict(zip([d[0] for d in cur.description], r))
        items.setdefault(row["occurrence_id"], []).append(row)

    # what each entry reached: the daemon's answer at air time, else by its output's kind
    reach = dict(db.conn.execute("SELECT occurrence_id, loudspeakers FROM occurrence_reach").fetchall())

    def note(o):
        kind = o["output_kind"] or ("file" if (o["output"] or "").startswith("file:") else None)
        if reach.get(o["id"], kind != "file"):
            return ""
        return "ra tệp (không phát ra loa)" if o["output_kind"] == "file" else "không phát ra loa"

    def local(text):
        return datetime.fromisoformat(text).astimezone(zone).strftime("%d/%m/%Y %H:%M:%S")

    def guard(value):
        return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

    out = io.StringIO()
    writer = csv.writer(out)
    columns = log_rows.COLUMNS if english else csv_export.COLUMNS_VI
    writer.writerow(columns if english else [csv_export.HEADERS_VI[c] for c in columns])
    for o in occurrences:
        if period is not None and not period.start <= datetime.fromisoformat(o["scheduled_at"]).astimezone(
                zone).date() < period.end:
            continue
        for i in items.get(o["id"]) or [{}]:
            done = i.get("completed")
            cells = {
                "occurrence_id": o["id"], "key": o["key"], "kind": o["kind"], "slot_id": o["slot_id"],
                "scheduled_local": local(o["scheduled_at"]), "scheduled_utc": o["scheduled_at"],
                "started_utc": o["started_at"], "ended_utc": o["ended_at"], "seconds_played": o["seconds_played"],
                "programme_seconds": o["programme_seconds"], "status": o["status"],
                "status_vi": STATUS_VI.get(o["status"], o["status"]), "reason": o["reason"],
                "output": masked(o["output"]), "output_kind": o["output_kind"],
                "output_note": note(o),
                "loudness_lufs": o["loudness_lufs"], "programme_sha256": o["programme_sha256"],
                "item_position": i.get("position"), "bulletin_id": i.get("bulletin_id"), "title": i.get("title"),
                "topic": i.get("topic"), "priority": i.get("priority"), "engine": i.get("engine"),
                "text_sha256": i.get("text_sha256"), "audio_sha256": i.get("audio_sha256"), "item_completed": done,
                "approved_by": i.get("approved_by"),
                "approved_at_local": local(i["approved_at"]) if i.get("approved_at") else None, "hash": o["hash"],
            }
            if not english:
                cells.update(kind=KIND_VI.get(o["kind"], o["kind"]), status=cells["status_vi"],
                             topic=topic_label(i["topic"]) if i.get("topic") is not None else None,
                             priority=PRIORITY_VI.get(i.get("priority"), i.get("priority")),
                             item_completed=None if done is None else ("có" if done else "không"),
                             reason=vi_reason(o["reason"]) if o["reason"] else o["reason"])
            writer.writerow([guard(cells[c]) for c in columns])
    return codecs.BOM_UTF8 + out.getvalue().encode()


AWKWARD = [
    'Tin "thường", có dấu phẩy\nxuống dòng', "=HYPERLINK(\"http://x\",\"bấm\")", "+84 912 345 678",
    "-giảm giá", "@mọi người", "\tthụt lề", "\rvề đầu dòng", "Thông báo số 12/TB-UBND về tiêm phòng, đợt 2",
    'trích "dẫn"', "8/3: ngày Quốc tế Phụ nữ",
    "dòng một\r\ndòng hai", "Điện lực: cắt điện 7h–11h", "'đã có nháy", " cách đầu", "=", "",
]
#: what the station writes, worded in Vietnamese in the Vietnamese export, beside typed reasons
REASONS = AWKWARD + [
    "dead air of 20 s at 08:00:01", "started 12 s late; the sound broke up 3 times for a moment (the output ran dry)",
    "#12: left out: its speech is not ready",
]


def _seed(db):
    """A log with every status and kind, awkward text and numbers, times at local
    midnight and on month boundaries, NULLs, a manual entry and corrections."""
    times = [
        datetime(2026, 10, 31, 16, 59, 59, 999000, tzinfo=UTC),  # 23:59:59.999 on 31/10 local
        datetime(2026, 10, 31, 17, 0, tzinfo=UTC),               # 00:00 on 1/11 local: the month turns
        datetime(2026, 11, 15, 23, 30, tzinfo=UTC),              # 06:30 on 16/11 local, another UTC day
        datetime(2026, 11, 30, 16, 59, 59, tzinfo=UTC),          # the last second of November, local
        datetime(2026, 11, 30, 17, 0, 0, 1000, tzinfo=UTC),      # December already, local
        datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC),          # new year's eve, last second
        datetime(2026, 12, 31, 17, 0, tzinfo=UTC),               # 2027, local
    ]
    statuses = ["aired", "partial", "failed", "missed", "cancelled"]
    kinds = ["slot", "urgent", "resume"]
    outputs = ["device", "icecast://nguon:mat,khau@127.0.0.1:8000/loa", "file:/srv/đã phát, lưu", None,
               "pulse:thôn=1", "-lạ", "icecast://nguon@127.0.0.1:8000/khong-mat-khau"]
    numbers = [12.5, 0.0, 1e16, 95.123, -16.25, 1e-3, 3599.999]
    n = 0
    for t_index, when in enumerate(times):
        for s_index, status in enumerate(statuses):
            n += 1
            title_at = n * 3
            items = [] if status == "missed" else [
                prooflog.LoggedItem(
                    position=p, bulletin_id=None if p == 2 else n * 10 + p, title=AWKWARD[(title_at + p) % len(AWKWARD)]
                    or "Tin", topic=[None, "cchc", "y tế, dịch", "=SUM(A1)"][(n + p) % 4],
                    priority=["normal", "urgent", None][p % 3], text_sha256=f"{n * 7 + p:064x}" if p else None,
                    audio_sha256=f"{n * 11 + p:064x}", engine=["espeak", "gtts", None][(n + p) % 3],
                    duration_ms=1000, completed=status == "aired" or p == 0,
                    approved_by=["lanhdao", None, "+chủ tịch"][(n + p) % 3],
                    approved_at=[to_utc_text(when - timedelta(hours=p * 7, minutes=1)), None][(n + p) % 2])
                for p in range(1 + n % 3)]
            prooflog.append(db, prooflog.Entry(
                key=f"slot:{n}@{to_utc_text(when)}" if n % 4 else f"k,{n}\"x", scheduled_at=when, status=status,
                kind=kinds[n % 3], slot_id=None if n % 5 == 0 else n % 4,
                reason=None if status == "aired" else REASONS[n % len(REASONS)] or None,
                started_at=None if status == "missed" else when,
                ended_at=when + timedelta(seconds=40) if status in ("aired", "partial") else None,
                seconds_played=numbers[n % len(numbers)], programme_seconds=[30.0, None, 1e15, 0.001][n % 4],
                output=outputs[(t_index + s_index) % len(outputs)],
                programme_sha256=f"{n:064x}" if n % 3 else None,
                loudness_lufs=[None, -16.0, -23.45, 1e16][n % 4], items=items,
                # the daemon's answer, or none (judged by kind): a pulse output marked as feeding
                # no loudspeakers, a file output marked as feeding them
                loudspeakers=[None, None, False, True, None][n % 5]), now=when)
    now = times[-1] + timedelta(days=1)
    manual = corrections.add_manual(db, LEADER, started_at=times[3], seconds=300.5,
                                    reason="Mất điện, đọc loa tay",
                                    titles=["=đọc tay", "Tin, thứ hai"], status="aired", now=now)
    corrections.correct(db, LEADER, manual, reason='-sai giờ, "nhầm"', status="void", now=now)
    corrections.correct(db, LEADER, 2, reason="bổ sung lý do", now=now)


@pytest.fixture
def awkward(fresh_db):
    _seed(fresh_db)
    return fresh_db


PERIODS = [None, "2026-11", "2026-12", "2026-Q4", "2027-01"]


@pytest.mark.parametrize("english", [False, True], ids=["vietnamese", "english"])
@pytest.mark.parametrize("period_text", PERIODS)
def test_export_matches_the_python_reference_byte_for_byte(awkward, tmp_path, english, period_text):
    period = periods.parse(period_text) if period_text else None
    path = tmp_path / "log.csv"
    rows = csv_export.write(awkward, path, period, english=english)
    got = path.read_bytes()
    assert got == reference(awkward, period, english=english)
    parsed = list(csv.reader(io.StringIO(got.decode("utf-8-sig"))))
    assert rows == len(parsed) - 1 > 0  # the header and the rows: no chain head line to trip a reader
    assert {len(r) for r in parsed} == {len(parsed[0])}
    assert b"mat,khau" not in got and b"***" in got


@pytest.mark.parametrize("english", [False, True])
def test_text_streams_and_chunks_agree_with_the_file(awkward, english):
    out = io.StringIO()
    csv_export.write(awkward, out, None, english=english)
    assert codecs.BOM_UTF8 + out.getvalue().encode() == reference(awkward, None, english=english)
    assert "".join(csv_export.lines(awkward, None, english=english)) == out.getvalue()


def test_small_chunks_split_on_line_boundaries_and_report_progress(awkward):
    head = log_rows.head(awkward)
    seen = list(csv_sql.chunks(awkward.conn, csv_export.COLUMNS_VI, None, head.last_id, english=False,
                               rows_per_chunk=2))
    assert len(seen) > 10 and all(data.endswith(b"\r\n") for _, data in seen)
    reported = []
    csv_export.write(awkward, io.StringIO(), None, progress=reported.append)
    assert sum(reported) == sum(n for n, _ in seen) and len(reported) == 1  # once per chunk, not per row


def test_a_zone_with_daylight_saving_falls_back_to_an_offset_per_hour(awkward):
    new_york = ZoneInfo("America/New_York")  # leaves summer time on 1 November 2026, inside the range
    assert csv_sql.fixed_offset(awkward.conn, new_york) is None
    assert csv_sql.fixed_offset(awkward.conn, HCM) == "+25200 seconds"
    head = log_rows.head(awkward)
    got = b"".join(d for _, d in csv_sql.chunks(awkward.conn, csv_export.COLUMNS_VI, None, head.last_id,
                                                   english=False, zone=new_york))
    expected = reference(awkward, None, english=False, zone=new_york)
    assert got == expected[expected.index(b"\r\n") + 2:]


def test_a_log_reaching_back_before_1975_uses_the_zone_history(fresh_db):
    # Saigon kept UTC+08:00 until 13 June 1975; the same export spans both offsets
    for n, when in enumerate([datetime(1975, 6, 1, 16, 30, tzinfo=UTC), datetime(2026, 11, 1, 16, 30, tzinfo=UTC)]):
        prooflog.append(fresh_db, prooflog.Entry(key=f"k{n}", scheduled_at=when, status="missed"), now=when)
    assert csv_sql.fixed_offset(fresh_db.conn) is None
    out = io.StringIO()
    csv_export.write(fresh_db, out, None)
    text = out.getvalue()
    assert ",02/06/1975 00:30:00," in text and ",01/11/2026 23:30:00," in text
    assert codecs.BOM_UTF8 + text.encode() == reference(fresh_db, None, english=False)


@pytest.mark.parametrize("value", [0.0, 12.5, 0.1 + 0.2, 1e15, 1e16, 999999999999999.9, 1e-4, 1e-5, -16.234567891234567,
                                   1 / 3, 2.0 ** 60, -0.5, 123456.789, None])
def test_reals_are_written_as_python_writes_them(fresh_db, value):
    csv_sql._connect_functions(fresh_db.conn, HCM)
    (got,) = fresh_db.conn.execute(f"SELECT CAST(printf('%s', {csv_sql._real_cell('?')}) AS BLOB)"
                                   .replace("?", ":v"), {"v": value}).fetchone()
    assert got.decode() == ("" if value is None else repr(value))


def test_an_empty_log_has_the_header_and_the_genesis_head(fresh_db):
    out = io.StringIO()
    assert csv_export.write(fresh_db, out, None) == 0
    assert codecs.BOM_UTF8 + out.getvalue().encode() == reference(fresh_db, None, english=False)
