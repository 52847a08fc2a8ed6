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

from .. import chain, prooflog, rendering, replay
from .. import settings as settings_mod
from ..clock import STATION_TZ, SystemClock
from ..errors import ValidationError
from ..home import Home
from ..slots import Occurrence, list_slots, occurrences_between
from ..store import connect, keep_reserve, revision
from . import faults
from .airing import Airing, AiringMixin
from .decide import job_lead_s
from .progress import Tries
from .proofkeeper import ProofKeeper
from .lock import StationLock
from .reconcile import ReconcileMixin
from .timing import AIR_WORKERS, GAP_S, HORIZON, SYNC_INTERVAL_S

log = logging.getLogger("radio.station")


class Station(ReconcileMixin, AiringMixin):
    """The daemon. ``run()`` blocks until ``shutdown()`` (or a signal handler calls it)."""

    def __init__(self, home: Home, *, output: str | None = None, clock=None, output_factory=open_output,
                 secure=replay.secure):
        self.home = home
        self.clock = clock or SystemClock()
        self.db = connect(home.database)
        warnings = settings_mod.file_warnings(home)
        self.settings = settings_mod.load(home, self.db, warnings=warnings)
        for warning in warnings:
            log.warning("%s", warning)
        self.output_spec = output or self.settings["output"]
        self._output_factory = output_factory
        self._output: BaseOutput | None = None
        self._outputs: dict[str, BaseOutput] = {}  # slots with outputs of their own (zones)
        self._lock = StationLock(home)
        self._stopping = threading.Event()
        self._air_lock = threading.Lock()  # one programme at a time on the output
        self._db_lock = threading.RLock()  # one sqlite connection shared by job threads
        self._current: Airing | None = None
        self._tries: dict[str, Tries] = {}  # failed tries of occurrences being retried
        self._claimed: dict[str, threading.Thread] = {}  # claims of this process and their job
        self._scheduled: set[str] = set()
        self._revision = -1
        self._last_sync: datetime | None = None  # end of the last sync tick, whether it wrote or not
        self._sync_failing_since: datetime | None = None
        self._reconcile_owed = False  # a reconcile after a gap failed: the next tick does it
        # re-assembling aired programmes before their WAV goes takes a minute each: not on
        # the render thread, where renders would wait behind it
        self.proof = ProofKeeper(home, lambda: self.settings, self.clock.now, secure=secure)
        # Air jobs wait up to a minute for their instant, so they get a pool of their own:
        # sharing one would let a busy hour starve each other and the heartbeat.
        self.scheduler = BackgroundScheduler(
            timezone=STATION_TZ,
            executors={"default": ThreadPoolExecutor(4), "air": ThreadPoolExecutor(AIR_WORKERS)},
            job_defaults={"misfire_grace_time": None, "coalesce": False, "max_instances": 1})

    # -- life cycle ---------------------------------------------------------------
    def start(self) -> None:
        self._lock.acquire()
        if not keep_reserve(self.home.database):
            log.warning("The disk of %s is full: no space kept in reserve for the log", self.home.root)
        self._output = self._open_output(self.output_spec)
        self._outputs[self.output_spec] = self._output
        log.info("Station starting: data %s, output %s", self.home.root, self._output.name)
        with self._db_lock:
            self._check_lost_entries()
            self._close_stale_claims()
            self._reconcile(self.clock.now())
        self.scheduler.add_job(self._sync, "interval", seconds=SYNC_INTERVAL_S, id="sync",
                               next_run_time=datetime.now(STATION_TZ))
        self.scheduler.add_job(self._render_ahead, "interval", seconds=30, id="render",
                               next_run_time=datetime.now(STATION_TZ))
        self.proof.start()
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
        self.proof.stop()
        self.scheduler.shutdown(wait=True)
        self._lock.release()
        log.info("Station stopped")

    # -- periodic jobs -------------------------------------------------------------
    def _sync(self) -> None:
        """Every second: heartbeat, gap detection, schedule changes, urgent requests, claims
        whose job died.

        A gap is measured from the end of the previous tick to the start of this one, not
        from the last heartbeat written: a heartbeat the disk or a busy database refused,
        or a tick kept waiting for the database, is not a suspend.
        """
        if self._stopping.is_set():
            return
        # before taking the lock: a tick kept waiting by an air job's busy write is no gap
        tick_at = self.clock.now()
        gap = (tick_at - self._last_sync).total_seconds() if self._last_sync else 0.0
        try:
            with self._db_lock:
                now = self.clock.now()
                if gap > GAP_S or self._reconcile_owed:
                    if gap > GAP_S:
                        log.warning("Gap of %.0f s detected (suspend or clock jump): reconciling", gap)
                    self._reconcile_owed = True
                    self._reconcile(now)
                    self._reconcile_owed = False
                else:
                    self._heartbeat(now)
                rev = revision(self.db)
                if rev != self._revision:
                    self._revision = rev
                    self._reload_settings()
                    # something was approved or changed: render now, not at the next interval
                    self.scheduler.modify_job("render", next_run_time=datetime.now(STATION_TZ))
                self._build_jobs(now)
                self._take_commands(now)
                self._close_orphan_claims()
            self.proof.ensure_running()
            if self._sync_failing_since is not None:
                log.warning("The database takes writes again (after %.0f s)",
                            (self.clock.now() - self._sync_failing_since).total_seconds())
                self._sync_failing_since = None
        except Exception as exc:  # the daemon logs and carries on; next tick retries
            if self._sync_failing_since is None:
                self._sync_failing_since = self.clock.now()
                log.warning("Cannot write the heartbeat or read the schedule (%s); retrying every second",
                            faults.describe(exc))
        finally:
            self._last_sync = self.clock.now()

    def _reload_settings(self) -> None:
        """Take changed settings; a radio.toml edited into a bad state keeps the last good ones."""
        try:
            self.settings = settings_mod.load(self.home, self.db)
        except ValidationError as exc:
            log.error("Settings not reloaded, keeping the previous ones: %s", exc)

    def _render_ahead(self) -> None:
        with self._db_lock:
            settings, now = self.settings, self.clock.now()
        db = connect(self.home.database)  # own connection: rendering is slow
        try:
            rendering.render_pending(db, self.home, settings, now)
            rendering.render_ident(db, self.home, settings)
            rendering.upgrade_fallbacks(db, self.home, settings, now)
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
        lead = job_lead_s(self.settings)
        run_at = max(occ.scheduled_at - timedelta(seconds=lead), self.clock.now())
        self._scheduled.add(occ.key)
        self.scheduler.add_job(self._air, "date", run_date=run_at.astimezone(STATION_TZ),
                               args=[occ], id=occ.key, replace_existing=True, executor="air")
