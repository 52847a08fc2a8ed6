"""The station daemon: the one process that owns the schedule and the sound output."""

from .daemon import Station
from .housekeeping import prune_programmes
from .lock import StationLock

__all__ = ["Station", "StationLock", "prune_programmes"]
