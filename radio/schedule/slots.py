"""Broadcast slots and the instants they expand to.

A slot is a local time (Asia/Ho_Chi_Minh) on some weekdays, or once on a date,
within an optional validity window, with a cap in minutes and the topics it
carries. :func:`occurrences_between` turns slots into the exact instants the
station owes an airing; it is pure, so weeks can be simulated in a test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlite_utils import Database

from radio.accounts.roles import Actor, require
from radio.accounts.audit import record
from radio.bulletins.lifecycle import parse_date
from radio.clock import STATION_TZ, from_utc_text, to_utc_text
from radio.errors import NotFoundError, ValidationError
from radio.store.fields import clean_line
from radio.store.ids import parse_count, parse_id
from radio.schedule.outputs import get_output
from radio.store.connection import bump_revision, write

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_LABELS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
_DAY_ALIASES = {
    **{d: d for d in WEEKDAYS},
    "t2": "mon", "t3": "tue", "t4": "wed", "t5": "thu", "t6": "fri", "t7": "sat", "cn": "sun",
}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


@dataclass(frozen=True)
class Occurrence:
    """One airing the station owes: a slot at an instant, with a stable key."""

    key: str
    slot_id: int
    scheduled_at: datetime  # UTC

    @property
    def local(self) -> datetime:
        return self.scheduled_at.astimezone(STATION_TZ)


def occurrence_key(slot_id: int, scheduled_at: datetime) -> str:
    """Stable across restarts: the slot and its local wall-clock instant."""
    return f"slot{slot_id}@{scheduled_at.astimezone(STATION_TZ).strftime('%Y-%m-%dT%H:%M:%S')}"


def parse_time(value: str) -> str:
    match = _TIME.match((value or "").strip())
    if not match:
        raise ValidationError(f'Time "{value}" is not HH:MM or HH:MM:SS.')
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValidationError(f'Time "{value}" is not a time of day.')
    return f"{hour:02d}:{minute:02d}:{second:02d}"


def parse_days(value: str) -> str:
    value = (value or "").strip().lower()
    if value in ("daily", "every day", "hàng ngày", "hang-ngay"):
        return "daily"
    if value in ("weekdays",):
        return ",".join(WEEKDAYS[:5])
    days = []
    for part in filter(None, (p.strip() for p in value.split(","))):
        if part not in _DAY_ALIASES:
            raise ValidationError(f'Unknown day "{part}". Use daily or mon,tue,wed,thu,fri,sat,sun.')
        days.append(_DAY_ALIASES[part])
    if not days:
        raise ValidationError("Give --days daily, or a list such as mon,wed,fri.")
    return ",".join(d for d in WEEKDAYS if d in days)


def _local_minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")[:2]
    return int(h) * 60 + int(m)


def quiet_hours_warning(at_time: str, quiet_before: str, quiet_after: str) -> str | None:
    minutes = _local_minutes(at_time)
    if minutes < _local_minutes(quiet_before) or minutes > _local_minutes(quiet_after):
        return (f"Slot at {at_time[:5]} is outside {quiet_before}–{quiet_after}; "
                "listeners complain about broadcasts at that hour.")
    return None


def add_slot(
    db: Database,
    *,
    at: str,
    now: datetime,
    actor: Actor,
    days: str | None = None,
    on_date: str | date | None = None,
    name: str = "",
    cap_minutes: int | None = None,
    topics: str | None = None,
    valid_from: str | None = None,
    valid_until: str | None = None,
    output: str | None = None,
) -> int:
    """Create a slot; return its id. A one-off slot must lie in the future.

    :param output: the name of an output the admin defined (:mod:`radio.schedule.outputs`), e.g.
        the loudspeaker zones of some villages; default: the station's output.
    """
    require(actor, "slot.create")
    row = checked_fields(db, dict(at=at, days=days, on_date=on_date, name=name, cap_minutes=cap_minutes,
                                   topics=topics, valid_from=valid_from, valid_until=valid_until,
                                   output=output))
    refuse_past(row, now)
    row["created_at"] = to_utc_text(now)
    row["created_by"] = actor.username  # an officer edits only their own slots (slot_guard)
    with write(db):
        slot_id = db["slots"].insert(row).last_pk
        record(db, actor, "slot.create", now=now, target=f"slot:{slot_id}",
               detail={k: v for k, v in row.items() if v is not None and k not in ("created_at", "created_by")})
        bump_revision(db)
    return slot_id


def fields_of(slot: dict) -> dict:
    """A stored slot as :func:`add_slot`'s keyword arguments."""
    return dict(at=slot["at_time"], days=slot["days"], on_date=slot["date"], name=slot["name"],
                cap_minutes=slot["cap_minutes"], topics=slot["topics"], valid_from=slot["valid_from"],
                valid_until=slot["valid_until"], output=slot["output"])


def checked_fields(db: Database, fields: dict) -> dict:
    """The slot columns for *fields* (add_slot's keyword arguments), each one checked.

    :raise ValidationError: the first field that is wrong, in one sentence.
    """
    days, on_date = fields.get("days"), fields.get("on_date")
    if isinstance(on_date, str) and not on_date.strip():
        on_date = None  # an empty date field is no date, not a one-off without one
    at_time = parse_time(fields.get("at") or "")
    if (days is None) == (on_date is None):
        raise ValidationError("Give either --days (recurring) or --date (one-off), not both.")
    cap = fields.get("cap_minutes")
    row = dict(
        name=clean_line(fields.get("name"), "A slot's name", max_chars=200), at_time=at_time,
        days=parse_days(days) if days is not None else None,
        date=parse_date(on_date, "date") if on_date is not None else None,
        cap_minutes=_parse_cap(cap) if cap is not None and str(cap).strip() != "" else None,
        valid_from=parse_date(fields.get("valid_from"), "valid from"),
        valid_until=parse_date(fields.get("valid_until"), "valid until"),
        topics=_parse_topics(fields.get("topics")), output=parse_output(db, fields.get("output")),
    )
    if row["valid_from"] and row["valid_until"] and row["valid_from"] > row["valid_until"]:
        raise ValidationError("The slot's valid window ends before it starts.")
    return row


