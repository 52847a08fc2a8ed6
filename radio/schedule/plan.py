"""The running order: which approved bulletins fill which upcoming occurrence.

Rules (DOMAIN: Thông tư 39/2020 priority classes):
- candidates are approved bulletins valid on the occurrence's local date, whose
  topic the slot carries, with repeats left (repeat count minus airings logged,
  airings reserved by occurrences already decided but not yet logged, and
  airings planned earlier in the same plan);
- an occurrence already decided (its running order fixed at the cut-off, see
  :mod:`radio.station.decide`) keeps its reserved items;
- order: khẩn cấp, then ưu tiên, then thường; within a class the oldest approval first,
  except that a provincial ưu tiên bulletin (:mod:`radio.link.inbox`) comes before the
  commune's own ưu tiên items while the setting ``province_priority_first`` is on (the
  default); a provincial ưu tiên bulletin airs in every slot, whatever topics it carries;
- a programme never exceeds its slot's cap: what does not fit moves on to the
  next occurrence, and is reported as deferred here.

:func:`fill` is pure (lists in, lists out) so weeks are simulated in tests;
:func:`plan` reads the database and calls it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database

from content.render import CHARS_PER_SECOND

from radio.bulletins.lifecycle import PRIORITY_RANK
from radio.clock import STATION_TZ, to_utc_text
from radio.settings import ident_text
from radio.schedule.slots import Occurrence, list_slots, occurrences_between

#: how the reason of a cancellation with approved bulletins left out begins (an alert)
LEFT_OUT_PREFIX = "approved bulletins left out"

JINGLE_MS = 2600
#: slack around the planned window when reading which of its keys are logged already
KEY_MARGIN = timedelta(minutes=1)


@dataclass
class PlannedItem:
    bulletin: dict
    duration_ms: int
    estimated: bool  # no rendering yet: the length is a guess

    @property
    def id(self) -> int:
        return self.bulletin["id"]


@dataclass
class PlannedOccurrence:
    occurrence: Occurrence
    slot: dict
    cap_ms: int
    overhead_ms: int
    items: list[PlannedItem] = field(default_factory=list)
    deferred: list[tuple[PlannedItem, str]] = field(default_factory=list)

    @property
    def duration_ms(self) -> int:
        if not self.items:
            return 0
        return self.overhead_ms + sum(i.duration_ms for i in self.items)


def estimate_ms(bulletin: dict, render: dict | None) -> tuple[int, bool]:
    if render and render.get("state") == "done" and render.get("duration_ms"):
        return int(render["duration_ms"]), False
    return int(len(bulletin["text"]) / CHARS_PER_SECOND * 1000), True


def slot_accepts(slot: dict, bulletin: dict) -> bool:
    if not slot.get("topics"):
        return True
    if bulletin["priority"] == "urgent" or (bulletin["priority"] == "priority" and bulletin.get("from_province")):
        return True
    return bulletin["topic"] in slot["topics"].split(",")


def valid_on(bulletin: dict, day_iso: str) -> bool:
    if bulletin.get("valid_from") and day_iso < bulletin["valid_from"]:
        return False
    if bulletin.get("valid_until") and day_iso > bulletin["valid_until"]:
        return False
    return True


def fill(
    occurrences: list[Occurrence],
    slots: dict[int, dict],
    bulletins: list[dict],
    renders: dict[int, dict],
    aired_counts: dict[int, int],
    *,
    default_cap_minutes: int,
    overhead_ms: int,
    gap_ms: int = 700,
    require_rendered: bool = False,
    fixed: dict[str, list[dict]] | None = None,
    province_first: bool = True,
) -> list[PlannedOccurrence]:
    """Assign bulletins to *occurrences* in time order (pure).

    :param aired_counts: airings per bulletin that count already (logged or reserved).
    :param fixed: occurrences whose running order is already fixed: key → bulletins in order
        (their airings are in *aired_counts* already).
    :param province_first: provincial ưu tiên bulletins (``from_province`` true) before the
        commune's own ưu tiên items.
    """
    fixed = fixed or {}
    remaining = {
        b["id"]: b["repeat_count"] - aired_counts.get(b["id"], 0)
        for b in bulletins if b["status"] == "approved"
    }
    ordered = sorted(  # those with no airing left cannot gain one while planning: skip them once
        (b for b in bulletins if b["status"] == "approved" and remaining[b["id"]] > 0),
        key=lambda b: (PRIORITY_RANK[b["priority"]], not (province_first and b.get("from_province")),
                       b["approved_at"] or "", b["id"]),
    )
    plans = []
    for occ in occurrences:
        slot = slots[occ.slot_id]
        cap_ms = int((slot.get("cap_minutes") or default_cap_minutes) * 60_000)
        planned = PlannedOccurrence(occ, slot, cap_ms, overhead_ms)
        day = occ.local.date().isoformat()
        used = overhead_ms
        if occ.key in fixed:
            for bulletin in fixed[occ.key]:
                duration, estimated = estimate_ms(bulletin, renders.get(bulletin["id"]))
                planned.items.append(PlannedItem(bulletin, duration, estimated))
            plans.append(planned)
            continue
        for bulletin in ordered:
            if remaining.get(bulletin["id"], 0) <= 0:
                continue
            if not valid_on(bulletin, day) or not slot_accepts(slot, bulletin):
                continue
            render = renders.get(bulletin["id"])
            ready = bool(bulletin.get("recording_path")) or (render or {}).get("state") == "done"
            duration, estimated = estimate_ms(bulletin, render)
            item = PlannedItem(bulletin, duration, estimated)
            if require_rendered and not ready:
                planned.deferred.append((item, not_ready_reason(render)))
                continue
            if used + gap_ms + duration > cap_ms:
                reason = ("longer than the slot's cap" if overhead_ms + duration > cap_ms
                          else "does not fit the cap; moves to the next occurrence")
                planned.deferred.append((item, reason))
                continue
            used += gap_ms + duration
            planned.items.append(item)
            remaining[bulletin["id"]] -= 1
        plans.append(planned)
    return plans


def not_ready_reason(render: dict | None) -> str:
    """Why an approved bulletin has no audio to air yet, in one sentence."""
    state = (render or {}).get("state")
    if state == "rendering":
        return "speech still rendering at the cut-off"
    if state == "failed":
        return f"speech could not be rendered: {render.get('error') or 'unknown error'}"
    return "speech not rendered yet"


def aired_counts(db: Database, *, ignore_key: str | None = None,
                 bulletin_ids: list[int] | None = None) -> dict[int, int]:
    """Airings per bulletin that count against its repeats: completed items in the log,
    items reserved by decided occurrences not logged yet, and items of claims without a
    reservation (urgent bulletins).

    A reservation stops counting once its occurrence is logged: from then on only the
    items the log marks completed count, so an occurrence that failed, was cancelled or
    missed releases what it had reserved.

    :param ignore_key: an occurrence being decided again (its own reservation does not count).
    :param bulletin_ids: count the log's items of these bulletins only (all when None)
    """
    counts: dict[int, int] = {}

    def add(rows) -> None:
        for bulletin_id, n in rows:
            counts[bulletin_id] = counts.get(bulletin_id, 0) + n

    if bulletin_ids is None:
        add(db.execute(
            "SELECT bulletin_id, count(*) FROM occurrence_items WHERE completed = 1 "
            "AND bulletin_id IS NOT NULL GROUP BY bulletin_id").fetchall())
    for at in range(0, len(bulletin_ids or ()), 500):  # within SQLite's bound-parameter limit
        chunk = bulletin_ids[at:at + 500]
        add(db.execute(
            "SELECT bulletin_id, count(*) FROM occurrence_items WHERE completed = 1 "
            f"AND bulletin_id IN ({','.join('?' * len(chunk))}) GROUP BY bulletin_id", chunk).fetchall())
    add(db.execute(
        "SELECT bulletin_id, count(*) FROM reservations WHERE key NOT IN "
        "(SELECT key FROM occurrences) AND key IS NOT ? GROUP BY bulletin_id", [ignore_key]).fetchall())
    reserved = {r[0] for r in db.execute("SELECT DISTINCT key FROM reservations").fetchall()}
    for claim in db["claims"].rows:
        if claim["key"] in reserved:
            continue
        add((item["bulletin_id"], 1) for item in json.loads(claim["items"] or "[]")
            if item.get("bulletin_id") is not None)
    return counts


def reserved_items(db: Database, *, ignore_key: str | None = None) -> dict[str, list[dict]]:
    """Running orders fixed by decided occurrences that are not logged yet: key → bulletins."""
    fixed: dict[str, list[dict]] = {}
    for row in db.query(
        "SELECT r.key, b.* FROM reservations r JOIN bulletins b ON b.id = r.bulletin_id "
        "WHERE r.key NOT IN (SELECT key FROM occurrences) AND r.key IS NOT ? "
        "ORDER BY r.key, r.position", [ignore_key]):
        fixed.setdefault(row.pop("key"), []).append(row)
    return fixed


def plan(
    db: Database,
    *,
    start: datetime,
    end: datetime,
    settings: dict,
    overhead_ms: int | None = None,
    require_rendered: bool = False,
    exclude_keys: set[str] | None = None,
    ignore_reservations_of: str | None = None,
) -> list[PlannedOccurrence]:
    """The running order of every occurrence in (start, end], from the database.

    The daemon (:mod:`radio.station.decide`) and ``radio schedule`` (:func:`upcoming`)
    both plan here, so what is predicted and what airs are the same computation.

    :param ignore_reservations_of: the key being decided (its earlier reservation is void).
    """
    slots = {s["id"]: s for s in list_slots(db)}
    # only the window's part of a year's log: an occurrence's key carries its scheduled time
    logged = {r[0] for r in db.execute(
        "SELECT key FROM occurrences WHERE scheduled_at >= ? AND scheduled_at <= ?",
        [to_utc_text(start - KEY_MARGIN), to_utc_text(end + KEY_MARGIN)]).fetchall()}
    logged |= {r[0] for r in db.execute("SELECT key FROM claims").fetchall()}
    logged |= exclude_keys or set()
    occurrences = [o for o in occurrences_between(list(slots.values()), start, end) if o.key not in logged]
    # bulletins whose valid window ended before the first day planned can never be chosen
    first_day = start.astimezone(STATION_TZ).date().isoformat()
    # and one whose repeats the log has used up cannot either (a year holds thousands of those)
    bulletins = list(db["bulletins"].rows_where(
        "status = 'approved' AND (valid_until IS NULL OR valid_until >= ?) AND repeat_count > "
        "(SELECT count(*) FROM occurrence_items i WHERE i.bulletin_id = bulletins.id AND i.completed = 1)",
        [first_day]))
    provincial = {r[0] for r in db.execute("SELECT bulletin_id FROM provincial_bulletins "
                                           "WHERE bulletin_id IS NOT NULL").fetchall()}
    for bulletin in bulletins:
        bulletin["from_province"] = bulletin["id"] in provincial
    fixed = reserved_items(db, ignore_key=ignore_reservations_of)
    renders = _renders_of(db, sorted({b["id"] for b in bulletins}
                                     | {b["id"] for items in fixed.values() for b in items}))
    if overhead_ms is None:
        overhead_ms = default_overhead_ms(settings)
    return fill(
        occurrences, slots, bulletins, renders,
        aired_counts(db, ignore_key=ignore_reservations_of, bulletin_ids=[b["id"] for b in bulletins]),
        default_cap_minutes=settings["default_cap_minutes"], overhead_ms=overhead_ms,
        gap_ms=settings["gap_ms"], require_rendered=require_rendered,
        fixed=fixed, province_first=settings.get("province_priority_first", True),
    )


def _renders_of(db: Database, ids: list[int]) -> dict[int, dict]:
    renders: dict[int, dict] = {}
    for at in range(0, len(ids), 500):  # within SQLite's bound-parameter limit
        chunk = ids[at:at + 500]
        renders.update((r["bulletin_id"], r) for r in db["renders"].rows_where(
            f"bulletin_id IN ({','.join('?' * len(chunk))})", chunk))
    return renders


def default_overhead_ms(settings: dict) -> int:
    """Jingles, ident and gaps around the items, estimated for planning."""
    ident_chars = len(ident_text(settings))
    jingles = 2 * JINGLE_MS if settings["use_jingles"] else 0
    return jingles + int(ident_chars / CHARS_PER_SECOND * 1000) + 3 * settings["gap_ms"]


def inputs_version(db: Database) -> tuple[int, int]:
    """A pair that changes whenever :func:`plan`'s result may change for the same window and
    settings: the change counter the triggers of migration m240 move on every write to the
    slots, bulletins, renders, claims and reservations, and the proof log's last id (it is
    append-only). Cheap: two index lookups."""
    row = db.execute("SELECT (SELECT n FROM change_counters WHERE name = 'schedule'), "
                     "(SELECT coalesce(max(id), 0) FROM occurrences)").fetchone()
    return row[0], row[1]


def upcoming(db: Database, *, now: datetime, days: float, settings: dict) -> list[PlannedOccurrence]:
    return plan(db, start=now, end=now + timedelta(days=days), settings=settings)
