"""Playing one programme on an output: the claim, the hooks, the exact instant, the
progress, and the row that says what it came to.

:meth:`Player.play` tries until the programme went on air or grace ran out (each try
that put nothing out is released and tried again); :func:`~radio.station.outcome.classify`
turns what the output reported into the row's status and reason. :meth:`Player._feed`
is the one place where the output is started, at the instant the first sample is due:
an output opened and readied before the instant, then started exactly at it, changes
that method only.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from audio.outputs.base import BaseOutput, Progress

from radio.proof import log as prooflog
from radio.programme.assembly import BuiltProgramme
from radio.schedule.outputs import loudspeakers_of
from radio.store.connection import write
from radio.station import faults
from radio.station.hooks import amplifier
from radio.station.outcome import Expected, Outcome, Played, break_note, classify
from radio.station.progress import ProgressRecorder, Tries
from radio.station.proof_writer import ProofWriter
from radio.station.timing import CLAIM_AHEAD
from radio.wording.reasons import Reason, as_reason

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
    reason: Reason | None = None  # why the station cut it
    seconds_played: float | None = None  # set once it has been logged


class Outputs:
    """The station's output and the slots' own (zones), each built once and kept.

    Building one starts its slow set-up (a sound card's device scan) in the background; a
    first airing that comes before the set-up is done waits for it, as it would have done
    it itself.
    """

    def __init__(self, factory: Callable[[str], BaseOutput], main_spec: str):
        self._factory = factory
        self._by_spec: dict[str, BaseOutput] = {}
        self.main_spec = main_spec

    @property
    def main(self) -> BaseOutput:
        """The station's own output (built at its first use: the daemon's start)."""
        return self.for_spec(self.main_spec)

    def for_spec(self, spec: str | None) -> BaseOutput:
        """The output of *spec* (the station's own when None)."""
        spec = spec or self.main_spec
        if spec not in self._by_spec:
            output = self._factory(spec)
            threading.Thread(target=output.prepare, name=f"prepare {output.name}", daemon=True).start()
            self._by_spec[spec] = output
        return self._by_spec[spec]

    def add(self, spec: str, output: BaseOutput) -> None:
        """Keep *output* as the one of *spec* (built elsewhere)."""
        self._by_spec[spec] = output

    def spec_of(self, output: BaseOutput) -> str | None:
        return next((s for s, o in self._by_spec.items() if o is output), None)


class Player:
    """Plays programmes, one at a time, and writes each one's row through *writer*.

    :param db: the daemon's shared connection, used under *db_lock*
    :param stopping: set when the daemon stops
    """

    def __init__(self, home, db, db_lock: threading.RLock, clock, stopping: threading.Event,
                 writer: ProofWriter, outputs: Outputs):
        self.home, self.db, self._db_lock, self.clock = home, db, db_lock, clock
        self._stopping, self.writer, self.outputs = stopping, writer, outputs
        self._air_lock = threading.Lock()  # one programme at a time on the output
        self.current: Airing | None = None
        #: failed tries of occurrences being retried (the preparing stage's too)
        self.tries: dict[str, Tries] = {}
        self._claimed: dict[str, threading.Thread] = {}  # claims of this process and their job

    def job_alive(self, key: str) -> bool:
        """Whether the claim of *key* has a living job of this process."""
        job = self._claimed.get(key)
        return job is not None and job.is_alive()

    def cut(self, why: Reason) -> Airing | None:
        """Stop what is on air, logged with *why*; the airing cut, if any."""
        current = self.current
        if current:
            current.reason = why
            current.stop.set()
        return current

    def play(self, key: str, kind: str, slot_id: int | None, scheduled_at: datetime,
             built: BuiltProgramme, settings: dict, output: BaseOutput | None = None) -> None:
        """Air *built* at *scheduled_at* and log it.

        A try that puts nothing on air (claim refused by a busy database, output
        that cannot open or write) is retried within grace; the row names the
        tries. Seconds heard and dead air come from what the output consumed.
        """
        output = output or self.outputs.main
        warmup = timedelta(seconds=float(settings["hook_warmup_s"]))
        target = scheduled_at  # when the first sample is due; later on a retry
        tries = self.tries.setdefault(key, Tries())
        try:
            while True:
                # Wait without holding the output, so an urgent bulletin can air meanwhile.
                # Claim as late as possible: a daemon killed before the claim leaves the
                # occurrence unlogged, and the next start catches it up (or logs it missed).
                self.wait_until(target - warmup - CLAIM_AHEAD, self._stopping)
                if self._stopping.is_set():
                    return
                failure = self._try(key, kind, slot_id, scheduled_at, built, settings, output, target, tries)
                if failure is None:
                    return
                entry = prooflog.Entry(key=key, kind=kind, slot_id=slot_id, scheduled_at=scheduled_at,
                                       status="failed", output=output.name)
                if not self.writer.retry_or_fail(entry, failure, tries):
                    return
                target = self.clock.now() + warmup + CLAIM_AHEAD
        finally:
            self.tries.pop(key, None)

    def _try(self, key, kind, slot_id, scheduled_at, built, settings, output, target,
             tries: Tries) -> faults.AirFailure | None:
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
                return faults.AirFailure(faults.CLAIM, exc)
            try:
                airing = Airing(key, kind, slot_id, scheduled_at, built, output, target=target)
                played, hooks = self._feed(airing, settings, output)
                now = self.clock.now()
                outcome = classify(played, Expected(scheduled_at, to_file=output.name.startswith("file:"),
                                                    notes=list(built.notes), tries_note=tries.note()))
                if not outcome.on_air:
                    failure = faults.AirFailure(outcome.stage, played.cause or RuntimeError(
                        played.error or "the output played nothing"))
                    if self._release(key):
                        return failure
                    # the claim could not be released: it stays and its row is written now
                    tries.add(now, outcome.failure)
                    parts = [tries.reason(), break_note(played.breaks), *(as_reason(n) for n in built.notes)]
                    outcome = Outcome("failed", 0.0, played.breaks, reasons=[p for p in parts if p])
                self._log(airing, outcome, played, hooks, now)
                return None
            finally:
                self._claimed.pop(key, None)

    def _log(self, airing: Airing, outcome: Outcome, played: Played, hooks: list[dict], now: datetime) -> None:
        built, output = airing.built, airing.output
        feeds, named = self._reach(output)
        self.writer.append(prooflog.Entry(
            key=airing.key, kind=airing.kind, slot_id=airing.slot_id, scheduled_at=airing.scheduled_at,
            started_at=played.started_at, ended_at=now, seconds_played=outcome.seconds,
            programme_seconds=built.seconds, status=outcome.status, reasons=outcome.reasons,
            output=output.name, programme_sha256=built.sha256,
            loudness_lufs=built.programme.measured_lufs, hooks=hooks,
            items=built.items_played(outcome.seconds), loudspeakers=feeds, output_name=named))
        airing.seconds_played = outcome.seconds
        log.info("%s: %s, %.2f s of %.2f s", airing.key, outcome.status, outcome.seconds, built.seconds)

    def _feed(self, airing: Airing, settings: dict, output: BaseOutput) -> tuple[Played, list[dict]]:
        """Hooks, the last wait, the play, with progress recorded on the claim about every second.

        The output is cued and started here and nowhere else (:meth:`_start_on_cue`): its
        first sample goes out at ``airing.target``.
        """
        hooks: list[dict] = []
        started: list[datetime] = []
        result, error = None, None
        progress = Progress(stall_s=float(settings["stall_threshold_s"]), now=self.clock.now)
        recorder = ProgressRecorder(self.home.database, airing.key, progress, self.clock)
        self.current = airing
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
            self.current = None
        played = Played(
            seconds=result.seconds_played if result else progress.seconds,
            completed=bool(result and result.completed), started_at=started[0] if started else None,
            dead_air=list(progress.stalls), breaks=progress.breaks,
            cause=error or (result.cause if result else None), error=result.error if result else None,
            cut=airing.reason)
        return played, hooks

    def _start_on_cue(self, airing: Airing, output: BaseOutput, progress: Progress, on_start):
        """Cue the programme on *output*, then have it start at ``airing.target``; None if
        stopped first.

        Everything slow (reading the file, the player's process and connection) is paid by
        the cue, before the instant: paid after it, it was the start's delay and its tail.
        The cue comes after the claim and inside the hooks, so a cue that fails takes the
        same retry path as a play that fails.
        """
        with output.cue(airing.built.path, progress) as cued:
            self.wait_until(airing.target - CLAIM_AHEAD / 2, airing.stop)
            # From here the occurrence counts as (possibly) heard: a crash logs it partial.
            with self._db_lock:
                prooflog.mark_started(self.db, airing.key, self.clock.now())
            if not cued.prerolls:
                self.wait_until(airing.target, airing.stop)
            if airing.stop.is_set():
                return None
            # one that prerolls has its first samples in its player's buffer before the instant
            lead_s = max(0.0, (airing.target - self.clock.now()).total_seconds())
            return cued.start(airing.stop, on_start=on_start, lead_s=lead_s)

    def _reach(self, output: BaseOutput) -> tuple[bool | None, str | None]:
        """Whether *output* feeds loudspeakers (by its named output's setting, else its
        kind) and that named output, for the row; (None, None) when it cannot be told
        (the row is then judged by its output's kind)."""
        spec = self.outputs.spec_of(output)
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

    def wait_until(self, when: datetime, stop: threading.Event) -> None:
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
