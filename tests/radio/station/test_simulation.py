"""Weeks of a busy station in simulated time: every occurrence ends in exactly one state."""

from datetime import timedelta

from radio.bulletins.lifecycle import add_bulletin, approve_bulletin
from radio.clock import to_utc_text
from radio.station.simulation import simulate
from radio.schedule.slots import add_slot, list_slots, occurrences_between
from tests.support.actors import LEADER, OFFICER


def busy_station(db, clock, bulletins=30):
    for at in ("05:30", "11:00", "17:00"):
        add_slot(db, at=at, days="daily", now=clock.now(), cap_minutes=5, actor=OFFICER)
    add_slot(db, at="19:30", days="mon,wed,fri", now=clock.now(), topics="cchc", cap_minutes=3, actor=OFFICER)
    add_slot(db, at="09:00", days="sat", now=clock.now(), valid_until="2026-12-05", actor=OFFICER)
    for n in range(bulletins):
        new_id = add_bulletin(db, title=f"Tin {n}", text="Nội dung tin bài. " * (5 + n % 7), now=clock.now(),
                              topic="cchc" if n % 3 else "y-te", priority=("normal", "priority", "urgent")[n % 3 // 2],
                              repeat_count=1 + n % 5, valid_from="2026-11-23" if n % 4 else "2026-11-26", actor=OFFICER)
        approve_bulletin(db, new_id, by="lead", now=clock.now(), actor=LEADER, expected_sha256=None)
        db["renders"].update(new_id, {"state": "done", "duration_ms": 20_000 + 1000 * n})


def test_two_weeks_with_power_cuts(home, db, clock):
    busy_station(db, clock)
    start = clock.now()
    owed = occurrences_between(list_slots(db), start, start + timedelta(days=14))
    cuts = [(start + timedelta(days=2, hours=3), start + timedelta(days=3, hours=1)),  # a long cut: missed
            (owed[20].scheduled_at - timedelta(minutes=1), owed[20].scheduled_at + timedelta(minutes=4))]
    result = simulate(home, clock, days=14, downtime=cuts)
    assert result.occurrences == len(owed) and set(result.keys.values()) == {1}
    assert result.statuses["missed"] >= 3
    # the short cut lasts less than the grace window: caught up when power returns, not missed
    short = db.execute("SELECT status, started_at FROM occurrences WHERE key = ?", [owed[20].key]).fetchone()
    assert short[0] in ("aired", "cancelled") and short[1] == to_utc_text(cuts[1][1])
    # repeats are honoured: no bulletin airs more often than its repeat count
    over = db.execute(
        "SELECT i.bulletin_id FROM occurrence_items i JOIN bulletins b ON b.id = i.bulletin_id "
        "GROUP BY i.bulletin_id HAVING count(*) > max(b.repeat_count)").fetchall()
    assert over == []
    # no programme is longer than its slot's cap
    too_long = db.execute(
        "SELECT o.key FROM occurrences o JOIN slots s ON s.id = o.slot_id "
        "WHERE o.programme_seconds > coalesce(s.cap_minutes, 30) * 60").fetchall()
    assert too_long == []
