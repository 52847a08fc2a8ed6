"""The communes registered with the hub: each with a code, a name, a zone, and a join file.

Registering a station writes the file it joins with (``CODE.creds``: its own NATS user,
the servers' addresses, the province's public signing key; mode 0600) in the same
transaction as its row, so there is never a station without the file or a file for no
station. Its consumer on RADIO_DOWN is made when the servers answer (now, or at the
next ``serve`` or ``send``: :func:`radio.hub.servers.prepare`); until then bulletins sent to
it wait in the stream, and the consumer, once made, delivers them all.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from radio.accounts import audit
from radio.accounts.roles import Actor
from radio.clock import to_utc_text
from radio.errors import NotFoundError, StateError, ValidationError
from radio.hub.accounts import require
from radio.network.credentials import write_private
from radio.network.subjects import normalise_code
from radio.store.connection import write
from radio.store.fields import clean_line


def add_station(hub, code: str, *, name: str, zone: str = "", join_path: Path, now: datetime,
                by: str | None = None, actor: Actor | None = None) -> dict:
    """Register station *code* and write its join file at *join_path*; the new row.

    :param actor: the province admin's user registering it (its role is checked, the audit
        trail names it); the command line gives none
    :raise PermissionDeniedError: *actor* may not register stations

    :raise ValidationError: a code, name or zone that breaks a rule, or no servers recorded.
    :raise StateError: the station is registered already.
    """
    if actor is not None:
        require(actor, "station.add")
        by = actor.username
    code = normalise_code(code)
    name = clean_line(name, "Name", max_chars=120)
    if not name:
        raise ValidationError("A station needs a name (--name).")
    zone = clean_line(zone, "Zone", max_chars=60)
    if not hub.servers:
        raise ValidationError("No NATS servers are recorded for this hub, and a join file names them: run "
                              "radio hub init --servers URL,... or radio hub nats-config first.")
    join_path = Path(join_path)
    if join_path.is_dir():
        raise ValidationError(f"{join_path} is a folder; give the join file's name (-o {code}.creds).")
    row = {"code": code, "name": name, "zone": zone, "added_at": to_utc_text(now), "added_by": by,
           "consumer_at": None}
    with write(hub.db):
        if hub.db.execute("SELECT 1 FROM stations WHERE code = ?", [code]).fetchone():
            raise StateError(f"Station {code} is registered already.")
        hub.db["stations"].insert(row)
        if actor is not None:
            audit.record(hub.db, actor, "station.add", now=now, target=f"station:{code}", detail={"zone": zone})
        write_private(join_path, hub.authority.join_file(code, hub.servers))
    return row


def get_station(db: Database, code: str) -> dict:
    """:raise NotFoundError: no station *code* is registered"""
    rows = list(db["stations"].rows_where("code = ?", [str(code).strip().upper()]))
    if not rows:
        raise NotFoundError(f"No station {code} is registered (radio hub station list shows them).")
    return rows[0]


def list_stations(db: Database) -> list[dict]:
    return list(db["stations"].rows_where(order_by="code"))


def zones(db: Database) -> dict[str, list[str]]:
    """``{zone: [codes]}`` of the registered stations that have a zone."""
    found: dict[str, list[str]] = {}
    for code, zone in db.execute("SELECT code, zone FROM stations WHERE zone != '' ORDER BY code"):
        found.setdefault(zone, []).append(code)
    return found
