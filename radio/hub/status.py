"""What the province sees: each station's state and chain, and each bulletin at each station.

:func:`status` is one dict (``radio hub status --json``), made from the hub's own records
(stations, bulletins, sends) and the projection alone, so a rebuild gives the same. Times
are UTC ISO 8601 as the messages carry them; a station is online when its last heartbeat
is at most :data:`ONLINE_WITHIN` old at *now*.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlite_utils import Database

from radio.clock import from_utc_text

ONLINE_WITHIN = timedelta(minutes=3)
#: what a station says became of a bulletin on air (or why it never was)
OUTCOMES = ("aired", "partial", "failed", "missed", "expired", "refused")
_PROBLEM_VERDICTS = ("edited", "forked")


def _rows(db: Database, sql: str, params=()) -> list[dict]:
    return list(db.query(sql, params))


def _stations(db: Database, now: datetime) -> list[dict]:
    registered = {r["code"]: r for r in _rows(db, "SELECT * FROM stations")}
    seen = {code for (code,) in db.execute(
        "SELECT station FROM chains UNION SELECT station FROM heartbeats UNION SELECT station FROM alerts "
        "UNION SELECT station FROM deliveries UNION SELECT station FROM sends")}
    chains = {r["station"]: r for r in _rows(db, "SELECT * FROM chains")}
    beats = {r["station"]: r for r in _rows(db, "SELECT * FROM heartbeats")}
    alerts = dict(db.execute("SELECT station, count(*) FROM alerts GROUP BY station").fetchall())
    stations = []
    for code in sorted(set(registered) | seen):
        row, head, beat = registered.get(code), chains.get(code), beats.get(code)
        last = beat["at"] if beat else None
        stations.append({
            "code": code, "name": row["name"] if row else None, "zone": row["zone"] if row else None,
            "registered": row is not None,
            "online": bool(last) and now - from_utc_text(last) <= ONLINE_WITHIN,
            "last_heartbeat": last, "heartbeat": json.loads(beat["payload"]) if beat else None,
            "chain": {"entries": head["entries"] if head else 0, "last_id": head["last_id"] if head else 0,
                      "head_hash": head["head_hash"] if head else None, "alerts": alerts.get(code, 0),
                      "verified": alerts.get(code, 0) == 0},
        })
    return stations


def _alerts(db: Database) -> list[dict]:
    # by the message that raised each (RADIO_DOWN's first), whatever order they were applied in
    return _rows(db, "SELECT station, kind, entry_id, detail, at FROM alerts "
                     "ORDER BY stream = 'RADIO_UP', seq, ref")


def _copies(db: Database, bulletin_id: str) -> list[dict]:
    sends = {r["station"]: r for r in _rows(db, "SELECT * FROM sends WHERE bulletin_id = ?", [bulletin_id])}
    deliveries = {r["station"]: r for r in _rows(db, "SELECT * FROM deliveries WHERE bulletin_id = ?", [bulletin_id])}
    held = {(r["station"], r["id"]): r for r in _rows(
        db, "SELECT e.station, e.id, e.hash, e.verdict FROM station_entries e JOIN acks a ON a.station = e.station "
            "AND a.entry_id = e.id WHERE a.bulletin_id = ?", [bulletin_id])}
    copies = []
    for code in sorted(set(sends) | set(deliveries)):
        send, delivery = sends.get(code) or {}, deliveries.get(code) or {}
        outcomes = []
        for ack in _rows(db, "SELECT * FROM acks WHERE bulletin_id = ? AND station = ? ORDER BY up_seq",
                         [bulletin_id, code]):
            if ack["state"] not in OUTCOMES:
                continue
            entry = held.get((code, ack["entry_id"]))
            outcomes.append({"state": ack["state"], "at": ack["at"], "entry_id": ack["entry_id"],
                             "entry_hash": ack["entry_hash"], "reason": ack["reason"],
                             "verified": bool(entry and entry["hash"] == ack["entry_hash"]
                                              and entry["verdict"] not in _PROBLEM_VERDICTS)})
        delivered = delivery.get("down_seq") is not None
        copies.append({
            "code": code, "delivered": delivered, "sent_at": delivery.get("sent_at") or send.get("sent_at"),
            "state": delivery.get("state") or ("delivered" if delivered else "not delivered"),
            "state_at": delivery.get("state_at"), "reason": delivery.get("reason") or "",
            "received_at": delivery.get("received_at"), "scheduled_at": delivery.get("scheduled_at"),
            "scheduled_for": delivery.get("scheduled_for"), "outcomes": outcomes,
            "attempts": send.get("attempts", 0), "last_error": send.get("last_error"),
        })
    return copies


def _bulletins(db: Database) -> list[dict]:
    ids = [r["id"] for r in _rows(db, "SELECT id FROM bulletins ORDER BY created_at, id")]
    ids += [r["bulletin_id"] for r in _rows(db, "SELECT DISTINCT bulletin_id FROM deliveries WHERE bulletin_id "
                                                "NOT IN (SELECT id FROM bulletins) ORDER BY bulletin_id")]
    rows = {r["id"]: r for r in _rows(db, "SELECT * FROM bulletins")}
    found = []
    for bulletin_id in ids:
        row = rows.get(bulletin_id) or {}
        copies = _copies(db, bulletin_id)
        found.append({
            "id": bulletin_id, "class": row.get("class"), "title": row.get("title"), "topic": row.get("topic"),
            "status": row.get("status", "unknown"), "approved_by": row.get("approved_by"),
            "approved_at": row.get("approved_at"), "valid_from": row.get("valid_from"),
            "valid_until": row.get("valid_until"), "repeat": row.get("repeat_count"),
            "sent_at": min((c["sent_at"] for c in copies if c["sent_at"]), default=None),
            "delivered": sum(c["delivered"] for c in copies), "aired": sum(
                any(o["state"] == "aired" for o in c["outcomes"]) for c in copies),
            "stations": copies,
        })
    return found


def status(hub, *, now: datetime) -> dict:
    """The province's state at *now* (see the module)."""
    return {"province": hub.province, "servers": hub.servers, "stations": _stations(hub.db, now),
            "alerts": _alerts(hub.db), "bulletins": _bulletins(hub.db)}
