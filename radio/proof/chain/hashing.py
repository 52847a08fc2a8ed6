"""The chain itself: what an entry's hash covers, and the log read in id order.

Every entry's ``hash`` is ``sha256(prev_hash + canonical JSON)`` of its fields and
its items' fields; the short per-field digests written to the heads file let a
later check name the field that changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from sqlite_utils import Database

from radio.store.guard import LOG_TABLES  # the store owns its tables' names

GENESIS = "0" * 64
#: Hashed fields of an entry, in the order their digests are written to the heads file.
FIELDS = (
    "key", "kind", "slot_id", "scheduled_at", "started_at", "ended_at", "seconds_played",
    "programme_seconds", "status", "reason", "output", "programme_sha256", "loudness_lufs",
    "hooks", "logged_at", "prev_hash",
)
#: Hashed only when set, so entries written before they existed keep their hashes.
OPTIONAL_FIELDS = ("entered_by", "corrects_id", "output_kind")
ITEM_FIELDS = ("position", "bulletin_id", "title", "topic", "priority", "text_sha256",
               "audio_sha256", "engine", "duration_ms", "completed")
#: Item fields hashed only when set (who approved it, added with m142).
ITEM_OPTIONAL_FIELDS = ("approved_by", "approved_at")


def row_hash(row: dict, items: list[dict]) -> str:
    """``sha256(prev_hash + canonical JSON of the row and its items)``."""
    hashed = {k: row.get(k) for k in FIELDS}
    payload = {"row": hashed, "items": [_item_hashed(i) for i in items]}
    for name in OPTIONAL_FIELDS:
        if row.get(name) is not None:
            hashed[name] = row[name]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((row["prev_hash"] + text).encode("utf-8")).hexdigest()


def _item_hashed(item: dict) -> dict:
    hashed = {k: item.get(k) for k in ITEM_FIELDS}
    hashed.update({k: item[k] for k in ITEM_OPTIONAL_FIELDS if item.get(k) is not None})
    return hashed


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()[:8]


def key_digest(key: str) -> str:
    """The digest of an occurrence key as the heads file gives it (an entry's first field
    digest): how the daemon tells which owed occurrences a lost entry had logged."""
    return _digest(key)


def field_digests(row: dict, items: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Short digests of every field (and item field), to name what changed later."""
    fields = [_digest(row.get(k)) for k in FIELDS + OPTIONAL_FIELDS]
    return fields, [[_digest(i.get(k)) for k in ITEM_FIELDS + ITEM_OPTIONAL_FIELDS] for i in items]


def schema_hash(db: Database) -> str:
    """Hash of the log tables' and their triggers' SQL (indexes may come and go)."""
    rows = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN (?, ?) "
        "AND type IN ('table', 'trigger') ORDER BY type, name", LOG_TABLES).fetchall()
    return hashlib.sha256(json.dumps(rows).encode("utf-8")).hexdigest()


def log_tables_exist(db: Database) -> bool:
    found = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)",
                       LOG_TABLES).fetchone()[0]
    return found == len(LOG_TABLES)


def walk(db: Database, after_id: int = 0) -> Iterator[tuple[dict, list[dict]]]:
    """Every entry after *after_id* with its items, in id order, streamed with two cursors."""
    rows = db.conn.execute("SELECT * FROM occurrences WHERE id > ? ORDER BY id", [after_id])
    row_cols = [d[0] for d in rows.description]
    items = db.conn.execute("SELECT * FROM occurrence_items WHERE occurrence_id > ? "
                            "ORDER BY occurrence_id, position", [after_id])
    item_cols = [d[0] for d in items.description]
    pending = items.fetchone()
    for values in rows:
        row = dict(zip(row_cols, values))
        mine = []
        while pending is not None and pending[0] <= row["id"]:
            if pending[0] == row["id"]:
                mine.append(dict(zip(item_cols, pending)))
            pending = items.fetchone()
        yield row, mine
