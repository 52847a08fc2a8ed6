"""The chain's heads, anchored outside the database.

After every append a line is added to ``chain-heads.jsonl`` in the data directory
(and to ``chain_heads_copy`` when that is set): the new head (entry count, last
hash), the hash of the log tables' schema, and for every newly appended entry its
hash and a short digest of each field, signed with HMAC-SHA256 and chained to the
previous line (the format: docs/proof-format.md). The key lives outside the data
directory (:mod:`.keys`).

Only entries the station appended itself are signed: those this process appended
and those carrying a valid append mark; a row written by anything else is an
alert, never signed. The database records the last line signed (its place in the
file and its signature), so a heads file that went missing, was emptied or lost
its last lines is an error, never silently started again.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from radio.clock import to_utc_text
from radio.proof.chain import hashing
from radio.proof.chain.hashing import field_digests, log_tables_exist, schema_hash
from radio.proof.chain.keys import KEY_FILE, key_path, load_key, marked
from radio import settings as settings_mod
from radio.store.home import Home
from radio.store.connection import write
from radio.store import connection  # BUSY_TIMEOUT_S read at call time (tests shorten it)

try:
    import fcntl
except ImportError:  # Windows: the heads are written by one process at a time anyway
    fcntl = None

log = logging.getLogger("radio.proof.chain")

HEADS_FILE = "chain-heads.jsonl"
LOCK_FILE = "chain-heads.lock"
#: Entries per heads-file line when catching up a long unwitnessed stretch.
LINE_ENTRIES = 500
#: prefix of the chain's rows in ``station_state``
_STATE = "chain."

#: ids each station database's rows were appended by this process, not signed yet
_OWN: dict[str, set[int]] = {}

__all__ = ["HEADS_FILE", "KEY_FILE", "HeadsError", "alert", "appended", "ensure_key", "heads_problem", "key_path", "load_key",
           "lost_entries", "signed_problem", "skip_lost_ids", "station_key", "station_root", "witness",
           "witness_quietly"]


class HeadsError(RuntimeError):
    """The heads file went missing, was emptied or shortened: nothing is signed until
    it is restored (the entries appended meanwhile wait, unsigned)."""

    def __init__(self, problem: str):
        super().__init__(problem + "; restore it (from a backup or chain_heads_copy): nothing is signed until then")
        self.problem = problem


def station_root(db: Database) -> Path | None:
    """The data directory of a station database (``None`` for an in-memory one)."""
    for _, name, path in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(path).parent if path else None
    return None


def _db_key(db: Database) -> str:
    root = station_root(db)
    return str(root) if root else f"memory:{id(db.conn)}"


def appended(db: Database, entry_id: int) -> None:
    """Note that this process appended *entry_id* (:func:`radio.proof.log.append`)."""
    _OWN.setdefault(_db_key(db), set()).add(entry_id)


def _settings(root: Path, db: Database) -> dict:
    try:
        return settings_mod.load(Home(root), db)
    except Exception:  # a broken radio.toml must not stop the log; the default key is used
        log.warning("Could not read settings; signing with the default key path")
        return {}


def station_key(db: Database, settings: dict | None = None) -> bytes | None:
    """The signing key of *db*'s station if it is there (never created here)."""
    root = station_root(db)
    if root is None:
        return None
    try:
        return load_key(key_path(root, settings if settings is not None else _settings(root, db)), create=False)
    except (OSError, ValueError):
        return None


def ensure_key(db: Database, settings: dict | None = None) -> tuple[Path | None, bool]:
    """Where the station's signing key is, made now (0600, outside the data directory)
    if the station never signed a head; and whether it is there. ``radio init`` calls it."""
    root = station_root(db)
    if root is None:
        return None, False
    settings = settings if settings is not None else _settings(root, db)
    path = key_path(root, settings, create_id=True)
    fresh = _last_line(root / HEADS_FILE) is None and not _read_signed(db).get("mac")
    try:
        key = load_key(path, create=fresh and not settings.get("chain_key_path"))
    except (OSError, ValueError):
        key = None
    return path, key is not None


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


def _read_signed(db: Database) -> dict:
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'station_state'").fetchone():
        return {}
    return {name[len(_STATE) + 7:]: value for name, value in db.execute(
        "SELECT name, value FROM station_state WHERE name LIKE 'chain.signed_%'").fetchall()}


