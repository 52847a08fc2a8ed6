"""Provincial bulletins arriving at a station ("Tin từ tỉnh"), by class.

Every bulletin taken in has been checked against the province's signature
(:func:`radio.network.messages.read_bulletin`) and is kept with the signed message as it
came. It is taken in once: a message delivered again, or replayed, finds its id and
changes nothing. What a station does with it, by class (Nghị định 49/2024):

- **khẩn cấp**: on air at once, interrupting what is playing, as ``radio play --now`` does,
  with no local approval: the province approved it, and the log says so (the approver is
  the province's). A khẩn cấp message older than :data:`URGENT_MAX_AGE` when it arrives
  (a station offline for hours, a replay) is not aired: it is kept as ``expired`` and the
  province is told.
- **ưu tiên**: approved as a priority bulletin within its window and repeats: it airs in the
  next programmes ahead of the commune's ordinary items; against the commune's own
  priority items, the plan's rule holds (priority items by their validity, then age).
- **thông thường**: waits in the inbox until the officer takes it into the schedule
  (:func:`accept`): the commune chooses when to air it.

Each step is acknowledged to the province through the outbox (:mod:`radio.link.outbox`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from radio.accounts.roles import Actor, require
from radio.bulletins import lifecycle
from radio.clock import STATION_TZ, to_utc_text
from radio.errors import NotFoundError, StateError
from radio.link import outbox
from radio.network.messages import Ack, ProvincialBulletin
from radio.schedule import commands
from radio.store.connection import write

#: a khẩn cấp bulletin that arrives later than this after it was sent is not aired
URGENT_MAX_AGE = timedelta(hours=1)
#: how long the daemon has to take a provincial emergency before it expires
URGENT_TAKE_S = 120.0
PRIORITY = {"thuong": "normal", "uu-tien": "priority", "khan-cap": "urgent"}
RECEIVED, SCHEDULED, EXPIRED = "received", "scheduled", "expired"


@dataclass(frozen=True)
class Taken:
    """What :func:`receive` did: the inbox row, and whether it is new."""

    row: dict
    new: bool


def province_actor(bulletin: ProvincialBulletin | dict) -> Actor:
    """The province acting on the station: it approved the bulletin, so it may queue and air it."""
    province = (bulletin.province if isinstance(bulletin, ProvincialBulletin) else bulletin["province"]) or "tỉnh"
    return Actor(username=f"province:{province}", role="leader", display_name=province)


def approver(bulletin: ProvincialBulletin | dict) -> str:
    """The approver written on the station's bulletin: the province's, named as such."""
    get = (lambda k: getattr(bulletin, k)) if isinstance(bulletin, ProvincialBulletin) else bulletin.get
    return f"{get('approved_by')} ({get('province') or 'tỉnh'})"


def get(db: Database, provincial_id: str) -> dict:
    """:raise NotFoundError: no provincial bulletin with that id"""
    rows = list(db["provincial_bulletins"].rows_where("id = ?", [provincial_id]))
    if not rows:
        raise NotFoundError(f"No provincial bulletin {provincial_id}.")
    return rows[0]


def listing(db: Database, *, limit: int = 200) -> list[dict]:
    """The inbox, newest first."""
    return list(db["provincial_bulletins"].rows_where(order_by="received_at DESC", limit=limit))


def receive(db: Database, bulletin: ProvincialBulletin, message: bytes, *, now: datetime) -> Taken:
    """Take one verified provincial bulletin in (once: by its id) and act on its class."""
    with write(db):
        found = list(db["provincial_bulletins"].rows_where("id = ?", [bulletin.id]))
        if found:
            return Taken(found[0], False)
        db["provincial_bulletins"].insert(dict(
            id=bulletin.id, **{"class": bulletin.cls}, title=bulletin.title, text=bulletin.text,
            topic=bulletin.topic or "", valid_from=bulletin.valid_from, valid_until=bulletin.valid_until,
            repeat_count=bulletin.repeat, province=bulletin.province, approved_by=bulletin.approved_by,
            approved_at=bulletin.approved_at, sent_at=bulletin.sent_at, message=message.decode("utf-8"),
            received_at=to_utc_text(now), state=RECEIVED))
        outbox.acknowledge(db, Ack(bulletin.id, "received", to_utc_text(now)), now=now)
        if bulletin.cls == "khan-cap":
            _air_now(db, bulletin, now)
        elif bulletin.cls == "uu-tien":
            _schedule(db, get(db, bulletin.id), now, actor=province_actor(bulletin))
        return Taken(get(db, bulletin.id), True)


def accept(db: Database, provincial_id: str, *, actor: Actor, now: datetime) -> dict:
    """The officer takes a thông thường bulletin into the schedule: it airs in the slots of its
    window like the commune's own approved bulletins.

    :raise StateError: it is not waiting in the inbox (taken already, or expired).
    """
    require(actor, "bulletin.create")
    with write(db):
        row = get(db, provincial_id)
        if row["state"] != RECEIVED:
            raise StateError(f"Provincial bulletin {provincial_id} is {row['state']}, not waiting.")
        _schedule(db, row, now, actor=province_actor(row))
    return get(db, provincial_id)


def _local_bulletin(db: Database, row: dict, now: datetime, *, actor: Actor) -> int:
    """The station's own bulletin for a provincial one, approved in the province's name."""
    bulletin_id = lifecycle.add_bulletin(
        db, title=row["title"], text=row["text"], now=now, actor=actor, topic=row["topic"] or "khan-cap",
        priority=PRIORITY[row["class"]], repeat_count=row["repeat_count"],
        valid_from=row["valid_from"], valid_until=row["valid_until"], created_by=actor.username)
    lifecycle.approve_bulletin(db, bulletin_id, actor=actor, now=now, expected_sha256=None, by=approver(row))
    return bulletin_id


def _schedule(db: Database, row: dict, now: datetime, *, actor: Actor) -> None:
    today = now.astimezone(STATION_TZ).date().isoformat()
    if row["valid_until"] and row["valid_until"] < today:
        _expire(db, row["id"], now, f"its window ended on {row['valid_until']}")
        return
    bulletin_id = _local_bulletin(db, row, now, actor=actor)
    db["provincial_bulletins"].update(row["id"], dict(state=SCHEDULED, bulletin_id=bulletin_id))
    outbox.acknowledge(db, Ack(row["id"], "scheduled", to_utc_text(now),
                               extra={"bulletin_id": bulletin_id, "from": row["valid_from"],
                                      "until": row["valid_until"]}), now=now)


def _air_now(db: Database, bulletin: ProvincialBulletin, now: datetime) -> None:
    sent = datetime.fromisoformat(bulletin.sent_at)
    if now - sent > URGENT_MAX_AGE:
        _expire(db, bulletin.id, now, f"it arrived {_minutes(now - sent)} after it was sent "
                                      f"(khẩn cấp airs only within {_minutes(URGENT_MAX_AGE)})")
        return
    row = get(db, bulletin.id)
    actor = province_actor(bulletin)
    bulletin_id = _local_bulletin(db, {**row, "repeat_count": 1}, now, actor=actor)
    command_id = commands.request_play_now(db, bulletin_id, actor=actor, now=now, by=approver(bulletin),
                                           expires_in_s=URGENT_TAKE_S)
    db["provincial_bulletins"].update(bulletin.id, dict(state=SCHEDULED, bulletin_id=bulletin_id,
                                                        command_id=command_id))
    outbox.acknowledge(db, Ack(bulletin.id, "scheduled", to_utc_text(now), scheduled_for=to_utc_text(now),
                               extra={"bulletin_id": bulletin_id, "command_id": command_id}), now=now)


def _expire(db: Database, provincial_id: str, now: datetime, why: str) -> None:
    db["provincial_bulletins"].update(provincial_id, dict(state=EXPIRED, reason=why))
    outbox.acknowledge(db, Ack(provincial_id, "expired", to_utc_text(now), reason=why), now=now)


def _minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"


def message_of(row: dict) -> dict:
    """The signed message a row was taken in from, as the province sent it."""
    return json.loads(row["message"])
