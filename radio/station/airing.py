"""Putting one programme on air: claim, hooks, the exact instant, the output, the log row.
Also urgent interruptions and resuming what they cut."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from audio.outputs.base import BaseOutput, OutputError

from .. import prooflog, rendering
from ..clock import to_utc_text
from ..errors import NotFoundError
from ..hooks import amplifier
from ..outputs import spec_for
from ..programmes import BuiltProgramme, build
from ..schedule import PlannedItem, plan
from ..slots import Occurrence
from ..store import connect, write
from .timing import CLAIM_AHEAD, LATE_NOTE_S

log = logging.getLogger("radio.station")


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


class AiringMixin:
    """Airing occurrences and urgent bulletins (mixed into :class:`Station`)."""

    def _air(self, occ: Occurrence) -> None:
        """Prepare, wait for the instant, play, log. Retries output failures within grace."""
        try:
            self._air_once(occ)
        except Exception as exc:
            log.exception("Airing %s failed", occ.key)
            with self._db_lock:
                if not prooflog.is_logged(self.db, occ.key):
                    prooflog.append(self.db, prooflog.Entry(
                        key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                        status="failed", reason=f"{type(exc).__name__}: {exc}",
                        output=self.output_spec), now=self.clock.now())

    def _air_once(self, occ: Occurrence) -> None:
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
            try:
                # a slot names one of the admin's outputs; the spec never comes from the slot
                spec = spec_for(db, planned.slot.get("output"))
            except NotFoundError as exc:
                with self._db_lock:
                    prooflog.append(self.db, prooflog.Entry(
                        key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                        status="failed", reason=str(exc)), now=self.clock.now())
                return
            built = build(db, self.home, settings, occ.key, planned.items)
        finally:
            db.conn.close()
        self._play(occ.key, "slot", occ.slot_id, occ.scheduled_at, built, settings,
                   self._output_for(spec))

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
        retry_s = float(settings["output_retry_s"])
        target = scheduled_at  # when the first sample is due; later on a retry
        failures: list[str] = []  # output errors of earlier tries, for the log row
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
                             and now + timedelta(seconds=retry_s) - scheduled_at <= grace)
                    if retry:
                        failures.append(reason)
                        log.warning("Output failed for %s (%s); retrying in %.0f s", key, reason, retry_s)
                        with self._db_lock, write(self.db):
                            self.db.execute("DELETE FROM claims WHERE key = ?", [key])
                if status != "failed" or not retry:
                    if failures and status != "failed":
                        reason = "; ".join(filter(None, [
                            reason, f"after {len(failures)} failed tries, first: {failures[0]}"]))
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
            if self._stopping.wait(retry_s):
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
        key = f"urgent:{cmd['id']}"
        settings = self.settings
        # Its own connection and no daemon lock: rendering may wait on the network,
        # which must not hold up the heartbeat or a programme that is on air.
        db = connect(self.home.database)
        try:
            bulletin = db["bulletins"].get(cmd["bulletin_id"])
            rendering.ensure_rendered(db, self.home, settings, bulletin["id"], self.clock)
            built = build(db, self.home, settings, key, [PlannedItem(bulletin, 0, False)])
        except Exception as exc:
            log.exception("Urgent broadcast %s failed", cmd["id"])
            with self._db_lock:
                prooflog.append(self.db, prooflog.Entry(
                    key=key, kind="urgent", scheduled_at=self.clock.now(), status="failed",
                    reason=f"{type(exc).__name__}: {exc}", output=self._output.name), now=self.clock.now())
            return
        finally:
            db.conn.close()
        interrupted = self._current
        if interrupted:
            interrupted.reason = f"interrupted by urgent bulletin #{bulletin['id']}"
            interrupted.stop.set()
        self._play(key, "urgent", None, self.clock.now(), built, settings)
        if interrupted and settings["resume_after_urgent"]:
            self._resume(interrupted, settings)

    def _resume(self, airing: Airing, settings: dict) -> None:
        """Play the rest of a programme an urgent bulletin cut, as its own occurrence."""
        if airing.seconds_played is None or airing.seconds_played >= airing.built.seconds - 0.5:
            return
        key = f"{airing.key}#resume"
        rest = airing.built.remainder(airing.seconds_played, key)
        self._play(key, "resume", airing.slot_id, self.clock.now(), rest, settings, airing.output)
