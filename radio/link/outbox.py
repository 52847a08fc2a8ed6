"""The station's durable outbox: everything going up to the province, in order, once.

Rows are written in the station's SQLite in the transaction of what they report (an
acknowledgement with the inbox row it acknowledges) or, for proof entries, copied from the
log by :func:`collect` (the log is append-only: an entry's copy is the entry). The link
publishes the pending rows in id order, each with the dedupe id
:func:`radio.network.messages.msg_id` of its row, and marks a row published only when
JetStream has acknowledged it: a row published twice (the acknowledgement lost, the link
killed) is stored once, and nothing waits on the network. Kinds:

- ``proof``: one proof-log entry with its items and chain hash (the hub checks the chain);
- ``ack``: what the station did with a provincial bulletin (received, scheduled, aired ...);
- ``heartbeat``: the station is alive, what it airs next, what is waiting.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlite_utils import Database

from radio.clock import to_utc_text
from radio.network.messages import Ack, encode
from radio.proof.chain import walk
from radio.store.connection import write

#: proof entry statuses, as a provincial bulletin's acknowledgement says them
ENTRY_STATES = {"aired": "aired", "partial": "partial", "failed": "failed", "missed": "missed",
                "cancelled": "missed"}


def _add(db: Database, kind: str, payload: dict, *, now: datetime, dedupe: str | None = None,
         entry_id: int | None = None) -> None:
    db.execute("INSERT OR IGNORE INTO link_outbox (kind, payload, dedupe, entry_id, created_at) "
               "VALUES (?, ?, ?, ?, ?)",
               [kind, encode(payload).decode("utf-8"), dedupe, entry_id, to_utc_text(now)])


def acknowledge(db: Database, ack: Ack, *, now: datetime) -> None:
    """Queue *ack* (once per bulletin, state and entry)."""
    with write(db):
        _add(db, "ack", ack.payload(), now=now, dedupe=f"ack:{ack.bulletin_id}:{ack.state}:{ack.entry_id or ''}")


def heartbeat(db: Database, payload: dict, *, now: datetime) -> None:
    with write(db):
        _add(db, "heartbeat", {"at": to_utc_text(now), **payload}, now=now)


def collect(db: Database, *, now: datetime, limit: int = 500) -> int:
    """Copy the proof entries not yet in the outbox (oldest first, at most *limit*), each with
    the acknowledgement of the provincial bulletins it aired. Returns how many."""
    last = db.execute("SELECT coalesce(max(entry_id), 0) FROM link_outbox WHERE kind = 'proof'").fetchone()[0]
    copied = 0
    with write(db):
        for row, items in walk(db, after_id=last):
            _add(db, "proof", {"entry": row, "items": items}, now=now, dedupe=f"proof:{row['id']}",
                 entry_id=row["id"])
            for provincial_id in _provincial_of(db, row, items):
                _add(db, "ack", Ack(provincial_id, ENTRY_STATES.get(row["status"], "failed"), to_utc_text(now),
                                    reason=row["reason"] or "", entry_id=row["id"], entry_hash=row["hash"],
                                    extra={"key": row["key"], "started_at": row["started_at"],
                                           "seconds_played": row["seconds_played"],
                                           "output_kind": row.get("output_kind")}).payload(),
                     now=now, dedupe=f"ack:{provincial_id}:{row['status']}:{row['id']}")
            copied += 1
            if copied >= limit:
                break
    return copied


def _provincial_of(db: Database, row: dict, items: list[dict]) -> list[str]:
    """The provincial bulletins an entry is about: its items', and an emergency's command."""
    found = []
    ids = [i["bulletin_id"] for i in items if i.get("bulletin_id") is not None]
    if ids:
        marks = ",".join("?" * len(ids))
        found += [r[0] for r in db.execute(f"SELECT id FROM provincial_bulletins WHERE bulletin_id IN ({marks})",
                                           ids).fetchall()]
    if row["key"].startswith("urgent:"):
        command = row["key"].split(":", 1)[1].split("#", 1)[0]
        if command.isdigit():
            found += [r[0] for r in db.execute("SELECT id FROM provincial_bulletins WHERE command_id = ?",
                                               [int(command)]).fetchall()]
    return list(dict.fromkeys(found))


def pending(db: Database, *, limit: int = 100) -> list[dict]:
    """The rows still to publish, in id order."""
    return list(db.query("SELECT * FROM link_outbox WHERE published_at IS NULL ORDER BY id LIMIT ?", [limit]))


def published(db: Database, outbox_id: int, *, now: datetime) -> None:
    with write(db):
        db.execute("UPDATE link_outbox SET published_at = ? WHERE id = ? AND published_at IS NULL",
                   [to_utc_text(now), outbox_id])


def counts(db: Database) -> dict:
    """Rows waiting and published, by kind."""
    found = {}
    for kind, waiting, done in db.execute(
            "SELECT kind, sum(published_at IS NULL), sum(published_at IS NOT NULL) FROM link_outbox GROUP BY kind"):
        found[kind] = {"waiting": waiting, "published": done}
    return found


def payload_of(row: dict) -> dict:
    return json.loads(row["payload"])
