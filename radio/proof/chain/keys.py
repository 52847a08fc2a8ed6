"""The key that signs the chain's heads, and the marks that tell the station's own
appends from rows written into the database by anything else.

The key lives outside the data directory by default, in
``$XDG_CONFIG_HOME/radio/keys/<station id>.key`` (``~/.config/radio/...``; the file
0600, its folders 0700), so a copy of the data directory, or someone who can
write the database, does not hold it. The station id is a random name kept in
``station-id`` in the data directory. ``chain_key_path`` overrides the place (an
admin may keep the key on a USB stick); a station set up before this keeps its
``keys/chain.key`` beside the database, and is told so.

Every append by the station writes a *mark* into ``chain_marks`` in the same
transaction: HMAC-SHA256 under the key of ``append:<id>:<hash>``. A row inserted
by plain SQL has none (it needs the key), so the station never signs it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from sqlite_utils import Database

log = logging.getLogger("radio.proof.chain")

#: where stations set up before the key moved out of the data directory keep it
KEY_FILE = Path("keys") / "chain.key"
STATION_ID_FILE = "station-id"

_told: set[Path] = set()  # legacy keys already named in the log, once per process


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "radio"


def station_id(root: Path, *, create: bool) -> str | None:
    """The random name of the station whose data directory is *root* (created once)."""
    path = root / STATION_ID_FILE
    try:
        return path.read_text().strip() or None
    except FileNotFoundError:
        if not create:
            return None
    name = secrets.token_hex(8)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:  # another process of the station made it first
        return path.read_text().strip() or None
    with os.fdopen(fd, "w") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return name


def key_path(root: Path, settings: dict | None = None, *, create_id: bool = False) -> Path:
    """Where the signing key of the station at *root* is: ``chain_key_path`` if set,
    else ``keys/chain.key`` in the data directory if a station set up earlier has one,
    else ``<config>/radio/keys/<station id>.key``."""
    configured = (settings or {}).get("chain_key_path") or ""
    if configured:
        return Path(configured).expanduser()
    legacy = root / KEY_FILE
    if legacy.exists():
        if legacy not in _told:
            _told.add(legacy)
            log.warning("The chain signing key is %s, inside the data directory: anyone with a copy of "
                        "the directory holds it. Move it out and set chain_key_path.", legacy)
        return legacy
    name = station_id(root, create=create_id) or "unknown-station"
    return config_dir() / "keys" / f"{name}.key"


def load_key(path: Path, *, create: bool) -> bytes | None:
    """The signing key at *path*; created (0600, its folders 0700) when *create*."""
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        if not create:
            return None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return bytes.fromhex(path.read_text().strip())


def append_mac(key: bytes, entry_id: int, entry_hash: str) -> str:
    return hmac.new(key, f"append:{entry_id}:{entry_hash}".encode("ascii"), hashlib.sha256).hexdigest()


def mark(db: Database, key: bytes | None, entry_id: int, entry_hash: str) -> None:
    """Mark *entry_id* as appended by the station (inside the append's transaction)."""
    if key is not None and _has_marks(db):
        db.execute("INSERT OR REPLACE INTO chain_marks (occurrence_id, mac) VALUES (?, ?)",
                   [entry_id, append_mac(key, entry_id, entry_hash)])


def marked(db: Database, key: bytes, entry_id: int, entry_hash: str) -> bool:
    if not _has_marks(db):
        return False
    row = db.execute("SELECT mac FROM chain_marks WHERE occurrence_id = ?", [entry_id]).fetchone()
    return row is not None and hmac.compare_digest(row[0], append_mac(key, entry_id, entry_hash))


def _has_marks(db: Database) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chain_marks'").fetchone() \
        is not None


def mark_all(db: Database, key: bytes, after_id: int = 0) -> int:
    """Mark every entry after *after_id* as the station's own (a station seeded by a
    tool with the key, e.g. ``benchmarks/seed_station.py``); returns how many."""
    rows = db.execute("SELECT id, hash FROM occurrences WHERE id > ?", [after_id]).fetchall()
    for entry_id, entry_hash in rows:
        mark(db, key, entry_id, entry_hash)
    return len(rows)
