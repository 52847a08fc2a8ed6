"""Keeping the data directory from filling the disk."""

from __future__ import annotations

from datetime import datetime

from ..home import Home


def prune_programmes(home: Home, now: datetime, *, days: int) -> int:
    """Delete assembled programmes older than *days* (the proof log keeps their sha256)."""
    cutoff = now.timestamp() - days * 86400
    removed = 0
    for path in home.programmes.glob("*.wav"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
