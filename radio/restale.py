"""Approved speech that a lexicon change made out of date goes back to be rendered.

A station lexicon entry changes how a word is read only in renders made after
the change; an approved bulletin already rendered would still air the old
reading. :func:`mark_stale_renders` compares each approved bulletin's stored
spoken text with what the normaliser makes of it now, and queues a new
render (``state = 'pending'``) where they differ; the daemon renders pending
rows as soon as the revision counter moves, well before air.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from content.normalize import normalize

from .clock import to_utc_text
from .lexicon import station_lexicon
from .preview import spoken_text_of
from .store import write


def mark_stale_renders(db: Database, now: datetime) -> list[int]:
    """Queue a re-render of every approved, rendered bulletin whose spoken form changed.

    Joins the caller's transaction (call it in the same write as the lexicon change).

    :return: the ids of the bulletins queued again.
    """
    lexicon = station_lexicon(db)
    rows = db.execute(
        "SELECT b.id, b.title, b.text, r.spoken_text FROM bulletins b JOIN renders r ON r.bulletin_id = b.id "
        "WHERE b.status = 'approved' AND b.recording_path IS NULL AND r.state = 'done' "
        "AND r.spoken_text IS NOT NULL ORDER BY b.id").fetchall()
    stale = [bulletin_id for bulletin_id, title, text, spoken in rows
             if normalize(spoken_text_of(title, text), lexicon=lexicon) != spoken]
    if stale:
        with write(db):
            db.execute(
                f"UPDATE renders SET state = 'pending', updated_at = ? "
                f"WHERE bulletin_id IN ({','.join('?' * len(stale))})",
                [to_utc_text(now), *stale])
    return stale
