"""Proof-log rows for report tests, written through the library (the chain stays valid)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from radio.proof import log as prooflog

_keys = itertools.count(1)


def log_occurrence(db, when: datetime, *, topic: str = "cchc", status: str = "aired",
                   completed: bool = True, title: str = "Tuyên truyền CCHC",
                   bulletin_id: int = 1, items: int = 1, output: str = "device:default") -> int:
    """Append one occurrence scheduled at *when* (aware) with *items* items of *topic*,
    aired to *output* (a sound device: it reached loudspeakers, so it can count)."""
    played = 120.0 if status in ("aired", "partial") else 0.0
    entry = prooflog.Entry(
        key=f"test:{next(_keys)}:{when.isoformat()}", scheduled_at=when, status=status,
        slot_id=1, started_at=when if played else None,
        ended_at=when + timedelta(seconds=played) if played else None,
        seconds_played=played, programme_seconds=120.0, output=output,
        reason=None if status == "aired" else "nothing played" if status != "partial" else "station stopped",
        programme_sha256="ab" * 32 if played else None, loudness_lufs=-16.0 if played else None,
        items=[prooflog.LoggedItem(position=n, bulletin_id=bulletin_id + n, title=f"{title} {n + 1}" if items > 1 else title,
                                   topic=topic, priority="normal", engine="espeak",
                                   text_sha256="cd" * 32, audio_sha256="ef" * 32,
                                   duration_ms=60000, completed=completed)
               for n in range(items)],
    )
    return prooflog.append(db, entry, now=when + timedelta(seconds=played + 1))
