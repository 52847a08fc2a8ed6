"""Trusting the proof log from outside: signed heads, incremental state, the full check.

The hash chain alone proves nothing to an outsider: anyone who can write the
database file can delete the last rows or edit a row and recompute every hash
with the project's own function. So the chain's head is anchored *outside* the
database:

- after every append, a line is added to ``chain-heads.jsonl`` in the data
  directory: the new head (entry count, last hash), the hash of the log tables'
  schema, and for every newly appended entry its hash and a short digest of
  each field, signed with HMAC-SHA256 and chained to the previous line. The key
  lives in ``keys/chain.key`` (0600) or wherever ``chain_key_path`` points (an
  admin may keep it on a USB stick), never in the database;
- every export, report and the API carry the head, and
  ``radio log verify --expect COUNT:HASH`` checks a head someone wrote down.

:func:`verify` walks the whole log in one streaming pass (constant memory) and
names what is missing or altered; :func:`chain_state` is the cheap, incremental
view for pages (rows are verified as they are appended).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from .clock import to_utc_text

log = logging.getLogger("radio.chain")

GENESIS = "0" * 64
HEADS_FILE = "chain-heads.jsonl"
KEY_FILE = Path("keys") / "chain.key"
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
LOG_TABLES = ("occurrences", "occurrence_items")
#: Most problems one check lists; the rest are counted (keeps memory constant).
MAX_PROBLEMS = 50
#: Entries per heads-file line when catching up a long unwitnessed stretch.
LINE_ENTRIES = 500
_STATE = "chain."


# -- hashing -------------------------------------------------------------------------
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


# -- where the heads live ----------------------------------------------------------
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
    from . import settings as settings_mod
    from .home import Home

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

        for row, items in _walk_after(db, after):
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


def _walk_after(db: Database, after_id: int) -> Iterator[tuple[dict, list[dict]]]:
    return walk(db, after_id)


def witness_quietly(db: Database, now: datetime) -> None:
    """:func:`witness`, logging instead of raising: the entry is committed already,
    and the next append or the daily run catches the heads file up."""
    try:
        witness(db, now)
    except (OSError, ValueError, sqlite3.Error):
        log.exception("Could not write the chain head; it will be written at the next append")


def daily(db: Database, now: datetime, settings: dict | None = None) -> None:
    """The daemon's daily care: a signed head even on a day with no appends, and a
    full walk when the last one is more than a day old (its result shows in the admin)."""
    witness(db, now, settings=settings)
    last = _read_state(db).get("full_at") or ""
    if last < to_utc_text(now - timedelta(days=1)):
        report = verify(db, settings=settings, now=now)
        if not report.ok:
            log.error("The proof log was altered: %s", "; ".join(report.problems[:5]))


# -- incremental state -----------------------------------------------------------------
@dataclass
class ChainState:
    """What pages and the API show about the chain, without walking it."""

    count: int
    head_hash: str
    verified_id: int
    ok: bool
    first_broken_id: int | None = None
    problem: str | None = None
    full_check_at: str | None = None
    full_check_ok: bool | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _read_state(db: Database) -> dict:
    return {name[len(_STATE):]: value for name, value in db.execute(
        "SELECT name, value FROM station_state WHERE name LIKE 'chain.%'").fetchall()}


def _write_state(db: Database, **values) -> None:
    for name, value in values.items():
        db.execute("INSERT OR REPLACE INTO station_state (name, value) VALUES (?, ?)",
                   [_STATE + name, "" if value is None else str(value)])


def advance(db: Database) -> None:
    """Verify the rows appended since the last verified one and move the mark on.

    Runs inside :func:`radio.prooflog.append`'s transaction, so usually one row.
    """
    state = _read_state(db)
    if state.get("broken"):
        return
    verified_id = int(state.get("verified_id") or 0)
    prev = state.get("verified_hash") or GENESIS
    count = int(state.get("verified_count") or 0)
    if verified_id and not db.execute("SELECT 1 FROM occurrences WHERE id = ? AND hash = ?",
                                      [verified_id, prev]).fetchone():
        _write_state(db, broken=verified_id,
                     problem=f"entry {verified_id} was removed or altered after it was verified")
        return
    for row, items in _walk_after(db, verified_id):
        if row["prev_hash"] != prev or row_hash(row, items) != row["hash"]:
            _write_state(db, broken=row["id"], problem=f"entry {row['id']} does not match its hash")
            break
        prev, verified_id, count = row["hash"], row["id"], count + 1
    _write_state(db, verified_id=verified_id, verified_hash=prev, verified_count=count)


def chain_state(db: Database) -> ChainState:
    """The chain's state from the incremental mark plus a few index lookups.

    Verifies rows appended outside :func:`radio.prooflog.append` (taking the write
    lock only then) and catches truncation since the mark; a change to an old
    row, or a deletion in the middle, shows in the full :func:`verify` (``radio
    log verify``, daily in the daemon, or on demand in the admin), whose last
    result is reported here too.
    """
    if not log_tables_exist(db):
        return ChainState(0, GENESIS, 0, False, None, "the proof log tables are missing")
    state = _read_state(db)
    last = db.execute("SELECT id, hash FROM occurrences ORDER BY id DESC LIMIT 1").fetchone()
    if last and not state.get("broken") and last[0] != int(state.get("verified_id") or 0):
        from .store import write

        with write(db):
            advance(db)
        state = _read_state(db)
    verified_id = int(state.get("verified_id") or 0)
    broken = int(state["broken"]) if state.get("broken") else None
    problem = state.get("problem") or None
    if broken is None and verified_id and not db.execute(
            "SELECT 1 FROM occurrences WHERE id = ? AND hash = ?", [verified_id, state.get("verified_hash")]
    ).fetchone():
        broken, problem = verified_id, f"entry {verified_id} was removed or altered after it was verified"
    full_ok = state.get("full_ok")
    if broken is None and full_ok == "0":
        broken = int(state.get("full_broken") or 0) or None
        problem = state.get("full_problem") or "the last full check found problems"
    return ChainState(
        count=int(state.get("verified_count") or 0), head_hash=last[1] if last else GENESIS,
        verified_id=verified_id, ok=broken is None and problem is None, first_broken_id=broken,
        problem=problem, full_check_at=state.get("full_at") or None,
        full_check_ok=None if full_ok in (None, "") else full_ok == "1",
    )


# -- the full check ----------------------------------------------------------------------
@dataclass
class Report:
    """Result of :func:`verify`: what is wrong, each problem naming its entries."""

    count: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)
    more: int = 0
    first_broken_id: int | None = None
    heads_checked: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str, entry_id: int | None = None) -> None:
        if entry_id is not None and (self.first_broken_id is None or entry_id < self.first_broken_id):
            self.first_broken_id = entry_id
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more += 1


def _span(first: int, last: int) -> str:
    return f"entry {first} is missing" if first == last else f"entries {first}–{last} are missing"


def parse_expect(text: str) -> tuple[int, str]:
    """``COUNT:HASH`` as written in an export or report."""
    from .errors import ValidationError

    count, _, digest = (text or "").partition(":")
    digest = digest.strip().lower()
    if not count.strip().isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValidationError(f'Expected head "{text}" is not COUNT:HASH (a number, a colon, 64 hex digits).')
    return int(count), digest


class _Witnesses:
    """The heads file read line by line, its signatures checked, entries in id order."""

    def __init__(self, path: Path, key: bytes | None, report: Report):
        self.path, self.key, self.report = path, key, report
        self.last_line: dict | None = None
        self._iter = self._entries()
        self.current = next(self._iter, None)

    def _entries(self):
        try:
            handle = open(self.path, encoding="utf-8")
        except FileNotFoundError:
            return
        with handle:
            prev_mac, last_id = "", 0
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                    mac = record.pop("mac")
                except (ValueError, KeyError):
                    self.report.add(f"line {number} of {HEADS_FILE} is not a head record")
                    continue
                if self.key is not None and not hmac.compare_digest(mac, _sign(self.key, record)):
                    self.report.add(f"line {number} of {HEADS_FILE} was altered (its signature does not match)")
                    continue
                if record.get("prev") != prev_mac:
                    self.report.add(f"lines of {HEADS_FILE} before line {number} were removed or reordered")
                prev_mac = mac
                self.report.heads_checked += 1
                self.last_line = record
                for entry in record.get("entries", []):
                    if entry[0] > last_id:
                        last_id = entry[0]
                        yield entry

    def upto(self, entry_id: int) -> Iterator[list]:
        """Witnessed entries with an id below *entry_id* (those rows are gone)."""
        while self.current is not None and self.current[0] < entry_id:
            yield self.current
            self.current = next(self._iter, None)

    def take(self, entry_id: int) -> list | None:
        list(self.upto(entry_id))
        if self.current is not None and self.current[0] == entry_id:
            found, self.current = self.current, next(self._iter, None)
            return found
        return None


def _changed_fields(witnessed: list, row: dict, items: list[dict]) -> list[str]:
    fields, item_fields = field_digests(row, items)
    names = [name for name, a, b in zip(FIELDS + OPTIONAL_FIELDS, witnessed[2], fields) if a != b]
    was = witnessed[3]
    for n in range(max(len(was), len(item_fields))):
        if n >= len(was):
            names.append(f"item {n + 1} (added)")
        elif n >= len(item_fields):
            names.append(f"item {n + 1} (removed)")
        else:
            names += [f"item {n + 1} {name}" for name, a, b in zip(ITEM_FIELDS + ITEM_OPTIONAL_FIELDS, was[n], item_fields[n]) if a != b]
    return names


def _fields_text(names: list[str]) -> str:
    return (": field " if len(names) == 1 else ": fields ") + ", ".join(names) if names else ""


def verify(db: Database, *, expect: tuple[int, str] | None = None, settings: dict | None = None,
           now: datetime | None = None) -> Report:
    """Walk the whole log once (streaming) against its hashes, the signed heads file
    and an *expect*\\ ed head; record the result in the chain state.

    Names each problem: ``entries 998–1000 are missing``, ``entry 17 was altered:
    field reason``, ``entry 5 does not follow entry 4``.
    """
    report = Report()
    root = station_root(db)
    witnesses = None
    if root is not None:
        settings = settings if settings is not None else _settings(root, db)
        path = key_path(root, settings)
        key = load_key(path, create=False)
        heads = root / HEADS_FILE
        if key is None and heads.exists():
            report.notes.append(f"The signing key {path} is missing: head signatures not checked.")
        witnesses = _Witnesses(heads, key, report)
    if not log_tables_exist(db):
        last = _last_id_witnessed(witnesses)
        report.add("the proof log tables are missing" + (f"; {_span(1, last)}" if last else ""), 1)
        _record_full(db, report, now)
        return report

    prev, prev_id, expected_id, expect_seen = GENESIS, 0, 1, False
    rechained: list[int] | None = None  # [first, last] entries re-hashed after a rewrite

    def flush_rechained():
        nonlocal rechained
        if rechained and rechained[1] >= rechained[0]:
            first, last = rechained
            report.add(f"entry {first} was re-hashed to hide it" if first == last
                       else f"entries {first}–{last} were re-hashed to hide it", first)
        rechained = None

    for row, items in walk(db):
        entry_id = row["id"]
        continue_rechain = False
        gap = entry_id > expected_id
        if gap:
            report.add(_span(expected_id, entry_id - 1), expected_id)
        if witnesses is not None:
            list(witnesses.upto(entry_id))
        witnessed = witnesses.take(entry_id) if witnesses is not None else None
        computed = row_hash(row, items)
        if computed != row["hash"]:
            names = _changed_fields(witnessed, row, items) if witnessed else []
            report.add(f"entry {entry_id} was altered{_fields_text(names)}"
                       + ("" if names or witnessed else " (its content does not match its hash)"), entry_id)
        elif witnessed is not None and witnessed[1] != row["hash"]:
            names = _changed_fields(witnessed, row, items)
            if names == ["prev_hash"] and rechained is not None:
                rechained[1] = entry_id  # only re-linked to hide an earlier rewrite
            else:
                flush_rechained()
                report.add(f"entry {entry_id} was rewritten and its hash recomputed{_fields_text(names)}",
                           entry_id)
                rechained = [entry_id + 1, entry_id]
            continue_rechain = True
        elif row["prev_hash"] != prev and not gap:
            report.add(f"entry {entry_id} does not follow entry {prev_id} in the chain "
                       "(entries reordered or replaced)", entry_id)
        if expect and entry_id == expect[0]:
            expect_seen = True
            if row["hash"] != expect[1]:
                report.add(f"entry {entry_id} does not match the expected head {expect[0]}:{expect[1][:12]}…",
                           entry_id)
        if not continue_rechain:
            flush_rechained()
        prev, prev_id, expected_id = row["hash"], entry_id, entry_id + 1
        report.count += 1
    flush_rechained()
    report.head_hash = prev
    last_id = prev_id
    seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'occurrences'").fetchone() \
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone() else None
    missing_to = max(_last_id_witnessed(witnesses), int(seq[0]) if seq else 0,
                     expect[0] if expect and not expect_seen else 0)
    if missing_to > last_id:
        report.add(_span(last_id + 1, missing_to), last_id + 1)
    if witnesses is not None and witnesses.last_line is not None:
        if witnesses.last_line.get("schema") != schema_hash(db):
            report.add(f"the log tables' schema (columns or triggers) changed after the head of "
                       f"{witnesses.last_line.get('at')}")
    elif witnesses is not None and report.count:
        report.notes.append(f"No signed heads in {HEADS_FILE}: truncation cannot be ruled out.")
    _record_full(db, report, now)
    return report


def _last_id_witnessed(witnesses: _Witnesses | None) -> int:
    if witnesses is None:
        return 0
    last = 0
    for entry in witnesses.upto(1 << 62):
        last = entry[0]
    line = witnesses.last_line
    return max(last, line["last_id"] if line else 0)


def _record_full(db: Database, report: Report, now: datetime | None) -> None:
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'station_state'").fetchone():
        return
    from .store import write

    try:
        with write(db):
            _write_state(db, full_at=to_utc_text(now) if now else "", full_ok=int(report.ok),
                         full_broken=report.first_broken_id,
                         full_problem=report.problems[0] if report.problems else None)
    except sqlite3.Error:  # a read-only copy of the database can still be checked
        log.warning("Could not record the result of the full chain check")


# -- refusing schema changes ---------------------------------------------------------
_DENY_ON_TABLE = {
    sqlite3.SQLITE_DROP_TABLE: 0, sqlite3.SQLITE_ALTER_TABLE: 1,
    sqlite3.SQLITE_CREATE_TRIGGER: 1, sqlite3.SQLITE_DROP_TRIGGER: 1,
    sqlite3.SQLITE_CREATE_TEMP_TRIGGER: 1, sqlite3.SQLITE_DROP_TEMP_TRIGGER: 1,
}


def _authorizer(action, arg1, arg2, _db_name, _trigger):
    if action in _DENY_ON_TABLE and (arg1, arg2)[_DENY_ON_TABLE[action]] in LOG_TABLES:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg1 and arg1.lower() == "writable_schema":
        return sqlite3.SQLITE_DENY
    if action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE) \
            and arg1 == "sqlite_sequence":
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def guard(conn: sqlite3.Connection) -> None:
    """Refuse, on this connection, statements that would change the log tables' schema.

    Installed after migrations run. A connection that bypasses it (the sqlite3
    shell) is caught by the schema hash in the signed heads.
    """
    conn.set_authorizer(_authorizer)
