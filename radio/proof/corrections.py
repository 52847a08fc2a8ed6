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

from radio.accounts import audit
from radio.accounts.roles import Actor, require
from radio.clock import to_utc_text
from radio.errors import NotFoundError, ValidationError
from radio.store.fields import clean_line, clean_text
from radio.store.ids import parse_id
from radio.proof.log import CORRECTION_STATUSES, Entry, LoggedItem, append
from radio.clock import STATION_TZ

#: A manual entry is proof that something aired: only these statuses make sense.
MANUAL_STATUSES = ("aired", "partial")


def _reason(reason: str | None) -> str:
    text = clean_text(reason, "The reason")
    if not text:
        raise ValidationError("A reason is required (what happened, e.g. power cut, read by microphone).")
    return text


def _topic(topic: str | None) -> str | None:
    """A manual entry's topic as bulletins store it (a code such as ``cchc``), or None."""
    text = (topic or "").strip().lower()
    if not text:
        return None
    if len(text) > 40:
        raise ValidationError("A topic has at most 40 characters.")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValidationError("A topic cannot hold control characters.")
    return text


def add_manual(db: Database, actor: Actor | None, *, started_at: datetime, seconds: float,
               reason: str, titles: list[str], status: str = "aired", slot_id: int | None = None,
               bulletin_ids: list[int | None] | None = None, topic: str | None = None,
               now: datetime) -> int:
    """Log a reading done outside the system; returns the new entry's id.

    The entry and its audit row (``log.manual``) are written in one transaction.

    :param seconds: how long the reading lasted (in s).
    :param topic: the topic of what was read (e.g. ``cchc``), so an aired reading counts
        toward that topic's target; None: no topic, it counts toward none.
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
    topic = _topic(topic)
    items = [LoggedItem(position=n, bulletin_id=ids[n - 1], title=title, topic=topic,
                        completed=status == "aired")
             for n, title in enumerate(titles, start=1)]
    key = f"manual@{started_at.isoformat()}#{secrets.token_hex(4)}"
    detail = {"op": "add-manual", "status": status, "started_at": to_utc_text(started_at),
              "seconds": seconds, "titles": titles, "topic": topic, "reason": reason}
    return append(db, Entry(
        key=key, kind="manual", slot_id=slot_id, scheduled_at=started_at, status=status,
        started_at=started_at, ended_at=started_at + timedelta(seconds=seconds),
        seconds_played=seconds, reason=reason, output="manual", items=items,
        entered_by=actor.username,
    ), now=now, also=lambda entry_id: audit.record(db, actor, "log.manual", now=now,
                                                   target=f"log:{entry_id}", detail=detail))


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
    detail = {"op": "correct", "corrects": entry_id, "previous": row[2], "status": status, "reason": reason}
    return append(db, Entry(
        key=f"correction:{entry_id}#{secrets.token_hex(4)}", kind="correction", slot_id=row[3],
        scheduled_at=datetime.fromisoformat(row[1]), status=status, reason=reason,
        entered_by=actor.username, corrects_id=entry_id,
    ), now=now, also=lambda new_id: audit.record(db, actor, "log.manual", now=now, target=f"log:{new_id}",
                                                 detail=detail))


def corrections_of(db: Database, entry_id: int) -> list[dict]:
    """The corrections of one entry, oldest first (the last one stands)."""
    return list(db["occurrences"].rows_where("corrects_id = ?", [entry_id], order_by="id"))


def parse_local(text: str) -> datetime:
    """A station-local ``YYYY-MM-DD HH:MM`` (as people write it) as an aware instant."""
    try:
        naive = datetime.strptime((text or "").strip().replace("T", " "), "%Y-%m-%d %H:%M")
    except ValueError:
        raise ValidationError(f'Time "{text}" is not YYYY-MM-DD HH:MM (station time).') from None
    return naive.replace(tzinfo=STATION_TZ)
