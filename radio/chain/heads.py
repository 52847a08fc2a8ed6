"""The chain's heads, anchored outside the database.

After every append a line is added to ``chain-heads.jsonl`` in the data directory:
the new head (entry count, last hash), the hash of the log tables' schema, and for
every newly appended entry its hash and a short digest of each field, signed with
HMAC-SHA256 and chained to the previous line. The key lives in ``keys/chain.key``
(0600) or wherever ``chain_key_path`` points (an admin may keep it on a USB stick),
never in the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from ..clock import to_utc_text
from . import hashing
from .hashing import field_digests, log_tables_exist, schema_hash

log = logging.getLogger("radio.chain")

HEADS_FILE = "chain-heads.jsonl"
KEY_FILE = Path("keys") / "chain.key"
#: Entries per heads-file line when catching up a long unwitnessed stretch.
LINE_ENTRIES = 500


def station_root(db: Database) -> Path | None:
    """The data directory of a station database (``None`` for an in-memory one)."""
    for _, name, path in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(path).parent if path else None
    return None


def key_path(root: Path, settings: dict | None = None) -> Path:
    configured = (settings or {}).get("chain_key_path") or ""
    return Path(configured).expanduser() if configured else root / KEY_FILE


def load_key(path: Path, *, create: bool) -> bytes | None:
    """The signing key at *path*; created (0600, its folder 0700) when *create*."""
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        if not create:
            return None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return bytes.fromhex(path.read_text().strip())


def _settings(root: Path, db: Database) -> dict:
    from .. import settings as settings_mod
    from ..home import Home

    try:
        return settings_mod.load(Home(root), db)
    except Exception:  # a broken radio.toml must not stop the log; the default key is used
        log.warning("Could not read settings; signing with the default key path")
        return {}


def _sign(key: bytes, record: dict) -> str:
    body = json.dumps(record, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def _last_line(path: Path) -> dict | None:
    """The last heads line, read from the end (the file grows for years)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            block, data = 1 << 16, b""
            while size > 0 and data.count(b"\n") < 2:
                step = min(block, size)
                size -= step
                handle.seek(size)
                data = handle.read(step) + data
    except FileNotFoundError:
        return None
    lines = [line for line in data.splitlines() if line.strip()]
    if not lines:
        return None
    try:
        return json.loads(lines[-1])
    except ValueError:
        return None


def witness(db: Database, now: datetime, *, settings: dict | None = None) -> int:
    """Append signed head lines covering every entry not yet in the heads file.

    Called after every append and daily by the daemon; returns the lines written.
    A station without a data directory (in-memory database) writes nothing.
    """
    root = station_root(db)
    if root is None or not log_tables_exist(db):
        return 0
    path = root / HEADS_FILE
    settings = settings if settings is not None else _settings(root, db)
    signing = key_path(root, settings)
    # a configured key (a USB stick) that is absent is not replaced by a new one
    key = load_key(signing, create=not settings.get("chain_key_path"))
    if key is None:
        raise FileNotFoundError(f"The chain signing key {signing} is missing; heads not written.")
    last = _last_line(path)
    after, prev_mac = (last["last_id"], last["mac"]) if last else (0, "")
    count = db.execute("SELECT count(*) FROM occurrences").fetchone()[0]
    schema = schema_hash(db)
    written, batch, newest = 0, [], None
    with open(path, "a", encoding="utf-8") as out:
        def flush():
            nonlocal prev_mac, written, batch
            record = {"v": 1, "at": to_utc_text(now), "count": count, "last_id": newest[0],
                      "hash": newest[1], "schema": schema, "prev": prev_mac, "entries": batch}
            record["mac"] = prev_mac = _sign(key, record)
            out.write(json.dumps(record, separators=(",", ":")) + "\n")
            written += 1
            batch = []

        for row, items in hashing.walk(db, after):
            fields, item_fields = field_digests(row, items)
            batch.append([row["id"], row["hash"], fields, item_fields])
            newest = (row["id"], row["hash"])
            if len(batch) >= LINE_ENTRIES:
                flush()
        if batch:
            flush()
        elif count and (last is None or last.get("at", "") < to_utc_text(now - timedelta(days=1))):
            head = db.execute("SELECT id, hash FROM occurrences ORDER BY id DESC LIMIT 1").fetchone()
            newest = (head[0], head[1])
            flush()  # the daily head: the log was this long on this day
        out.flush()
        os.fsync(out.fileno())
    return written


def witness_quietly(db: Database, now: datetime) -> None:
    """:func:`witness`, logging instead of raising: the entry is committed already,
    and the next append or the daily run catches the heads file up."""
    try:
        witness(db, now)
    except (OSError, ValueError, sqlite3.Error):
        log.exception("Could not write the chain head; it will be written at the next append")
