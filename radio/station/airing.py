"""Putting one programme on air: claim, hooks, the exact instant, the output, the log row.
Also urgent interruptions and resuming what they cut."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from audio.outputs.base import BaseOutput, Progress
from audio.programme import warm_assembly

from radio.schedule import commands
from radio.proof import log as prooflog
from radio.speech import rendering
from radio.errors import NotFoundError
from radio.station.hooks import amplifier
from radio.schedule.outputs import loudspeakers_of, spec_for
from radio.programme.assembly import BuiltProgramme, build
from radio.schedule.plan import PlannedItem
from radio.schedule.slots import Occurrence
from radio.store.connection import connect, is_disk_full, release_reserve, write
from radio.station import faults
from radio.station.decide import decide
from radio.station.faults import AirFailure
from radio.station.progress import ProgressRecorder, Tries
from radio.station.timing import CLAIM_AHEAD, LATE_NOTE_S, LOG_RETRY_S

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
        """Prepare, wait for the instant, play, log.

        Any exception on the way (the database busy beyond its timeout, a full disk,
        a build that fails) is retried every ``output_retry_s`` while grace lasts;
        then one failed row names the stage and the cause.
        """
        tries = self._tries.setdefault(occ.key, Tries())
        try:
            while True:
                try:
                    self._air_once(occ)
                    return
                except Exception as exc:
                    failure = exc if isinstance(exc, AirFailure) else AirFailure(faults.PREPARE, exc)
                    if not self._retry_or_fail(occ.key, "slot", occ.slot_id, occ.scheduled_at,
                                               failure, tries, output=self.output_spec):
                        return
        finally:
            self._tries.pop(occ.key, None)

    def _retry_or_fail(self, key: str, kind: str, slot_id: int | None, scheduled_at: datetime,
                       failure: AirFailure, tries: "Tries", *, output: str | None) -> bool:
        """Count a failed try; True once the retry is due (the next try checks the log first),
        False when the occurrence is over: grace ran out (its failed row is written) or the
        daemon is stopping."""
        settings = self.settings
        now = self.clock.now()
        tries.add(now, failure)
        retry_s = float(settings["output_retry_s"])
        grace = timedelta(minutes=settings["grace_minutes"])
        # tries keep to a grid from the first one, however long each took to fail
        next_at = max(tries.first + timedelta(seconds=retry_s * tries.count), now)
        if not self._stopping.is_set() and next_at - scheduled_at <= grace:
            wait_s = (next_at - now).total_seconds()
            log.warning("%s failed (%s); retrying in %.0f s", key, failure, wait_s)
            return not self.clock.wait(self._stopping, wait_s)
        if self._stopping.is_set():
            # stopped before the retry: the next start catches it up or logs it missed
            return False
        log.error("%s failed for good: %s", key, tries.reason())
        self._append_row(prooflog.Entry(key=key, kind=kind, slot_id=slot_id, scheduled_at=scheduled_at,
                                        status="failed", reason=tries.reason(), output=output))
        return False

    def _append_row(self, entry: prooflog.Entry) -> None:
        """Write the final row of an occurrence; when the database refuses (busy, disk full),
        keep trying and say so, so the occurrence never ends without its row."""
        delay = LOG_RETRY_S
        while True:
            try:
                with self._db_lock:
                    if not prooflog.is_logged(self.db, entry.key):
                        prooflog.append(self.db, entry, now=self.clock.now())
                return
            except Exception as exc:
                if is_disk_full(exc) and release_reserve(self.home.database):
                    continue  # the reserve is there for this row
                if self._stopping.is_set():
                    log.error("Cannot write the log row of %s (%s) and the station is stopping: "
                              "the next start settles it (closes its claim, catches it up or logs "
                              "it missed)", entry.key, faults.describe(exc))
                    return
                log.warning("Cannot write the log row of %s (%s); trying again in %.0f s",
                            entry.key, faults.describe(exc), delay)
                # not the stop event: a row is owed even while stopping, one more try is made
                self.clock.wait(threading.Event(), delay)

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
                self._append_row(prooflog.Entry(
                    key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                    status="missed", reason=(f"station was suspended or its clock jumped: "
                                             f"{late.total_seconds():.0f} s late, beyond the "
                                             f"grace window")))
                return
            # the helper that will assemble it starts while the job waits for its cut-off
            warm_assembly(keep_s=min(600.0, max(0.0, (occ.scheduled_at - self.clock.now()).total_seconds()) + 60))
            decision = decide(db, self.home, settings, occ, self.clock, self._stopping)
            if decision is None:
                return  # stopping: the next start catches it up or logs it missed
            if not decision.items:
                self._append_row(prooflog.Entry(
                    key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                    status="cancelled", reason=decision.cancel_reason))
                return
            try:
                # a slot names one of the admin's outputs; the spec never comes from the slot
                spec = spec_for(db, decision.slot.get("output"))
            except NotFoundError as exc:
                self._append_row(prooflog.Entry(
                    key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                    status="failed", reason=str(exc)))
                return
            built = build(db, self.home, settings, occ.key, decision.items, notes=decision.notes,
                          now=self.clock.now())
        finally:
            db.conn.close()
        self._play(occ.key, "slot", occ.slot_id, occ.scheduled_at, built, settings,
                   self._output_for(spec))

    def _output_for(self, spec: str | None) -> BaseOutput:
        """The station's output, or a slot's own (built once, kept)."""
        if not spec:
            return self._output
        if spec not in self._outputs:
            self._outputs[spec] = self._open_output(spec)
        return self._outputs[spec]

    def _open_output(self, spec: str) -> BaseOutput:
        """Build the output of *spec* and start its slow set-up in the background.

        A first airing that comes before the set-up is done waits for it, as it would
        have done it itself.
        """
        output = self._output_factory(spec)
        threading.Thread(target=output.prepare, name=f"prepare {output.name}", daemon=True).start()
        return output

    def _play(self, key: str, kind: str, slot_id: int | None, scheduled_at: datetime,
              built: BuiltProgramme, settings: dict, output: BaseOutput | None = None) -> None:
        """Air *built* at *scheduled_at* and log it.

        A try that puts nothing on air (claim refused by a busy database, output
        that cannot open or write) is retried within grace; the row names the
        tries. Seconds heard and dead air come from what the output consumed.
        """
        output = output or self._output
        warmup = timedelta(seconds=float(settings["hook_warmup_s"]))
        target = scheduled_at  # when the first sample is due; later on a retry
        tries = self._tries.setdefault(key, Tries())
        try:
            while True:
                # Wait without holding the output, so an urgent bulletin can air meanwhile.
                # Claim as late as possible: a daemon killed before the claim leaves the
                # occurrence unlogged, and the next start catches it up (or logs it missed).
                self._wait_until(target - warmup - CLAIM_AHEAD, self._stopping)
                if self._stopping.is_set():
                    return
                failure = self._play_once(key, kind, slot_id, scheduled_at, built, settings, output,
                                          target, tries)
                if failure is None:
                    return
                if not self._retry_or_fail(key, kind, slot_id, scheduled_at, failure, tries,
                                           output=output.name):
                    return
                target = self.clock.now() + warmup + CLAIM_AHEAD
        finally:
            self._tries.pop(key, None)

    def _play_once(self, key, kind, slot_id, scheduled_at, built, settings, output, target,
                   tries: "Tries") -> AirFailure | None:
        """One try; returns the failure when nothing went on air (and the claim is released)."""
        with self._air_lock:
            try:
                with self._db_lock:
                    if not prooflog.claim(self.db, key=key, slot_id=slot_id, scheduled_at=scheduled_at,
                                          now=self.clock.now(), output=output.name,
                                          items=built.items, programme_path=str(built.path),
                                          programme_seconds=built.seconds, programme_sha256=built.sha256,
                                          item_ends_ms=[end for _, end in built.item_cues]):
                        return None  # aired (or claimed) already: never twice
                    self._claimed[key] = threading.current_thread()
            except Exception as exc:
                return AirFailure(faults.CLAIM, exc)
            try:
                airing = Airing(key, kind, slot_id, scheduled_at, built, output, target=target)
                result, exc, hooks, started, progress = self._feed_output(airing, settings, output)
                now = self.clock.now()
                seconds = result.seconds_played if result else progress.seconds
                dead_air = progress.stalls
                if seconds <= 0 and airing.reason is None:
                    cause = exc or (result.cause if result else None)
                    stage = faults.PLAY if output.name.startswith("file:") else faults.PLAY_OUT
                    failure = AirFailure(stage, cause or RuntimeError(
                        (result.error if result else None) or "the output played nothing"))
                    if self._release(key):
                        return failure
                    # the claim could not be released: it stays and its row is written now
                    tries.add(now, failure)
                    status, reason = "failed", tries.reason()
                elif result and result.completed and not dead_air:
                    late_s = (started - scheduled_at).total_seconds() if started else 0.0
                    status = "aired"
                    reason = f"started {late_s:.0f} s late" if late_s >= LATE_NOTE_S else None
                elif seconds > 0:
                    cut = airing.reason
                    if not cut and not (result and result.completed):
                        cause = exc or (result.cause if result else None)
                        cut = (f"the output stopped after {seconds:.1f} s: "
                               f"{faults.describe(cause) if cause else (result.error if result else None) or 'unknown cause'}")
                    status, reason = "partial", "; ".join(filter(None, [cut, prooflog.dead_air_note(dead_air)]))
                else:
                    status, reason = "failed", airing.reason or "nothing played"
                reason = "; ".join(filter(None, [reason, prooflog.break_note(progress.breaks),
                                                 *built.notes])) or None
                if tries.count and status != "failed":
                    reason = "; ".join(filter(None, [reason, tries.note()]))
                feeds, named = self._reach(output)
                self._append_row(prooflog.Entry(
                    key=key, kind=kind, slot_id=slot_id, scheduled_at=scheduled_at,
                    started_at=started, ended_at=now, seconds_played=seconds,
                    programme_seconds=built.seconds, status=status, reason=reason,
                    output=output.name, programme_sha256=built.sha256,
                    loudness_lufs=built.programme.measured_lufs, hooks=hooks,
                    items=built.items_played(seconds), loudspeakers=feeds, output_name=named))
                airing.seconds_played = seconds
                log.info("%s: %s, %.2f s of %.2f s", key, status, seconds, built.seconds)
                return None
            finally:
                self._claimed.pop(key, None)

    def _reach(self, output: BaseOutput) -> tuple[bool | None, str | None]:
        """Whether *output* feeds loudspeakers (by its named output's setting, else its
        kind) and that named output, for the row; (None, None) when it cannot be told
        (the row is then judged by its output's kind)."""
        spec = next((s for s, o in self._outputs.items() if o is output), None)
        if spec is None:
            return None, None
        try:
            with self._db_lock:
                return loudspeakers_of(self.db, spec)
        except Exception as exc:  # never lose the row over this: its kind still tells
            log.warning("Cannot read whether %s feeds loudspeakers (%s)", output.name, faults.describe(exc))
            return None, None

    def _release(self, key: str) -> bool:
        """Drop the claim of a try that aired nothing, so a retry (or the next start) can air it."""
        try:
            with self._db_lock, write(self.db):
                self.db.execute("DELETE FROM claims WHERE key = ?", [key])
            return True
        except Exception as exc:
            log.warning("Cannot release the claim of %s (%s)", key, faults.describe(exc))
            return False

    def _feed_output(self, airing: Airing, settings: dict, output: BaseOutput):
        """Hooks, the last wait, the play, with progress recorded on the claim about every second.

        :return: (result, exception, hook outcomes, first-sample time, progress).
        """
        hooks: list[dict] = []
        started: list[datetime] = []
        result, error = None, None
        progress = Progress(stall_s=float(settings["stall_threshold_s"]), now=self.clock.now)
        recorder = ProgressRecorder(self.home.database, airing.key, progress, self.clock)
        self._current = airing
        try:
            with amplifier(settings, hooks):
                def on_start():
                    started.append(self.clock.now())
                    recorder.start()
                result = self._start_on_cue(airing, output, progress, on_start)
        except Exception as exc:  # any failure on the air path is retried or logged by the caller
            log.warning("Output of %s failed: %s", airing.key, faults.describe(exc))
            error = exc
        finally:
            recorder.stop()
            self._current = None
        return result, error, hooks, (started[0] if started else None), progress

    def _start_on_cue(self, airing: Airing, output: BaseOutput, progress: Progress, on_start):
        """Cue the programme on *output*, then have it start at ``airing.target``; None if
        stopped first.

        Everything slow (reading the file, the player's process and connection) is paid by
        the cue, before the instant: paid after it, it was the start's delay and its tail.
        """
        with output.cue(airing.built.path, progress) as cued:
            self._wait_until(airing.target - CLAIM_AHEAD / 2, airing.stop)
            # From here the occurrence counts as (possibly) heard: a crash logs it partial.
            with self._db_lock:
                prooflog.mark_started(self.db, airing.key, self.clock.now())
            if not cued.prerolls:
                self._wait_until(airing.target, airing.stop)
            if airing.stop.is_set():
                return None
            # one that prerolls has its first samples in its player's buffer before the instant
            lead_s = max(0.0, (airing.target - self.clock.now()).total_seconds())
            return cued.start(airing.stop, on_start=on_start, lead_s=lead_s)

    def _wait_until(self, when: datetime, stop: threading.Event) -> None:
        """Sleep until the wall-clock instant *when*, on the monotonic clock for precision
        (through the injected clock, so a test's manual clock moves instead of hanging)."""
        remaining = (when - self.clock.now()).total_seconds()
        if remaining <= 0:
            return
        deadline = self.clock.monotonic() + remaining
        while not stop.is_set():
            left = deadline - self.clock.monotonic()
            if left <= 0:
                return
            # wake a little early and finish with short sleeps: Event.wait overshoots
            self.clock.wait(stop, left - 0.002 if left > 0.01 else left / 2 if left > 0.0005 else 0)
            if left <= 0.0005:
                return

    # -- urgent --------------------------------------------------------------------

    def _take_commands(self, now: datetime) -> None:
        # expired requests are marked so by take_pending and never air
        for cmd in commands.take_pending(self.db, now):
            if cmd.kind == "play_now":
                threading.Thread(target=self._play_urgent, args=({"id": cmd.id, "bulletin_id": cmd.bulletin_id},),
                                 daemon=True, name=f"urgent-{cmd.id}").start()

    def _play_urgent(self, cmd: dict) -> None:
        key = f"urgent:{cmd['id']}"
        settings = self.settings
        # Its own connection and no daemon lock: rendering may wait on the network,
        # which must not hold up the heartbeat or a programme that is on air.
        db = connect(self.home.database)
        try:
            bulletin = db["bulletins"].get(cmd["bulletin_id"])
            rendering.ensure_rendered(db, self.home, settings, bulletin["id"], self.clock)
            built = build(db, self.home, settings, key, [PlannedItem(bulletin, 0, False)],
                          now=self.clock.now())
        except Exception as exc:
            log.exception("Urgent broadcast %s failed", cmd["id"])
            self._append_row(prooflog.Entry(
                key=key, kind="urgent", scheduled_at=self.clock.now(), status="failed",
                reason=str(AirFailure(faults.PREPARE, exc)), output=self._output.name))
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
