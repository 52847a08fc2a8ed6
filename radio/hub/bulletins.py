"""Provincial bulletins in the hub: written (or imported from .txt / .docx), approved by a
named province leader, then sent (:mod:`radio.hub.sending`).

A bulletin's id is ``P-YYYYMMDD-NNNN``: the local date (Asia/Ho_Chi_Minh) it was written
and its number that day. It is what every station keys its inbox on, so it is never
given twice: the numbers come from ``hub.db``, and a rebuild reads back from RADIO_DOWN
the bulletins ``hub.db`` lost. Approved, a bulletin is frozen (a trigger refuses changes).

Targets are all registered stations, a list of codes, named zones, or codes and zones
together; they are resolved to stations when the bulletin is first sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database

from content.importers import import_document
from radio.bulletins.importing import bulletin_text
from radio.accounts import audit
from radio.accounts.roles import Actor
from radio.clock import STATION_TZ, to_utc_text
from radio.errors import NotFoundError, StateError, ValidationError
from radio.hub.accounts import require
from radio.hub.stations import zones
from radio.network.messages import CLASSES, MAX_TEXT
from radio.network.subjects import normalise_code
from radio.store.connection import write
from radio.store.fields import clean_line, clean_text

MAX_TITLE = 300
MAX_REPEAT = 50
ZONE_PREFIX = "zone:"


@dataclass(frozen=True)
class Targets:
    """Who a bulletin is for: every station, or the listed stations and the stations of the listed zones."""

    all: bool = False
    stations: tuple[str, ...] = ()
    zones: tuple[str, ...] = field(default=())

    @classmethod
    def parse(cls, text: str) -> "Targets":
        """``all``, or ``CODE,CODE,zone:NAME,...``. :raise ValidationError: empty, or a bad code."""
        parts = [p.strip() for p in str(text).split(",") if p.strip()]
        if [p.lower() for p in parts] == ["all"]:
            return cls(all=True)
        if not parts or any(p.lower() == "all" for p in parts):
            raise ValidationError("--to is all, or station codes and zone:NAME, separated by commas.")
        codes = [normalise_code(p) for p in parts if not p.lower().startswith(ZONE_PREFIX)]
        named = [clean_line(p[len(ZONE_PREFIX):], "Zone", max_chars=60) for p in parts
                 if p.lower().startswith(ZONE_PREFIX)]
        if any(not z for z in named):
            raise ValidationError("zone: needs a zone's name (zone:NAME).")
        return cls(stations=tuple(dict.fromkeys(codes)), zones=tuple(dict.fromkeys(named)))

    def to_json(self) -> str:
        return json.dumps({"all": True} if self.all else {"stations": list(self.stations), "zones": list(self.zones)})

    @classmethod
    def from_json(cls, text: str) -> "Targets":
        data = json.loads(text)
        return cls(all=bool(data.get("all")), stations=tuple(data.get("stations", ())),
                   zones=tuple(data.get("zones", ())))

    def resolve(self, db: Database) -> list[str]:
        """The registered stations these targets name, in code order.

        :raise ValidationError: a code not registered, a zone with no station, or no station at all.
        """
        registered = [code for (code,) in db.execute("SELECT code FROM stations ORDER BY code")]
        if self.all:
            if not registered:
                raise ValidationError("No station is registered yet (radio hub station add).")
            return registered
        unknown = [c for c in self.stations if c not in registered]
        if unknown:
            raise ValidationError(f"Not registered: {', '.join(unknown)} (radio hub station list shows the stations).")
        by_zone = zones(db)
        empty = [z for z in self.zones if z not in by_zone]
        if empty:
            raise ValidationError(f"No station is in zone {', '.join(empty)} (radio hub station list shows the zones).")
        chosen = set(self.stations) | {c for z in self.zones for c in by_zone[z]}
        return sorted(chosen)


def _day(value: str | None, what: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError(f"{what} {str(value)[:30]!r} is not a date (YYYY-MM-DD).") from None


def next_id(db: Database, now: datetime) -> str:
    """The next ``P-YYYYMMDD-NNNN`` for the local day of *now*."""
    prefix = f"P-{now.astimezone(STATION_TZ):%Y%m%d}-"
    numbers = [int(tail) for (bulletin_id,) in db.execute("SELECT id FROM bulletins WHERE id LIKE ? || '%'", [prefix])
               if (tail := bulletin_id[len(prefix):]).isascii() and tail.isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def read_file(path: Path, title: str | None = None) -> tuple[str, str, str | None]:
    """``(title, text, encoding note)`` of a .txt or .docx file, as a station's import reads it.

    :raise DocumentError: (a ValueError) the file cannot be read as a bulletin.
    """
    document = import_document(Path(path))
    title, text = bulletin_text(document, title)
    return title, text, document.encoding_note


def write_bulletin(db: Database, *, cls: str, title: str, text: str, targets: Targets, now: datetime,
                   topic: str = "", valid_from: str | None = None, valid_until: str | None = None,
                   repeat: int = 1, by: str | None = None, imported_from: str | None = None,
                   actor: Actor | None = None) -> str:
    """A draft provincial bulletin; its id. :raise ValidationError: a field out of its rules.

    :param actor: the province admin's user writing it (its role is checked, and it is the
        author); the command line gives none and names the author with *by*
    :raise PermissionDeniedError: *actor* may not write bulletins
    """
    if actor is not None:
        require(actor, "bulletin.write")
        by = actor.name
    if cls not in CLASSES:
        raise ValidationError(f"class {cls!r}: one of {', '.join(CLASSES)}")
    title = clean_line(title, "Title", max_chars=MAX_TITLE)
    text = clean_text(text, "Text", max_chars=MAX_TEXT)
    if not title or not text:
        raise ValidationError("A provincial bulletin needs a title and a text.")
    topic = clean_line(topic, "Topic", max_chars=60)
    valid_from, valid_until = _day(valid_from, "--from"), _day(valid_until, "--until")
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError("--until is before --from.")
    if not isinstance(repeat, int) or not 1 <= repeat <= MAX_REPEAT:
        raise ValidationError(f"--repeat is 1 to {MAX_REPEAT}.")
    targets.resolve(db)  # every code and zone known now, or nothing is written
    with write(db):
        new_id = next_id(db, now)
        db["bulletins"].insert({
            "id": new_id, "class": cls, "title": title, "text": text, "topic": topic, "valid_from": valid_from,
            "valid_until": valid_until, "repeat_count": repeat, "targets": targets.to_json(), "status": "draft",
            "created_at": to_utc_text(now), "created_by": clean_line(by, "Author", max_chars=120) or None,
            "imported_from": imported_from})
        if actor is not None:
            audit.record(db, actor, "bulletin.write", now=now, target=f"bulletin:{new_id}", detail={"class": cls})
    return new_id


def approve(db: Database, bulletin_id: str, *, by: str | None = None, now: datetime,
            actor: Actor | None = None) -> dict:
    """Approve draft *bulletin_id* as province leader *by* (named: the stations air it as approved by them).

    :param actor: the province admin's user approving (its role is checked; its name is *by*)
    :raise StateError: approved already. :raise ValidationError: no name given.
    :raise PermissionDeniedError: *actor* may not approve
    """
    if actor is not None:
        require(actor, "bulletin.approve")
        by = actor.name
    by = clean_line(by, "Approver", max_chars=120)
    if not by:
        raise ValidationError("Approving needs the leader's name (--by NAME).")
    with write(db):
        row = get(db, bulletin_id)
        if row["status"] != "draft":
            raise StateError(f"Bulletin {bulletin_id} is approved already (by {row['approved_by']}).")
        db.execute("UPDATE bulletins SET status = 'approved', approved_by = ?, approved_at = ? WHERE id = ?",
                   [by, to_utc_text(now), bulletin_id])
        if actor is not None:
            audit.record(db, actor, "bulletin.approve", now=now, target=f"bulletin:{bulletin_id}")
    return get(db, bulletin_id)


def get(db: Database, bulletin_id: str) -> dict:
    """:raise NotFoundError: no such bulletin"""
    rows = list(db["bulletins"].rows_where("id = ?", [str(bulletin_id).strip()]))
    if not rows:
        raise NotFoundError(f"No provincial bulletin {str(bulletin_id)[:40]} (radio hub status lists them).")
    return rows[0]


def listing(db: Database) -> list[dict]:
    return list(db["bulletins"].rows_where(order_by="created_at, id"))
