"""The clock jumping forward (a wrong NTP fix, a dead CMOS battery corrected) and back,
through the station's own reconcile with an injected clock: nothing airs twice, the
skipped occurrences are missed with a reason, and the chain still verifies."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from radio.proof import log as prooflog
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin
from radio.station.simulation import _Simulator
from radio.schedule.slots import add_slot, list_slots, occurrences_between
from tests.support.actors import ADMIN, LEADER, OFFICER


def _busy(db, clock):
    for minute in range(0, 60, 10):
        add_slot(db, at=f"08:{minute:02d}", days="daily", now=clock.now(), cap_minutes=3, actor=ADMIN)
    for n in range(12):
        new_id = add_bulletin(db, title=f"Tin {n}", text="Nội dung tin bài. " * 5, now=clock.now(), repeat_count=50,
                              actor=OFFICER)
        approve_bulletin(db, new_id, now=clock.now(), actor=LEADER, expected_sha256=None)
        db["renders"].update(new_id, {"state": "done", "duration_ms": 20_000})


def test_clock_jumps_forward_and_back_never_air_twice(home, db, clock):
    _busy(db, clock)  # the fixture's clock is 08:00 local
    start = clock.now()
    owed = occurrences_between(list_slots(db), start, start + timedelta(hours=1))
    sim = _Simulator(home, clock)
    for occ in owed[:3]:  # 08:00, 08:10, 08:20 air normally
        sim.tick(occ.scheduled_at)
        sim.air(occ)
    # forward: the clock leaps from 08:20 to 08:55; 08:30-08:50 were never reached
    sim.come_back(start + timedelta(minutes=55))
    # back: an NTP correction puts the clock at 08:05 again; what aired must not air again
    sim.come_back(start + timedelta(minutes=5))
    for occ in owed[:3]:
        sim.air(occ)  # the scheduler fires the same instants a second time
    sim.come_back(start + timedelta(hours=2))
    rows = list(db["occurrences"].rows_where(order_by="id"))
    keys = Counter(r["key"] for r in rows)
    assert set(keys) == {o.key for o in owed} and set(keys.values()) == {1}, keys
    by_key = {r["key"]: r for r in rows}
    assert [by_key[o.key]["status"] for o in owed[:3]] == ["aired"] * 3
    skipped = [by_key[o.key] for o in owed[3:]]
    assert all(r["status"] in ("missed", "aired") and (r["status"] == "aired" or r["reason"]) for r in skipped)
    assert any(r["status"] == "missed" for r in skipped)
    assert prooflog.verify_chain(db) == (True, None)
