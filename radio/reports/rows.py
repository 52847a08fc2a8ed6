"""The log rows every export writes, streamed from the SQL cursor, and the report's totals.

Rows are read up to the chain head taken at the start (``upto_id``), so an
export is one consistent snapshot even while the daemon appends: the head it
states covers exactly the rows it contains (for its period).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from radio.clock import from_utc_text, local
from radio.schedule.outputs import masked
from radio.proof.log import (KINDS, NOT_A_CORRECTION, REACHED_LOUDSPEAKERS, REASON_PARTS, STANDING_STATUS,
                             STATUSES, chain_head)
from radio.reports import periods, targets
from radio.reports.periods import Period

COLUMNS = (
    "occurrence_id", "key", "kind", "slot_id", "scheduled_local", "scheduled_utc",
    "started_utc", "ended_utc", "seconds_played", "programme_seconds", "status", "status_vi",
    "reason", "output", "output_kind", "output_note", "loudness_lufs", "programme_sha256", "item_position",
    "bulletin_id", "title", "topic", "priority", "engine", "text_sha256", "audio_sha256", "item_completed",
    "approved_by", "approved_at_local", "hash",
)
#: shown beside an occurrence that went to a file: nobody heard it on a loudspeaker
FILE_OUTPUT_NOTE = "ra tệp (không phát ra loa)"
#: shown beside one whose output the admin marked as feeding no loudspeakers
NO_LOUDSPEAKER_NOTE = "không phát ra loa"
_SELECT = (
    "SELECT o.id, o.key, o.kind, o.slot_id, o.scheduled_at, o.started_at, o.ended_at, "
    "o.seconds_played, o.programme_seconds, o.status, o.reason, o.output, o.output_kind, o.loudness_lufs, "
    "o.programme_sha256, i.position, i.bulletin_id, i.title, i.topic, i.priority, i.engine, "
    "i.text_sha256, i.audio_sha256, i.completed, i.approved_by, i.approved_at, o.hash, "
    f"{REACHED_LOUDSPEAKERS}, {REASON_PARTS} "
    "FROM occurrences o LEFT JOIN occurrence_items i ON i.occurrence_id = o.id "
)
_FIELDS = ("occurrence_id", "key", "kind", "slot_id", "scheduled_utc", "started_utc", "ended_utc",
           "seconds_played", "programme_seconds", "status", "reason", "output", "output_kind",
           "loudness_lufs", "programme_sha256", "item_position", "bulletin_id", "title", "topic", "priority",
           "engine", "text_sha256", "audio_sha256", "item_completed", "approved_by", "approved_at", "hash",
           "loudspeakers", "reason_parts")


@dataclass(frozen=True)
class Head:
    """The chain head an export states: entry count, last hash, and the last row id."""

    count: int
    hash: str
    last_id: int

    @property
    def text(self) -> str:
        return f"{self.count}:{self.hash}"


def head(db: Database) -> Head:
    count, last_hash = chain_head(db)
    last_id = db.execute("SELECT coalesce(max(id), 0) FROM occurrences").fetchone()[0]
    return Head(count, last_hash, last_id)


def output_note(output_kind: str | None, loudspeakers: bool) -> str:
    """The export's note on an occurrence's output: empty when it reached loudspeakers."""
    if loudspeakers:
        return ""
    return FILE_OUTPUT_NOTE if output_kind == "file" else NO_LOUDSPEAKER_NOTE


def _where(period: Period | None, upto_id: int) -> tuple[str, list]:
    if period is None:
        return "WHERE o.id <= ? ", [upto_id]
    start, end = period.utc_bounds()
    return "WHERE o.id <= ? AND o.scheduled_at >= ? AND o.scheduled_at < ? ", [upto_id, start, end]


def count_rows(db: Database, period: Period | None, upto_id: int) -> int:
    """How many rows :func:`iter_rows` yields (for progress bars)."""
    where, args = _where(period, upto_id)
    return db.execute(
        "SELECT count(*) FROM occurrences o LEFT JOIN occurrence_items i ON i.occurrence_id = o.id " + where,
        args).fetchone()[0]


def iter_rows(db: Database, period: Period | None, upto_id: int) -> Iterator[dict]:
    """One dict per played item (or per occurrence with none), oldest first, streamed."""
    where, args = _where(period, upto_id)
    cursor = db.conn.execute(_SELECT + where + "ORDER BY o.scheduled_at, o.id, i.position", args)
    for values in cursor:
        row = dict(zip(_FIELDS, values))
        row["scheduled_local"] = local(from_utc_text(row["scheduled_utc"])).replace(tzinfo=None)
        row["output"] = masked(row["output"])  # never an Icecast password in a file
        row["loudspeakers"] = bool(row["loudspeakers"])
        row["output_note"] = output_note(row["output_kind"], row["loudspeakers"])
        approved = row.pop("approved_at")
        row["approved_at_local"] = (local(from_utc_text(approved)).strftime("%d/%m/%Y %H:%M:%S")
                                    if approved else None)
        yield row


def span(db: Database, now: datetime) -> Period:
    """The custom period from the first to the last logged day (today when empty)."""
    first, last = db.execute("SELECT min(scheduled_at), max(scheduled_at) FROM occurrences").fetchone()
    if first is None:
        return periods.containing("month", now)
    return periods.custom(local(from_utc_text(first)).date(), local(from_utc_text(last)).date())


@dataclass
class MonthLine:
    """One month of the summary: qualifying count of a topic against its monthly target."""

    period: Period
    topic: str
    count: int
    minimum: int | None
    status: str | None


@dataclass
class Summary:
    """What the XLSX summary sheet, the DOCX body and the chart show."""

    period: Period
    head: Head
    now: datetime
    by_status: dict[str, int]
    items_completed: int
    months: list[MonthLine] = field(default_factory=list)
    results: list[targets.Result] = field(default_factory=list)
    bulletins: list[dict] = field(default_factory=list)
    #: occurrences by kind (slot, urgent, resume, manual), corrections left out
    by_kind: dict[str, int] = field(default_factory=dict)
    #: aired occurrences that reached loudspeakers, by output: [(output, count)]
    loudspeaker_outputs: list[tuple[str, int]] = field(default_factory=list)
    #: aired occurrences whose output fed no loudspeakers (never counted), by output
    silent_outputs: list[tuple[str, int]] = field(default_factory=list)

    @property
    def silent_count(self) -> int:
        return sum(n for _, n in self.silent_outputs)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def summarise(db: Database, period: Period | None, now: datetime, snapshot: Head | None = None) -> Summary:
    """Totals, the per-month target lines and the per-bulletin counts of *period*."""
    snapshot = snapshot or head(db)
    period = period or span(db, now)
    where, args = _where(period, snapshot.last_id)
    by_status = dict.fromkeys(STATUSES, 0)
    for status_, n in db.execute(f"SELECT {STANDING_STATUS} AS standing, count(*) FROM occurrences o {where} "
                                 f"AND {NOT_A_CORRECTION} GROUP BY standing", args):
        by_status[status_] = n
    by_kind = dict.fromkeys((k for k in KINDS if k != "correction"), 0)
    for kind, n in db.execute(f"SELECT o.kind, count(*) FROM occurrences o {where} AND {NOT_A_CORRECTION} "
                              "GROUP BY o.kind", args):
        by_kind[kind] = n
    reach: dict[int, list[tuple[str, int]]] = {0: [], 1: []}
    for reached, output, n in db.execute(
            f"SELECT {REACHED_LOUDSPEAKERS} AS reached, o.output, count(*) FROM occurrences o {where} "
            f"AND {NOT_A_CORRECTION} AND {STANDING_STATUS} = 'aired' GROUP BY reached, o.output "
            "ORDER BY reached, count(*) DESC, o.output", args):
        reach[int(bool(reached))].append((masked(output) if output else "", n))
    # what listeners heard: items of aired entries whose output fed loudspeakers
    heard = f"{NOT_A_CORRECTION} AND {STANDING_STATUS} = 'aired' AND {REACHED_LOUDSPEAKERS} AND i.completed = 1"
    items_completed = db.execute(
        f"SELECT count(*) FROM occurrences o JOIN occurrence_items i ON i.occurrence_id = o.id {where} AND {heard}",
        args).fetchone()[0]
    monthly = {t["topic"]: t for t in targets.list_targets(db) if t["period"] == "month"}
    topics = list(monthly) or ["cchc"]
    months = []
    for part in periods.split(period, "month"):
        for topic in topics:
            n = targets.count(db, topic, part)
            target = monthly.get(topic)
            months.append(MonthLine(part, topic, n, target["minimum"] if target else None,
                                    targets.status(n, target["minimum"], part, now) if target else None))
    bulletins = [dict(zip(("bulletin_id", "title", "topic", "manual", "aired", "first", "last"), r)) for r in db.execute(
        "SELECT i.bulletin_id, i.title, i.topic, o.kind = 'manual', count(*), min(o.scheduled_at), "
        f"max(o.scheduled_at) FROM occurrences o JOIN occurrence_items i ON i.occurrence_id = o.id {where} "
        f"AND {heard} GROUP BY i.bulletin_id, i.title, i.topic, o.kind = 'manual' "
        "ORDER BY min(o.scheduled_at)", args)]
    return Summary(period, snapshot, now, by_status, items_completed, months,
                   targets.evaluate(db, now, period), bulletins, by_kind, reach[1], reach[0])
