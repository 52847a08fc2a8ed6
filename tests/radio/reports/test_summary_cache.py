"""The log page's summary cache: fresh after every append, and one summary per period.

Written as the finding: a 30-minute soak of ``radio serve`` grew from 270 to 745 MB,
because the cache kept a year's summary for every chain head it had seen (each
airing makes a new head) until 32 of them were held.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from radio.proof import log as prooflog
from radio.proof.log import Entry, LoggedItem
from radio.reports import periods, summary_cache
from radio.store.connection import connect

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setattr(summary_cache, "_cache", type(summary_cache._cache)())
    db = connect(tmp_path / "radio.db")
    yield db
    db.conn.close()


def _air(db, n: int) -> None:
    at = datetime(2026, 11, 1, 10, 0, tzinfo=UTC) + timedelta(hours=n)
    prooflog.append(db, Entry(
        key=f"slot:1@{at.isoformat()}", scheduled_at=at, status="aired", slot_id=1, started_at=at,
        ended_at=at + timedelta(seconds=60), seconds_played=60.0, programme_seconds=60.0, output="device",
        items=[LoggedItem(position=1, bulletin_id=n, title=f"Tin {n}", topic="cchc", completed=True)]),
        now=at + timedelta(seconds=61))


def test_every_append_is_seen_and_only_the_newest_summary_of_a_period_is_kept(db):
    november, year = periods.parse("2026-11"), periods.parse("2026")
    for n in range(1, 13):
        _air(db, n)
        summary, png = summary_cache.summary_and_chart(db, november, NOW)
        assert summary.by_status["aired"] == n and png.startswith(b"\x89PNG")
        assert summary_cache.summary_and_chart(db, year, NOW)[0].by_status["aired"] == n
    assert len(summary_cache._cache) == 2


def test_an_unchanged_log_is_served_from_the_cache(db):
    _air(db, 1)
    november = periods.parse("2026-11")
    first = summary_cache.summary_and_chart(db, november, NOW)
    assert summary_cache.summary_and_chart(db, november, NOW + timedelta(minutes=5)) is first
