"""Approved speech a lexicon change would read differently goes back to the leader.

A station lexicon entry changes how a word is read only in bulletins approved
after the change. An approved bulletin is rendered from its approved spoken form
(:mod:`radio.bulletins.approval`), so the entry never changes its speech under the old
approval: :func:`mark_stale_renders` compares each approved bulletin's approved
reading with what the normaliser makes of it now and lists it for re-approval
where they differ, with both readings. It keeps airing its approved audio until
the leader approves the new reading, which is then rendered and bound.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from radio.bulletins.approval import mark_reapprovals


def mark_stale_renders(db: Database, now: datetime) -> list[int]:
    """List for re-approval every approved bulletin whose spoken form the lexicon now changes.

    Joins the caller's transaction (call it in the same write as the lexicon change).
    Nothing is rendered and no approved audio changes.

    :return: the ids of the bulletins waiting for re-approval.
    """
    return mark_reapprovals(db, now)
