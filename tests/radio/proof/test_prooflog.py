import csv
import io
import sqlite3

import pytest

from radio.proof import chain, log as prooflog
from radio.reports import csv_export
from radio.proof.log import Entry, LoggedItem, append, claim, verify_chain


def entry(clock, key, status="aired", **kw):
    return Entry(key=key, scheduled_at=clock.now(), status=status, started_at=clock.now(),
                 ended_at=clock.now(), seconds_played=12.5, programme_seconds=12.5, output="file:/x",
                 items=[LoggedItem(1, 7, "Thông báo CCHC", topic="cchc", engine="espeak", completed=True)], **kw)


def test_append_only(fresh_db, clock):
    append(fresh_db, entry(clock, "slot1@a"), now=clock.now())
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        fresh_db.execute("UPDATE occurrences SET status = 'missed'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        fresh_db.execute("DELETE FROM occurrences")
    with pytest.raises(sqlite3.IntegrityError):
        append(fresh_db, entry(clock, "slot1@a"), now=clock.now())  # one final state per key


def test_chain_detects_tampering(fresh_db, clock):
    for n in range(3):
        append(fresh_db, entry(clock, f"slot1@{n}"), now=clock.now())
    assert verify_chain(fresh_db) == (True, None)
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        fresh_db.execute("DROP TRIGGER occurrences_no_update")  # refused on the station's connection
    fresh_db.conn.set_authorizer(None)  # an attacker with their own connection to the file
    fresh_db.execute("DROP TRIGGER occurrences_no_update")
    fresh_db.execute("UPDATE occurrences SET seconds_played = 99 WHERE id = 2")
    assert verify_chain(fresh_db) == (False, 2)


def test_claim_blocks_a_second_airing(fresh_db, clock):
    assert claim(fresh_db, key="k", slot_id=1, scheduled_at=clock.now(), now=clock.now(), output="o", items=[])
    assert not claim(fresh_db, key="k", slot_id=1, scheduled_at=clock.now(), now=clock.now(), output="o", items=[])
    append(fresh_db, entry(clock, "k"), now=clock.now())
    assert fresh_db["claims"].count == 0
    assert not claim(fresh_db, key="k", slot_id=1, scheduled_at=clock.now(), now=clock.now(), output="o", items=[])


def test_csv_export_has_a_row_per_item(fresh_db, clock):
    append(fresh_db, entry(clock, "slot1@a"), now=clock.now())
    append(fresh_db, Entry(key="slot1@b", scheduled_at=clock.now(), status="missed",
                           reason="station was not running"), now=clock.now())
    out = io.StringIO()
    assert csv_export.write(fresh_db, out, None, english=True) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["title"] == "Thông báo CCHC" and rows[0]["status"] == "aired"
    assert rows[1]["status_vi"] == "bị lỡ" and rows[1]["reason"] == "station was not running"
    assert rows[0]["scheduled_local"] == "23/11/2026 08:00:00"


def test_month_filter_uses_station_time(fresh_db, clock):
    append(fresh_db, entry(clock, "slot1@a"), now=clock.now())
    assert len(prooflog.entries(fresh_db, month="2026-11")) == 1
    assert prooflog.entries(fresh_db, month="2026-12") == []


def test_log_row_says_who_approved_and_the_output_kind(fresh_db, clock):
    item = LoggedItem(1, 7, "Tin", approved_by="Chủ tịch", approved_at="2026-11-22T01:00:00.000+00:00",
                      completed=True)
    append(fresh_db, Entry(key="slot1@a", scheduled_at=clock.now(), status="aired", output="file:/x",
                           items=[item]), now=clock.now())
    (row,) = prooflog.entries(fresh_db)
    assert row["output_kind"] == "file"
    assert (row["items"][0]["approved_by"], row["items"][0]["approved_at"]) == (
        "Chủ tịch", "2026-11-22T01:00:00.000+00:00")
    assert verify_chain(fresh_db) == (True, None)
    # the chain covers the approval: rewriting it (triggers aside) is detected
    fresh_db.conn.set_authorizer(None)  # an attacker's own connection has no guard
    fresh_db.execute("DROP TRIGGER occurrence_items_no_update")
    fresh_db.execute("UPDATE occurrence_items SET approved_by = 'Người khác'")
    assert verify_chain(fresh_db) == (False, row["id"])


def test_rows_written_before_the_new_columns_still_verify(fresh_db, clock):
    # a row hashed the old way (no output_kind, no approval) as an older station wrote it
    row = {"key": "slot1@a", "kind": "slot", "slot_id": None, "scheduled_at": "2026-11-22T01:00:00.000+00:00",
           "started_at": None, "ended_at": None, "seconds_played": 0.0, "programme_seconds": None,
           "status": "missed", "reason": "x", "output": None, "programme_sha256": None,
           "loudness_lufs": None, "hooks": None, "logged_at": "2026-11-22T01:00:00.000+00:00",
           "prev_hash": prooflog.GENESIS}
    row["hash"] = chain.row_hash(row, [])
    fresh_db.conn.set_authorizer(None)  # written as an older version wrote it, before the guard
    fresh_db["occurrences"].insert(row)
    append(fresh_db, entry(clock, "slot1@b"), now=clock.now())
    assert verify_chain(fresh_db) == (True, None)


@pytest.mark.parametrize("month", ["9999-12", "0000-01", "2026-13", "2026-1²", "1" * 40])
def test_months_that_used_to_crash_are_refused(fresh_db, month):
    from radio.errors import ValidationError

    with pytest.raises(ValidationError, match="is not YYYY-MM"):
        prooflog.entries(fresh_db, month=month)


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://evil.example\",\"Bấm\")", "+1+1", "-2+3", "@SUM(A1)",
                                   "\tTab", "\rCR"])
def test_exploit_csv_cells_never_carry_formulas(fresh_db, clock, title):
    append(fresh_db, Entry(key="slot1@a", scheduled_at=clock.now(), status="aired", output="file:/x",
                           loudness_lufs=-16.0, items=[LoggedItem(1, 7, title, completed=True)]), now=clock.now())
    out = io.StringIO()
    csv_export.write(fresh_db, out, None, english=True)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))  # the chain head is no CSV row
    assert row["title"] == "'" + title
    assert row["loudness_lufs"] == "-16.0"  # numbers are not text: left as they are
    assert row["output_kind"] == "file" and row["output_note"] == "ra tệp (không phát ra loa)"
