"""The station daemon: the one process that owns the schedule and the sound output.

It builds APScheduler jobs from the slots in the database (the single source
of truth), airs each occurrence on the second, and logs what it played. It
never trusts APScheduler's misfire handling (which drops missed jobs
silently): at start-up and after any gap it compares the occurrences it owed
with the log, catches up within the grace window and logs the rest as missed.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from audio.outputs import open_output
from audio.outputs.base import BaseOutput, OutputError

from . import prooflog, rendering, settings as settings_mod
from .clock import STATION_TZ, SystemClock, from_utc_text, to_utc_text
from .errors import StationLockedError
from .home import Home
from .programmes import BuiltProgramme, build
from .hooks import amplifier
from .schedule import PlannedItem, plan
from .slots import Occurrence, list_slots, occurrences_between
from .store import connect, revision, write

log = logging.getLogger("radio.station")

SYNC_INTERVAL_S = 1.0
#: how far ahead jobs are built, and how early a programme is assembled
HORIZON = timedelta(minutes=15)
PREPARE_LEAD_S = 60.0
#: a heartbeat older than this means the daemon was away (suspend, crash, clock jump)
GAP_S = 10.0
RETRY_AFTER_S = 30.0
#: how long before the instant an occurrence is claimed (before the warm-up)
CLAIM_AHEAD = timedelta(seconds=0.2)
#: a start later than this is noted in the log row
LATE_NOTE_S = 2.0


class StationLock:
    """One daemon per data directory (an advisory lock on ``station.lock``)."""

    def __init__(self, home: Home):
        self.path = home.lock_file
        self._fh = None

    def acquire(self) -> None:
        self._fh = open(self.path, "a+")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.seek(0)
            holder = self._fh.read().strip() or "another process"
            self._fh.close()
            self._fh = None
            raise StationLockedError(
                f"A station daemon (pid {holder}) already runs for {self.path.parent}."
            ) from None
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(str(os.getpid()))
        self._fh.flush()

    def release(self) -> None:
        if self._fh:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


@dataclass
class Airing:
    """What is on air right now, so an urgent bulletin or a shutdown can cut it."""

    key: str
    kind: str
    slot_id: int | None
    scheduled_at: datetime
    built: BuiltProgramme
    output: BaseOutput | None = None
    target: datetime | None = None  # when the first sample is due (the scheduled instant, or a retry's)
    stop: threading.Event = field(default_factory=threading.Event)
    reason: str | None = None
    seconds_played: float | None = None  # set once it has been logged


class Station:
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
        self.scheduler = BackgroundScheduler(timezone=STATION_TZ, job_defaults={
            "misfire_grace_time": None, "coalesce": False, "max_instances": 1})

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
        """Block until :meth:`shutdown`, then stop cleanly."""
        try:
            self._stopping.wait()
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
        self._stopping.set()
        current = self._current
        if current and not current.stop.is_set():
            current.reason = current.reason or "station stopped"
            current.stop.set()
        self.scheduler.shutdown(wait=True)
        self._lock.release()
        log.info("Station stopped")

    # -- bookkeeping ---------------------------------------------------------------
    def _heartbeat(self, now: datetime) -> None:
        with write(self.db):
            self.db["station_state"].upsert({"name": "heartbeat", "value": to_utc_text(now)}, pk="name")

    def _last_heartbeat(self) -> datetime | None:
        row = self.db.execute("SELECT value FROM station_state WHERE name = 'heartbeat'").fetchone()
        return from_utc_text(row[0]) if row else None

    def _close_stale_claims(self) -> None:
        """Claims left by a killed daemon.

        One that reached the output may have been heard: it is logged partial and never aired
        again. One that never did is released, and :meth:`_reconcile` catches it up or logs it missed.
        """
        now = self.clock.now()
        for claim in list(self.db["claims"].rows):
            if not claim["started_at"]:
                with write(self.db):
                    self.db.execute("DELETE FROM claims WHERE key = ?", [claim["key"]])
                continue
            items = [prooflog.LoggedItem(**{**i, "completed": False}) for i in _items(claim)]
            prooflog.append(self.db, prooflog.Entry(
                key=claim["key"], kind=_kind(claim["key"]), slot_id=claim["slot_id"],
                scheduled_at=from_utc_text(claim["scheduled_at"]),
                started_at=from_utc_text(claim["started_at"]), status="partial",
                reason="station process died while on air", output=claim["output"], items=items,
            ), now=now)
            log.warning("Closed interrupted occurrence %s as partial", claim["key"])

    def _reconcile(self, now: datetime) -> None:
        """Log occurrences owed while the daemon was away; catch up those within grace."""
        grace = timedelta(minutes=self.settings["grace_minutes"])
        last = self._last_heartbeat()
        lookback = now - timedelta(days=self.settings["lookback_days"])
        since = max(last, lookback) if last else lookback
        slots = list_slots(self.db, active_only=True)
        created = {s["id"]: from_utc_text(s["created_at"]) for s in slots}
        owed = [o for o in occurrences_between(slots, since - grace, now)
                if o.scheduled_at > created[o.slot_id]]
        away = (f"station was not running from {last.astimezone(STATION_TZ):%d/%m/%Y %H:%M:%S}"
                if last else "station was not running")
        for occ in owed:
            if prooflog.is_logged(self.db, occ.key) or occ.key in self._scheduled:
                continue
            if now - occ.scheduled_at <= grace:
                log.info("Catching up %s (%.0f s late)", occ.key, (now - occ.scheduled_at).total_seconds())
                self._schedule_air(occ, catch_up=True)
            else:
                prooflog.append(self.db, prooflog.Entry(
                    key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at, status="missed",
                    reason=f"{away} until {now.astimezone(STATION_TZ):%d/%m/%Y %H:%M:%S}",
                ), now=now)
                log.warning("Missed %s: %s", occ.key, away)
        self._heartbeat(now)
        self._last_sync = now

    # -- jobs ----------------------------------------------------------------------
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
        try:
            db = connect(self.home.database)  # own connection: rendering is slow
            rendering.render_pending(db, self.home, settings, now)
            rendering.render_ident(db, self.home, settings)
            rendering.upgrade_fallbacks(db, self.home, settings, now)
            prune_programmes(self.home, now, days=settings["keep_programmes_days"])
            db.conn.close()
        except Exception:
            log.exception("Rendering ahead failed")

    def _build_jobs(self, now: datetime) -> None:
        slots = list_slots(self.db, active_only=True)
        for occ in occurrences_between(slots, now, now + HORIZON):
            if occ.key not in self._scheduled and not prooflog.is_logged(self.db, occ.key):
                self._schedule_air(occ)

    def _schedule_air(self, occ: Occurrence, catch_up: bool = False) -> None:
        lead = PREPARE_LEAD_S + float(self.settings["hook_warmup_s"])
        run_at = max(occ.scheduled_at - timedelta(seconds=lead), self.clock.now())
        self._scheduled.add(occ.key)
        self.scheduler.add_job(self._air, "date", run_date=run_at.astimezone(STATION_TZ),
                               args=[occ, catch_up], id=occ.key, replace_existing=True)

    # -- airing --------------------------------------------------------------------
    def _air(self, occ: Occurrence, catch_up: bool = False) -> None:
        """Prepare, wait for the instant, play, log. Retries output failures within grace."""
        try:
            self._air_once(occ, catch_up)
        except Exception as exc:
            log.exception("Airing %s failed", occ.key)
            with self._db_lock:
                if not prooflog.is_logged(self.db, occ.key):
                    prooflog.append(self.db, prooflog.Entry(
                        key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                        status="failed", reason=f"{type(exc).__name__}: {exc}",
                        output=self.output_spec), now=self.clock.now())

    def _air_once(self, occ: Occurrence, catch_up: bool) -> None:
        # Its own connection: assembling takes seconds and must not hold up the heartbeat.
        db = connect(self.home.database)
        try:
            if prooflog.is_logged(db, occ.key):
                return
            settings = self.settings
            late = self.clock.now() - occ.scheduled_at
            if late > timedelta(minutes=settings["grace_minutes"]):
                # the job fired long after its time: the machine slept or the clock jumped
                with self._db_lock:
                    if not prooflog.is_logged(self.db, occ.key):
                        prooflog.append(self.db, prooflog.Entry(
                            key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                            status="missed", reason=(f"station was suspended or its clock jumped: "
                                                     f"{late.total_seconds():.0f} s late, beyond the "
                                                     f"grace window")), now=self.clock.now())
                return
            planned = plan(db, start=occ.scheduled_at - timedelta(microseconds=1),
                           end=occ.scheduled_at, settings=settings, require_rendered=True)
            planned = next((p for p in planned if p.occurrence.key == occ.key), None)
            if planned is None or not planned.items:
                reason = "no approved bulletin ready for this slot"
                if planned and planned.deferred:
                    reason += "; " + "; ".join(f"#{i.id}: {why}" for i, why in planned.deferred)
                with self._db_lock:
                    prooflog.append(self.db, prooflog.Entry(
                        key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                        status="cancelled", reason=reason), now=self.clock.now())
                return
            built = build(db, self.home, settings, occ.key, planned.items)
        finally:
            db.conn.close()
        self._play(occ.key, "slot", occ.slot_id, occ.scheduled_at, built, settings,
                   self._output_for(planned.slot.get("output")))

    def _output_for(self, spec: str | None) -> BaseOutput:
        """The station's output, or a slot's own (built once, kept)."""
        if not spec:
            return self._output
        if spec not in self._outputs:
            self._outputs[spec] = self._output_factory(spec)
        return self._outputs[spec]

    def _play(self, key: str, kind: str, slot_id: int | None, scheduled_at: datetime,
              built: BuiltProgramme, settings: dict, output: BaseOutput | None = None) -> None:
        """Air *built* at *scheduled_at* and log it; output failures are retried within grace."""
        output = output or self._output
        grace = timedelta(minutes=settings["grace_minutes"])
        warmup = timedelta(seconds=float(settings["hook_warmup_s"]))
        target = scheduled_at  # when the first sample is due; later on a retry
        while True:
            # Wait without holding the output, so an urgent bulletin can air meanwhile.
            # Claim as late as possible: a daemon killed before the claim leaves the
            # occurrence unlogged, and the next start catches it up (or logs it missed).
            self._wait_until(target - warmup - CLAIM_AHEAD, self._stopping)
            if self._stopping.is_set():
                return
            with self._air_lock:
                with self._db_lock:
                    if not prooflog.claim(self.db, key=key, slot_id=slot_id, scheduled_at=scheduled_at,
                                          now=self.clock.now(), output=output.name,
                                          items=built.items, programme_path=str(built.path)):
                        return  # aired (or claimed) already: never twice
                airing = Airing(key, kind, slot_id, scheduled_at, built, output, target=target)
                result, error, hooks, started = self._feed_output(airing, settings, output)
                now = self.clock.now()
                seconds = result.seconds_played if result else 0.0
                if result and result.completed:
                    late_s = (started - scheduled_at).total_seconds() if started else 0.0
                    status = "aired"
                    reason = f"started {late_s:.0f} s late" if late_s >= LATE_NOTE_S else None
                elif seconds > 0:
                    status, reason = "partial", airing.reason or (result.error if result else None)
                else:
                    status = "failed"
                    reason = error or (result.error if result else None) or airing.reason or "nothing played"
                    retry = (airing.reason is None and not self._stopping.is_set()
                             and now + timedelta(seconds=RETRY_AFTER_S) - scheduled_at <= grace)
                    if retry:
                        log.warning("Output failed for %s (%s); retrying in %.0f s", key, reason, RETRY_AFTER_S)
                        with self._db_lock, write(self.db):
                            self.db.execute("DELETE FROM claims WHERE key = ?", [key])
                if status != "failed" or not retry:
                    with self._db_lock:
                        prooflog.append(self.db, prooflog.Entry(
                            key=key, kind=kind, slot_id=slot_id, scheduled_at=scheduled_at,
                            started_at=started, ended_at=now, seconds_played=seconds,
                            programme_seconds=built.seconds, status=status, reason=reason,
                            output=output.name, programme_sha256=built.sha256,
                            loudness_lufs=built.programme.measured_lufs, hooks=hooks,
                            items=built.items_played(seconds)), now=now)
                    airing.seconds_played = seconds
                    log.info("%s: %s, %.2f s of %.2f s", key, status, seconds, built.seconds)
                    return
            if self._stopping.wait(RETRY_AFTER_S):
                # stopped before the retry: the next start catches it up or logs it missed
                return
            target = self.clock.now() + warmup + CLAIM_AHEAD

    def _feed_output(self, airing: Airing, settings: dict, output: BaseOutput):
        """Hooks, the last wait, the play. Returns (result, error, hook outcomes, first-sample time)."""
        hooks: list[dict] = []
        started: list[datetime] = []
        result, error = None, None
        self._current = airing
        try:
            with amplifier(settings, hooks):
                self._wait_until(airing.target - CLAIM_AHEAD / 2, airing.stop)
                # From here the occurrence counts as (possibly) heard: a crash logs it partial.
                with self._db_lock:
                    prooflog.mark_started(self.db, airing.key, self.clock.now())
                self._wait_until(airing.target, airing.stop)
                if not airing.stop.is_set():
                    result = output.play(airing.built.path, airing.stop,
                                               on_start=lambda: started.append(self.clock.now()))
        except OutputError as exc:
            error = str(exc)
        finally:
            self._current = None
        return result, error, hooks, (started[0] if started else None)

    def _wait_until(self, when: datetime, stop: threading.Event) -> None:
        """Sleep until the wall-clock instant *when*, on the monotonic clock for precision."""
        remaining = (when - self.clock.now()).total_seconds()
        if remaining <= 0:
            return
        deadline = self.clock.monotonic() + remaining
        while not stop.is_set():
            left = deadline - self.clock.monotonic()
            if left <= 0:
                return
            # wake a little early and finish with short sleeps: Event.wait overshoots
            stop.wait(left - 0.002 if left > 0.01 else left / 2 if left > 0.0005 else 0)
            if left <= 0.0005:
                return

    # -- urgent --------------------------------------------------------------------
    def _take_commands(self, now: datetime) -> None:
        rows = list(self.db["commands"].rows_where("handled_at IS NULL", order_by="id"))
        for cmd in rows:
            with write(self.db):
                self.db["commands"].update(cmd["id"], {"handled_at": to_utc_text(now), "result": "taken"})
            if cmd["kind"] == "play_now":
                threading.Thread(target=self._play_urgent, args=(cmd,), daemon=True,
                                 name=f"urgent-{cmd['id']}").start()

    def _play_urgent(self, cmd: dict) -> None:
        try:
            with self._db_lock:
                bulletin = self.db["bulletins"].get(cmd["bulletin_id"])
                rendering.render_bulletin(self.db, self.home, self.settings, bulletin["id"],
                                          self.clock.now(), states=("pending", "failed"))
                settings = self.settings
                key = f"urgent:{cmd['id']}"
                built = build(self.db, self.home, settings, key,
                              [PlannedItem(bulletin, 0, False)])
            interrupted = self._current
            if interrupted:
                interrupted.reason = f"interrupted by urgent bulletin #{bulletin['id']}"
                interrupted.stop.set()
            self._play(key, "urgent", None, self.clock.now(), built, settings)
            if interrupted and settings["resume_after_urgent"]:
                self._resume(interrupted, settings)
        except Exception as exc:
            log.exception("Urgent broadcast %s failed", cmd["id"])
            with self._db_lock:
                prooflog.append(self.db, prooflog.Entry(
                    key=f"urgent:{cmd['id']}", kind="urgent", scheduled_at=self.clock.now(),
                    status="failed", reason=f"{type(exc).__name__}: {exc}", output=self.output_spec),
                    now=self.clock.now())


    def _resume(self, airing: Airing, settings: dict) -> None:
        """Play the rest of a programme an urgent bulletin cut, as its own occurrence."""
        if airing.seconds_played is None or airing.seconds_played >= airing.built.seconds - 0.5:
            return
        key = f"{airing.key}#resume"
        rest = airing.built.remainder(airing.seconds_played, key)
        self._play(key, "resume", airing.slot_id, self.clock.now(), rest, settings, airing.output)


def prune_programmes(home: Home, now: datetime, *, days: int) -> int:
    """Delete assembled programmes older than *days* (the proof log keeps their sha256)."""
    cutoff = now.timestamp() - days * 86400
    removed = 0
    for path in home.programmes.glob("*.wav"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _items(claim: dict) -> list[dict]:
    import json

    return json.loads(claim["items"] or "[]")


def _kind(key: str) -> str:
    return "urgent" if key.startswith("urgent:") else "resume" if "#resume" in key else "slot"
