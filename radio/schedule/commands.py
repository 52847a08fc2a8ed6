"""Requests left for the station daemon by the admin or the CLI.

The web admin never plays sound itself: it writes a command row, and the
daemon (polling every second) carries it out and logs it.

An urgent request is only worth airing *now*: one that no daemon takes
within ``urgent_expiry_s`` (a setting, 30 s by default) expires and never
airs later, so a daemon started hours afterwards cannot air a stale
announcement unannounced. Each request ends in one state, ``taken`` or
``expired``; the one that writes first wins (both writes are conditional on
the row still being queued).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from radio.accounts.roles import Actor, require
from radio.accounts.audit import record
from radio.bulletins.lifecycle import get_bulletin
from radio.clock import from_utc_text, to_utc_text
from radio.errors import NotFoundError, StateError
from radio.store.connection import write

#: seconds an urgent request waits for a daemon before it expires (the setting's default)
DEFAULT_EXPIRY_S = 30.0

QUEUED, TAKEN, EXPIRED = "queued", "taken", "expired"


@dataclass(frozen=True)
class Command:
    id: int
    kind: str
    bulletin_id: int | None
    requested_at: datetime
    requested_by: str | None
    expires_at: datetime | None
    state: str  # queued, taken or expired
    handled_at: datetime | None


def _command(row: dict) -> Command:
    return Command(
        id=row["id"], kind=row["kind"], bulletin_id=row["bulletin_id"],
        requested_at=from_utc_text(row["requested_at"]), requested_by=row["requested_by"],
        expires_at=from_utc_text(row["expires_at"]) if row["expires_at"] else None,
        state=row["result"] if row["handled_at"] else QUEUED,
        handled_at=from_utc_text(row["handled_at"]) if row["handled_at"] else None)


def request_play_now(db: Database, bulletin_id: int, *, actor: Actor, now: datetime,
                     by: str | None = None, expires_in_s: float = DEFAULT_EXPIRY_S) -> int:
    """Ask the daemon to interrupt what is on air and play *bulletin_id* now (leaders).

    :param by: the name written on the request (default: the actor's name).
    :param expires_in_s: after this many seconds untaken, the request expires
    :return: the command id
    :raise StateError: the bulletin is not approved
    """
    require(actor, "bulletin.urgent")
    bulletin = get_bulletin(db, bulletin_id)
    if bulletin["status"] != "approved":
        raise StateError(f"Bulletin {bulletin_id} is not approved; approve it before airing it.")
    with write(db):
        command_id = db["commands"].insert(dict(
            kind="play_now", bulletin_id=bulletin["id"], requested_at=to_utc_text(now),
            requested_by=by or actor.username,
            expires_at=to_utc_text(now + timedelta(seconds=expires_in_s)))).last_pk
        record(db, actor, "bulletin.urgent", now=now, target=f"bulletin:{bulletin['id']}",
               detail={"command": command_id})
    return command_id


def get_command(db: Database, command_id: int) -> Command:
    """:raise NotFoundError: no such command"""
    rows = list(db["commands"].rows_where("id = ?", [command_id]))
    if not rows:
        raise NotFoundError(f"Command {command_id} does not exist.")
    return _command(rows[0])


def _is_expired(row: dict, now: datetime) -> bool:
    return bool(row["expires_at"]) and from_utc_text(row["expires_at"]) <= now


def take_pending(db: Database, now: datetime) -> list[Command]:
    """The daemon's side: mark queued requests taken, or expired when their time passed.

    :return: the commands taken now, oldest first (expired ones are not returned)
    """
    taken: list[Command] = []
    # read first: the daemon asks every second, and an empty write would still take the lock
    if not db.execute("SELECT 1 FROM commands WHERE handled_at IS NULL LIMIT 1").fetchone():
        return taken
    with write(db):
        for row in list(db["commands"].rows_where("handled_at IS NULL", order_by="id")):
            state = EXPIRED if _is_expired(row, now) else TAKEN
            db.execute("UPDATE commands SET handled_at = ?, result = ? WHERE id = ? AND handled_at IS NULL",
                       [to_utc_text(now), state, row["id"]])
            if state == TAKEN:
                taken.append(_command({**row, "handled_at": to_utc_text(now), "result": TAKEN}))
    return taken


def expire(db: Database, command_id: int, now: datetime) -> Command:
    """Expire *command_id* unless a daemon took it first; return its final state."""
    with write(db):
        db.execute("UPDATE commands SET handled_at = ?, result = ? WHERE id = ? AND handled_at IS NULL",
                   [to_utc_text(now), EXPIRED, command_id])
    return get_command(db, command_id)


def await_outcome(db: Database, command_id: int, clock, *, poll_s: float = 0.2) -> Command:
    """Wait until a daemon takes *command_id* or it expires, then return its final state.

    The requester expires it itself at the deadline, so the outcome it reports is
    the one recorded even when no daemon ever runs again.
    """
    while True:
        command = get_command(db, command_id)
        if command.state != QUEUED:
            return command
        if command.expires_at is None or clock.now() >= command.expires_at:
            return expire(db, command_id, clock.now())
        clock.sleep(min(poll_s, (command.expires_at - clock.now()).total_seconds()))


def expired_message(expires_in_s: float) -> str:
    """The one sentence the CLI and the admin show when no daemon took a request."""
    return (f"No station daemon took the request within {expires_in_s:g} s; it has expired and "
            "will not air. Start the station with `radio station` (or `radio serve`) and ask again.")
