"""kill -9 of the real daemon at random points, cycle after cycle, while slots keep coming,
then a daemon left alone: it airs the slots after the storm normally, in order.

The short version (8 kills) runs with the end-to-end tests; the long one (what must
hold: at least 200 kills, zero duplicates, zero lost occurrences) is
``RADIO_FAULT_CYCLES=200 scripts/test -m faults tests/faults/test_kill_cycles.py``.
"""

from __future__ import annotations

import os
import random
import time
from datetime import datetime, timedelta

import pytest

from radio.schedule import slots
from radio.clock import STATION_TZ
from radio.store.connection import connect
from tests.e2e.station_process import StationCli, stop, wait_for
from tests.faults.invariants import admin_alert, assert_chain_verifies, assert_each_once, logged
from tests.support.actors import ADMIN

# not realtime: it asserts what aired, how often and in which order, never how late (a
# benchmark's figure), so it runs beside the other end-to-end tests, first as it is long
pytestmark = [pytest.mark.e2e, pytest.mark.long]

SHORT = "UBND xã thông báo lịch tiếp công dân."
SPACING = timedelta(seconds=5)  # a programme of SHORT lasts about 3 s


def _add_slots_until(home, horizon: datetime, last: datetime | None) -> datetime:
    """One-off slots every SPACING up to *horizon*, added as the admin would while the daemon runs."""
    db = connect(home / "radio.db")
    try:
        now = datetime.now(STATION_TZ)
        when = max(last + SPACING if last else now, now + timedelta(seconds=2)).replace(microsecond=0)
        while when <= horizon:
            slots.add_slot(db, at=when.strftime("%H:%M:%S"), on_date=when.date().isoformat(), now=now,
                           actor=ADMIN)
            last, when = when, when + SPACING
    finally:
        db.conn.close()
    return last


@pytest.mark.parametrize("cycles", [
    pytest.param(8, id="short"),
    pytest.param(int(os.environ.get("RADIO_FAULT_CYCLES", "200")), id="long", marks=pytest.mark.faults),
])
def test_kill_9_cycles_never_air_twice_and_lose_nothing(tmp_path, cycles):
    cli = StationCli(tmp_path / "home", {"NO_PROXY": "*"})
    for name, value in (("engine", "espeak"), ("use_jingles", "false"), ("ident_text", ""), ("gap_ms", "200")):
        cli.run("settings", "set", name, value)
    cli.add_approved("Tin ngắn", SHORT, repeat="1000")
    out_dir = tmp_path / "aired"
    rng = random.Random(20261201 + cycles)
    last, started = None, datetime.now(STATION_TZ)
    for _ in range(cycles):
        last = _add_slots_until(cli.home, datetime.now(STATION_TZ) + timedelta(seconds=12), last)
        proc = cli.start_station(f"file:{out_dir}")
        time.sleep(rng.uniform(0.3, 4.0))  # before start-up is done, while deciding, mid-programme...
        proc.kill()  # kill -9: no clean-up at all
        proc.wait()
    # after the storm, three more slots for a daemon left alone: it airs normally again
    calm = datetime.now(STATION_TZ) + timedelta(seconds=3)
    last = _add_slots_until(cli.home, max(last, calm + 3 * SPACING), last)
    proc = cli.start_station(f"file:{out_dir}")
    db = connect(cli.home / "radio.db")
    try:
        expected = {o.key for o in slots.occurrences_between(slots.list_slots(db), started - SPACING,
                                                              last + SPACING)}
        wait_for(lambda: len(logged(cli.home)) >= len(expected), timeout=120)
    finally:
        db.conn.close()
        stop(proc)
    rows = assert_each_once(cli.home, expected, out_dir)
    assert_chain_verifies(cli)
    statuses = {r["status"] for r in rows}
    assert "aired" in statuses and statuses <= {"aired", "partial", "failed", "missed"}
    if statuses != {"aired"}:
        assert "buổi phát gặp sự cố" in admin_alert(cli.home, rows)
    after = sorted((r for r in rows if datetime.fromisoformat(r["scheduled_at"]) > calm),
                   key=lambda r: r["scheduled_at"])
    assert len(after) >= 3 and [r["status"] for r in after] == ["aired"] * len(after), after
    # ... in order, each once (how late they start is a benchmark's figure, not this test's:
    # on a loaded two-core CI machine a restarted daemon started one 3.6 s late)
    started_at = [datetime.fromisoformat(r["started_at"]) for r in after]
    assert started_at == sorted(started_at)
    print(f"\n{cycles} kills, {len(expected)} occurrences: "
          + ", ".join(f"{s} {sum(r['status'] == s for r in rows)}" for s in sorted(statuses)))