def refuse_past(row: dict, now: datetime) -> None:
    """A one-off slot must lie in the future (a recurring one has later days)."""
    if not row.get("date"):
        return
    instant = _instant(date.fromisoformat(row["date"]), row["at_time"])
    if instant <= now:
        local = instant.astimezone(STATION_TZ).strftime("%Y-%m-%d %H:%M:%S")
        raise ValidationError(f"Slot {local} is in the past (station time is "
                              f"{now.astimezone(STATION_TZ):%Y-%m-%d %H:%M:%S}).")


def owed_from(slot: dict) -> datetime:
    """The instant from which the slot owes its occurrences: its creation, or the last
    edit that moved when it airs."""
    return from_utc_text(slot.get("owed_from") or slot["created_at"])


#: a cap beyond a day is a typo, and would overflow the scheduler's arithmetic
MAX_CAP_MINUTES = 24 * 60


def _parse_cap(value: object) -> int:
    cap = parse_count(value, "A slot's cap", low=-10**18, high=10**18)
    if cap < 1:
        raise ValidationError("A slot's cap must be at least 1 minute.")
    if cap > MAX_CAP_MINUTES:
        raise ValidationError(f"A slot's cap must be at most {MAX_CAP_MINUTES} minutes (one day).")
    return cap


def parse_output(db: Database, output: str | None) -> str | None:
    """An output name the admin defined; a spec typed here is refused (the admin sets those)."""
    if not output or not output.strip():
        return None
    name = output.strip()
    try:
        return get_output(db, name)["name"]
    except NotFoundError:
        raise ValidationError(
            f'Output "{name[:60]}" is not one of the station\'s outputs; pick a name the admin '
            "defined (radio output list).") from None


def _parse_topics(topics: str | None) -> str | None:
    if not topics:
        return None
    cleaned = [t.strip().lower() for t in topics.split(",") if t.strip()]
    return ",".join(cleaned) or None


def get_slot(db: Database, slot_id: int) -> dict:
    slot_id = parse_id(slot_id, "Slot")
    rows = list(db["slots"].rows_where("id = ?", [slot_id]))
    if not rows:
        raise NotFoundError(f"Slot {slot_id} does not exist.")
    return rows[0]


def list_slots(db: Database, active_only: bool = False) -> list[dict]:
    where = "active = 1" if active_only else None
    return list(db["slots"].rows_where(where, order_by="at_time, id"))


def set_slot_active(db: Database, slot_id: int, active: bool, *, actor: Actor, now: datetime) -> dict:
    """Pause or resume a slot (leaders: pausing silences the station)."""
    require(actor, "slot.pause")
    slot = get_slot(db, slot_id)
    with write(db):
        db["slots"].update(slot["id"], {"active": int(active)})
        record(db, actor, "slot.pause", now=now, target=f"slot:{slot['id']}",
               detail={"active": bool(active)})
        bump_revision(db)
    return get_slot(db, slot_id)


def remove_slot(db: Database, slot_id: int, *, actor: Actor, now: datetime) -> None:
    """Delete a slot; what it aired stays in the proof log (which keeps the slot id)."""
    require(actor, "slot.pause")
    slot = get_slot(db, slot_id)
    with write(db):
        db.execute("DELETE FROM slots WHERE id = ?", [slot["id"]])
        record(db, actor, "slot.pause", now=now, target=f"slot:{slot['id']}",
               detail={"op": "remove", "at_time": slot["at_time"]})
        bump_revision(db)


def describe_days(slot: dict) -> str:
    if slot.get("date"):
        return f"ngày {date.fromisoformat(slot['date']):%d/%m/%Y}"
    if slot["days"] == "daily":
        return "hàng ngày"
    return ", ".join(WEEKDAY_LABELS[WEEKDAYS.index(d)] for d in slot["days"].split(","))


def _instant(day: date, at_time: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(at_time), tzinfo=STATION_TZ).astimezone(UTC)


def slot_runs_on(slot: dict, day: date) -> bool:
    """Whether *slot* airs on local date *day* (weekday, one-off date, validity)."""
    iso = day.isoformat()
    if slot.get("valid_from") and iso < slot["valid_from"]:
        return False
    if slot.get("valid_until") and iso > slot["valid_until"]:
        return False
    if slot.get("date"):
        return slot["date"] == iso
    return slot["days"] == "daily" or WEEKDAYS[day.weekday()] in slot["days"].split(",")


def occurrences_between(slots: list[dict], start: datetime, end: datetime) -> list[Occurrence]:
    """Every occurrence of the active *slots* in the half-open window (start, end], in time order."""
    if end <= start:
        return []
    first = start.astimezone(STATION_TZ).date()
    last = end.astimezone(STATION_TZ).date()
    found = []
    for slot in slots:
        if not slot.get("active", 1):
            continue
        day = first
        while day <= last:
            if slot_runs_on(slot, day):
                instant = _instant(day, slot["at_time"])
                if start < instant <= end:
                    found.append(Occurrence(occurrence_key(slot["id"], instant), slot["id"], instant))
            day += timedelta(days=1)
    found.sort(key=lambda o: (o.scheduled_at, o.slot_id))
    return found
