"""The final row of an occurrence: tried again while the database refuses it, and failed
tries retried on their grid while grace lasts, then one failed row naming them."""

import logging
import sqlite3
import threading
from datetime import datetime, timezone

import pytest

from radio.clock import ManualClock
from radio.proof import chain, log as prooflog
from radio.station import ProofWriter
from radio.station.faults import CLAIM, AirFailure
from radio.station.progress import Tries
from radio.store import connection as store
from radio.store.connection import connect
from radio.wording import reasons
from radio.wording.reasons import reason

KEY = "slot1@2026-11-23T08:00:00"
SETTINGS = {"output_retry_s": 30, "grace_minutes": 1}
LOCKED = AirFailure(CLAIM, sqlite3.OperationalError("database is locked"))
START = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)  # the clock fixture's 08:00


class ReleasingClock(ManualClock):
    """A manual clock that runs *on_wait* at each wait (a retry's)."""

    def __init__(self, start, on_wait=lambda: None):
        super().__init__(start)
        self.on_wait = on_wait

    def wait(self, event, seconds):
        self.on_wait()
        return super().wait(event, seconds)


def writer_for(home, db, clock, stopping=None):
    return ProofWriter(db, threading.RLock(), home.database, clock, lambda: SETTINGS, stopping or threading.Event())


def entry():
    return prooflog.Entry(key=KEY, slot_id=1, scheduled_at=START, status="failed", output="file:/x")


def test_failed_tries_are_retried_within_grace_then_one_failed_row(home, db, clock):
    writer, tries = writer_for(home, db, clock), Tries()
    assert writer.retry_or_fail(entry(), LOCKED, tries)  # 08:00:00, next at 08:00:30
    assert writer.retry_or_fail(entry(), LOCKED, tries)  # 08:00:30, next at 08:01:00
    assert clock.now().strftime("%H:%M:%S") == "01:01:00"
    assert not writer.retry_or_fail(entry(), LOCKED, tries)  # the next would be past grace
    (row,) = db["occurrences"].rows
    assert row["status"] == "failed"
    assert row["reason"] == ("could not claim the slot in the log: the database was locked by another "
                             "program for too long (after 3 tries from 08:00:00 to 08:01:00)")
    (parts,) = db.execute("SELECT parts FROM occurrence_reasons").fetchone()
    assert reasons.vietnamese(reasons.from_json(parts)) == (
        "không ghi được lượt phát vào nhật ký: cơ sở dữ liệu bị một chương trình khác khóa quá lâu "
        "(sau 3 lần thử từ 08:00:00 đến 08:01:00)")


def test_a_stopping_daemon_leaves_the_occurrence_to_the_next_start(home, db, clock):
    stopping = threading.Event()
    stopping.set()
    assert not writer_for(home, db, clock, stopping).retry_or_fail(entry(), LOCKED, Tries())
    assert db["occurrences"].count == 0


def test_a_row_the_database_refuses_is_tried_again_and_lands_once(home, db, monkeypatch, caplog):
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.05)
    locker = connect(home.database)
    locker.conn.execute("BEGIN IMMEDIATE")
    clock = ReleasingClock(START, on_wait=lambda: locker.conn.in_transaction and locker.conn.execute("ROLLBACK"))
    writer = ProofWriter(connect(home.database), threading.RLock(), home.database, clock, lambda: SETTINGS,
                         threading.Event())
    with caplog.at_level(logging.WARNING, logger="radio.station"):
        writer.append(prooflog.Entry(key=KEY, scheduled_at=clock.now(), status="missed",
                                     reasons=[reason("suspended", late_s=900.0)]))
        writer.append(prooflog.Entry(key=KEY, scheduled_at=clock.now(), status="missed"))  # logged already
    (row,) = connect(home.database)["occurrences"].rows
    assert row["reason"] == "station was suspended or its clock jumped: 900 s late, beyond the grace window"
    assert sum(r.getMessage().startswith(f"Cannot write the log row of {KEY}") for r in caplog.records) == 1


def test_rows_with_and_without_codes_verify_in_one_chain(db, clock):
    prooflog.append(db, prooflog.Entry(key="a", scheduled_at=clock.now(), status="missed",
                                       reason="station was not running until 23/11/2026 08:00:00"), now=clock.now())
    prooflog.append(db, prooflog.Entry(key="b", scheduled_at=clock.now(), status="missed",
                                       reasons=[reason("away", until="23/11/2026 08:00:00")]), now=clock.now())
    old, new = prooflog.entries(db)[::-1]
    assert old["reason"] == new["reason"]  # the English column as it always was
    assert old["reason_parts"] is None and reasons.shown(new["reason"], new["reason_parts"]) == \
        reasons.shown(old["reason"]) == "đài không chạy đến 23/11/2026 08:00"
    assert chain.verify(db).ok
    with pytest.raises(Exception, match="append-only"):
        db.execute("UPDATE occurrence_reasons SET parts = '[]'")
