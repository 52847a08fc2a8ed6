"""The station daemon: the one process that owns the schedule and the sound output."""

from radio.station.daemon import Station
from radio.station.housekeeping import prune_programmes
from radio.station.lock import StationLock

__all__ = ["Station", "StationLock", "prune_programmes"]
