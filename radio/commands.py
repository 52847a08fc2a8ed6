"""Requests left for the station daemon by the admin or the CLI.

The web admin never plays sound itself: it writes a command row, and the
daemon (polling every second) carries it out and logs it.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from .accounts import Actor, require
from .audit import record
from .bulletins import get_bulletin
from .clock import to_utc_text
from .errors import StateError
from .store import write


def request_play_now(db: Database, bulletin_id: int, *, actor: Actor, now: datetime,
                     by: str | None = None) -> int:
    """Ask the daemon to interrupt what is on air and play *bulletin_id* now (leaders).

    :param by: the name written on the request (default: the actor's name).
    """
    require(actor, "bulletin.urgent")
    bulletin = get_bulletin(db, bulletin_id)
    if bulletin["status"] != "approved":
        raise StateError(f"Bulletin {bulletin_id} is not approved; approve it before airing it.")
    with write(db):
        command_id = db["commands"].insert(dict(
            kind="play_now", bulletin_id=bulletin["id"], requested_at=to_utc_text(now),
            requested_by=by or actor.username)).last_pk
        record(db, actor, "bulletin.urgent", now=now, target=f"bulletin:{bulletin['id']}",
               detail={"command": command_id})
    return command_id


def command_status(db: Database, command_id: int) -> dict:
    return db["commands"].get(command_id)
