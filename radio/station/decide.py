"""Deciding what an occurrence airs, at the last safe moment.

The running order of an occurrence is fixed at its *cut-off*::

    cut-off = first sample − hook warm-up − claim lead − assembly budget − margin

where the assembly budget is derived from measured assembly time
(``benchmarks/programme_assembly.py``: :data:`ASSEMBLY_BASE_S` plus
:data:`ASSEMBLY_S_PER_AUDIO_S` per second of programme, the p99 of realistic
programmes with headroom for a loaded two-core PC). Until the cut-off the air
job waits: approvals and withdrawals take effect, speech still to be rendered
is rendered on threads with their own connections (never under the daemon's
shared lock), and each part's file is checked against its stored sha256 and
length, a damaged one being rendered again. At the cut-off, in one write
transaction, the plan is made from the database, what it will air is reserved
(table ``reservations``) so repeat counts hold across occurrences close
together and catch-up bursts, and anything that cannot air is left out with
its own reason while the rest airs. The occurrence is cancelled only when
nothing can air.

The rest of the daemon only asks :func:`decide`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from sqlite_utils import Database

from radio.bulletins import approval
from radio.programme import parts
from radio.speech import rendering
from radio.clock import to_utc_text
from radio.store.home import Home
from radio.programme.assembly import DamagedAudioError, approved_item, verify_render
from radio.schedule.plan import PlannedItem, PlannedOccurrence, aired_counts, plan, slot_accepts
from radio.schedule.slots import Occurrence
from radio.settings import ident_text
from radio.store.connection import revision, write
from radio.station.timing import CLAIM_AHEAD, PREPARE_LEAD_S
from radio.wording import reasons
from radio.wording.reasons import Reason, message, reason
from radio import settings as settings_mod
from radio.store.connection import connect

log = logging.getLogger("radio.station.decide")

#: measured assembly time (benchmarks/programme_assembly.py, p99 with headroom): fixed part
ASSEMBLY_BASE_S = 1.5
#: ... and per second of programme audio
ASSEMBLY_S_PER_AUDIO_S = 0.12
#: extra time kept free after the assembly budget (a loaded machine, the claim)
MARGIN_S = 1.0
#: how often the air job looks again while it waits for the cut-off
POLL_S = 0.5

NOTHING_APPROVED = reason("nothing_approved").english()
#: the air job was waiting when its slot was paused, removed or edited to other times
NO_LONGER_SCHEDULED = reason("no_longer_scheduled").english()


@dataclass
class Decision:
    """The fixed running order of one occurrence."""

    occurrence: Occurrence
    cutoff: datetime
    planned: PlannedOccurrence | None
    items: list[PlannedItem] = field(default_factory=list)
    left_out: list[tuple[PlannedItem, str]] = field(default_factory=list)
    #: bulletins that would fit this slot but whose repeats the log has used up
    used_up: list[int] = field(default_factory=list)

    @property
    def slot(self) -> dict:
        return self.planned.slot if self.planned else {}

    @property
    def note_reasons(self) -> list[Reason]:
        """The left-out items as one reason each, for the log row."""
        return [reason("bulletin_left_out", bulletin_id=item.id, why=message(why)) for item, why in self.left_out]

    @property
    def notes(self) -> list[str]:
        """The left-out items as one phrase each."""
        return [note.english() for note in self.note_reasons]

    @property
    def cancel_reasons(self) -> list[Reason]:
        """Why nothing airs, as reason codes (the left-out items' own words kept as they are)."""
        if self.planned is None:
            return [reason("no_longer_scheduled")]
        if not self.left_out:
            if self.used_up:
                return [reason("repeats_used_up", bulletins=list(self.used_up))]
            return [reason("nothing_approved")]
        return [reason("left_out"), *(reason("bulletin_why", bulletin_id=item.id, why=message(why))
                                      for item, why in self.left_out)]

    @property
    def cancel_reason(self) -> str:
        """Why nothing airs, in one sentence."""
        return reasons.english(self.cancel_reasons)


def repeats_used_up(db: Database, occ: Occurrence, slot: dict) -> list[int]:
    """Approved bulletins valid on *occ*'s day that *slot* would carry, had their repeats not
    been used up by airings and other occurrences' reservations (at most ten ids, oldest first)."""
    day = occ.local.date().isoformat()
    bulletins = [b for b in db["bulletins"].rows_where(
        "status = 'approved' AND (valid_until IS NULL OR valid_until >= ?) "
        "AND (valid_from IS NULL OR valid_from <= ?)", [day, day], order_by="id")
        if slot_accepts(slot, b)]
    counts = aired_counts(db, ignore_key=occ.key, bulletin_ids=[b["id"] for b in bulletins])
    return [b["id"] for b in bulletins if counts.get(b["id"], 0) >= b["repeat_count"]][:10]


def assembly_budget_s(programme_ms: int) -> float:
    """Time to allow for assembling a programme of *programme_ms* (in s)."""
    return ASSEMBLY_BASE_S + ASSEMBLY_S_PER_AUDIO_S * programme_ms / 1000.0


def cutoff(occ: Occurrence, settings: dict, programme_ms: int) -> datetime:
    """When the running order of *occ* is fixed (UTC)."""
    lead = (float(settings["hook_warmup_s"]) + CLAIM_AHEAD.total_seconds()
            + assembly_budget_s(programme_ms) + MARGIN_S)
    return occ.scheduled_at - timedelta(seconds=lead)


def job_lead_s(settings: dict) -> float:
    """How long before its instant an air job starts: the usual prepare lead, or more when a
    full-length programme's assembly budget needs it (renders get the rest of the time)."""
    longest_ms = int(settings["default_cap_minutes"]) * 60_000
    return (PREPARE_LEAD_S + float(settings["hook_warmup_s"])
            + max(0.0, assembly_budget_s(longest_ms) + MARGIN_S - PREPARE_LEAD_S / 2))


def candidates(db: Database, occ: Occurrence, settings: dict) -> PlannedOccurrence | None:
    """What *occ* would air if every approved bulletin had its audio now (no reservation)."""
    found = plan(db, start=occ.scheduled_at - timedelta(microseconds=1), end=occ.scheduled_at,
                 settings=settings, exclude_keys=set(), ignore_reservations_of=occ.key)
    return next((p for p in found if p.occurrence.key == occ.key), None)


def _render_on_thread(home: Home, bulletin_id: int, clock) -> None:
    rendering.render_in_background(home, bulletin_id, clock)


def _ident_on_thread(home: Home) -> None:
    def work() -> None:
        db = connect(home.database)
        try:
            parts.render_ident(db, home, settings_mod.load(home, db))
        except Exception:  # logged; the programme airs without it if it is not ready
            log.exception("Rendering the station ident failed")
        finally:
            db.conn.close()

    threading.Thread(target=work, name="render-ident", daemon=True).start()


class _Preparer:
    """Keeps renders moving while an air job waits for its cut-off."""

    #: a render asked for but not taken up yet is asked for again after this (in s)
    REKICK_S = 2.0

    def __init__(self, db: Database, home: Home, clock, start_render, start_ident):
        self.db, self.home, self.clock = db, home, clock
        self.start_render, self.start_ident = start_render, start_ident
        self.kicked: dict[int, float] = {}  # bulletin id → monotonic time of the last request
        self.checked: set[tuple[int, str | None]] = set()
        self.ident_kicked = False

    def step(self, planned: PlannedOccurrence | None) -> None:
        if not self.ident_kicked:
            self.ident_kicked = True
            self.start_ident(self.home)
        if planned is None:
            return
        now, mono = self.clock.now(), self.clock.monotonic()
        for item in [*planned.items, *(i for i, _ in planned.deferred)]:
            render = _row(self.db, item.id)
            if render is None:
                continue
            if render["state"] == "done":
                seen = (item.id, render.get("audio_sha256"))
                if seen not in self.checked:
                    self.checked.add(seen)
                    if heal(self.db, item.bulletin, render, now):
                        self._kick(item.id, mono)
                continue
            last = self.kicked.get(item.id)
            if render["state"] == "failed":
                if last is None:  # one more try per occurrence; the render pass retries too
                    self._kick(item.id, mono)
            elif render["state"] == "pending" or rendering.is_stale(render, now):
                if last is None or mono - last >= self.REKICK_S:
                    self._kick(item.id, mono)

    def _kick(self, bulletin_id: int, mono: float) -> None:
        self.kicked[bulletin_id] = mono
        self.start_render(self.home, bulletin_id, self.clock)


def _all_ready(db: Database, planned: PlannedOccurrence | None) -> bool:
    """Whether every candidate of *planned* has its speech (nothing left to ready)."""
    if planned is None:
        return True
    ids = [i.id for i in [*planned.items, *(i for i, _ in planned.deferred)]]
    if not ids:
        return True
    marks = ",".join("?" * len(ids))
    waiting = db.execute(f"SELECT count(*) FROM renders WHERE bulletin_id IN ({marks}) AND state != 'done'",
                         ids).fetchone()[0]
    return waiting == 0


def _row(db: Database, bulletin_id: int) -> dict | None:
    rows = list(db["renders"].rows_where("bulletin_id = ?", [bulletin_id]))
    return rows[0] if rows else None


def heal(db: Database, bulletin: dict, render: dict, now: datetime) -> str | None:
    """Check a done render's file; a damaged one is queued to render again.

    :return: what was wrong (one sentence), or None when the file is whole.
    """
    try:
        verify_render(bulletin, render)
        return None
    except DamagedAudioError as exc:
        problem = str(exc)
        if exc.replaced:
            approval.raise_alert(db, now, f"bulletin:{bulletin['id']}", problem)
    if bulletin.get("recording_path"):
        # a human reading cannot be rendered again: it stays out until it is replaced
        log.warning("Bulletin %s: %s; it stays off air until the recording is replaced",
                    bulletin["id"], problem)
        return problem
    log.warning("Bulletin %s: %s; rendering it again", bulletin["id"], problem)
    if render.get("path"):
        # the render cache would hand the damaged file back: remove it first
        Path(render["path"]).unlink(missing_ok=True)
    with write(db):
        db.execute("UPDATE renders SET state = 'pending', error = ?, updated_at = ?, "
                   "lease_owner = NULL, lease_until = NULL WHERE bulletin_id = ? AND state = 'done'",
                   [problem, to_utc_text(now), bulletin["id"]])
    return problem


def fix(db: Database, occ: Occurrence, settings: dict, now: datetime, cut: datetime,
        *, verify: bool = True) -> Decision:
    """Fix the running order of *occ* now and reserve its items (one write transaction).

    :param verify: check each item's file (off only in :mod:`radio.station.simulation`, which has no sound).
    """
    with write(db):
        db.execute("DELETE FROM reservations WHERE key = ?", [occ.key])
        found = plan(db, start=occ.scheduled_at - timedelta(microseconds=1), end=occ.scheduled_at,
                     settings=settings, require_rendered=True, ignore_reservations_of=occ.key)
        planned = next((p for p in found if p.occurrence.key == occ.key), None)
        decision = Decision(occ, cut, planned)
        if planned is None:
            return decision
        for item in planned.items:
            render = _row(db, item.id) or {}
            # what the leader approved, recomputed from the bulletin as it stands; a mismatch never airs
            unapproved = verify and approved_item(db, item.bulletin, render, now=now)
            if unapproved:
                decision.left_out.append((item, unapproved))
                continue
            problem = verify and heal(db, item.bulletin, render, now)
            if problem:
                later = ("replace the recording" if item.bulletin.get("recording_path")
                         else "rendered again for a later slot")
                decision.left_out.append((item, f"{problem}, {later}"))
            else:
                decision.items.append(item)
        decision.left_out.extend(planned.deferred)
        if not decision.items and not decision.left_out:
            decision.used_up = repeats_used_up(db, occ, planned.slot)
        for position, item in enumerate(decision.items, start=1):
            db["reservations"].insert(dict(
                key=occ.key, bulletin_id=item.id, position=position,
                scheduled_at=to_utc_text(occ.scheduled_at), decided_at=to_utc_text(now)))
    return decision


def decide(db: Database, home: Home, settings: dict, occ: Occurrence, clock, stop: threading.Event,
           *, start_render: Callable = _render_on_thread,
           start_ident: Callable = _ident_on_thread) -> Decision | None:
    """Wait for the cut-off of *occ* while its speech is readied, then fix its running order.

    :param db: a connection of the air job's own (rendering and waiting never hold the daemon's).
    :param stop: set when the daemon stops; returns None then, deciding nothing.
    :param start_render: starts rendering one bulletin elsewhere (``(home, id, clock)``).
    :param start_ident: starts rendering the station ident elsewhere (``(home,)``).
    """
    preparer = _Preparer(db, home, clock, start_render, start_ident)
    if not ident_text(settings):
        preparer.ident_kicked = True  # no ident to ready
    seen_revision, planned = None, None
    while True:
        # Re-plan only when something was approved, withdrawn or changed, or while speech is
        # still being readied: a dozen jobs waiting at once must not load a two-core PC.
        current = revision(db)
        if current != seen_revision or not _all_ready(db, planned):
            seen_revision, planned = current, candidates(db, occ, settings)
        cut = cutoff(occ, settings, planned.duration_ms if planned else 0)
        now = clock.now()
        if now >= cut:
            break
        preparer.step(planned)
        if stop.is_set():
            return None
        clock.sleep(min(POLL_S, (cut - now).total_seconds()))
        if stop.is_set():
            return None
    decision = fix(db, occ, settings, clock.now(), cut)
    log.info("%s decided at the cut-off %s: %d item(s), %d left out", occ.key, to_utc_text(cut),
             len(decision.items), len(decision.left_out))
    return decision
