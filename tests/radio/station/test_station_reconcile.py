"""The daemon's bookkeeping with an injected clock: missed, caught up, interrupted."""

import os
import threading
import time
from datetime import timedelta

import pytest

from radio.proof import log as prooflog
from radio import settings as settings_mod
from radio.clock import STATION_TZ, to_utc_text
from radio.schedule.slots import add_slot, list_slots, occurrences_between
from radio.station import Station, prune_programmes
from radio.store.connection import connect
from tests.support.actors import ADMIN, OFFICER


@pytest.fixture
def station_at(home, clock):
    def make():
        return Station(home, output=f"file:{home.outputs}", clock=clock)
    return make


def rows(home):
    return list(connect(home.database)["occurrences"].rows_where(order_by="id"))


def test_occurrence_missed_while_off_is_logged_with_the_reason(home, db, clock, station_at):
    add_slot(db, at="08:30", days="daily", now=clock.now(), actor=OFFICER)
    db["station_state"].insert({"name": "heartbeat", "value": to_utc_text(clock.now())})
    clock.advance(3 * 3600)  # machine off from 08:00 to 11:00
    station = station_at()
    station.reconciler.reconcile(clock.now())
    (row,) = rows(home)
    assert row["status"] == "missed" and row["key"] == "slot1@2026-11-23T08:30:00"
    assert "station was not running from 23/11/2026 08:00:00 until 23/11/2026 11:00:00" == row["reason"]
    station.reconciler.reconcile(clock.now())  # idempotent
    assert len(rows(home)) == 1


def test_within_grace_it_catches_up_instead(home, db, clock, station_at):
    add_slot(db, at="08:30", days="daily", now=clock.now(), actor=OFFICER)
    clock.advance(35 * 60)  # 5 minutes late, grace is 10
    station = station_at()
    station.reconciler.reconcile(clock.now())
    assert rows(home) == []
    station.jobs.hand_over()  # decided under the lock, handed over after it
    assert station.scheduler.get_job("slot1@2026-11-23T08:30:00") is not None


def test_occurrences_before_the_slot_existed_are_not_owed(home, db, clock, station_at):
    clock.advance(3600)
    add_slot(db, at="08:30", days="daily", now=clock.now(), actor=OFFICER)  # created at 09:00
    station_at().reconciler.reconcile(clock.now())
    assert rows(home) == []


def test_a_week_of_downtime_is_all_logged_missed(home, db, clock, station_at):
    for at in ("05:30", "17:00"):
        add_slot(db, at=at, days="mon,tue,wed,thu,fri", now=clock.now() - timedelta(days=30), actor=OFFICER)
    db["station_state"].insert({"name": "heartbeat", "value": to_utc_text(clock.now())})
    clock.advance(7 * 86400)
    station_at().reconciler.reconcile(clock.now())
    logged = rows(home)
    assert len(logged) == 10 and {r["status"] for r in logged} == {"missed"}
    assert len({r["key"] for r in logged}) == 10


def test_claim_left_by_a_killed_daemon_is_closed_never_aired_again(home, db, clock, station_at):
    prooflog.claim(db, key="slot1@x", slot_id=1, scheduled_at=clock.now(), now=clock.now(),
                   output="file:/x", items=[prooflog.LoggedItem(1, 5, "Tin", completed=False)])
    prooflog.mark_started(db, "slot1@x", clock.now())
    station = station_at()
    station.reconciler.close_stale_claims()
    (row,) = rows(home)
    assert row["status"] == "partial" and "died while on air" in row["reason"]
    assert not prooflog.claim(db, key="slot1@x", slot_id=1, scheduled_at=clock.now(), now=clock.now(),
                              output="o", items=[])


def test_claim_that_never_reached_the_output_is_caught_up(home, db, clock, station_at):
    add_slot(db, at="08:30", days="daily", now=clock.now(), actor=OFFICER)
    clock.advance(30 * 60 + 5)
    key = "slot1@2026-11-23T08:30:00"
    prooflog.claim(db, key=key, slot_id=1, scheduled_at=clock.now(), now=clock.now(), output="o", items=[])
    station = station_at()
    station.reconciler.close_stale_claims()
    station.reconciler.reconcile(clock.now())
    assert rows(home) == [] and db["claims"].count == 0
    station.jobs.hand_over()  # decided under the lock, handed over after it
    assert station.scheduler.get_job(key) is not None


