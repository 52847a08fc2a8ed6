"""The station daemon: the one process that owns the schedule and the sound output.

It builds APScheduler jobs from the slots in the database (the single source
of truth), airs each occurrence on the second, and logs what it played. It
never trusts APScheduler's misfire handling (which drops missed jobs
silently): at start-up and after any gap it compares the occurrences it owed
with the log, catches up within the grace window and logs the rest as missed.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from audio.outputs import open_output
from audio.outputs.base import BaseOutput

from .. import chain, prooflog, rendering
from .. import settings as settings_mod
from ..clock import STATION_TZ, SystemClock
from ..home import Home
from ..slots import Occurrence, list_slots, occurrences_between
from ..store import connect, revision
from .airing import Airing, AiringMixin
from .housekeeping import prune_programmes
from .lock import StationLock
from .reconcile import ReconcileMixin
from .timing import AIR_WORKERS, GAP_S, HORIZON, PREPARE_LEAD_S, SYNC_INTERVAL_S

log = logging.getLogger("radio.station")


class Station(ReconcileMixin, AiringMixin):
    """The daemon. ``run()`` blocks until ``shutdown()`` (or a signal handler calls it)."""

    def __init__(self, home: Home, *, output: str | None = None, clock=None, output_factory=open_output):
        self.home = home
        self.clock = clock or SystemClock()
        self.db = connect(home.database)
        self.settings = settings_mod.load(home, self.db)
        self.output_spec = output or self.settings["output"]
        self._output_factory = output_factory
        self._output: BaseOutput | None = None
        self._outputs: dict[str, BaseOutput] = {}  # slots with outputs of their own (zones)
        self._lock = StationLock(home)
        self._stopping = threading.Event()
        self._air_lock = threading.Lock()  # one programme at a time on the output
        self._db_lock = threading.RLock()  # one sqlite connection shared by job threads
        self._current: Airing | None = None
        self._scheduled: set[str] = set()
        self._revision = -1
        self._last_sync: datetime | None = None
        # Air jobs wait up to a minute for their instant, so they get a pool of their own:
        # sharing one would let a busy hour starve each other and the heartbeat.
        self.scheduler = BackgroundScheduler(
            timezone=STATION_TZ,
            executors={"default": ThreadPoolExecutor(4), "air": ThreadPoolExecutor(AIR_WORKERS)},
            job_defaults={"misfire_grace_time": None, "coalesce": False, "max_instances": 1})

    # -- life cycle ---------------------------------------------------------------
    def start(self) -> None:
        self._lock.acquire()
        self._output = self._output_factory(self.output_spec)
        self._outputs[self.output_spec] = self._output
        log.info("Station starting: data %s, output %s", self.home.root, self._output.name)
        with self._db_lock:
            self._close_stale_claims()
            self._reconcile(self.clock.now())
        self.scheduler.add_job(self._sync, "interval", seconds=SYNC_INTERVAL_S, id="sync",
                               next_run_time=datetime.now(STATION_TZ))
        self.scheduler.add_job(self._render_ahead, "interval", seconds=30, id="render",
                               next_run_time=datetime.now(STATION_TZ))
        self.scheduler.start()

    def run(self) -> None:
        self.start()
        self.wait()

    def wait(self) -> None:
        """Block until :meth:`shutdown`, then stop cleanly.

        Polls instead of ``Event.wait()``: :meth:`shutdown` runs in a signal handler on
        this thread, and an Event's lock taken by the interrupted code would deadlock it.
        """
        try:
            while not self._stopping.is_set():
                time.sleep(0.1)
        finally:
            self.stop()

    def shutdown(self, reason: str = "station stopped") -> None:
        """Ask the daemon to stop; a programme on air is cut and logged partial."""
        current = self._current
        if current:
            current.reason = reason
            current.stop.set()
        self._stopping.set()

    def stop(self) -> None:
        """Cut what is on air (unless :meth:`shutdown` gave a reason already), wait for the
        jobs to log it, release the data directory."""
        if not (self._current and self._current.stop.is_set()):
            self.shutdown()
        self.scheduler.shutdown(wait=True)
        self._lock.release()
        log.info("Station stopped")

    # -- periodic jobs -------------------------------------------------------------
    def _sync(self) -> None:
        """Every second: heartbeat, gap detection, schedule changes, urgent requests."""
        if self._stopping.is_set():
            return
        try:
            with self._db_lock:
                now = self.clock.now()
                if self._last_sync and (now - self._last_sync).total_seconds() > GAP_S:
                    log.warning("Gap of %.0f s detected (suspend or clock jump): reconciling",
                                (now - self._last_sync).total_seconds())
                    self._reconcile(now)
                else:
                    self._heartbeat(now)
                    self._last_sync = now
                rev = revision(self.db)
                if rev != self._revision:
                    self._revision = rev
                    self.settings = settings_mod.load(self.home, self.db)
                    # something was approved or changed: render now, not at the next interval
                    self.scheduler.modify_job("render", next_run_time=datetime.now(STATION_TZ))
                self._build_jobs(now)
                self._take_commands(now)
        except Exception:  # the daemon logs and carries on; next tick retries
            log.exception("Sync failed")

    def _render_ahead(self) -> None:
        with self._db_lock:
            settings, now = self.settings, self.clock.now()
        db = connect(self.home.database)  # own connection: rendering is slow
        try:
            rendering.render_pending(db, self.home, settings, now)
            rendering.render_ident(db, self.home, settings)
            rendering.upgrade_fallbacks(db, self.home, settings, now)
            prune_programmes(self.home, now, days=settings["keep_programmes_days"], db=db,
                             keep_proof_days=settings["keep_proof_days"])
            chain.daily(db, now, settings)
        except Exception:  # logged; the next interval (or approval) tries again
            log.exception("Rendering ahead failed")
        finally:
            db.conn.close()

    def _build_jobs(self, now: datetime) -> None:
        slots = list_slots(self.db, active_only=True)
        for occ in occurrences_between(slots, now, now + HORIZON):
            if occ.key not in self._scheduled and not prooflog.is_logged(self.db, occ.key):
                self._schedule_air(occ)

    def _schedule_air(self, occ: Occurrence) -> None:
        lead = PREPARE_LEAD_S + float(self.settings["hook_warmup_s"])
        run_at = max(occ.scheduled_at - timedelta(seconds=lead), self.clock.now())
        self._scheduled.add(occ.key)
        self.scheduler.add_job(self._air, "date", run_date=run_at.astimezone(STATION_TZ),
                               args=[occ], id=occ.key, replace_existing=True, executor="air")
