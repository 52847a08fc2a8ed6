"""What an officer must be warned about: a daemon that is not running, and
occurrences that failed or were missed recently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database

from radio.clock import from_utc_text, to_utc_text
from radio.proof.log import NOT_A_CORRECTION, REASON_PARTS, STANDING_STATUS
from radio.schedule.plan import LEFT_OUT_PREFIX
from radio.bulletins.approval import recent_alerts

#: the daemon writes a heartbeat every second; older than this means it is not running
HEARTBEAT_STALE = timedelta(seconds=30)


@dataclass
class Health:
    daemon_running: bool
    last_heartbeat: datetime | None
    problems: list[dict]  # failed / missed / partial / cancelled-with-bulletins-left-out, newest first
    #: parts found not to be what was approved or installed, kept off air (radio.bulletins.approval), newest first
    integrity: list[dict] = field(default_factory=list)


def last_heartbeat(db: Database) -> datetime | None:
    """When the daemon last said it was alive (``None``: never)."""
    row = db.execute("SELECT value FROM station_state WHERE name = 'heartbeat'").fetchone()
    return from_utc_text(row[0]) if row else None


def daemon_running(heartbeat: datetime | None, now: datetime) -> bool:
    return heartbeat is not None and now - heartbeat <= HEARTBEAT_STALE


#: statuses that mean listeners did not hear everything that was owed
PROBLEM_STATUSES = ("failed", "missed", "partial")


def recent_problems(db: Database, now: datetime, *, hours: int = 24) -> list[dict]:
    """Occurrences logged in the last *hours* that stand failed, missed, partial or
    cancelled with bulletins left out, newest first (at most 20).

    An entry is judged at its status after its last correction, and a correction is
    no occurrence of its own: a missed entry corrected to "aired" (read live at the
    microphone) warns no more, an aired one corrected to "failed" warns, and a
    correction of a missed entry's wording is not a second problem. ``status`` in
    the rows returned is that standing status.
    """
    since = to_utc_text(now - timedelta(hours=hours))
    marks = ", ".join("?" for _ in PROBLEM_STATUSES)
    left_out = LEFT_OUT_PREFIX + "%"
    # candidates come through the (status, logged_at) index: entries logged with a
    # problem, and the entries that a correction logged in the window gives a problem
    return [dict(row, status=row.pop("standing")) for row in db.query(
        f"""SELECT o.*, {STANDING_STATUS} AS standing, {REASON_PARTS} AS reason_parts FROM occurrences o
            WHERE {NOT_A_CORRECTION} AND o.logged_at >= ? AND o.id IN (
                SELECT id FROM occurrences WHERE logged_at >= ?
                    AND (status IN ({marks}) OR (status = 'cancelled' AND reason LIKE ?))
                UNION
                SELECT corrects_id FROM occurrences WHERE logged_at >= ? AND corrects_id IS NOT NULL
                    AND status IN ({marks}))
              AND (standing IN ({marks}) OR (standing = 'cancelled' AND o.reason LIKE ?))
            ORDER BY o.id DESC LIMIT 20""",
        [since, since, *PROBLEM_STATUSES, left_out, since, *PROBLEM_STATUSES, *PROBLEM_STATUSES, left_out])]


def station_health(db: Database, now: datetime, *, hours: int = 24) -> Health:
    heartbeat = last_heartbeat(db)
    return Health(daemon_running(heartbeat, now), heartbeat, recent_problems(db, now, hours=hours),
                  recent_alerts(db, now, hours=hours))
