"""The full check: one streaming walk of the log against its hashes, the signed
heads and a head someone wrote down, naming every problem it finds."""

from __future__ import annotations

import hmac
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from radio.clock import to_utc_text
from radio.proof.chain import hashing
from radio.proof.chain.hashing import (FIELDS, GENESIS, ITEM_FIELDS, ITEM_OPTIONAL_FIELDS, OPTIONAL_FIELDS,
    field_digests, log_tables_exist, row_hash, schema_hash)
from radio.proof.chain.heads import (HEADS_FILE, HeadsError, _last_line, alert, _read_signed, _settings, _sign,
    heads_problem, station_root, witness)
from radio.proof.chain.keys import key_path, load_key
from radio.proof.chain.state import _read_state, _write_state
from radio.errors import ValidationError
from radio.store.connection import write

log = logging.getLogger("radio.proof.chain")

#: Most problems one check lists; the rest are counted (keeps memory constant).
MAX_PROBLEMS = 50


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
    witnesses, copy_last = None, None
    if root is not None:
        settings = settings if settings is not None else _settings(root, db)
        path = key_path(root, settings)
        key = load_key(path, create=False)
        heads = root / HEADS_FILE
        if key is None and heads.exists():
            report.notes.append(f"The signing key {path} is missing: head signatures not checked.")
        problem = heads_problem(heads, _read_signed(db))
        if problem:
            report.add(problem)
        witnesses = _Witnesses(heads, key, report)
        copy_last = _check_copy(settings, heads, key, report)
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

    unsigned: list[int] = []  # [first, last] of a run of entries no signed head covers

    def flush_unsigned():
        if unsigned:
            first, last = unsigned
            report.add(f"entry {first} is not covered by any signed head" if first == last
                       else f"entries {first}–{last} are not covered by any signed head", first)
            unsigned.clear()

    for row, items in hashing.walk(db):
        entry_id = row["id"]
        continue_rechain = False
        gap = entry_id > expected_id
        if gap:
            report.add(_span(expected_id, entry_id - 1), expected_id)
        if witnesses is not None:
            list(witnesses.upto(entry_id))
        witnessed = witnesses.take(entry_id) if witnesses is not None else None
        if witnesses is not None and witnessed is None:
            if unsigned and unsigned[1] == entry_id - 1:
                unsigned[1] = entry_id
            else:
                flush_unsigned()
                unsigned[:] = [entry_id, entry_id]
        else:
            flush_unsigned()
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
    flush_unsigned()
    report.head_hash = prev
    last_id = prev_id
    seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'occurrences'").fetchone() \
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone() else None
    missing_to = max(_last_id_witnessed(witnesses), int(seq[0]) if seq else 0,
                     expect[0] if expect and not expect_seen else 0,
                     copy_last["last_id"] if copy_last else 0)
    if missing_to > last_id:
        report.add(_span(last_id + 1, missing_to), last_id + 1)
    if witnesses is not None and witnesses.last_line is not None:
        if witnesses.last_line.get("schema") != schema_hash(db):
            report.add(f"the log tables' schema (columns or triggers) changed after the head of "
                       f"{witnesses.last_line.get('at')}")
    _record_full(db, report, now)
    return report


def _check_copy(settings: dict, heads: Path, key: bytes | None, report: Report) -> dict | None:
    """The last line of ``chain_heads_copy`` (a second place the heads are written):
    checked against the heads file, which must hold it. Returns it, so entries it
    covers beyond the database are named missing."""
    target = (settings or {}).get("chain_heads_copy") or ""
    if not target:
        return None
    copy = Path(target).expanduser()
    if not copy.exists():
        report.add(f"the second copy of the heads {copy} is missing")
        return None
    last = _last_line(copy)
    if last is None:
        if _last_line(heads) is not None:
            report.add(f"the second copy of the heads {copy} is empty")
        return None
    mac = last.pop("mac", None)
    if key is not None and not hmac.compare_digest(mac or "", _sign(key, last)):
        report.add(f"the last line of the second copy of the heads {copy} was altered")
        return None
    last["mac"] = mac
    primary = _last_line(heads)
    if primary is None or primary.get("last_id", 0) < last.get("last_id", 0) or (
            primary.get("last_id") == last.get("last_id") and primary.get("mac") != mac
            and primary.get("at", "") <= last.get("at", "")):
        report.add(f"the heads file {HEADS_FILE} lost lines its second copy {copy} has "
                   f"(signed up to entry {last.get('last_id')})")
    return last


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

    try:
        with write(db):
            _write_state(db, full_at=to_utc_text(now) if now else "", full_ok=int(report.ok),
                         full_broken=report.first_broken_id,
                         full_problem=report.problems[0] if report.problems else None)
            if report.ok:  # a whole log, every entry signed: what raised the alert is resolved
                db.execute("DELETE FROM station_state WHERE name = 'chain.alert'")
    except sqlite3.Error:  # a read-only copy of the database can still be checked
        log.warning("Could not record the result of the full chain check")


def daily(db: Database, now: datetime, settings: dict | None = None) -> None:
    """The daemon's daily care: a signed head even on a day with no appends, and a
    full walk when the last one is more than a day old (its result shows in the admin)."""
    try:
        witness(db, now, settings=settings)
    except HeadsError as exc:  # the alert stands; the full check below names the entries waiting
        log.error("The chain head was not written: %s", exc)
        alert(db, exc.problem)
    last = _read_state(db).get("full_at") or ""
    if last < to_utc_text(now - timedelta(days=1)):
        report = verify(db, settings=settings, now=now)
        if not report.ok:
            log.error("The proof log was altered: %s", "; ".join(report.problems[:5]))
