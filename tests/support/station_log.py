"""A station as the hub sees it, without a station: its proof log as chained rows, and the
upward messages its link would send (the shapes of ``radio.link.outbox``).

:class:`FakeLog` appends entries whose ``hash`` is :func:`radio.proof.chain.hashing.row_hash`
over ``prev_hash`` and the row, exactly as the station's proof log does; tests then edit
one, skip one or fork one to play an attack.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from radio.clock import to_utc_text
from radio.network.messages import Ack, encode
from radio.proof.chain.hashing import GENESIS, row_hash

T0 = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)


class FakeLog:
    """A station's proof log: entries with ids from 1, each chained to the one before."""

    def __init__(self, code: str, start: datetime = T0):
        self.code = code
        self.start = start
        self.entries: list[tuple[dict, list[dict]]] = []

    @property
    def head(self) -> str:
        return self.entries[-1][0]["hash"] if self.entries else GENESIS

    def append(self, *, status: str = "aired", title: str = "Bản tin", bulletin_id: int | None = 7,
               key: str | None = None, reason: str | None = None, skip: int = 0, topic: str | None = "cchc",
               output: str = "file:/tmp/out", output_kind: str | None = "file",
               completed: int = 1, **fields) -> tuple[dict, list[dict]]:
        """The next entry (after *skip* ids left out: a gap), chained and hashed; *fields*
        set any other of its columns (``kind="correction", corrects_id=1``)."""
        number = (self.entries[-1][0]["id"] if self.entries else 0) + 1 + skip
        at = self.start + timedelta(minutes=10 * number)
        row = {
            "id": number, "key": key or f"slot:1@{to_utc_text(at)}", "kind": "slot", "slot_id": 1,
            "scheduled_at": to_utc_text(at), "started_at": to_utc_text(at), "ended_at": to_utc_text(at + timedelta(seconds=60)),
            "seconds_played": 60.0, "programme_seconds": 60.0, "status": status, "reason": reason,
            "output": output, "output_kind": output_kind, "programme_sha256": "ab" * 32, "loudness_lufs": -16.0,
            "hooks": None, "logged_at": to_utc_text(at + timedelta(seconds=61)), "prev_hash": self.head,
            "entered_by": None, "corrects_id": None, **fields,
        }
        items = [{"occurrence_id": number, "position": 0, "bulletin_id": bulletin_id, "title": title, "topic": topic,
                  "priority": "urgent", "text_sha256": "cd" * 32, "audio_sha256": "ef" * 32, "engine": "espeak",
                  "duration_ms": 60000, "completed": completed, "approved_by": "Nguyễn Văn A (Tỉnh Thử)",
                  "approved_at": to_utc_text(at - timedelta(minutes=1))}]
        row["hash"] = row_hash(row, items)
        self.entries.append((row, items))
        return row, items


def proof(entry: tuple[dict, list[dict]], **changes) -> bytes:
    """The proof message of *entry*; *changes* edit the row after it was hashed (an attack)."""
    row, items = copy.deepcopy(entry)
    row.update(changes)
    return encode({"entry": row, "items": items})


def ack(bulletin_id: str, state: str, at: datetime = T0, **fields) -> bytes:
    return encode(Ack(bulletin_id, state, to_utc_text(at), **fields).payload())


def heartbeat(at: datetime = T0, **fields) -> bytes:
    return encode({"at": to_utc_text(at), "outbox_waiting": 0, **fields})


def aired(bulletin_id: str, entry: tuple[dict, list[dict]], at: datetime = T0) -> bytes:
    """The acknowledgement a station's outbox writes for an entry that aired a provincial bulletin."""
    row = entry[0]
    return ack(bulletin_id, row["status"] if row["status"] in ("aired", "partial", "failed") else "missed", at,
               reason=row["reason"] or "", entry_id=row["id"], entry_hash=row["hash"],
               extra={"key": row["key"], "started_at": row["started_at"]})
