"""The hub's state computed from the streams: each message applied once, in stream order.

:func:`apply_up` takes one message of RADIO_UP (a station's proof entry, acknowledgement or
heartbeat), :func:`apply_down` one of RADIO_DOWN (a copy of a bulletin the hub sent), each
in its own transaction, and moves the stream's mark. Applying is idempotent: a message at
or before the mark is skipped; a message stored again (republished after JetStream's
dedupe window, so with the same ``Nats-Msg-Id`` and a later sequence) finds its entry,
its acknowledgement or a heartbeat as recent already held, and changes nothing.

Everything written comes from the message (its fields, its stream sequence and
timestamp), so :func:`clear` then applying both streams from their start gives the same
rows: that is ``radio hub rebuild``. A message that is not what the protocol says is not
applied; it raises an alert naming the station, and the stream goes on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from sqlite_utils import Database

from radio.clock import from_utc_text
from radio.errors import ValidationError
from radio.hub import chain
from radio.hub.schema import PROJECTION_TABLES
from radio.network.messages import Ack, BadMessage, ProvincialBulletin, decode
from radio.network.subjects import DOWN_STREAM, UP_STREAM, parse_subject
from radio.proof.chain.hashing import GENESIS
from radio.store.connection import write

log = logging.getLogger("radio.hub.projection")

SEEN, APPLIED, DUPLICATE, BAD, IGNORED = "seen", "applied", "duplicate", "bad", "ignored"


@dataclass(frozen=True)
class Message:
    """One stored message of a stream, as the projection needs it."""

    subject: str
    data: bytes
    seq: int
    at: str | None = None  # the stream's timestamp (UTC text)
    msg_id: str | None = None


def last_seq(db: Database, stream: str) -> int:
    row = db.execute("SELECT last_seq FROM marks WHERE stream = ?", [stream]).fetchone()
    return row[0] if row else 0


def _mark(db: Database, stream: str, seq: int) -> None:
    db.execute("INSERT INTO marks (stream, last_seq) VALUES (?, ?) ON CONFLICT (stream) "
               "DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)", [stream, seq])


def clear(db: Database) -> None:
    """Drop the projection (its rows; the hub's own records stay)."""
    with write(db):
        for table in PROJECTION_TABLES:
            db.execute(f"DELETE FROM {table}")


def _alert(db: Database, code: str, kind: str, entry_id: int | None, detail: str, ref: str, message: Message,
           stream: str = UP_STREAM) -> None:
    cursor = db.execute("INSERT OR IGNORE INTO alerts (station, kind, entry_id, detail, ref, stream, seq, at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [code, kind, entry_id, detail, ref, stream, message.seq, message.at])
    if cursor.rowcount:
        log.warning("Station %s: %s", code, detail)


# -- RADIO_UP ---------------------------------------------------------------------------------

def apply_up(db: Database, message: Message) -> str:
    """Apply one RADIO_UP message; what became of it (applied, duplicate, bad, seen)."""
    with write(db):
        if message.seq <= last_seq(db, UP_STREAM):
            return SEEN
        code, kind = "?", "message"
        try:
            direction, code, kind = parse_subject(message.subject)
            if direction != "up":
                raise BadMessage(f"a down subject ({message.subject}) in RADIO_UP")
            payload = decode(message.data)
            with write(db):  # a savepoint: a message that fails half-way leaves nothing
                outcome = _UP[kind](db, code, payload, message)
        except (ValidationError, KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            _alert(db, code, "bad-message", None, f"a {kind} message that is not one ({reason}); not applied",
                   f"msg:{message.msg_id or message.seq}", message)
            outcome = BAD
        _mark(db, UP_STREAM, message.seq)
    return outcome


def _entry_of(payload: dict) -> tuple[dict, list[dict]]:
    entry, items = payload["entry"], payload.get("items", [])
    if not isinstance(entry, dict) or not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BadMessage("a proof message is {entry: {...}, items: [...]}")
    number = entry.get("id")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise BadMessage(f"entry id {number!r} is not a whole number from 1")
    if not all(isinstance(entry.get(k), str) and len(entry[k]) == 64 for k in ("hash", "prev_hash")):
        raise BadMessage(f"entry {number} has no hash and prev_hash of 64 hex digits")
    return entry, items


def _proof(db: Database, code: str, payload: dict, message: Message) -> str:
    entry, items = _entry_of(payload)
    number = entry["id"]
    head = db.execute("SELECT last_id, head_hash, entries FROM chains WHERE station = ?", [code]).fetchone()
    head_id, head_hash, entries = head if head else (0, GENESIS, 0)

    def held(n, column="hash"):
        row = db.execute(f"SELECT {column} FROM station_entries WHERE station = ? AND id = ?", [code, n]).fetchone()
        return row[0] if row else None

    held_hash = held(number)
    older = held_hash is None and number <= head_id
    verdict = chain.check(code, entry, items, head_id=head_id, head_hash=head_hash, held_hash=held_hash,
                          before_hash=held(number - 1) if older else None,
                          after_prev=held(number + 1, "prev_hash") if older else None)
    if verdict.verdict == chain.DUPLICATE:
        return DUPLICATE
    for problem in verdict.problems:
        _alert(db, code, problem.kind, number, problem.detail, problem.ref, message)
    if held_hash is not None:  # a fork of an entry held: the first copy stays, the alert says it
        return APPLIED
    db["station_entries"].insert({
        "station": code, "id": number, "hash": entry["hash"], "prev_hash": entry["prev_hash"],
        "key": entry.get("key"), "status": entry.get("status"), "reason": entry.get("reason"),
        "scheduled_at": entry.get("scheduled_at"), "started_at": entry.get("started_at"),
        "entry": json.dumps(entry, ensure_ascii=False, sort_keys=True),
        "items": json.dumps(items, ensure_ascii=False, sort_keys=True),
        "verdict": verdict.verdict, "up_seq": message.seq, "arrived_at": message.at})
    if verdict.advances:
        head_id, head_hash = number, entry["hash"]
    db["chains"].upsert({"station": code, "entries": entries + 1, "last_id": head_id, "head_hash": head_hash,
                         "up_seq": message.seq}, pk="station")
    return APPLIED


def _ack(db: Database, code: str, payload: dict, message: Message) -> str:
    ack = Ack.from_payload(payload)
    entry_key = int(ack.entry_id or 0)
    from_utc_text(ack.at)  # a time, or ValueError
    if db.execute("SELECT 1 FROM acks WHERE station = ? AND bulletin_id = ? AND state = ? AND entry_key = ?",
                  [code, ack.bulletin_id, ack.state, entry_key]).fetchone():
        return DUPLICATE
    db["acks"].insert({"station": code, "bulletin_id": ack.bulletin_id, "state": ack.state, "entry_key": entry_key,
                       "entry_id": ack.entry_id, "entry_hash": ack.entry_hash, "at": ack.at, "reason": ack.reason,
                       "scheduled_for": ack.scheduled_for,
                       "extra": json.dumps(ack.extra, ensure_ascii=False, sort_keys=True) if ack.extra else None,
                       "up_seq": message.seq})
    _delivery(db, ack.bulletin_id, code)
    if ack.state == "received":
        db.execute("UPDATE deliveries SET received_at = coalesce(received_at, ?) WHERE bulletin_id = ? AND station = ?",
                   [ack.at, ack.bulletin_id, code])
    if ack.state == "scheduled":
        db.execute("UPDATE deliveries SET scheduled_at = coalesce(scheduled_at, ?), "
                   "scheduled_for = coalesce(scheduled_for, ?) WHERE bulletin_id = ? AND station = ?",
                   [ack.at, ack.scheduled_for, ack.bulletin_id, code])
    db.execute("UPDATE deliveries SET state = ?, state_at = ?, state_seq = ?, reason = ? "
               "WHERE bulletin_id = ? AND station = ? AND coalesce(state_seq, 0) < ?",
               [ack.state, ack.at, message.seq, ack.reason, ack.bulletin_id, code, message.seq])
    return APPLIED


def _heartbeat(db: Database, code: str, payload: dict, message: Message) -> str:
    at = payload["at"]
    when = from_utc_text(at)  # ValueError, TypeError: not a time
    held = db.execute("SELECT at FROM heartbeats WHERE station = ?", [code]).fetchone()
    if held and from_utc_text(held[0]) >= when:
        return DUPLICATE
    db["heartbeats"].upsert({"station": code, "at": at, "up_seq": message.seq,
                             "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True)}, pk="station")
    return APPLIED


_UP = {"proof": _proof, "ack": _ack, "heartbeat": _heartbeat}


# -- RADIO_DOWN -------------------------------------------------------------------------------

def _delivery(db: Database, bulletin_id: str, code: str) -> None:
    db.execute("INSERT OR IGNORE INTO deliveries (bulletin_id, station) VALUES (?, ?)", [bulletin_id, code])


def record_delivered(db: Database, bulletin_id: str, code: str, *, seq: int, sent_at: str) -> None:
    """The copy of *bulletin_id* for *code* is stored in RADIO_DOWN at *seq* (its first copy counts)."""
    with write(db):
        _delivery(db, bulletin_id, code)
        db.execute("UPDATE deliveries SET down_seq = CASE WHEN down_seq IS NULL OR ? < down_seq THEN ? ELSE down_seq END, "
                   "sent_at = CASE WHEN down_seq IS NULL OR ? < down_seq THEN ? ELSE sent_at END "
                   "WHERE bulletin_id = ? AND station = ?", [seq, seq, seq, sent_at, bulletin_id, code])


def apply_down(db: Database, message: Message) -> str:
    """Apply one RADIO_DOWN message: the copy is delivered; a bulletin ``hub.db`` lost is read back."""
    with write(db):
        if message.seq <= last_seq(db, DOWN_STREAM):
            return SEEN
        code = "?"
        try:
            direction, code, kind = parse_subject(message.subject)
            if direction != "down" or kind != "bulletin":
                outcome = IGNORED
            else:
                with write(db):
                    bulletin = ProvincialBulletin.from_payload(json.loads(message.data)["bulletin"])
                    if bulletin.station != code:
                        raise BadMessage(f"a copy for {bulletin.station} on {code}'s subject")
                    _restore(db, bulletin)
                    record_delivered(db, bulletin.id, code, seq=message.seq, sent_at=bulletin.sent_at)
                outcome = APPLIED
        except (ValidationError, KeyError, TypeError, ValueError, AttributeError) as exc:
            _alert(db, code, "bad-message", None, f"a message in RADIO_DOWN that is not a bulletin ({exc})",
                   f"down:{message.msg_id or message.seq}", message, DOWN_STREAM)
            outcome = BAD
        _mark(db, DOWN_STREAM, message.seq)
    return outcome


def _restore(db: Database, bulletin: ProvincialBulletin) -> None:
    """A bulletin and its copy's send row as the stream has them, when ``hub.db`` has none."""
    db.execute("INSERT OR IGNORE INTO bulletins (id, class, title, text, topic, valid_from, valid_until, repeat_count, "
               "targets, status, created_at, approved_at, approved_by, restored) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?, ?, 1)",
               [bulletin.id, bulletin.cls, bulletin.title, bulletin.text, bulletin.topic, bulletin.valid_from,
                bulletin.valid_until, bulletin.repeat, json.dumps({"stations": [], "zones": []}),
                bulletin.approved_at, bulletin.approved_at, bulletin.approved_by])
    db.execute("INSERT OR IGNORE INTO sends (bulletin_id, station, sent_at) VALUES (?, ?, ?)",
               [bulletin.id, bulletin.station, bulletin.sent_at])