def _write_signed(db: Database, **values) -> None:
    with write(db):
        for name, value in values.items():
            db.execute("INSERT OR REPLACE INTO station_state (name, value) VALUES (?, ?)",
                       [f"{_STATE}signed_{name}", str(value)])


def signed_problem(db: Database) -> str | None:
    """:func:`heads_problem` of *db*'s station heads file (``None`` in memory)."""
    root = station_root(db)
    return heads_problem(root / HEADS_FILE, _read_signed(db)) if root is not None else None


def heads_problem(path: Path, signed: dict) -> str | None:
    """What is wrong with the heads file at *path* against the last line the database
    says was signed into it (*signed*: :func:`_read_signed`); ``None`` if nothing."""
    if not signed.get("mac"):
        return None
    offset, size = int(signed.get("offset") or 0), int(signed.get("size") or 0)
    what = f"the head of entry {signed.get('id')} signed at {signed.get('at')}"
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            length = handle.tell()
            handle.seek(offset)
            line = handle.read(max(0, size - offset))
    except FileNotFoundError:
        return f"the heads file {path.name} is missing; it held {what}"
    if length == 0:
        return f"the heads file {path.name} is empty; it held {what}"
    if length < size:
        return f"the heads file {path.name} was shortened: {what} is no longer in it"
    try:
        found = json.loads(line).get("mac")
    except (ValueError, AttributeError):
        found = None
    if found != signed["mac"] and not _holds_mac(path, signed["mac"]):
        return f"the heads file {path.name} was replaced or shortened: {what} is no longer in it"
    return None


