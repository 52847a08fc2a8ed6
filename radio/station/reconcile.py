"""Settling accounts after an absence: claims left by a killed daemon, and the
occurrences owed while it was away (caught up within grace, else missed)."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from .. import prooflog
from ..clock import STATION_TZ, from_utc_text, to_utc_text
from ..slots import list_slots, occurrences_between
from ..store import write

log = logging.getLogger("radio.station")


class ReconcileMixin:
    """Heartbeat, stale claims and missed occurrences (mixed into :class:`Station`)."""

    def _heartbeat(self, now: datetime) -> None:
        with write(self.db):
            self.db["station_state"].upsert({"name": "heartbeat", "value": to_utc_text(now)}, pk="name")

    def _last_heartbeat(self) -> datetime | None:
        row = self.db.execute("SELECT value FROM station_state WHERE name = 'heartbeat'").fetchone()
        return from_utc_text(row[0]) if row else None

    def _close_stale_claims(self) -> None:
        """Claims left by a killed daemon.

        One that reached the output may have been heard: it is logged partial and never aired
        again. One that never did is released, and :meth:`_reconcile` catches it up or logs it missed.
        """
        now = self.clock.now()
        for claim in list(self.db["claims"].rows):
            if not claim["started_at"]:
                with write(self.db):
                    self.db.execute("DELETE FROM claims WHERE key = ?", [claim["key"]])
                continue
            items = [prooflog.LoggedItem(**{**i, "completed": False}) for i in _items(claim)]
            prooflog.append(self.db, prooflog.Entry(
                key=claim["key"], kind=_kind(claim["key"]), slot_id=claim["slot_id"],
                scheduled_at=from_utc_text(claim["scheduled_at"]),
                started_at=from_utc_text(claim["started_at"]), status="partial",
                reason="station process died while on air", output=claim["output"], items=items,
            ), now=now)
            log.warning("Closed interrupted occurrence %s as partial", claim["key"])

    def _reconcile(self, now: datetime) -> None:
        """Log occurrences owed while the daemon was away; catch up those within grace."""
        grace = timedelta(minutes=self.settings["grace_minutes"])
        last = self._last_heartbeat()
        lookback = now - timedelta(days=self.settings["lookback_days"])
        since = max(last, lookback) if last else lookback
        slots = list_slots(self.db, active_only=True)
        created = {s["id"]: from_utc_text(s["created_at"]) for s in slots}
        owed = [o for o in occurrences_between(slots, since - grace, now)
                if o.scheduled_at > created[o.slot_id]]
        away = (f"station was not running from {last.astimezone(STATION_TZ):%d/%m/%Y %H:%M:%S}"
                if last else "station was not running")
        for occ in owed:
            if prooflog.is_logged(self.db, occ.key) or occ.key in self._scheduled:
                continue
            if now - occ.scheduled_at <= grace:
                log.info("Catching up %s (%.0f s late)", occ.key, (now - occ.scheduled_at).total_seconds())
                self._schedule_air(occ)
            else:
                prooflog.append(self.db, prooflog.Entry(
                    key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at, status="missed",
                    reason=f"{away} until {now.astimezone(STATION_TZ):%d/%m/%Y %H:%M:%S}",
                ), now=now)
                log.warning("Missed %s: %s", occ.key, away)
        self._heartbeat(now)
        self._last_sync = now


def _items(claim: dict) -> list[dict]:
    return json.loads(claim["items"] or "[]")


def _kind(key: str) -> str:
    return "urgent" if key.startswith("urgent:") else "resume" if "#resume" in key else "slot"
