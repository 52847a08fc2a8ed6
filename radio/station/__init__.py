"""The station daemon: the one process that owns the schedule and the sound output.

:class:`Station` composes collaborating objects: the :class:`Reconciler` settles what was owed
while it was away, :mod:`.decide` fixes the running order (the one home of "when the running
order is fixed"), the :class:`Airer` prepares each occurrence, the :class:`Player` plays it and
:func:`classify` says what it came to (an :class:`Outcome`), the :class:`ProofWriter` writes its
row, and the :class:`Jobs` are handed to a scheduler made by :func:`make_scheduler` (or the one
injected). It keeps itself (:mod:`.housekeeping`, :mod:`.lock`). :mod:`.status` and :mod:`.health`
are what the admin reads of it; :mod:`.simulation` runs its bookkeeping over simulated days.

The public face below is imported on first use, so the admin reading :mod:`.status` does not
load the scheduler and the sound outputs.
"""

from __future__ import annotations

import importlib

_FACE = {
    "Station": "radio.station.daemon",
    "Airer": "radio.station.airing",
    "Jobs": "radio.station.jobs",
    "make_scheduler": "radio.station.jobs",
    "Outcome": "radio.station.outcome",
    "classify": "radio.station.outcome",
    "Player": "radio.station.player",
    "ProofWriter": "radio.station.proof_writer",
    "Reconciler": "radio.station.reconcile",
    "StationLock": "radio.station.lock",
    "prune_programmes": "radio.station.housekeeping",
}

__all__ = sorted(_FACE)


def __getattr__(name: str):
    if name in _FACE:
        return getattr(importlib.import_module(_FACE[name]), name)
    raise AttributeError(f"module 'radio.station' has no attribute {name!r}")
