"""The air jobs the daemon owes, and the one place that talks to the scheduler.

Jobs are decided under the daemon's database lock (:meth:`Jobs.owe`) and handed to the
scheduler after it is released (:meth:`Jobs.hand_over`): APScheduler takes its own lock
in ``add_job`` and ``modify_job``, and a job holding the database lock while waiting for
that one is half of a deadlock (with a stop shutting the scheduler down, with the render
job waiting for the database lock). The scheduler is made by a factory the daemon is
given, so tests can run jobs themselves (:meth:`Jobs.take_due`).
"""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime
from typing import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler

from radio.clock import STATION_TZ
from radio.schedule.slots import Occurrence
from radio.station.timing import AIR_WORKERS

#: the render job's id, asked to run early after a change
RENDER = "render"


def make_scheduler() -> BackgroundScheduler:
    """The daemon's scheduler. Air jobs wait up to a minute for their instant, so they get
    a pool of their own: sharing one would let a busy hour starve each other and the
    heartbeat."""
    return BackgroundScheduler(
        timezone=STATION_TZ,
        executors={"default": ThreadPoolExecutor(4), "air": ThreadPoolExecutor(AIR_WORKERS)},
        job_defaults={"misfire_grace_time": None, "coalesce": False, "max_instances": 1})


class Jobs:
    """Air jobs owed (each a list of occurrences aired one after the other) and whether to
    render now, handed to *scheduler*; *air* runs one job's occurrences. *wall* turns the
    station clock's instant into the real one the scheduler fires on (they differ on a
    test clock)."""

    def __init__(self, scheduler, air: Callable[..., None], stopping: threading.Event,
                 wall: Callable[[datetime], datetime] = lambda when: when):
        self.scheduler = scheduler
        self._air, self._stopping, self._wall = air, stopping, wall
        self._owed: set[str] = set()  # keys with an air job, decided or handed over
        self._decided: list[tuple[list[Occurrence], datetime]] = []
        self._waiting: dict[str, tuple[list[Occurrence], datetime]] = {}  # handed over, not run
        self._render_now = False
        self._lock = threading.Lock()  # never held while calling the scheduler

    def owe(self, occs: list[Occurrence], run_at: datetime) -> None:
        """One air job for *occs* (oldest first), to start at *run_at*."""
        with self._lock:
            self._owed.update(o.key for o in occs)
            self._decided.append((occs, run_at))

    def is_owed(self, key: str) -> bool:
        return key in self._owed

    def forget(self, key: str) -> None:
        """*key* is owed no more (its claim was released: the reconcile decides again)."""
        with self._lock:
            self._owed.discard(key)

    def render_soon(self) -> None:
        with self._lock:
            self._render_now = True

    def waiting(self, key: str) -> list[Occurrence] | None:
        """The occurrences of the air job handed over for *key* and not run yet."""
        job = self._waiting.get(key)
        return job[0] if job else None

    def hand_over(self) -> None:
        """Give the scheduler what was decided; called with no lock of the daemon held."""
        with self._lock:
            decided, self._decided = self._decided, []
            render_now, self._render_now = self._render_now, False
            if self._stopping.is_set():
                return  # the next start builds its jobs afresh
            for occs, run_at in decided:
                self._waiting[occs[0].key] = (occs, run_at)
        for occs, run_at in decided:
            self.scheduler.add_job(self.run, "date", run_date=self._wall(run_at).astimezone(STATION_TZ),
                                   args=[occs[0].key], id=occs[0].key, replace_existing=True,
                                   executor="air")
        if render_now:
            with contextlib.suppress(JobLookupError):  # not added yet (start-up)
                self.scheduler.modify_job(RENDER, next_run_time=datetime.now(STATION_TZ))

    def run(self, key: str) -> None:
        """Run the air job of *key* (the scheduler calls this), unless it ran already."""
        with self._lock:
            job = self._waiting.pop(key, None)
        if job is not None:
            self._air(*job[0])

    def drop(self, key: str) -> None:
        """Let the air job of *key* go unrun (a simulation airs its occurrences its own way)."""
        with self._lock:
            self._waiting.pop(key, None)

    def take_due(self, now: datetime) -> list[str]:
        """The keys of air jobs due by *now*, taken from the scheduler for the caller to
        :meth:`run` (a test's or a simulation's tick, with the scheduler not started)."""
        with self._lock:
            due = [key for key, (_, run_at) in self._waiting.items() if run_at <= now]
        for key in due:
            with contextlib.suppress(JobLookupError):
                self.scheduler.remove_job(key)
        return due
