"""Slot edits that stop a slot airing need the leader, as pausing does.

Pausing a slot is the leader's (``slot.pause``), but the same silence was one
officer edit away: a validity ending yesterday, a topic filter no bulletin has,
a cap shorter than the running order, a move to 03:00 or another output. Here:

- an officer edits only the slots they created (``slots.created_by``);
- even on their own slot, an officer's edit that moves it (time, date or fewer
  days), sends it to another output, ends or postpones its validity, leaves it a
  topic filter that no current bulletin matches, or caps it below its running
  order is refused; so is any edit after which the slot would air fewer times
  or carry fewer bulletins in the next :data:`HORIZON` than before.

Leaders and admins (the CLI acts as admin) may make any edit. The check runs in
:func:`radio.schedule.slot_edits.update_slot`'s transaction, after the change and before the
commit, so a refused edit changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from radio.accounts.roles import Actor, PermissionDeniedError, can
from radio.clock import STATION_TZ
from radio.errors import ValidationError
from radio.schedule.plan import plan
from radio.schedule.slots import WEEKDAYS
from radio.settings import SETTINGS, check

#: how far ahead an edit's effect on the slot's airings is compared
HORIZON = timedelta(days=7)
#: the columns whose change can stop a slot airing
AIRING_COLUMNS = ("at_time", "days", "date", "valid_from", "valid_until", "cap_minutes", "topics", "output")


class SlotEditRefusedError(PermissionDeniedError):
    """An officer's slot edit that only a leader may make; nothing was written."""


def may_silence(actor: Actor) -> bool:
    """Whether *actor* may make edits that stop a slot airing (the role that may pause one)."""
    return can(actor.role, "slot.pause")


def check_owner(actor: Actor, slot: dict) -> None:
    """An officer edits only the slots they created.

    :raise SlotEditRefusedError: someone else's slot (or one whose creator is unknown).
    """
    if may_silence(actor) or slot.get("created_by") == actor.username:
        return
    raise SlotEditRefusedError(
        f"Slot {slot['id']} was created by {slot.get('created_by') or 'someone else'}; an officer "
        "edits only the slots they created (a leader may change it).")


@dataclass(frozen=True)
class Airings:
    """What a slot is planned to air in the horizon."""

    occurrences: int
    items: int
    longest_ms: int  # the longest planned running order


def airings(db: Database, slot_id: int, *, now: datetime, settings: dict) -> Airings:
    planned = [p for p in plan(db, start=now, end=now + HORIZON, settings=settings)
               if p.occurrence.slot_id == slot_id]
    return Airings(len(planned), sum(len(p.items) for p in planned),
                   max((p.duration_ms for p in planned), default=0))


def _settings(db: Database, settings: dict | None) -> dict:
    if settings is not None:
        return settings
    values = {s.name: s.default for s in SETTINGS}
    if db["settings"].exists():
        for row in db["settings"].rows:
            try:
                values[row["name"]] = check(row["name"], row["value"])
            except ValidationError:  # a value the admin page would refuse: the default stands
                pass
    return values


class Guard:
    """One officer edit of one slot: note what it airs before, then judge the edit."""

    def __init__(self, db: Database, actor: Actor, slot: dict, *, now: datetime,
                 settings: dict | None = None) -> None:
        self.db, self.actor, self.slot, self.now = db, actor, slot, now
        self.active = not may_silence(actor)
        self.settings = _settings(db, settings) if self.active else {}
        self.before: Airings | None = None

    def start(self, changed: dict) -> None:
        """Call before writing *changed* (the slot's columns that change)."""
        if not self.active:
            return
        check_owner(self.actor, self.slot)
        if set(changed) & set(AIRING_COLUMNS):
            self.before = airings(self.db, self.slot["id"], now=self.now, settings=self.settings)

    def finish(self, changed: dict) -> None:
        """Call after writing *changed*, inside the same transaction.

        :raise SlotEditRefusedError: the edit stops the slot airing (the caller's
            transaction rolls back).
        """
        if not self.active or self.before is None:
            return
        after_slot = {**self.slot, **changed}
        after = airings(self.db, self.slot["id"], now=self.now, settings=self.settings)
        reasons = stopping_reasons(self.db, self.slot, after_slot, self.before, after,
                                   now=self.now, settings=self.settings)
        if reasons:
            raise SlotEditRefusedError(
                f"Only a leader may make this change to slot {self.slot['id']}: it stops the slot "
                f"airing ({'; '.join(reasons)}).")


