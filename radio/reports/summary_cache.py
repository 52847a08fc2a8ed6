"""The log page's summary and chart, computed once per change of the log.

Summarising a year and drawing its chart costs about a second; fifty officers
opening the log page would each pay it although nothing changed. The result is a
pure function of the period, the log (named by its chain head: an append changes
it), the targets and the local date of ``now``, so it is kept under exactly that key.

Only the newest summary of each period is kept: after an append no page asks for
the old head again, and keeping every head's summary of a year (about 15 MB each,
the per-bulletin lines) made ``radio serve`` grow by that much with every airing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from sqlite_utils import Database

from radio.clock import local
from radio.proof.log import chain_head
from radio.reports import chart
from radio.reports import rows as log_rows
from radio.reports.periods import Period

#: periods kept, each with its newest summary only
_SIZE = 4
#: (database, period, dpi) → (the state the summary was computed from, (summary, chart))
_cache: OrderedDict[tuple, tuple[tuple, tuple]] = OrderedDict()
_lock = threading.Lock()
#: one computation at a time: fifty requests missing the cache together wait for the
#: first instead of each summarising the year again
_computing = threading.Lock()


def _key(db: Database, period: Period | None, now: datetime) -> tuple:
    path = db.execute("PRAGMA database_list").fetchone()[2]
    targets = (db.execute(
        "SELECT group_concat(id || topic || period || minimum || coalesce(applies_from, '') || '~' "
        "|| coalesce(applies_until, ''), ';') FROM targets").fetchone() if db["targets"].exists() else None)
    # the summary depends on now only through the local date (targets' status and days
    # left, the current month of an empty log): keyed by the minute, every minute made
    # the year's summary (about a second) be computed again while fifty requests waited
    return path, repr(period), chain_head(db), targets, local(now).date().isoformat()


def summary_and_chart(db: Database, period: Period | None, now: datetime, *, dpi: int = 100):
    """``(summary, chart PNG bytes)`` for the log page, from the cache when nothing changed."""
    path, period_text, *state = _key(db, period, now)
    slot, state = (path, period_text, dpi), tuple(state)
    with _lock:
        hit = _cache.get(slot)
        if hit is not None and hit[0] == state:
            _cache.move_to_end(slot)
            return hit[1]
    with _computing:
        with _lock:
            hit = _cache.get(slot)
        if hit is not None and hit[0] == state:
            return hit[1]
        summary = log_rows.summarise(db, period, now)
        value = (summary, chart.png(summary.months, dpi=dpi))
    with _lock:
        _cache[slot] = (state, value)
        _cache.move_to_end(slot)
        while len(_cache) > _SIZE:
            _cache.popitem(last=False)
    return value