def test_settings_reach_the_daemon(home, db, clock, station_at):
    settings_mod.save(db, "grace_minutes", "3", actor=ADMIN, now=clock.now())
    assert station_at().settings["grace_minutes"] == 3


def test_a_job_that_fires_beyond_grace_logs_missed_not_late_air(home, db, clock, station_at):
    add_slot(db, at="08:30", days="daily", now=clock.now(), actor=OFFICER)
    station = station_at()
    (occ,) = occurrences_between(list_slots(db), clock.now(), clock.now() + timedelta(hours=1))
    clock.advance(3600)  # the machine slept through 08:30; the job fires at 09:00 + 30 min
    station.airer.air_once(occ)
    (row,) = rows(home)
    assert row["status"] == "missed" and "suspended or its clock jumped" in row["reason"]


def test_old_programmes_are_pruned(home, clock):
    old, new = home.programmes / "old.wav", home.programmes / "new.wav"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    stamp = (clock.now() - timedelta(days=20)).timestamp()
    os.utime(old, (stamp, stamp))
    assert prune_programmes(home, clock.now(), days=14) == 1
    assert not old.exists() and new.exists()


def test_catch_ups_after_a_restart_air_oldest_first(home, db, clock, station_at):
    # Three occurrences owed after a restart at 08:09:29 once aired
    # newest first (each job prepared its own programme at once, and the quickest went on
    # air first), so the oldest went out 569 s late against a 600 s grace.
    for at in ("08:00", "08:03", "08:06"):
        add_slot(db, at=at, days="daily", now=clock.now() - timedelta(days=1), actor=OFFICER)
    db["station_state"].insert({"name": "heartbeat", "value": to_utc_text(clock.now())})
    clock.advance(9 * 60 + 29)
    station = station_at()
    aired, someone_aired, lock = [], threading.Event(), threading.Lock()

    def air(occ):
        if occ.scheduled_at.minute == 0:  # the oldest has the most to prepare
            someone_aired.wait(1)
        with lock:
            aired.append(f"{occ.scheduled_at.astimezone(STATION_TZ):%H:%M}")
            someone_aired.set()

    station.airer.air = air
    station.start()
    try:
        deadline = time.monotonic() + 20
        while len(aired) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        station.shutdown()
        station.stop()
    assert aired == ["08:00", "08:03", "08:06"]


# -- one beat of the daemon, driven by the test ---------------------------------------

class RecordingScheduler:
    """Stands in for APScheduler: keeps the jobs handed to it, runs none."""

    running = False

    def __init__(self):
        self.jobs, self.removed = {}, []

    def add_job(self, func, trigger, *, id, **kwargs):
        self.jobs[id] = (func, trigger, kwargs)

    def modify_job(self, id, **changes):
        self.jobs[id][2].update(changes)

    def remove_job(self, id):
        self.removed.append(self.jobs.pop(id)[0])


def test_a_tick_airs_what_is_due_and_logs_it_once(home, db, clock, station_at):
    add_slot(db, at="08:00:30", days="daily", now=clock.now(), actor=OFFICER)
    station = station_at()
    station.tick()
    (row,) = rows(home)
    assert row["status"] == "cancelled" and row["key"] == "slot1@2026-11-23T08:00:30"
    assert row["reason"] == "no approved bulletin for this slot"
    station.tick()
    assert len(rows(home)) == 1


def test_a_tick_hands_jobs_not_due_yet_to_the_injected_scheduler(home, db, clock):
    add_slot(db, at="08:10", days="daily", now=clock.now(), actor=OFFICER)
    scheduler = RecordingScheduler()
    station = Station(home, output=f"file:{home.outputs}", clock=clock, scheduler_factory=lambda: scheduler)
    key = "slot1@2026-11-23T08:10:00"
    station.tick()
    assert rows(home) == [] and key in scheduler.jobs and station.jobs.waiting(key)
    clock.advance(9 * 60 + 30)  # past the job's start (its lead before 08:10)
    station.tick()
    assert key not in scheduler.jobs and station.jobs.waiting(key) is None  # run by the tick, not twice
    (row,) = rows(home)
    assert row["key"] == key and row["status"] == "cancelled"
