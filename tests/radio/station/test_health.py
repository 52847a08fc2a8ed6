"""The officer's warnings: each recent occurrence judged at the status it stands at.

Written as the finding: a missed slot the officer then read live at the microphone and
corrected to "aired" still showed as a problem on every page, and correcting the wording
of a missed entry made the banner count two problems for one slot.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from radio.proof import corrections, log as prooflog
from radio.station.health import recent_problems
from radio.proof.log import Entry
from radio.store.connection import connect
from tests.support.actors import LEADER

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    db = connect(tmp_path / "radio.db")
    yield db
    db.conn.close()


def _entry(db, key: str, status: str, *, reason: str = "", ago_h: float = 1) -> int:
    at = NOW - timedelta(hours=ago_h)
    return prooflog.append(db, Entry(key=key, scheduled_at=at, status=status, reason=reason), now=at)


def test_a_missed_entry_corrected_to_aired_warns_no_more(db):
    missed = _entry(db, "slot1@a", "missed", reason="the daemon was not running")
    assert [p["key"] for p in recent_problems(db, NOW)] == ["slot1@a"]
    corrections.correct(db, LEADER, missed, reason="Đọc trực tiếp qua micrô", status="aired", now=NOW)
    assert recent_problems(db, NOW) == []


def test_a_correction_of_wording_is_not_a_second_problem(db):
    missed = _entry(db, "slot1@a", "missed", reason="the daemon was not running")
    corrections.correct(db, LEADER, missed, reason="Mất điện từ 5 giờ", now=NOW)
    problems = recent_problems(db, NOW)
    assert [(p["key"], p["status"]) for p in problems] == [("slot1@a", "missed")]


def test_an_aired_entry_corrected_to_failed_warns(db):
    aired = _entry(db, "slot1@a", "aired")
    _entry(db, "slot2@b", "partial", ago_h=0.5)
    corrections.correct(db, LEADER, aired, reason="Loa thôn 3 không kêu", status="failed", now=NOW)
    assert [(p["key"], p["status"]) for p in recent_problems(db, NOW)] == [
        ("slot2@b", "partial"), ("slot1@a", "failed")]


def test_the_window_and_the_left_out_cancellations_still_hold(db):
    _entry(db, "slot1@old", "failed", ago_h=30)
    _entry(db, "slot1@empty", "cancelled", reason="no approved bulletin for this slot")
    _entry(db, "slot1@left", "cancelled",
           reason="approved bulletins left out; #2: speech still rendering at the cut-off")
    voided = _entry(db, "slot1@void", "failed")
    corrections.correct(db, LEADER, voided, reason="Nhập nhầm", status="void", now=NOW)
    assert [p["key"] for p in recent_problems(db, NOW)] == ["slot1@left"]
