"""The station daemon: the one process that owns the schedule and the sound output.

It builds APScheduler jobs from the slots in the database (the single source
of truth), airs each occurrence on the second, and logs what it played. It
never trusts APScheduler's misfire handling (which drops missed jobs
silently): at start-up and after any gap it compares the occurrences it owed
with the log, catches up within the grace window and logs the rest as missed.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from datetime import datetime, timedelta
from typing import Callable

from audio.outputs import open_output

from radio.proof import chain, log as prooflog, replay
from radio.programme import parts
from radio.speech import rendering
from radio import settings as settings_mod
from radio.clock import STATION_TZ, SystemClock
from radio.errors import ValidationError
from radio.store.home import Home
from radio.schedule.slots import Occurrence, list_slots, occurrences_between
from radio.store.connection import connect, is_disk_full, keep_reserve, revision
from radio.station import faults
from radio.station.airing import Airer
from radio.station.decide import job_lead_s
from radio.station.jobs import RENDER, Jobs, make_scheduler
from radio.station.player import Outputs, Player
from radio.station.proof_writer import ProofWriter
from radio.station.proofkeeper import ProofKeeper
from radio.station.lock import StationLock
from radio.station.reconcile import Reconciler
from radio.station.timing import GAP_S, HORIZON, STOP_TIMEOUT_S, SYNC_INTERVAL_S
from radio.wording.reasons import Reason, reason

log = logging.getLogger("radio.station")


class Station:
    """The daemon. ``run()`` blocks until ``shutdown()`` (or a signal handler calls it).

    It composes its parts, each with its own state: the :class:`~radio.station.player.Player`
    (one programme on an output, its row written by the
    :class:`~radio.station.proof_writer.ProofWriter`), the :class:`~radio.station.airing.Airer`
    (an occurrence's running order and programme), the
    :class:`~radio.station.reconcile.Reconciler` (what was owed while away) and the
    :class:`~radio.station.jobs.Jobs` handed to the scheduler *scheduler_factory* makes.
    :meth:`tick` is one beat of the daemon, which tests drive on a manual clock.
    """

    def __init__(self, home: Home, *, output: str | None = None, clock=None, output_factory=open_output,
                 secure=replay.secure, lock: StationLock | None = None,
                 scheduler_factory: Callable = make_scheduler):
        """:param lock: the data directory's lock, when the caller took it already (the CLI,
            before opening the database); :meth:`start` takes it otherwise.
        :param scheduler_factory: makes the APScheduler scheduler the jobs are handed to."""
        self.home = home
        self.clock = clock or SystemClock()
        self._lock = lock or StationLock(home)
        try:
            self.db = connect(home.database)
        except sqlite3.OperationalError as exc:
            if not is_disk_full(exc):
                raise
            # The disk is too full to open the database: the reserve kept beside it is for
            # this, and only the daemon that holds the data directory may give it back (not
            # a second daemon about to be refused, nor any other program).
            self._lock.acquire()
            self.db = connect(home.database, use_reserve=True)
        warnings = settings_mod.file_warnings(home)
        self.settings = settings_mod.load(home, self.db, warnings=warnings)
        for warning in warnings:
            log.warning("%s", warning)
        self.output_spec = output or self.settings["output"]
        self._stopping = threading.Event()
        self.db_lock = threading.RLock()  # one sqlite connection shared by job threads
        self._jobs_running = 0  # jobs of this station running now (see _job)
        self._jobs_done = threading.Condition()
        self._revision = -1
        self._last_sync: datetime | None = None  # end of the last tick, whether it wrote or not
        self._sync_failing_since: datetime | None = None
        self._reconcile_owed = False  # a reconcile after a gap failed: the next tick does it
        current_settings = self.current_settings
        self.writer = ProofWriter(self.db, self.db_lock, home.database, self.clock, current_settings,
                                  self._stopping)
        self.outputs = Outputs(output_factory, self.output_spec)
        self.player = Player(home, self.db, self.db_lock, self.clock, self._stopping, self.writer,
                             self.outputs)
        self.airer = Airer(home, self.clock, self._stopping, current_settings, self.player)
        self.scheduler = scheduler_factory()
        self.jobs = Jobs(self.scheduler, self._air_job, self._stopping, wall=self.clock.wall)
        self.reconciler = Reconciler(self.db, self.clock, current_settings, self.jobs, self.owe,
                                     self.player.job_alive)
        # re-assembling aired programmes before their WAV goes takes a minute each: not on
        # the render thread, where renders would wait behind it
        self.proof = ProofKeeper(home, current_settings, self.clock.now, secure=secure)

    def current_settings(self) -> dict:
        """The settings as last (re)loaded; the parts ask this, never keep a copy."""
        return self.settings

    # -- life cycle ---------------------------------------------------------------
    def start(self) -> None:
        self._lock.acquire()
        if not keep_reserve(self.home.database):
            log.warning("The disk of %s is full: no space kept in reserve for the log", self.home.root)
        output = self.outputs.main
        log.info("Station starting: data %s, output %s", self.home.root, output.name)
        with self.db_lock:
            self.reconciler.note_output(self.output_spec, output.name)
            self.reconciler.check_lost_entries()
            self.reconciler.close_stale_claims()
            now = self.clock.now()
            self.reconciler.reconcile(now)
            self._last_sync = now
        self.jobs.hand_over()
        self.scheduler.add_job(self._sync, "interval", seconds=SYNC_INTERVAL_S, id="sync",
                               next_run_time=datetime.now(STATION_TZ))
        self.scheduler.add_job(self._render_ahead, "interval", seconds=30, id=RENDER,
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

    def shutdown(self, why: Reason | None = None, *, signal_name: str | None = None) -> None:
        """Ask the daemon to stop; a programme on air is cut and logged partial, with *why*
        (by default "station stopped", or by the signal *signal_name*)."""
        if why is None:
            why = reason("station_stopped_by", signal=signal_name) if signal_name else reason("station_stopped")
        self.player.cut(why)
        self._stopping.set()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Cut what is on air (unless :meth:`shutdown` gave a reason already), wait for the
        jobs to log it (at most *timeout_s*), release the data directory.

        Not ``scheduler.shutdown(wait=True)``: APScheduler 3 holds its job-store lock while
        it joins the job pools, so a running job that calls the scheduler (``modify_job``,
        ``add_job``) would wait for that lock forever, and stop with it. The scheduler is
        stopped without waiting, and the station waits for its own jobs.
        """
        current = self.player.current
        if not (current and current.stop.is_set()):
            self.shutdown()
        self.proof.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        with self._jobs_done:
            if not self._jobs_done.wait_for(lambda: self._jobs_running == 0, timeout_s):
                log.error("Stopping with %d job(s) still running after %.0f s: the next start "
                          "settles what they left (claims, owed occurrences)", self._jobs_running,
                          timeout_s)
        self._lock.release()
        log.info("Station stopped")

    @contextlib.contextmanager
    def _job(self):
        """Count a job of this station as running, for :meth:`stop` to wait for."""
        with self._jobs_done:
            self._jobs_running += 1
        try:
            yield
        finally:
            with self._jobs_done:
                self._jobs_running -= 1
                self._jobs_done.notify_all()

    # -- one beat ------------------------------------------------------------------
    def tick(self, now: datetime | None = None) -> None:
        """One beat of the daemon, as the scheduler runs it every second, then the air jobs
        due by *now* (default: the clock's now), on this thread, one after the other.

        For a station whose scheduler is not started (tests, simulations): a started one
        runs its jobs itself.
        """
        now = now or self.clock.now()
        self._sync()
        for key in self.jobs.take_due(now):
            self.jobs.run(key)

    def _sync(self) -> None:
        """Every second: heartbeat, gap detection, schedule changes, urgent requests, claims
        whose job died.

        A gap is measured from the end of the previous tick to the start of this one, not
        from the last heartbeat written: a heartbeat the disk or a busy database refused,
        or a tick kept waiting for the database, is not a suspend.
        """
        if self._stopping.is_set():
            return
        with self._job():
            self._sync_once()

    def _sync_once(self) -> None:
        # before taking the lock: a tick kept waiting by an air job's busy write is no gap
        tick_at = self.clock.now()
        gap = (tick_at - self._last_sync).total_seconds() if self._last_sync else 0.0
        try:
            with self.db_lock:
                now = self.clock.now()
                if gap > GAP_S or self._reconcile_owed:
                    if gap > GAP_S:
                        log.warning("Gap of %.0f s detected (suspend or clock jump): reconciling", gap)
                    self._reconcile_owed = True
                    self.reconciler.reconcile(now)
                    self._reconcile_owed = False
                else:
                    self.reconciler.heartbeat(now)
                rev = revision(self.db)
                if rev != self._revision:
                    self._revision = rev
                    self.reload_settings()
                    # something was approved or changed: render now, not at the next interval
                    self.jobs.render_soon()
                self._build_jobs(now)
                self.airer.take_commands(self.db, now)
                self.reconciler.close_orphan_claims()
            self.jobs.hand_over()  # what was decided above, with the lock released
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

    def reload_settings(self) -> None:
        """Take changed settings; a radio.toml edited into a bad state keeps the last good ones."""
        try:
            self.settings = settings_mod.load(self.home, self.db)
        except ValidationError as exc:
            log.error("Settings not reloaded, keeping the previous ones: %s", exc)

    def _render_ahead(self) -> None:
        if self._stopping.is_set():
            return
        with self._job():
            self._render_ahead_once()

    def _render_ahead_once(self) -> None:
        with self.db_lock:
            settings, now = self.settings, self.clock.now()
        db = connect(self.home.database)  # own connection: rendering is slow
        try:
            rendering.render_pending(db, self.home, settings, now)
            parts.render_ident(db, self.home, settings)
            rendering.upgrade_fallbacks(db, self.home, settings, now)
            chain.daily(db, now, settings)
        except Exception:  # logged; the next interval (or approval) tries again
            log.exception("Rendering ahead failed")
        finally:
            db.conn.close()

    def _build_jobs(self, now: datetime) -> None:
        slots = list_slots(self.db, active_only=True)
        for occ in occurrences_between(slots, now, now + HORIZON):
            if not self.jobs.is_owed(occ.key) and not prooflog.is_logged(self.db, occ.key):
                self.owe(occ)

    def owe(self, *occs: Occurrence) -> None:
        """Owe one air job for *occs*, which air one after the other, oldest first (catch-ups
        after a restart: the oldest has the least grace left); the scheduler gets the job
        when the tick hands it over."""
        if not occs:
            return
        occs = sorted(occs, key=lambda o: o.scheduled_at)
        lead = job_lead_s(self.settings)
        run_at = max(occs[0].scheduled_at - timedelta(seconds=lead), self.clock.now())
        self.jobs.owe(list(occs), run_at)

    def _air_job(self, *occs: Occurrence) -> None:
        with self._job():
            for occ in occs:
                if self._stopping.is_set():
                    return  # the next start catches them up or logs them missed
                self.airer.air(occ)