def _days(slot: dict) -> set[str]:
    if slot.get("days") == "daily":
        return set(WEEKDAYS)
    return set(filter(None, (slot.get("days") or "").split(",")))


def _topics(slot: dict) -> set[str] | None:
    return set(slot["topics"].split(",")) if slot.get("topics") else None


def _matches_some_bulletin(db: Database, topics: set[str] | None, today: str) -> bool:
    """Whether a draft or approved bulletin still valid has one of *topics* (None: any)."""
    if topics is None:
        return bool(db.execute("SELECT 1 FROM bulletins WHERE status IN ('draft', 'approved') "
                               "AND (valid_until IS NULL OR valid_until >= ?) LIMIT 1", [today]).fetchone())
    marks = ",".join("?" * len(topics))
    return bool(db.execute(
        f"SELECT 1 FROM bulletins WHERE status IN ('draft', 'approved') AND (valid_until IS NULL OR "
        f"valid_until >= ?) AND (topic IN ({marks}) OR priority = 'urgent') LIMIT 1",
        [today, *sorted(topics)]).fetchone())


def _minutes(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 60} min {seconds % 60:02d} s"


def stopping_reasons(db: Database, before: dict, after: dict, was: Airings, now_airs: Airings, *,
                     now: datetime, settings: dict) -> list[str]:
    """Why changing the slot *before* into *after* stops it airing (empty: it does not).

    Each reason is one English phrase (worded in Vietnamese by :mod:`radio.wording.messages`).
    """
    reasons = []
    today = now.astimezone(STATION_TZ).date().isoformat()
    if before["at_time"] != after["at_time"] or before.get("date") != after.get("date"):
        reasons.append(f"it moves from {before['at_time'][:5]} {before.get('date') or before.get('days')} "
                       f"to {after['at_time'][:5]} {after.get('date') or after.get('days')}")
    elif before.get("days") and after.get("days") and not _days(after) >= _days(before):
        reasons.append(f"it no longer airs on {','.join(sorted(_days(before) - _days(after)))}")
    if (before.get("output") or None) != (after.get("output") or None):
        reasons.append(f"it goes to output {after.get('output') or 'of the station'} instead of "
                       f"{before.get('output') or 'the station output'}")
    until = after.get("valid_until")
    if until and until != before.get("valid_until") and until < today:
        reasons.append(f"its validity ends in the past ({until})")
    start = after.get("valid_from")
    if start and start != before.get("valid_from") and start > max(before.get("valid_from") or "", today):
        reasons.append(f"its validity starts later ({start})")
    if _topics(after) != _topics(before) and _topics(after) is not None:
        if (not _matches_some_bulletin(db, _topics(after), today)
                and _matches_some_bulletin(db, _topics(before), today)):
            reasons.append(f"no bulletin has its topics ({after['topics']})")
    default_cap = int(settings.get("default_cap_minutes") or 30)
    cap_before = before.get("cap_minutes") or default_cap
    cap_after = after.get("cap_minutes") or default_cap
    if cap_after < cap_before and cap_after * 60_000 < was.longest_ms:
        reasons.append(f"its cap of {cap_after} min is shorter than its running order ({_minutes(was.longest_ms)})")
    if not reasons:
        if now_airs.occurrences < was.occurrences:
            reasons.append(f"it airs {now_airs.occurrences} times in the next {HORIZON.days} days "
                           f"instead of {was.occurrences}")
        elif now_airs.items < was.items:
            reasons.append(f"it carries {now_airs.items} bulletins in the next {HORIZON.days} days "
                           f"instead of {was.items}")
    return reasons
