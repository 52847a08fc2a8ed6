"""Changing a slot after it is made: checked as :func:`~radio.schedule.slots.add_slot` checks it,
and guarded (:mod:`radio.schedule.slot_guard`): an edit that stops a slot airing is the leader's.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from radio.accounts.audit import record
from radio.accounts.roles import Actor, require
from radio.clock import to_utc_text
from radio.schedule.slot_guard import Guard
from radio.schedule.slots import checked_fields, fields_of, get_slot, parse_output, refuse_past
from radio.store.connection import bump_revision, write

#: what :func:`update_slot` may change: :func:`add_slot`'s keyword arguments
EDITABLE = ("at", "days", "on_date", "name", "cap_minutes", "topics", "valid_from", "valid_until", "output")
#: the columns that say when a slot airs (a change to them moves its occurrences)
_WHEN = ("at_time", "days", "date", "valid_from", "valid_until")


def update_slot(db: Database, slot_id: int, *, actor: Actor, now: datetime, settings: dict | None = None,
                **changes) -> dict:
    """Change some of a slot's settings, checked as :func:`add_slot` checks them; return the slot.

    A key left out keeps its value; ``None`` or ``""`` clears an optional one. Giving
    ``days`` makes a one-off slot recurring, giving ``on_date`` the reverse. Bad input
    changes nothing. Occurrences follow the edit until their cut-off: one already
    decided (its running order reserved), claimed or logged keeps its key and airs or
    stays logged once. When the time or days change, occurrences at the new times are
    owed only from *now* on (``owed_from``), so a restart never logs a moved slot's
    earlier instants as missed.

    An officer edits only the slots they created, and never so that the slot stops
    airing (moved, fewer days, another output, validity ended or postponed, a topic
    filter nothing matches, a cap below its running order): those need a leader, as
    pausing does (:mod:`radio.schedule.slot_guard`).

    :param settings: the station's settings (the running order's overhead and default
        cap); default: the saved ones.
    :param changes: any of :data:`EDITABLE`.
    :raise TypeError: a key that is not one of :data:`EDITABLE`.
    :raise radio.schedule.slot_guard.SlotEditRefusedError: an officer's edit only a leader may make.
    """
    require(actor, "slot.edit")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise TypeError(f"update_slot() got unexpected changes: {', '.join(unknown)}")
    with write(db):
        slot = get_slot(db, slot_id)
        guard = Guard(db, actor, slot, now=now, settings=settings)
        fields = fields_of(slot)
        # "" clears an optional field; empty days stay "", refused like add_slot's
        given = {k: (None if k != "days" and isinstance(v, str) and not v.strip() else v)
                 for k, v in changes.items()}
        if given.get("days") is not None and given.get("on_date") is None:
            given["on_date"] = None  # becomes recurring
        elif given.get("on_date") is not None and given.get("days") is None:
            given["days"] = None  # becomes one-off
        fields.update(given)
        row = checked_fields(db, fields)
        changed = {k: v for k, v in row.items() if slot.get(k) != v}
        if not changed:
            return slot
        if {"at_time", "date"} & set(changed):
            refuse_past(row, now)
        guard.start(changed)
        if set(_WHEN) & set(changed):
            changed["owed_from"] = to_utc_text(now)
        db["slots"].update(slot["id"], changed)
        guard.finish(changed)
        record(db, actor, "slot.edit", now=now, target=f"slot:{slot['id']}",
               detail={k: f"{_shown(slot.get(k))} → {_shown(v)}" for k, v in changed.items() if k != "owed_from"})
        bump_revision(db)
    return get_slot(db, slot["id"])


def _shown(value: object) -> str:
    """A field's value in an audit row ("–" for none), as people read it on the audit page."""
    return "–" if value is None or value == "" else str(value)


def set_slot_output(db: Database, slot_id: int, output: str | None, *, actor: Actor, now: datetime,
                    settings: dict | None = None) -> dict:
    """Point a slot at one of the admin's named outputs (None: the station's output).

    :raise radio.schedule.slot_guard.SlotEditRefusedError: an officer's change of output (a leader's).
    """
    require(actor, "slot.edit")
    slot = get_slot(db, slot_id)
    name = parse_output(db, output)
    with write(db):
        slot = get_slot(db, slot_id)
        if slot["output"] == name:
            return slot
        guard = Guard(db, actor, slot, now=now, settings=settings)
        guard.start({"output": name})
        db["slots"].update(slot["id"], {"output": name})
        guard.finish({"output": name})
        record(db, actor, "slot.edit", now=now, target=f"slot:{slot['id']}", detail={"output": name})
        bump_revision(db)
    return get_slot(db, slot_id)
