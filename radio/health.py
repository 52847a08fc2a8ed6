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


def station_health(db: Database, now: datetime, *, hours: int = 24) -> Health:
    row = db.execute("SELECT value FROM station_state WHERE name = 'heartbeat'").fetchone()
    heartbeat = from_utc_text(row[0]) if row else None
    running = heartbeat is not None and now - heartbeat <= HEARTBEAT_STALE
    problems = list(db["occurrences"].rows_where(
        "(status IN ('failed', 'missed', 'partial') OR (status = 'cancelled' AND reason LIKE ?)) "
        "AND logged_at >= ?",
        [LEFT_OUT_PREFIX + "%", to_utc_text(now - timedelta(hours=hours))], order_by="id desc", limit=20))
    return Health(running, heartbeat, problems)
