"""Entries typed by hand: a live reading done outside the system, and corrections.

Both are new rows in the proof log, chained like every other; nothing is ever
updated or deleted. A manual entry (kind ``manual``) records who entered it and
when (``logged_at``); a correction (kind ``correction``) references the entry it
corrects and says why, and may withdraw it (status ``void``).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlite_utils import Database

from .accounts import Actor, require
from .errors import NotFoundError, ValidationError
from .fields import clean_line, clean_text
from .ids import parse_id
from .prooflog import CORRECTION_STATUSES, Entry, LoggedItem, append

#: A manual entry is proof that something aired: only these statuses make sense.
MANUAL_STATUSES = ("aired", "partial")


def _reason(reason: str | None) -> str:
    text = clean_text(reason, "The reason")
    if not text:
        raise ValidationError("A reason is required (what happened, e.g. power cut, read by microphone).")
    return text


def add_manual(db: Database, actor: Actor | None, *, started_at: datetime, seconds: float,
               reason: str, titles: list[str], status: str = "aired", slot_id: int | None = None,
               bulletin_ids: list[int | None] | None = None, now: datetime) -> int:
    """Log a reading done outside the system; returns the new entry's id.

    :param seconds: how long the reading lasted (in s).
    :raise PermissionDeniedError: the actor may not ``log.manual``.
    :raise ValidationError: bad input; nothing was written.
    """
    actor = require(actor, "log.manual")
    reason = _reason(reason)
    if status not in MANUAL_STATUSES:
        raise ValidationError(f'A manual entry is "aired" or "partial", not "{status}".')
    if not isinstance(seconds, (int, float)) or not 0 < seconds <= 24 * 3600:  # nan compares false
        raise ValidationError("The reading's length must be between 1 second and 24 hours.")
    if started_at > now:
        raise ValidationError("A manual entry cannot be in the future.")
    titles = [t for t in (clean_line(t, "A title") for t in titles) if t]
    if not titles:
        raise ValidationError("Name at least one bulletin that was read.")
    ids = list(bulletin_ids or []) + [None] * len(titles)
    items = [LoggedItem(position=n, bulletin_id=ids[n - 1], title=title, completed=status == "aired")
             for n, title in enumerate(titles, start=1)]
    key = f"manual@{started_at.isoformat()}#{secrets.token_hex(4)}"
    return append(db, Entry(
        key=key, kind="manual", slot_id=slot_id, scheduled_at=started_at, status=status,
        started_at=started_at, ended_at=started_at + timedelta(seconds=seconds),
        seconds_played=seconds, reason=reason, output="manual", items=items,
        entered_by=actor.username,
    ), now=now)


def correct(db: Database, actor: Actor | None, entry_id: int, *, reason: str,
            status: str | None = None, now: datetime) -> int:
    """Log a correction of entry *entry_id*; returns the correction's id.

    The corrected entry is left as it was. *status* is what the entry should have
    said (``void`` withdraws it); by default the correction only adds the reason.

    :raise NotFoundError: no entry *entry_id*.
    """
    actor = require(actor, "log.manual")
    entry_id = parse_id(entry_id, "Proof log entry")
    reason = _reason(reason)
    row = db.execute("SELECT id, scheduled_at, status, slot_id FROM occurrences WHERE id = ?",
                     [entry_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Proof log entry {entry_id} does not exist.")
    status = status or row[2]
    if status not in CORRECTION_STATUSES:
        raise ValidationError(f'Unknown status "{status}"; use one of {", ".join(CORRECTION_STATUSES)}.')
    return append(db, Entry(
        key=f"correction:{entry_id}#{secrets.token_hex(4)}", kind="correction", slot_id=row[3],
        scheduled_at=datetime.fromisoformat(row[1]), status=status, reason=reason,
        entered_by=actor.username, corrects_id=entry_id,
    ), now=now)


def corrections_of(db: Database, entry_id: int) -> list[dict]:
    """The corrections of one entry, oldest first (the last one stands)."""
    return list(db["occurrences"].rows_where("corrects_id = ?", [entry_id], order_by="id"))


def parse_local(text: str) -> datetime:
    """A station-local ``YYYY-MM-DD HH:MM`` (as people write it) as an aware instant."""
    from .clock import STATION_TZ

    try:
        naive = datetime.strptime((text or "").strip().replace("T", " "), "%Y-%m-%d %H:%M")
    except ValueError:
        raise ValidationError(f'Time "{text}" is not YYYY-MM-DD HH:MM (station time).') from None
    return naive.replace(tzinfo=STATION_TZ)
