"""The proof log: what the player actually played, append-only and tamper-evident.

Each occurrence ends in exactly one row (aired, partial, failed, missed or
cancelled). Rows are chained: ``hash = sha256(prev_hash + canonical row)``, triggers refuse
UPDATE, DELETE and REPLACE, and every head is signed into a file outside the
database, so an edit, a deletion or a rewrite shows up in :func:`verify_chain`
(:mod:`radio.proof.chain` holds the checks).

Before the first sample the player inserts a *claim* (unique key). The claim
turns into the final row in one transaction; a claim left behind by a killed
daemon is closed as partial (it may have been heard) and never aired again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlite_utils import Database

from radio.proof import chain
from radio.clock import STATION_TZ, to_utc_text
from radio.errors import ValidationError
from radio.store.paging import PER_PAGE, Page, check_per_page
from radio.schedule.outputs import kind_of
from radio.store.connection import checkpoint, write
from radio.wording import reasons as reason_codes

GENESIS = chain.GENESIS
#: months the log can be asked for (9999-12 would overflow the next month's date)
MIN_YEAR, MAX_YEAR = 2000, 2999
STATUSES = ("aired", "partial", "failed", "missed", "cancelled")
STATUS_LABELS = {
    "aired": "đã phát", "partial": "phát dở", "failed": "lỗi",
    "missed": "bị lỡ", "cancelled": "đã hủy",
}
#: A correction may also withdraw an entry altogether.
CORRECTION_STATUSES = STATUSES + ("void",)
#: every status an entry can stand at once its corrections are read, in reports
STANDING_LABELS = {**STATUS_LABELS, "void": "hủy bỏ"}
KINDS = ("slot", "urgent", "resume", "manual", "correction")
KIND_LABELS = {"slot": "theo lịch", "urgent": "phát khẩn cấp", "resume": "phát tiếp", "manual": "nhập tay",
               "correction": "đính chính"}
#: SQL over an occurrence ``o``: the status it stands at, the last correction's if any.
#: Reports and targets count by it, and leave the corrections' own rows out
#: (:data:`NOT_A_CORRECTION`): a correction annotates an entry, it did not air.
STANDING_STATUS = ("COALESCE((SELECT c.status FROM occurrences c WHERE c.corrects_id = o.id "
                   "ORDER BY c.id DESC LIMIT 1), o.status)")
NOT_A_CORRECTION = "o.kind <> 'correction'"
#: SQL over an occurrence ``o``: 1 if what aired reached loudspeakers, else 0. The daemon's
#: answer at air time (``occurrence_reach``, by the output's setting) when it wrote one;
#: otherwise by the output's kind (a file did not). A manual entry (a live reading) did.
REACHED_LOUDSPEAKERS = (
    "COALESCE((SELECT r.loudspeakers FROM occurrence_reach r WHERE r.occurrence_id = o.id), "
    "COALESCE(o.output_kind, CASE WHEN o.output LIKE 'file:%' THEN 'file' END, '') <> 'file')"
)
#: SQL over an occurrence ``o``: its reason as codes (JSON, :mod:`radio.wording.reasons`), NULL
#: for an entry written before m400 or one a person typed
REASON_PARTS = "(SELECT r.parts FROM occurrence_reasons r WHERE r.occurrence_id = o.id)"


@dataclass
class LoggedItem:
    """Snapshot of one item as played, so later edits never change history."""

    position: int
    bulletin_id: int | None
    title: str
    topic: str | None = None
    priority: str | None = None
    text_sha256: str | None = None
    audio_sha256: str | None = None
    engine: str | None = None
    duration_ms: int | None = None
    completed: bool = False
    approved_by: str | None = None
    approved_at: str | None = None  # UTC text, as stored on the bulletin


@dataclass
class Entry:
    key: str
    scheduled_at: datetime
    status: str
    kind: str = "slot"
    slot_id: int | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    seconds_played: float = 0.0
    programme_seconds: float | None = None
    reason: str | None = None
    output: str | None = None
    output_kind: str | None = None  # device/pulse/icecast/file; derived from output when None
    programme_sha256: str | None = None
    loudness_lufs: float | None = None
    hooks: list[dict] | None = None
    items: list[LoggedItem] = field(default_factory=list)
    entered_by: str | None = None  # who typed a manual entry or a correction
    corrects_id: int | None = None  # the entry a correction corrects
    #: whether the output fed loudspeakers (None: judged by its kind) and the named
    #: output used; kept beside the row in ``occurrence_reach`` (m320)
    loudspeakers: bool | None = None
    output_name: str | None = None
    #: the reason as codes (:mod:`radio.wording.reasons`); ``reason`` is then their English.
    #: Kept beside the row in ``occurrence_reasons`` (m400)
    reasons: list[reason_codes.Reason] | None = None


def _item_row(item: LoggedItem) -> dict:
    return {
        "position": item.position, "bulletin_id": item.bulletin_id, "title": item.title,
        "topic": item.topic, "priority": item.priority, "text_sha256": item.text_sha256,
        "audio_sha256": item.audio_sha256, "engine": item.engine,
        "duration_ms": item.duration_ms, "completed": int(bool(item.completed)),
        "approved_by": item.approved_by, "approved_at": item.approved_at,
    }


def is_logged(db: Database, key: str) -> bool:
    return db.execute("SELECT 1 FROM occurrences WHERE key = ?", [key]).fetchone() is not None


def claim(db: Database, *, key: str, slot_id: int | None, scheduled_at: datetime, now: datetime,
          output: str, items: list[LoggedItem], programme_path: str | None = None,
          programme_seconds: float | None = None, programme_sha256: str | None = None,
          item_ends_ms: list[int] | None = None) -> bool:
    """Take the right to air *key*; False if it is logged or claimed already.

    The programme's length, hash and item end times go with the claim, so a row
    closed after a crash (see :func:`progress`) can say which items were heard.
    """
    with write(db):
        if is_logged(db, key):
            return False
        cursor = db.execute(
            "INSERT OR IGNORE INTO claims (key, slot_id, scheduled_at, claimed_at, pid, output, "
            "programme_path, items, programme_seconds, programme_sha256, item_ends_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [key, slot_id, to_utc_text(scheduled_at), to_utc_text(now), os.getpid(), output,
             programme_path, json.dumps([_item_row(i) for i in items], ensure_ascii=False),
             programme_seconds, programme_sha256,
             json.dumps(item_ends_ms) if item_ends_ms is not None else None],
        )
        return cursor.rowcount == 1


def mark_started(db: Database, key: str, started_at: datetime) -> None:
    """The claim reached the output: from now on a crash logs it partial, never airs it again.
    Checkpointed, so a lost ``radio.db-wal`` does not take the mark with it."""
    with write(db):
        db.execute("UPDATE claims SET started_at = ?, seconds_played = 0, progress_at = ? WHERE key = ?",
                   [to_utc_text(started_at), to_utc_text(started_at), key])
    checkpoint(db)


def progress(db: Database, key: str, *, seconds_played: float, at: datetime,
             dead_air: list[tuple[datetime, float]] = (), breaks: int = 0) -> None:
    """Record how much of *key* the output has consumed by *at* (called about every second
    while on air), any dead air so far as (start, seconds), and the breaks so far."""
    stalls = json.dumps([[to_utc_text(when), round(s, 3)] for when, s in dead_air]) if dead_air else None
    with write(db):
        db.execute("UPDATE claims SET seconds_played = ?, progress_at = ?, dead_air = ?, breaks = ? WHERE key = ?",
                   [round(float(seconds_played), 3), to_utc_text(at), stalls, int(breaks), key])


def append(db: Database, entry: Entry, *, now: datetime, also: Callable[[int], None] | None = None) -> int:
    """Write the final row of an occurrence (and drop its claim) in one transaction.

    :param also: called with the new entry's id inside that transaction (the audit
        row of an entry a person typed), so the entry never exists without it.

    The new row is verified against the chain's incremental state in the same
    transaction, and a signed head is written to the heads file after commit
    (see :mod:`radio.proof.chain`).
    """
    allowed = CORRECTION_STATUSES if entry.kind == "correction" else STATUSES
    if entry.status not in allowed:
        raise ValueError(f"unknown status {entry.status!r}")
    if entry.kind not in KINDS:
        raise ValueError(f"unknown kind {entry.kind!r}")
    text = reason_codes.english(entry.reasons) if entry.reasons else entry.reason
    with write(db):
        last = db.execute("SELECT hash FROM occurrences ORDER BY id DESC LIMIT 1").fetchone()
        row = {
            "key": entry.key, "kind": entry.kind, "slot_id": entry.slot_id,
            "scheduled_at": to_utc_text(entry.scheduled_at),
            "started_at": to_utc_text(entry.started_at) if entry.started_at else None,
            "ended_at": to_utc_text(entry.ended_at) if entry.ended_at else None,
            "seconds_played": round(float(entry.seconds_played), 3),
            "programme_seconds": (round(float(entry.programme_seconds), 3)
                                  if entry.programme_seconds is not None else None),
            "status": entry.status, "reason": text, "output": entry.output,
            "output_kind": entry.output_kind or kind_of(entry.output),
            "programme_sha256": entry.programme_sha256,
            "loudness_lufs": (round(float(entry.loudness_lufs), 2)
                              if entry.loudness_lufs is not None else None),
            "hooks": json.dumps(entry.hooks, ensure_ascii=False) if entry.hooks else None,
            "logged_at": to_utc_text(now), "prev_hash": last[0] if last else GENESIS,
            "entered_by": entry.entered_by, "corrects_id": entry.corrects_id,
        }
        items = [_item_row(i) for i in entry.items]
        row["hash"] = chain.row_hash(row, items)
        occurrence_id = db["occurrences"].insert(row).last_pk
        for item in items:
            db["occurrence_items"].insert({"occurrence_id": occurrence_id, **item})
        if entry.loudspeakers is not None:
            db.execute("INSERT INTO occurrence_reach (occurrence_id, output_name, loudspeakers) VALUES (?, ?, ?)",
                       [occurrence_id, entry.output_name, int(bool(entry.loudspeakers))])
        if entry.reasons:
            db.execute("INSERT INTO occurrence_reasons (occurrence_id, parts) VALUES (?, ?)",
                       [occurrence_id, reason_codes.to_json(entry.reasons)])
        db.execute("DELETE FROM claims WHERE key = ?", [entry.key])
        if also is not None:
            also(occurrence_id)
        chain.mark(db, chain.station_key(db), occurrence_id, row["hash"])
        chain.advance(db)
    chain.appended(db, occurrence_id)
    # into the database file itself: a lost radio.db-wal must not take the row with it
    checkpoint(db)
    chain.witness_quietly(db, now)
    return occurrence_id


def chain_head(db: Database) -> tuple[int, str]:
    """The chain's head: (number of entries, hash of the last one; GENESIS when empty).

    Written into every export and report and served by the API, so a copy kept
    outside the database can later prove the log was not truncated or rewritten.
    """
    count = db.execute("SELECT count(*) FROM occurrences").fetchone()[0]
    last = db.execute("SELECT hash FROM occurrences ORDER BY id DESC LIMIT 1").fetchone()
    return int(count), (last[0] if last else GENESIS)


def verify_chain(db: Database) -> tuple[bool, int | None]:
    """Walk the whole chain (and its signed heads); return (ok, first broken entry id).

    :func:`radio.proof.chain.verify` gives the full report naming every problem.
    """
    report = chain.verify(db)
    return report.ok, report.first_broken_id


def entries(db: Database, *, month: str | None = None, limit: int | None = None,
            offset: int | None = None, status: str | None = None) -> list[dict]:
    """Log rows (newest first) with their items; *month* is a local YYYY-MM."""
    where, args = _entry_filter(month, status)
    if limit is None:
        rows = list(db["occurrences"].rows_where(where, args, order_by="scheduled_at desc, id desc",
                                                 offset=offset))
    else:
        # the offset is skipped on the index alone (the ids), then only the page's rows are read:
        # page 1,000 of a year's log reads 50 rows, not 50,000
        rows = list(db.query(
            "SELECT * FROM occurrences WHERE id IN (SELECT id FROM occurrences"
            f"{' WHERE ' + where if where else ''} ORDER BY scheduled_at DESC, id DESC LIMIT ? OFFSET ?) "
            "ORDER BY scheduled_at DESC, id DESC", [*args, limit, offset or 0]))
    return _with_items(db, rows)


def entry_page(db: Database, *, month: str | None = None, status: str | None = None, page: int = 1,
               per_page: int = PER_PAGE) -> Page:
    """One page of :func:`entries`, cut in SQL on the ``scheduled_at`` index.

    :raise ValidationError: a bad month or status
    """
    per_page = check_per_page(per_page)
    where, args = _entry_filter(month, status)
    total = db["occurrences"].count_where(where, args)
    page = min(max(1, page), max(1, -(-total // per_page)))
    return Page(entries(db, month=month, status=status, limit=per_page, offset=(page - 1) * per_page),
                page, per_page, total)


def _entry_filter(month: str | None, status: str | None) -> tuple[str | None, list]:
    clauses, args = [], []
    if month:
        clauses.append("scheduled_at >= ? AND scheduled_at < ?")
        args.extend(month_bounds_utc(month))
    if status:
        if status not in STATUSES:
            raise ValidationError(f'Unknown log status "{status}".')
        clauses.append("status = ?")
        args.append(status)
    return (" AND ".join(clauses) or None), args


def _with_items(db: Database, rows: list[dict]) -> list[dict]:
    items: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    reach: dict[int, bool] = {}
    coded: dict[int, str] = {}
    ids = list(items)
    for start in range(0, len(ids), 500):  # within SQLite's bound-parameter limit
        chunk = ids[start:start + 500]
        for item in db["occurrence_items"].rows_where(
                f"occurrence_id IN ({','.join('?' * len(chunk))})", chunk, order_by="occurrence_id, position"):
            items[item["occurrence_id"]].append(item)
        for occurrence_id, reached in db.execute(
                f"SELECT o.id, {REACHED_LOUDSPEAKERS} FROM occurrences o "
                f"WHERE o.id IN ({','.join('?' * len(chunk))})", chunk):
            reach[occurrence_id] = bool(reached)
        coded.update(db.execute(f"SELECT occurrence_id, parts FROM occurrence_reasons "
                                f"WHERE occurrence_id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    for row in rows:
        row["items"] = items[row["id"]]
        row["loudspeakers"] = reach.get(row["id"], True)
        row["reason_parts"] = coded.get(row["id"])  # the reason as codes (JSON), None before m400
    return rows


def month_bounds_utc(month: str) -> tuple[str, str]:
    """UTC text bounds of a local calendar month ``YYYY-MM``."""
    text = str(month or "").strip()
    try:
        if len(text) != 7 or not text.isascii():
            raise ValueError(text)
        year, mon = (int(x) for x in text.split("-"))
        first = date(year, mon, 1)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(text)
    except (ValueError, TypeError):
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise ValidationError(f'Month "{shown}" is not YYYY-MM.') from None
    nxt = date(year + (mon == 12), mon % 12 + 1, 1)
    return tuple(to_utc_text(datetime(d.year, d.month, d.day, tzinfo=STATION_TZ)) for d in (first, nxt))
