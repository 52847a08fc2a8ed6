"""Targets: at least N bulletins of a topic aired per month, quarter, six months or year.

What counts toward a target is an occurrence logged **aired** that contains a
**completed** item of the target's topic and that **reached loudspeakers**: an
airing to an output that does not feed them (a ``file:`` output, unless the admin
says otherwise for a named output) never counts, whatever its topic. A partial occurrence does not count,
even if the item was heard to its end: the proof must show a whole programme.
An entry counts at the status it stands at after its corrections (the last
correction stands, so a voided or corrected-to-missed entry no longer counts);
the corrections' own rows never count.
Each count is a SQL query over the proof log; nothing is cached, so a report
is always a function of the log and ``now``. Entries held elsewhere (the
province's copy of a station's log, as its link sent them) are counted by the
same query: :func:`count_entries`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database

from radio.accounts import audit
from radio.accounts.roles import Actor, require
from radio.clock import STATION_TZ, local, to_utc_text
from radio.errors import NotFoundError, ValidationError
from radio.store.fields import clean_line, clean_text
from radio.store.ids import ascii_int
from radio.store.ids import parse_id
from radio.proof.log import NOT_A_CORRECTION, REACHED_LOUDSPEAKERS, STANDING_STATUS
from radio.store.connection import write
from radio.reports import periods
from radio.reports.periods import Period

COUNTING_RULE = ("Counts aired occurrences with a completed item of the topic; "
                 "partial occurrences do not count, nor airings to an output that feeds no loudspeakers (a file).")
COUNTING_RULE_VI = ("Chỉ tính các buổi phát trọn vẹn (trạng thái \"đã phát\") có tin bài của chủ đề "
                    "được phát hết; buổi phát dở không được tính, buổi phát ra đầu ra không nối với loa "
                    "(ra tệp) cũng không được tính.")
STATUSES = ("met", "at risk", "missed", "upcoming")
STATUS_LABELS = {"met": "đạt", "at risk": "có nguy cơ không đạt", "missed": "không đạt",
                 "upcoming": "chưa đến kỳ"}
PERIOD_LABELS = {"month": "tháng", "quarter": "quý", "half": "6 tháng", "year": "năm"}
TOPIC_LABELS = {"cchc": "CCHC"}

_QUALIFYING = (
    f"{NOT_A_CORRECTION} AND {STANDING_STATUS} = 'aired' AND {REACHED_LOUDSPEAKERS} "
    "AND EXISTS (SELECT 1 FROM occurrence_items i WHERE i.occurrence_id = o.id AND i.completed = 1 AND i.topic = ?)"
)


@dataclass(frozen=True)
class Result:
    """One target in one period."""

    target: dict
    period: Period
    count: int
    status: str
    days_left: int
    warn: bool

    @property
    def minimum(self) -> int:
        return self.target["minimum"]

    @property
    def status_vi(self) -> str:
        return STATUS_LABELS[self.status]


def topic_label(topic: str) -> str:
    return TOPIC_LABELS.get(topic, topic)


def describe(target: dict) -> str:
    """English one-liner: ``at least 1 cchc bulletin per month (2022-01-01 to 2022-03-31)``."""
    text = f"at least {target['minimum']} {target['topic']} bulletin{'s' if target['minimum'] > 1 else ''} per {target['period']}"
    if target.get("applies_from") or target.get("applies_until"):
        text += f" ({target.get('applies_from') or '…'} to {target.get('applies_until') or '…'})"
    return text


def describe_vi(target: dict) -> str:
    text = (f"Ít nhất {target['minimum']} tin bài {topic_label(target['topic'])} mỗi "
            f"{PERIOD_LABELS[target['period']]}")
    if target.get("applies_from") or target.get("applies_until"):
        start = _vn_date(target.get("applies_from")) or "…"
        end = _vn_date(target.get("applies_until")) or "…"
        text += f" (từ {start} đến {end})"
    return text


def _vn_date(text: str | None) -> str:
    return date.fromisoformat(text).strftime("%d/%m/%Y") if text else ""


# -- the table ----------------------------------------------------------------------
def list_targets(db: Database) -> list[dict]:
    return list(db["targets"].rows_where(order_by="id"))


def get_target(db: Database, target_id: int) -> dict:
    target_id = parse_id(target_id, "Target")
    row = db.execute("SELECT id FROM targets WHERE id = ?", [target_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Target {target_id} does not exist.")
    return db["targets"].get(target_id)


def validate(*, topic: str, period: str, minimum: int | str,
             applies_from: str | None = None, applies_until: str | None = None) -> dict:
    """The cleaned fields of a target.

    :raise ValidationError: empty topic, unknown period kind, minimum below 1, bad dates.
    """
    topic = clean_line(topic, "Topic").lower()
    if not topic:
        raise ValidationError("A target needs a topic (e.g. cchc).")
    if len(topic) > 40:
        raise ValidationError("A topic has at most 40 characters.")
    if period not in periods.KINDS:
        raise ValidationError(f'Unknown period kind "{period}"; use month, quarter, half or year.')
    try:
        minimum = ascii_int(minimum)
    except (TypeError, ValueError):
        raise ValidationError(f'Minimum "{minimum}" is not a number.') from None
    if minimum < 1:
        raise ValidationError("A target's minimum must be at least 1.")
    if minimum > 10_000:  # far beyond two slots a day for a year; SQLite integers stop at 2**63
        raise ValidationError("A target's minimum must be at most 10000.")
    start = periods.parse_date(applies_from).isoformat() if applies_from else None
    end = periods.parse_date(applies_until).isoformat() if applies_until else None
    if start and end and end < start:
        raise ValidationError("The target's window ends before it starts.")
    return dict(topic=topic, period=period, minimum=minimum, applies_from=start, applies_until=end)


def add_target(db: Database, actor: Actor | None, *, topic: str, period: str, minimum: int | str,
               now: datetime, applies_from: str | None = None, applies_until: str | None = None,
               note: str | None = None) -> int:
    """Add a target (leader or admin); returns its id.

    :raise PermissionDeniedError: the actor may not manage targets.
    :raise ValidationError: see :func:`validate`.
    """
    require(actor, "target.manage")
    fields = validate(topic=topic, period=period, minimum=minimum,
                      applies_from=applies_from, applies_until=applies_until)
    note = clean_text(note, "The note", max_chars=1000) or None
    with write(db):
        target_id = db["targets"].insert(dict(
            fields, note=note, created_at=to_utc_text(now),
            created_by=actor.username)).last_pk
        audit.record(db, actor, "target.manage", now=now, target=f"target:{target_id}",
                     detail={"added": fields})
    return target_id


def remove_target(db: Database, actor: Actor | None, target_id: int, *, now: datetime) -> dict:
    """Remove a target (the log it was measured on stays untouched); returns the removed row."""
    require(actor, "target.manage")
    with write(db):
        row = get_target(db, target_id)
        db["targets"].delete(row["id"])
        audit.record(db, actor, "target.manage", now=now, target=f"target:{target_id}",
                     detail={"removed": {k: row[k] for k in ("topic", "period", "minimum",
                                                             "applies_from", "applies_until")}})
    return row


# -- counting and status ------------------------------------------------------------
def count(db: Database, topic: str, period: Period) -> int:
    """Occurrences in *period* that count toward a target of *topic* (see module doc)."""
    start, end = period.utc_bounds()
    return db.execute(
        f"SELECT count(*) FROM occurrences o WHERE o.scheduled_at >= ? AND o.scheduled_at < ? AND {_QUALIFYING}",
        [start, end, topic]).fetchone()[0]


#: the columns of a proof entry and of its items that :func:`count` reads
_ENTRY_COLUMNS = ("id", "kind", "status", "corrects_id", "output", "output_kind", "scheduled_at")
_ITEM_COLUMNS = ("occurrence_id", "completed", "topic")


def count_entries(entries: Iterable[tuple[dict, list[dict]]], topic: str, period: Period) -> int:
    """:func:`count` over proof entries given as rows (an entry and its items, as the
    station's log holds them and its link sends them), not a station's database.

    They are loaded into an in-memory log of the same tables, so the rule is the one
    query above, corrections and all: give every correction that may stand on an entry
    of *period*, whenever it was logged. What the daemon recorded about an output's
    reach stays in the station (it is not part of an entry), so an entry's reach is
    judged by its output's kind: a file did not reach loudspeakers.
    """
    memory = Database(memory=True)
    memory.execute(f"CREATE TABLE occurrences ({', '.join(_ENTRY_COLUMNS)})")
    memory.execute(f"CREATE TABLE occurrence_items ({', '.join(_ITEM_COLUMNS)})")
    memory.execute("CREATE TABLE occurrence_reach (occurrence_id, output_name, loudspeakers)")
    for entry, items in entries:
        memory.execute(f"INSERT INTO occurrences VALUES ({', '.join('?' * len(_ENTRY_COLUMNS))})",
                       [entry.get(k) for k in _ENTRY_COLUMNS])
        for item in items:
            memory.execute("INSERT INTO occurrence_items VALUES (?, ?, ?)",
                           [entry.get("id"), item.get("completed"), item.get("topic")])
    try:
        return count(memory, topic, period)
    finally:
        memory.conn.close()


def status(count_: int, minimum: int, period: Period, now: datetime) -> str:
    """met once reached; missed when the period ended short; upcoming before it starts;
    otherwise at risk (not reached yet, still time)."""
    today = local(now).date()
    if count_ >= minimum:
        return "met"
    if today >= period.end:
        return "missed"
    if today < period.start:
        return "upcoming"
    return "at risk"


def _applies(target: dict, period: Period) -> bool:
    start = target.get("applies_from")
    until = target.get("applies_until")
    if start and period.last_day.isoformat() < start:
        return False
    return not (until and period.start.isoformat() > until)


def periods_for(target: dict, period: Period | None, now: datetime, *, cutoff: bool = False) -> list[Period]:
    """The periods of the target's kind to judge: the current one when *period* is None,
    those inside *period* when the target's kind is as fine or finer, else the one containing it."""
    kind = target["period"]
    if period is None:
        parts = [periods.containing(kind, now, cutoff=cutoff)]
    elif period.kind == "custom" or periods.KINDS.index(kind) <= periods.KINDS.index(period.kind):
        parts = list(periods.split(period, kind))
    else:
        anchor = datetime(period.start.year, period.start.month, period.start.day, 12, tzinfo=STATION_TZ)
        parts = [periods.containing(kind, anchor, cutoff=period.cutoff)]
    return [p for p in parts if _applies(target, p)]


def evaluate(db: Database, now: datetime, period: Period | None = None, *,
             warning_days: int = 7, cutoff: bool = False) -> list[Result]:
    """Every target judged in *period* (or in its current period), oldest period first."""
    results = []
    for target in list_targets(db):
        for part in periods_for(target, period, now, cutoff=period.cutoff if period else cutoff):
            n = count(db, target["topic"], part)
            state = status(n, target["minimum"], part, now)
            left = part.days_left(now)
            results.append(Result(target, part, n, state, left,
                                  warn=state == "at risk" and left <= warning_days))
    return results


def warnings(db: Database, now: datetime, *, warning_days: int = 7) -> list[Result]:
    """Targets not met yet whose current period ends within *warning_days*."""
    return [r for r in evaluate(db, now, warning_days=warning_days) if r.warn]
