"""The running order: which approved bulletins fill which upcoming occurrence.

Rules (DOMAIN: Thông tư 39/2020 priority classes):
- candidates are approved bulletins valid on the occurrence's local date, whose
  topic the slot carries, with repeats left (repeat count minus airings logged
  and airings planned earlier in the same plan);
- order: khẩn cấp, then ưu tiên, then thường; within a class the oldest approval first;
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

from .bulletins import PRIORITY_RANK
from .settings import ident_text
from .slots import Occurrence, list_slots, occurrences_between

#: rough speaking speed of the engines, to estimate items not rendered yet
CHARS_PER_SECOND = 14.0
JINGLE_MS = 2600


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
    return bulletin["priority"] == "urgent" or bulletin["topic"] in slot["topics"].split(",")


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
) -> list[PlannedOccurrence]:
    """Assign bulletins to *occurrences* in time order (pure)."""
    remaining = {
        b["id"]: b["repeat_count"] - aired_counts.get(b["id"], 0)
        for b in bulletins if b["status"] == "approved"
    }
    ordered = sorted(
        (b for b in bulletins if b["status"] == "approved"),
        key=lambda b: (PRIORITY_RANK[b["priority"]], b["approved_at"] or "", b["id"]),
    )
    plans = []
    for occ in occurrences:
        slot = slots[occ.slot_id]
        cap_ms = int((slot.get("cap_minutes") or default_cap_minutes) * 60_000)
        planned = PlannedOccurrence(occ, slot, cap_ms, overhead_ms)
        day = occ.local.date().isoformat()
        used = overhead_ms
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
                planned.deferred.append((item, "speech not rendered yet"))
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


def aired_counts(db: Database) -> dict[int, int]:
    """Airings per bulletin that count against its repeats: completed items in the log
    plus items of occurrences being aired right now."""
    counts: dict[int, int] = {}
    for row in db.execute(
        "SELECT bulletin_id, count(*) FROM occurrence_items WHERE completed = 1 "
        "AND bulletin_id IS NOT NULL GROUP BY bulletin_id"
    ).fetchall():
        counts[row[0]] = row[1]
    for claim in db["claims"].rows:
        for item in json.loads(claim["items"] or "[]"):
            if item.get("bulletin_id") is not None:
                counts[item["bulletin_id"]] = counts.get(item["bulletin_id"], 0) + 1
    return counts


def plan(
    db: Database,
    *,
    start: datetime,
    end: datetime,
    settings: dict,
    overhead_ms: int | None = None,
    require_rendered: bool = False,
    exclude_keys: set[str] | None = None,
) -> list[PlannedOccurrence]:
    """The running order of every occurrence in (start, end], from the database."""
    slots = {s["id"]: s for s in list_slots(db)}
    logged = {r[0] for r in db.execute("SELECT key FROM occurrences").fetchall()}
    logged |= {r[0] for r in db.execute("SELECT key FROM claims").fetchall()}
    logged |= exclude_keys or set()
    occurrences = [o for o in occurrences_between(list(slots.values()), start, end) if o.key not in logged]
    bulletins = list(db["bulletins"].rows_where("status = 'approved'"))
    renders = {r["bulletin_id"]: r for r in db["renders"].rows}
    if overhead_ms is None:
        overhead_ms = default_overhead_ms(settings)
    return fill(
        occurrences, slots, bulletins, renders, aired_counts(db),
        default_cap_minutes=settings["default_cap_minutes"], overhead_ms=overhead_ms,
        gap_ms=settings["gap_ms"], require_rendered=require_rendered,
    )


def default_overhead_ms(settings: dict) -> int:
    """Jingles, ident and gaps around the items, estimated for planning."""
    ident_chars = len(ident_text(settings))
    jingles = 2 * JINGLE_MS if settings["use_jingles"] else 0
    return jingles + int(ident_chars / CHARS_PER_SECOND * 1000) + 3 * settings["gap_ms"]


def upcoming(db: Database, *, now: datetime, days: float, settings: dict) -> list[PlannedOccurrence]:
    return plan(db, start=now, end=now + timedelta(days=days), settings=settings)
