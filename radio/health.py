"""What an officer must be warned about: a daemon that is not running, and
occurrences that failed or were missed recently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from .clock import from_utc_text, to_utc_text
from .schedule import LEFT_OUT_PREFIX

#: the daemon writes a heartbeat every second; older than this means it is not running
HEARTBEAT_STALE = timedelta(seconds=30)


@dataclass
class Health:
    daemon_running: bool
    last_heartbeat: datetime | None
    problems: list[dict]  # failed / missed / partial / cancelled-with-bulletins-left-out, newest first


def last_heartbeat(db: Database) -> datetime | None:
    """When the daemon last said it was alive (``None``: never)."""
    row = db.execute("SELECT value FROM station_state WHERE name = 'heartbeat'").fetchone()
    return from_utc_text(row[0]) if row else None


def daemon_running(heartbeat: datetime | None, now: datetime) -> bool:
    return heartbeat is not None and now - heartbeat <= HEARTBEAT_STALE


def recent_problems(db: Database, now: datetime, *, hours: int = 24) -> list[dict]:
    """Failed, missed, partial and left-out occurrences logged in the last *hours*, newest first (at most 20)."""
    return list(db["occurrences"].rows_where(
        "(status IN ('failed', 'missed', 'partial') OR (status = 'cancelled' AND reason LIKE ?)) "
        "AND logged_at >= ?",
        [LEFT_OUT_PREFIX + "%", to_utc_text(now - timedelta(hours=hours))], order_by="id desc", limit=20))


def station_health(db: Database, now: datetime, *, hours: int = 24) -> Health:
    heartbeat = last_heartbeat(db)
    return Health(daemon_running(heartbeat, now), heartbeat, recent_problems(db, now, hours=hours))
