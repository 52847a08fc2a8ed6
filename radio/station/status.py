"""The station at a glance, for the admin's status panel.

One read of everything a helper checks first when the loudspeakers are
quiet: is the daemon alive, what airs next, the last thing that went wrong,
the disk, speech still waiting to be rendered, and the proof log's chain
(its incremental state: no view walks a year's log).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from radio.proof.chain import chain_state
from radio.proof.log import REASON_PARTS
from radio.station.health import station_health
from radio.store.home import Home
from radio.schedule.outputs import masked
from radio.schedule.plan import upcoming

#: less free space than this (in bytes) is shown as a problem: renders and programmes stop fitting
LOW_DISK_BYTES = 1024 * 1024 * 1024


@dataclass
class StationStatus:
    daemon_running: bool
    last_heartbeat: datetime | None
    next_occurrence: object | None  # radio.schedule.plan.PlannedOccurrence
    last_error: dict | None  # {"at", "what", "reason"}
    disk_free_bytes: int
    disk_total_bytes: int
    renders_pending: int
    renders_failed: int
    chain_ok: bool
    chain_broken_at: int | None
    occurrences_logged: int
    #: what the running daemon plays to (its ``--output`` or the setting), None when unknown
    output_in_use: str | None = None
    output_feeds_loudspeakers: bool = True

    @property
    def disk_low(self) -> bool:
        return self.disk_free_bytes < LOW_DISK_BYTES


def _last_error(db: Database) -> dict | None:
    occurrence = db.execute(
        f"SELECT logged_at, key, status, reason, {REASON_PARTS} FROM occurrences o "
        "WHERE status IN ('failed', 'missed', 'partial') ORDER BY id DESC LIMIT 1").fetchone()
    render = db.execute(
        "SELECT updated_at, bulletin_id, error FROM renders WHERE state = 'failed' "
        "ORDER BY updated_at DESC LIMIT 1").fetchone()
    candidates = []
    if occurrence:
        candidates.append({"at": occurrence[0], "what": f"{occurrence[2]} {occurrence[1]}",
                           "reason": occurrence[3] or "", "reason_parts": occurrence[4]})
    if render:
        candidates.append({"at": render[0], "what": f"render of bulletin {render[1]}", "reason": render[2] or "", "reason_parts": None})
    return max(candidates, key=lambda c: c["at"]) if candidates else None


def station_status(db: Database, home: Home, settings: dict, now: datetime, *,
                   coming: list | None = None) -> StationStatus:
    """Everything the status panel shows, read at *now*.

    The chain's verdict is :func:`radio.proof.chain.chain_state`'s (the incremental mark and the
    last full check), so a view never walks the whole log.

    :param coming: the week planned from *now* when the caller has it already
        (:func:`radio.schedule.plan.upcoming`, 7 days)
    """
    health = station_health(db, now)
    if coming is None:
        coming = upcoming(db, now=now, days=7, settings=settings)
    disk = shutil.disk_usage(home.root)
    counts = dict(db.execute("SELECT state, count(*) FROM renders r JOIN bulletins b ON b.id = r.bulletin_id "
                             "WHERE b.status = 'approved' GROUP BY state").fetchall())
    chain = chain_state(db)
    noted = dict(db.execute("SELECT name, value FROM station_state WHERE name IN "
                            "('output', 'output.loudspeakers')").fetchall())
    return StationStatus(
        daemon_running=health.daemon_running, last_heartbeat=health.last_heartbeat,
        next_occurrence=coming[0] if coming else None, last_error=_last_error(db),
        disk_free_bytes=disk.free, disk_total_bytes=disk.total,
        renders_pending=counts.get("pending", 0) + counts.get("rendering", 0),
        renders_failed=counts.get("failed", 0), chain_ok=chain.ok, chain_broken_at=chain.first_broken_id,
        occurrences_logged=db["occurrences"].count,
        output_in_use=masked(noted["output"]) if "output" in noted else None,
        output_feeds_loudspeakers=noted.get("output.loudspeakers", "1") == "1")
