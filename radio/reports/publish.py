"""What the station publishes to outside readers (the JSON API): the proof log in
pages, and the station's status.

Pages follow the chain's own order (ascending id) with a cursor, so a district
office collecting many communes' logs asks "everything after the last id I
have" and never misses or doubles a row, even while the daemon appends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from radio.proof import log as prooflog
from radio.clock import STATION_TZ, to_utc_text
from radio.errors import ValidationError
from radio.station.health import station_health
from radio.schedule.slots import list_slots, occurrences_between

MAX_PAGE = 500
#: how far ahead the status looks for the next occurrence
NEXT_HORIZON = timedelta(days=8)


@dataclass(frozen=True)
class LogPage:
    entries: list[dict]
    next_after: int | None  # the cursor of the next page; None on the last one


def _local_day_utc(text: str, what: str) -> datetime:
    try:
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValidationError(f'{what} "{text}" is not a date (YYYY-MM-DD).') from None
    if not prooflog.MIN_YEAR <= day.year <= prooflog.MAX_YEAR:  # 9999-12-31 + 1 day overflows
        raise ValidationError(f'{what} "{text}" is outside the years {prooflog.MIN_YEAR} to {prooflog.MAX_YEAR}.')
    return datetime(day.year, day.month, day.day, tzinfo=STATION_TZ)


def _bounds(month: str | None, since: str | None, until: str | None) -> tuple[str | None, str | None]:
    if month and (since or until):
        raise ValidationError("Give either a month or from/until dates, not both.")
    if month:
        return prooflog.month_bounds_utc(month)
    start = to_utc_text(_local_day_utc(since, "from")) if since else None
    end = to_utc_text(_local_day_utc(until, "until") + timedelta(days=1)) if until else None
    if start and end and end <= start:
        raise ValidationError("The period ends before it starts.")
    return start, end


def _decoded(value):
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def log_page(db: Database, *, month: str | None = None, since: str | None = None, until: str | None = None,
             after: int = 0, limit: int = 100) -> LogPage:
    """Proof-log entries with their items and hashes, oldest first, after the id *after*.

    :param month: a local month ``YYYY-MM`` of the scheduled time
    :param since: first local day ``YYYY-MM-DD`` (inclusive); *until* the last (inclusive)
    :param limit: entries per page, 1 to :data:`MAX_PAGE`
    :raise ValidationError: a bad month, date, cursor or limit
    """
    if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"limit must be a whole number from 1 to {MAX_PAGE}.")
    if not isinstance(after, int) or after < 0:
        raise ValidationError("after must be a whole number (the last id already read).")
    start, end = _bounds(month, since, until)
    where, args = ["id > ?"], [after]
    if start:
        where.append("scheduled_at >= ?")
        args.append(start)
    if end:
        where.append("scheduled_at < ?")
        args.append(end)
    rows = list(db["occurrences"].rows_where(" AND ".join(where), args, order_by="id", limit=limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    items: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    if rows:
        marks = ",".join("?" * len(rows))
        for item in db["occurrence_items"].rows_where(f"occurrence_id IN ({marks})", list(items),
                                                      order_by="occurrence_id, position"):
            items[item.pop("occurrence_id")].append(item)
    # whether each entry reached loudspeakers (an airing to a file did not, and never counts)
    reached = dict(db.execute(f"SELECT o.id, {prooflog.REACHED_LOUDSPEAKERS} FROM occurrences o "
                              f"WHERE o.id IN ({','.join('?' * len(rows))})", list(items)).fetchall()) if rows else {}
    entries = [{**{k: _decoded(v) for k, v in row.items()}, "items": items[row["id"]],
                "loudspeakers": bool(reached.get(row["id"], 1))} for row in rows]
    return LogPage(entries, rows[-1]["id"] if more else None)


def chain_head(db: Database) -> dict:
    count, head = prooflog.chain_head(db)
    return {"entries": count, "hash": head}


def station_status(db: Database, now: datetime) -> dict:
    """Daemon alive, its last heartbeat, the next occurrence owed, renders waiting, the chain head."""
    health = station_health(db, now)
    next_occurrence = None
    for occ in occurrences_between(list_slots(db, active_only=True), now, now + NEXT_HORIZON):
        if not prooflog.is_logged(db, occ.key):
            next_occurrence = {"key": occ.key, "slot_id": occ.slot_id, "scheduled_at": to_utc_text(occ.scheduled_at)}
            break
    pending = db.execute(
        "SELECT count(*) FROM renders r JOIN bulletins b ON b.id = r.bulletin_id "
        "WHERE b.status = 'approved' AND r.state != 'done'").fetchone()[0]
    return {
        "now": to_utc_text(now),
        "daemon_running": health.daemon_running,
        "last_heartbeat": to_utc_text(health.last_heartbeat) if health.last_heartbeat else None,
        "next_occurrence": next_occurrence,
        "renders_pending": int(pending),
        "problems_24h": len(health.problems),
        "chain_head": chain_head(db),
    }


__all__ = ["LogPage", "MAX_PAGE", "chain_head", "log_page", "station_status"]
