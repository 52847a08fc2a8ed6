"""Settling accounts after an absence: claims left by a killed daemon, and the
occurrences owed while it was away (caught up within grace, else missed).

:class:`Reconciler` keeps its own state (the entries the database lost) and works on the
daemon's shared connection, which the daemon holds the lock of while calling it."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timedelta
from typing import Callable

from radio.proof import chain, log as prooflog
from radio.schedule.outputs import loudspeakers_of
from radio.clock import STATION_TZ, from_utc_text, to_utc_text
from radio.schedule.slots import Occurrence, list_slots, occurrences_between, owed_from
from radio.store.connection import write
from radio.station.jobs import Jobs
from radio.station.outcome import break_note, dead_air_notes
from radio.wording.reasons import reason

log = logging.getLogger("radio.station")

#: how far short of the programme's length a crash-closed claim still counts as all output
#: (frames against milliseconds: rounding, not sound)
WHOLE_TOLERANCE_S = 0.01


class Reconciler:
    """Heartbeat, stale claims and missed occurrences.

    :param db: the daemon's shared connection
    :param settings: returns the daemon's current settings
    :param jobs: the air jobs owed; catch-ups are owed through *owe*
    :param job_alive: whether a claim of this process still has a living air job
    """

    def __init__(self, db, clock, settings: Callable[[], dict], jobs: Jobs, owe: Callable[..., None],
                 job_alive: Callable[[str], bool]):
        self.db, self.clock, self._settings = db, clock, settings
        self._jobs, self._owe, self._job_alive = jobs, owe, job_alive
        self._lost_keys: set[str] = set()  # digests of keys in entries the database lost

    def heartbeat(self, now: datetime) -> None:
        with write(self.db):
            self.db["station_state"].upsert({"name": "heartbeat", "value": to_utc_text(now)}, pk="name")

    def note_output(self, spec: str, name: str) -> None:
        """Tell the station page which output this daemon really plays to (a ``--output``
        given to ``radio serve`` overrides the setting) and whether it feeds loudspeakers."""
        try:
            feeds, _ = loudspeakers_of(self.db, spec)
            with write(self.db):
                self.db["station_state"].upsert({"name": "output", "value": name}, pk="name")
                self.db["station_state"].upsert({"name": "output.loudspeakers", "value": "1" if feeds else "0"},
                                                pk="name")
        except Exception as exc:  # a page's note: never a reason not to start
            log.warning("Cannot note the output in use for the station page (%s)", exc)

    def _last_heartbeat(self) -> datetime | None:
        row = self.db.execute("SELECT value FROM station_state WHERE name = 'heartbeat'").fetchone()
        return from_utc_text(row[0]) if row else None

    def check_lost_entries(self) -> None:
        """At start-up: entries the signed heads list beyond the database's last row were
        lost (a deleted ``radio.db-wal``, an older ``radio.db`` put back). Their occurrences
        were logged, so they are never caught up again; a loud alert names them, and new
        entries take ids after them. A heads file gone or shortened is an alert too."""
        self._lost_keys = set()
        problem = chain.signed_problem(self.db)
        if problem:
            chain.alert(self.db, problem)
        lost = chain.lost_entries(self.db)
        if not lost:
            return
        self._lost_keys = {entry[2][0] for entry in lost if entry[2]}
        first, last = lost[0][0], lost[-1][0]
        chain.skip_lost_ids(self.db, last)
        span = (f"entry {first} was lost from the database (the signed heads list it); its occurrence is"
                if first == last else f"entries {first}–{last} were lost from the database (the signed heads "
                                      "list them); their occurrences are")
        chain.alert(self.db, f"{span} not aired again")

    def close_stale_claims(self) -> None:
        """Claims left by a killed daemon (at start-up: none of them has a living job)."""
        for claim in list(self.db["claims"].rows):
            self._close_claim(claim, "process")

    def close_orphan_claims(self) -> None:
        """Claims of this process whose air job is gone (it died on an exception, its
        thread ended): finished by the running daemon instead of waiting for a restart."""
        for claim in list(self.db["claims"].rows_where("pid = ?", [os.getpid()])):
            if not self._job_alive(claim["key"]):
                self._close_claim(claim, "air_job")
                if not claim["started_at"]:
                    self._owe_again(claim)

    def _owe_again(self, claim: dict) -> None:
        """A released claim of this process: air it again within grace, else log it failed."""
        scheduled_at = from_utc_text(claim["scheduled_at"])
        late = self.clock.now() - scheduled_at
        if _kind(claim["key"]) == "slot" and late <= timedelta(minutes=self._settings()["grace_minutes"]):
            self._owe(Occurrence(claim["key"], claim["slot_id"], scheduled_at))
            return
        prooflog.append(self.db, prooflog.Entry(
            key=claim["key"], kind=_kind(claim["key"]), slot_id=claim["slot_id"],
            scheduled_at=scheduled_at, status="failed", output=claim["output"],
            reasons=[reason("air_job_died_before_output")]), now=self.clock.now())

    def _close_claim(self, claim: dict, who: str) -> None:
        """One that reached the output may have been heard: it is logged partial with the
        seconds its progress recorded, and never aired again. One that never did is released:
        it is caught up within grace (or logged missed by :meth:`_reconcile`)."""
        now = self.clock.now()
        key = claim["key"]
        if not claim["started_at"]:
            with write(self.db):
                self.db.execute("DELETE FROM claims WHERE key = ?", [key])
            self._jobs.forget(key)
            log.warning("Released claim %s that never reached the output", key)
            return
        seconds = float(claim["seconds_played"] or 0.0)
        ends = json.loads(claim["item_ends_ms"]) if claim["item_ends_ms"] else None
        items = []
        for n, item in enumerate(_items(claim)):
            heard = ends is not None and n < len(ends) and ends[n] <= seconds * 1000.0 + 1
            items.append(prooflog.LoggedItem(**{**item, "completed": heard}))
        dead_air = [(from_utc_text(w), float(s)) for w, s in json.loads(claim["dead_air"] or "[]")]
        progress_at = from_utc_text(claim["progress_at"]) if claim["progress_at"] else None
        heard = (reason("heard_of", seconds=seconds, programme_seconds=float(claim["programme_seconds"]))
                 if claim["programme_seconds"] is not None else reason("heard", seconds=seconds))
        life = reason("last_life", at=f"{progress_at.astimezone(STATION_TZ):%H:%M:%S}") if progress_at else None
        # the output had taken every sample (its last progress is recorded when the play
        # ends) and the daemon died before writing the row: all was heard
        whole = (claim["programme_seconds"] is not None and not dead_air
                 and seconds >= float(claim["programme_seconds"]) - WHOLE_TOLERANCE_S)
        why = reason(f"{who}_died_after_whole" if whole else f"{who}_died_on_air", heard=heard, life=life)
        parts = [p for p in [why, *dead_air_notes(dead_air), break_note(claim["breaks"])] if p]
        prooflog.append(self.db, prooflog.Entry(
            key=key, kind=_kind(key), slot_id=claim["slot_id"],
            scheduled_at=from_utc_text(claim["scheduled_at"]),
            started_at=from_utc_text(claim["started_at"]), ended_at=progress_at,
            seconds_played=seconds, programme_seconds=claim["programme_seconds"],
            programme_sha256=claim["programme_sha256"], status="aired" if whole else "partial",
            reasons=parts, output=claim["output"], items=items,
        ), now=now)
        log.warning("Closed interrupted occurrence %s as %s: %s", key, "aired" if whole else "partial",
                    "; ".join(p.english() for p in parts))

    def reconcile(self, now: datetime) -> None:
        """Log occurrences owed while the daemon was away; catch up those within grace."""
        settings = self._settings()
        grace = timedelta(minutes=settings["grace_minutes"])
        last = self._last_heartbeat()
        lookback = now - timedelta(days=settings["lookback_days"])
        since = max(last, lookback) if last else lookback
        slots = list_slots(self.db, active_only=True)
        created = {s["id"]: owed_from(s) for s in slots}
        owed = [o for o in occurrences_between(slots, since - grace, now)
                if o.scheduled_at > created[o.slot_id]]
        until = f"{now.astimezone(STATION_TZ):%d/%m/%Y %H:%M:%S}"
        away = (reason("away_from", since=f"{last.astimezone(STATION_TZ):%d/%m/%Y %H:%M:%S}", until=until)
                if last else reason("away", until=until))
        catch_ups = []  # aired one after the other, oldest first: it has the least grace left
        lost = self._lost_keys
        for occ in owed:
            if prooflog.is_logged(self.db, occ.key) or self._jobs.is_owed(occ.key):
                continue
            if lost and chain.key_digest(occ.key) in lost:
                log.error("Not catching up %s: the signed heads say it was logged, in an entry "
                          "the database lost", occ.key)
                continue
            if now - occ.scheduled_at <= grace:
                log.info("Catching up %s (%.0f s late)", occ.key, (now - occ.scheduled_at).total_seconds())
                catch_ups.append(occ)
            else:
                prooflog.append(self.db, prooflog.Entry(
                    key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at, status="missed",
                    reasons=[away]), now=now)
                log.warning("Missed %s: %s", occ.key, away)
        self._owe(*catch_ups)
        self.heartbeat(now)


def _items(claim: dict) -> list[dict]:
    return json.loads(claim["items"] or "[]")


def _kind(key: str) -> str:
    return "urgent" if key.startswith("urgent:") else "resume" if "#resume" in key else "slot"
