"""Keeping the data directory from filling the disk, without losing any proof."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from sqlite_utils import Database

from radio.proof import replay
from radio.clock import to_utc_text
from radio.store.home import Home
from radio.store.connection import write

log = logging.getLogger("radio.station.housekeeping")


def prune_programmes(home: Home, now: datetime, *, days: int, db: Database | None = None,
                     keep_proof_days: int | None = None, secure: Callable = replay.secure) -> int:
    """Delete assembled programmes older than *days*; return how many went.

    With *db*, the parts of new programmes are kept first
    (:func:`radio.proof.replay.store_pending`), an aired programme is deleted only once
    it can be replayed bit for bit (:func:`radio.proof.replay.secure`), and proof audio older than *keep_proof_days*
    is dropped (:func:`radio.proof.replay.prune`); the proof log itself is never purged.
    The daemon runs it on its own thread (:mod:`radio.station.proofkeeper`).

    :param secure: :func:`radio.proof.replay.secure` (a stand-in in tests).
    """
    cutoff = now.timestamp() - days * 86400
    removed = 0
    if db is not None:
        replay.store_pending(db, home)
    for path in home.programmes.glob("*.wav"):
        if path.stat().st_mtime < cutoff:
            if db is not None and not secure(db, home, path):
                continue
            path.unlink(missing_ok=True)
            removed += 1
    if db is not None and keep_proof_days is not None and _due(db, now):
        replay.prune(db, home, now, keep_days=keep_proof_days, unaired_days=days)
    return removed


def _due(db: Database, now: datetime) -> bool:
    """Proof audio is pruned once a day (the daemon calls this every 30 s)."""
    row = db.execute("SELECT value FROM station_state WHERE name = 'replay.pruned_at'").fetchone()
    today = to_utc_text(now)[:10]
    if row and row[0] == today:
        return False
    with write(db):
        db.execute("INSERT OR REPLACE INTO station_state (name, value) VALUES ('replay.pruned_at', ?)", [today])
    return True
