"""A week of a busy station in simulated time: wall time and peak memory.

The station's own bookkeeping (running order per occurrence, proof-log rows
with a hash chain, reconciling two power cuts) runs under an injected clock,
against a baseline that only expands the same slots with APScheduler's
CronTrigger. Prints both side by side and the ratio.

Run: ``.venv/bin/python benchmarks/station_week_simulation.py [--days 7] [--bulletins 200]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apscheduler.triggers.cron import CronTrigger  # noqa: E402

from radio.bulletins.lifecycle import add_bulletin, approve_bulletin  # noqa: E402
from radio.clock import STATION_TZ, ManualClock  # noqa: E402
from radio.store.home import open_home  # noqa: E402
from radio.station.simulation import simulate  # noqa: E402
from radio.schedule.slots import add_slot  # noqa: E402
from radio.store.connection import connect  # noqa: E402
from tests.support.actors import LEADER, OFFICER  # noqa: E402

SLOT_TIMES = ("05:30", "06:15", "07:00", "11:00", "11:45", "16:30", "17:00", "17:45", "19:30", "20:30")


def seed(home, clock, bulletins: int) -> None:
    db = connect(home.database)
    for at in SLOT_TIMES:
        add_slot(db, at=at, days="daily", now=clock.now(), cap_minutes=15, actor=OFFICER)
    for n in range(bulletins):
        new_id = add_bulletin(db, title=f"Tin {n}", text="Nội dung. " * 40, now=clock.now(),
                              priority=("normal", "normal", "priority", "urgent")[n % 4], repeat_count=1 + n % 6, actor=OFFICER)
        approve_bulletin(db, new_id, by="bench", now=clock.now(), actor=LEADER, expected_sha256=None)
        db["renders"].update(new_id, {"state": "done", "duration_ms": 30_000 + 500 * (n % 40)})
    db.conn.close()


def measure(fn):
    tracemalloc.start()
    started = time.perf_counter()
    value = fn()
    wall = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return value, wall, peak / 2**20


def baseline(days: int):
    """APScheduler's own expansion of the same slots over the same days."""
    fires = 0
    start = datetime(2026, 11, 23, tzinfo=STATION_TZ)
    end = start + timedelta(days=days)
    for at in SLOT_TIMES:
        hour, minute = at.split(":")
        trigger = CronTrigger(hour=hour, minute=minute, timezone=STATION_TZ)
        previous, when = None, start
        while True:
            when = trigger.get_next_fire_time(previous, when)
            if when is None or when > end:
                break
            fires += 1
            previous = when
            when = when + timedelta(seconds=1)
    return fires


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--bulletins", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = open_home(Path(folder) / "home")
        clock = ManualClock(datetime(2026, 11, 22, 17, 0, tzinfo=UTC))
        seed(home, clock, args.bulletins)
        start = clock.now()
        cuts = [(start + timedelta(days=2, hours=1), start + timedelta(days=2, hours=9)),
                (start + timedelta(days=4, hours=5, minutes=59), start + timedelta(days=4, hours=6, minutes=3))]
        result, wall, peak = measure(lambda: simulate(home, clock, days=args.days, downtime=cuts))
        fires, base_wall, base_peak = measure(lambda: baseline(args.days))
        db_kib = home.database.stat().st_size / 1024
    print(f"{args.days} simulated days, {len(SLOT_TIMES)} slots a day, {args.bulletins} bulletins, 2 power cuts")
    print(f"{'':34}{'wall s':>9}{'peak MiB':>10}{'occurrences':>13}")
    print(f"{'baseline (CronTrigger expansion)':34}{base_wall:9.3f}{base_peak:10.2f}{fires:13d}")
    print(f"{'radio simulation (plan+log+sync)':34}{wall:9.3f}{peak:10.2f}{result.occurrences:13d}")
    print(f"ratio: {wall / base_wall:.0f}x the wall time, {peak / max(base_peak, 1e-6):.1f}x the memory; "
          f"simulated/real time {args.days * 86400 / wall:,.0f}x")
    print(f"statuses: {dict(result.statuses)}; items aired: {result.items_aired}; database {db_kib:.0f} KiB")
    if set(result.keys.values()) != {1} or result.occurrences != fires:
        sys.exit("an occurrence was logged twice or lost")


if __name__ == "__main__":
    main()
