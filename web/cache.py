"""Page parts every request shows (the header's alerts and target warnings), computed
once per change of what they are made of rather than once per request.

An entry is kept under a *key* that a view builds from cheap reads which change
whenever the part's inputs change: the proof log's last id (it is append-only),
the rows of a small table, a change counter kept by triggers
(:func:`radio.schedule.plan.inputs_version`), the local date or a coarse time step. So a user who just changed something sees it
on the next page: their write moves the key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")
_locks_lock = threading.Lock()


def cached(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """The value of *compute* for *key*, computed again only when *key* differs from the last one.

    One entry per *name* and app. Requests missing together wait for the first one's
    computation instead of each repeating it. The key is read before computing, so a
    value computed while the data changed is stored under the old key and never
    served for the new one.
    """
    store = current_app.extensions.setdefault("radio.page_cache", {})
    entry = store.get(name)
    if entry is not None and entry[0] == key:
        return entry[1]
    locks = current_app.extensions.setdefault("radio.page_cache_locks", {})
    with _locks_lock:
        lock = locks.setdefault(name, threading.Lock())
    with lock:
        entry = store.get(name)
        if entry is not None and entry[0] == key:
            return entry[1]
        value = compute()
        store[name] = (key, value)
    return value


def last_log_id(db) -> int:
    """The proof log's newest entry id (0 when empty): it moves with every append, and nothing else changes it."""
    return db.execute("SELECT coalesce(max(id), 0) FROM occurrences").fetchone()[0]
