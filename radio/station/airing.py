"""Airing an occurrence: too late or not, the running order (:func:`~radio.station.decide.decide`),
the output it names, the programme built, then the :class:`~radio.station.player.Player`.
Also urgent interruptions and resuming what they cut."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Callable

from audio.programme import warm_assembly

from radio.errors import NotFoundError
from radio.proof import log as prooflog
from radio.programme.assembly import build
from radio.schedule import commands
from radio.schedule.outputs import spec_for
from radio.schedule.plan import PlannedItem
from radio.schedule.slots import Occurrence
from radio.speech import rendering
from radio.station import faults
from radio.station.decide import decide
from radio.station.faults import AirFailure
from radio.station.player import Airing, Player
from radio.station.progress import Tries
from radio.store.connection import connect
from radio.wording.reasons import message, reason

log = logging.getLogger("radio.station")


class Airer:
    """Prepares and airs occurrences and urgent bulletins on the :class:`Player`.

    :param settings: returns the daemon's current settings
    """

    def __init__(self, home, clock, stopping: threading.Event, settings: Callable[[], dict], player: Player):
        self.home, self.clock, self._stopping = home, clock, stopping
        self._settings, self.player = settings, player
        self.writer = player.writer

    def air(self, occ: Occurrence) -> None:
        """Prepare, wait for the instant, play, log.

        Any exception on the way (the database busy beyond its timeout, a full disk,
        a build that fails) is retried every ``output_retry_s`` while grace lasts;
        then one failed row names the stage and the cause.
        """
        tries = self.player.tries.setdefault(occ.key, Tries())
        try:
            while True:
                try:
                    self.air_once(occ)
                    return
                except Exception as exc:
                    failure = exc if isinstance(exc, AirFailure) else AirFailure(faults.PREPARE, exc)
                    entry = prooflog.Entry(key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                                           status="failed", output=self.player.outputs.main_spec)
                    if not self.writer.retry_or_fail(entry, failure, tries):
                        return
        finally:
            self.player.tries.pop(occ.key, None)

    def air_once(self, occ: Occurrence) -> None:
        """One try of :meth:`air`: an exception is the caller's to retry."""
        # Its own connection: assembling takes seconds and must not hold up the heartbeat.
        db = connect(self.home.database)
        try:
            if prooflog.is_logged(db, occ.key):
                return
            settings = self._settings()
            late = self.clock.now() - occ.scheduled_at
            if late > timedelta(minutes=settings["grace_minutes"]):
                # the job fired long after its time: the machine slept or the clock jumped
                self.writer.append(self._final(occ, "missed", reason("suspended", late_s=late.total_seconds())))
                return
            # the helper that will assemble it starts while the job waits for its cut-off
            warm_assembly(keep_s=min(600.0, max(0.0, (occ.scheduled_at - self.clock.now()).total_seconds()) + 60))
            decision = decide(db, self.home, settings, occ, self.clock, self._stopping)
            if decision is None:
                return  # stopping: the next start catches it up or logs it missed
            if not decision.items:
                self.writer.append(self._final(occ, "cancelled", *decision.cancel_reasons))
                return
            try:
                # a slot names one of the admin's outputs; the spec never comes from the slot
                spec = spec_for(db, decision.slot.get("output"))
            except NotFoundError as exc:
                self.writer.append(self._final(occ, "failed", message(str(exc))))
                return
            built = build(db, self.home, settings, occ.key, decision.items, notes=decision.note_reasons,
                          now=self.clock.now())
        finally:
            db.conn.close()
        self.player.play(occ.key, "slot", occ.slot_id, occ.scheduled_at, built, settings,
                         self.player.outputs.for_spec(spec))

    @staticmethod
    def _final(occ: Occurrence, status: str, *why) -> prooflog.Entry:
        return prooflog.Entry(key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                              status=status, reasons=list(why))

    # -- urgent --------------------------------------------------------------------

    def take_commands(self, db, now) -> None:
        """Start the urgent requests waiting in *db* (the daemon's connection, under its lock);
        expired requests are marked so by take_pending and never air."""
        for cmd in commands.take_pending(db, now):
            if cmd.kind == "play_now":
                threading.Thread(target=self.play_urgent, args=(cmd.id, cmd.bulletin_id),
                                 daemon=True, name=f"urgent-{cmd.id}").start()

    def play_urgent(self, command_id: int, bulletin_id: int) -> None:
        key = f"urgent:{command_id}"
        settings = self._settings()
        # Its own connection and no daemon lock: rendering may wait on the network,
        # which must not hold up the heartbeat or a programme that is on air.
        db = connect(self.home.database)
        try:
            bulletin = db["bulletins"].get(bulletin_id)
            rendering.ensure_rendered(db, self.home, settings, bulletin["id"], self.clock)
            built = build(db, self.home, settings, key, [PlannedItem(bulletin, 0, False)],
                          now=self.clock.now())
        except Exception as exc:
            log.exception("Urgent broadcast %s failed", command_id)
            self.writer.append(prooflog.Entry(
                key=key, kind="urgent", scheduled_at=self.clock.now(), status="failed",
                reasons=[AirFailure(faults.PREPARE, exc).reason()], output=self.player.outputs.main.name))
            return
        finally:
            db.conn.close()
        interrupted = self.player.cut(reason("urgent_interrupted", bulletin_id=bulletin["id"]))
        self.player.play(key, "urgent", None, self.clock.now(), built, settings)
        if interrupted and settings["resume_after_urgent"]:
            self._resume(interrupted, settings)

    def _resume(self, airing: Airing, settings: dict) -> None:
        """Play the rest of a programme an urgent bulletin cut, as its own occurrence."""
        if airing.seconds_played is None or airing.seconds_played >= airing.built.seconds - 0.5:
            return
        key = f"{airing.key}#resume"
        rest = airing.built.remainder(airing.seconds_played, key)
        self.player.play(key, "resume", airing.slot_id, self.clock.now(), rest, settings, airing.output)
