"""The station daemon: the one process that owns the schedule and the sound output.

It reconciles the log with the schedule, decides the running order (:mod:`.decide`, the one home of
"when the running order is fixed"), airs each occurrence (:mod:`.airing`), writes the proof row from
the player, and keeps itself (:mod:`.housekeeping`, :mod:`.lock`). :mod:`.status` and :mod:`.health`
are what the admin reads of it; :mod:`.simulation` runs its bookkeeping over simulated days.

The public face is :class:`Station`, :class:`StationLock` and :func:`prune_programmes`; they are
imported on first use, so the admin reading :mod:`.status` does not load the scheduler and the
sound outputs.
"""

from __future__ import annotations

import importlib

_FACE = {
    "Station": "radio.station.daemon",
    "StationLock": "radio.station.lock",
    "prune_programmes": "radio.station.housekeeping",
}

__all__ = sorted(_FACE)


def __getattr__(name: str):
    if name in _FACE:
        return getattr(importlib.import_module(_FACE[name]), name)
    raise AttributeError(f"module 'radio.station' has no attribute {name!r}")
