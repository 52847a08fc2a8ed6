"""The proof log in pages for outside readers, and the station's status."""

from datetime import timedelta

import pytest

from radio.bulletins import lifecycle as bulletins
from radio.proof import log as prooflog
from radio.reports import publish
from radio.schedule import slots
from radio.clock import to_utc_text
from radio.errors import ValidationError
from tests.support.actors import LEADER, OFFICER


def log(db, clock, n, *, start=None):
    start = start or clock.now()
    for i in range(n):
        prooflog.append(db, prooflog.Entry(
            key=f"k{start.isoformat()}:{i}", scheduled_at=start + timedelta(hours=i), status="aired",
            seconds_played=20.0, programme_seconds=20.0, programme_sha256="a" * 64,
            items=[prooflog.LoggedItem(0, None, f"Tin {i}", audio_sha256="b" * 64, completed=True)]),
            now=clock.now())


def test_pages_follow_the_chain_and_the_cursor_never_misses_or_doubles(fresh_db, clock):
    log(fresh_db, clock, 7)
    seen, after = [], 0
    while True:
        page = publish.log_page(fresh_db, after=after, limit=3)
        seen += [e["id"] for e in page.entries]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == list(range(1, 8))
    entry = publish.log_page(fresh_db, limit=1).entries[0]
    assert entry["hash"] and entry["prev_hash"] == prooflog.GENESIS
    assert entry["items"] == [dict(position=0, bulletin_id=None, title="Tin 0", topic=None, priority=None,
                                   text_sha256=None, audio_sha256="b" * 64, engine=None, duration_ms=None,
                                   completed=1, approved_by=None, approved_at=None)]


def test_month_and_local_days_filter_on_the_scheduled_time(fresh_db, clock):
    # 2026-11-23 08:00 local, hourly: 08:00 .. 23:00 on the 23rd, 00:00 .. 03:00 on the 24th
    log(fresh_db, clock, 20)
    assert len(publish.log_page(fresh_db, month="2026-11").entries) == 20
    assert publish.log_page(fresh_db, month="2026-12").entries == []
    assert len(publish.log_page(fresh_db, since="2026-11-24").entries) == 4
    assert len(publish.log_page(fresh_db, until="2026-11-23").entries) == 16
    assert len(publish.log_page(fresh_db, since="2026-11-23", until="2026-11-23").entries) == 16


@pytest.mark.parametrize("kwargs, message", [
    (dict(month="11/2026"), "not YYYY-MM"),
    (dict(since="hôm qua"), "not a date"),
    (dict(month="2026-11", since="2026-11-01"), "not both"),
    (dict(since="2026-11-02", until="2026-11-01"), "ends before it starts"),
    (dict(limit=0), "limit"), (dict(limit=501), "limit"), (dict(after=-1), "after"),
])
def test_bad_filters_are_refused(fresh_db, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        publish.log_page(fresh_db, **kwargs)


def test_status_names_the_next_occurrence_renders_waiting_and_the_head(fresh_db, clock):
    status = publish.station_status(fresh_db, clock.now())
    assert status["daemon_running"] is False and status["last_heartbeat"] is None
    assert status["next_occurrence"] is None and status["renders_pending"] == 0
    assert status["chain_head"] == {"entries": 0, "hash": prooflog.GENESIS}

    slot_id = slots.add_slot(fresh_db, actor=OFFICER, at="17:00", days="daily", now=clock.now())
    bulletin_id = bulletins.add_bulletin(fresh_db, actor=OFFICER, title="Tin", text="Nội dung.", now=clock.now())
    bulletins.approve_bulletin(fresh_db, bulletin_id, actor=LEADER, expected_sha256=None, by="leader", now=clock.now())
    fresh_db["station_state"].upsert({"name": "heartbeat", "value": to_utc_text(clock.now())}, pk="name")
    log(fresh_db, clock, 1)
    status = publish.station_status(fresh_db, clock.now() + timedelta(seconds=5))
    assert status["daemon_running"] is True
    assert status["next_occurrence"]["slot_id"] == slot_id
    assert status["next_occurrence"]["scheduled_at"] == "2026-11-23T10:00:00.000+00:00"  # 17:00 local
    assert status["renders_pending"] == 1
    assert status["chain_head"] == {"entries": 1, "hash": prooflog.chain_head(fresh_db)[1]}
