import csv
import io
import sqlite3

import pytest

from radio import prooflog
from radio.exports import write_csv
from radio.prooflog import Entry, LoggedItem, append, claim, verify_chain


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
    assert write_csv(fresh_db, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["title"] == "Thông báo CCHC" and rows[0]["status"] == "aired"
    assert rows[1]["status_vi"] == "bị lỡ" and rows[1]["reason"] == "station was not running"
    assert rows[0]["scheduled_local"] == "23/11/2026 08:00:00"


def test_month_filter_uses_station_time(fresh_db, clock):
    append(fresh_db, entry(clock, "slot1@a"), now=clock.now())
    assert len(prooflog.entries(fresh_db, month="2026-11")) == 1
    assert prooflog.entries(fresh_db, month="2026-12") == []
