"""Run the station's bookkeeping over days of simulated time, with no sound.

What the daemon decides at each occurrence (running order, proof-log row,
reconciling gaps when it was down, catching up within grace) is replayed with
an injected clock, so a week of a busy station takes seconds. Used by the
tests and the week benchmark.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from radio.proof import log as prooflog
from radio.store.home import Home
from radio.schedule.slots import Occurrence, list_slots, occurrences_between
from radio.station import Station
from radio.station.decide import fix


@dataclass
class SimulationResult:
    occurrences: int = 0
    statuses: Counter = field(default_factory=Counter)
    items_aired: int = 0
    keys: Counter = field(default_factory=Counter)


class _Simulator:
    def __init__(self, home: Home, clock):
        self.clock = clock
        self.station = Station(home, output=f"file:{home.outputs}", clock=clock)
        self.db = self.station.db

    def air(self, occ: Occurrence) -> None:
        """Log the occurrence as the daemon would after playing its running order."""
        if prooflog.is_logged(self.db, occ.key):
            return
        # the daemon's own decision (reservations included), at its cut-off
        decision = fix(self.db, occ, self.station.settings, self.clock.now(), self.clock.now(), verify=False)
        items = decision.items
        started = self.clock.now()
        entry = prooflog.Entry(key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                               status="aired" if items else "cancelled", started_at=started,
                               reason=None if items else decision.cancel_reason)
        for position, item in enumerate(items, 1):
            entry.items.append(prooflog.LoggedItem(position, item.id, item.bulletin["title"],
                                                   topic=item.bulletin["topic"],
                                                   duration_ms=item.duration_ms, completed=True))
        entry.seconds_played = entry.programme_seconds = sum(i.duration_ms for i in items) / 1000
        entry.ended_at = started + timedelta(seconds=entry.seconds_played)
        prooflog.append(self.db, entry, now=entry.ended_at)

    def come_back(self, when: datetime) -> None:
        """The station starts again: reconcile, then air the catch-ups it owed."""
        self.clock.set(when)
        jobs = self.station.jobs
        self.station.reconciler.reconcile(self.clock.now())
        jobs.hand_over()
        for key in jobs.take_due(self.clock.now()):
            for occ in jobs.waiting(key):  # catch-ups air one after the other, oldest first
                self.air(occ)
            jobs.drop(key)

    def tick(self, when: datetime) -> None:
        self.clock.set(when)
        self.station.reconciler.heartbeat(when)


def simulate(home: Home, clock, *, days: float,
             downtime: list[tuple[datetime, datetime]] = ()) -> SimulationResult:
    """Advance *clock* through *days*; air every occurrence except during *downtime*
    windows, after which the station reconciles exactly as after a power cut."""
    sim = _Simulator(home, clock)
    end = clock.now() + timedelta(days=days)
    owed = occurrences_between(list_slots(sim.db, active_only=True), clock.now(), end)
    down = sorted(downtime)
    for occ in owed:
        while down and down[0][1] <= occ.scheduled_at:
            sim.come_back(down.pop(0)[1])
        if down and down[0][0] <= occ.scheduled_at:
            continue  # the station is off
        sim.tick(occ.scheduled_at)
        sim.air(occ)
    for _, back in down:
        sim.come_back(back)
    sim.come_back(max(clock.now(), end))
    result = SimulationResult()
    for row in sim.db["occurrences"].rows:
        result.occurrences += 1
        result.statuses[row["status"]] += 1
        result.keys[row["key"]] += 1
    result.items_aired = sim.db.execute(
        "SELECT count(*) FROM occurrence_items WHERE completed = 1").fetchone()[0]
    sim.db.conn.close()
    return result