def _holds_mac(path: Path, mac: str) -> bool:
    """Whether a line signed *mac* is anywhere in the file (lines before it were edited)."""
    needle = f'"mac":"{mac}"'
    with open(path, encoding="utf-8", errors="replace") as handle:
        return any(needle in line for line in handle)


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One process at a time appends to the heads file (two would chain to one line)."""
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def alert(db: Database, text: str) -> None:
    """Raise the chain's alert (shown in the admin with the chain's state) and log it."""
    log.error("Proof log alert: %s", text)
    with write(db):
        db.execute("INSERT OR REPLACE INTO station_state (name, value) VALUES ('chain.alert', ?)", [text])


def witness(db: Database, now: datetime, *, settings: dict | None = None) -> int:
    """Append signed head lines covering every entry the station appended that is not
    in the heads file yet; returns the lines written.

    Called after every append and daily by the daemon. A row no station process
    appended (no valid append mark, not this process's) is skipped and raises the
    chain's alert. A station without a data directory (in-memory database) writes nothing.

    :raise HeadsError: the heads file is missing, empty or shortened while the
        database says heads were signed into it.
    :raise FileNotFoundError: a configured key is absent.
    """
    root = station_root(db)
    if root is None or not log_tables_exist(db):
        return 0
    path = root / HEADS_FILE
    settings = settings if settings is not None else _settings(root, db)

    # the database's write lock first, then the heads file's: an append made inside a
    # caller's transaction holds the first already, so any other order could deadlock
    # (until the busy timeout) against a witness on another connection
    with write(db), _locked(root):
        signed = _read_signed(db)
        problem = heads_problem(path, signed)
        if problem:
            raise HeadsError(problem)
        last = _last_line(path)
        signing = key_path(root, settings, create_id=True)
        # a key is made only for a station that never signed a head; a configured key (a USB
        # stick) or one that signed heads already is never replaced by a new one
        key = load_key(signing, create=not settings.get("chain_key_path") and last is None
                       and not signed.get("mac"))
        if key is None:
            raise FileNotFoundError(f"The chain signing key {signing} is missing; heads not written.")
        # a station that never signed a head (set up before the heads existed) has its
        # rows signed as they are: nothing told them from others before
        written = _append_lines(db, root, path, key, last, now, settings,
                                adopt=last is None and not signed.get("mac"))
    return written


def _append_lines(db: Database, root: Path, path: Path, key: bytes, last: dict | None, now: datetime,
                  settings: dict, *, adopt: bool) -> int:
    after, prev_mac = (last["last_id"], last["mac"]) if last else (0, "")
    count = db.execute("SELECT count(*) FROM occurrences").fetchone()[0]
    schema = schema_hash(db)
    own = _OWN.setdefault(_db_key(db), set())
    lines, batch, newest, foreign = [], [], None, []

    def flush():
        nonlocal prev_mac, batch
        record = {"v": 1, "at": to_utc_text(now), "count": count, "last_id": newest[0],
                  "hash": newest[1], "schema": schema, "prev": prev_mac, "entries": batch}
        record["mac"] = prev_mac = _sign(key, record)
        lines.append(record)
        batch = []

    for row, items in hashing.walk(db, after):
        if not adopt and row["id"] not in own and not marked(db, key, row["id"], row["hash"]):
            foreign.append(row["id"])
            continue
        fields, item_fields = field_digests(row, items)
        batch.append([row["id"], row["hash"], fields, item_fields])
        newest = (row["id"], row["hash"])
        if len(batch) >= LINE_ENTRIES:
            flush()
    if batch:
        flush()
    elif last and count and not foreign and last.get("at", "") < to_utc_text(now - timedelta(days=1)):
        head = db.execute("SELECT id, hash FROM occurrences ORDER BY id DESC LIMIT 1").fetchone()
        if head[0] == last["last_id"]:
            newest = (head[0], head[1])
            flush()  # the daily head: the log was this long on this day
    if lines:
        text = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in lines)
        with open(path, "a", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
            size = out.tell()
        offset = size - len(json.dumps(lines[-1], separators=(",", ":")).encode("utf-8")) - 1
        _copy(settings, text)
        final = lines[-1]
        _write_signed(db, mac=final["mac"], offset=offset, size=size, id=final["last_id"],
                      hash=final["hash"], count=final["count"], at=final["at"])
        own.difference_update(e[0] for r in lines for e in r["entries"])
    if foreign:
        shown = ", ".join(str(i) for i in foreign[:10]) + (" …" if len(foreign) > 10 else "")
        alert(db, f"entries not written by the station were found in the log and are not signed: {shown}")
    return len(lines)


def _copy(settings: dict, text: str) -> None:
    """The same lines into ``chain_heads_copy`` (another disk, a share), if set."""
    target = (settings or {}).get("chain_heads_copy") or ""
    if not target:
        return
    try:
        with open(Path(target).expanduser(), "a", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        log.error("Could not write the second copy of the chain heads to %s: %s", target, exc)


def witness_quietly(db: Database, now: datetime) -> None:
    """:func:`witness`, logging instead of raising: the entry is committed already,
    and the next append or the daily run catches the heads file up."""
    try:
        witness(db, now)
    except HeadsError as exc:
        log.error("The chain head was not written: %s", exc)
        with contextlib.suppress(sqlite3.Error):
            alert(db, exc.problem)
    except (OSError, ValueError, sqlite3.Error):
        log.exception("Could not write the chain head; it will be written at the next append")


def signed_entries(path: Path) -> Iterator[list]:
    """Every entry of the heads file at *path* (signatures not checked), in file order."""
    try:
        handle = open(path, encoding="utf-8")
    except FileNotFoundError:
        return
    with handle:
        for text in handle:
            try:
                record = json.loads(text)
            except ValueError:
                continue
            yield from record.get("entries", [])


def skip_lost_ids(db: Database, last_id: int) -> None:
    """Make the next entry's id follow *last_id*, the last id the heads signed: the ids
    of lost entries are never given to new ones (each id names one signed entry).

    ``sqlite_sequence`` is refused on the station's connections (:mod:`.guard`), so
    this one write goes through a connection of its own.
    """
    root = station_root(db)
    if root is None:
        return
    conn = sqlite3.connect(root / "radio.db", timeout=connection.BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT 1 FROM sqlite_sequence WHERE name = 'occurrences'").fetchone():
            conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'occurrences'", [last_id])
        else:
            conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('occurrences', ?)", [last_id])
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        conn.close()


def lost_entries(db: Database) -> list[list]:
    """Entries the heads file lists beyond the database's last row: the database lost
    them (a deleted ``radio.db-wal``, an older ``radio.db`` put back). Each is the heads
    entry ``[id, hash, field digests, item digests]``; the first field digest is the key's."""
    root = station_root(db)
    if root is None or not log_tables_exist(db):
        return []
    last = db.execute("SELECT max(id) FROM occurrences").fetchone()[0] or 0
    return [entry for entry in signed_entries(root / HEADS_FILE) if entry[0] > last]
