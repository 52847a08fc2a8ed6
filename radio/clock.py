"""Clocks injected into everything that needs the time.

Schedule and proof-log logic never call ``datetime.now()`` themselves; they
take a clock, so tests can simulate weeks in milliseconds and DST/midnight
edges stay testable.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

STATION_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class SystemClock:
    """Wall time in UTC plus a monotonic clock, both real."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Wait *seconds* or until *event* is set; True if it was set."""
        return event.wait(seconds)

    def wall(self, when: datetime) -> datetime:
        """The real wall-clock instant at which this clock reads *when* (for a scheduler
        that fires on real time, such as APScheduler)."""
        return when


class OffsetClock(SystemClock):
    """Real time shifted by a fixed offset: it runs, sleeps and waits at real speed.

    For end-to-end tests about decisions, not about time: the daemon can start a few
    seconds before a slot instead of a real minute's lead (``RADIO_TEST_CLOCK``).
    """

    def __init__(self, offset: timedelta):
        self.offset = offset

    @classmethod
    def starting_at(cls, start: datetime) -> OffsetClock:
        """A clock that reads *start* now and runs on from there."""
        if start.tzinfo is None:
            raise ValueError("OffsetClock needs an aware datetime")
        return cls(start - datetime.now(UTC))

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def wall(self, when: datetime) -> datetime:
        return when - self.offset


def offset_clock_from(value: str) -> OffsetClock:
    """The clock ``RADIO_TEST_CLOCK`` asks for: an aware ISO 8601 instant the clock reads
    now (``2026-11-26T05:29:57+07:00``), or seconds ahead of real time (``+57``, ``-30``).

    :raises ValueError: neither
    """
    text = value.strip()
    if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text):  # not float(): it takes "nan", "1e9", "٣"
        return OffsetClock(timedelta(seconds=float(text)))
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{value!r} is neither an ISO 8601 instant nor a number of seconds") from None
    if start.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return OffsetClock.starting_at(start)


class ManualClock:
    """A clock that only moves when told to (tests, simulations).

    ``sleep`` advances the clock instead of waiting, so code that sleeps
    until a deadline runs instantly under test.
    """

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._mono = 1000.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._mono += seconds

    def set(self, when: datetime) -> None:
        """Jump the wall clock (a clock jump or a machine that was off)."""
        with self._lock:
            delta = (when.astimezone(UTC) - self._now).total_seconds()
            self._now = when.astimezone(UTC)
            self._mono += max(delta, 0.0)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Advance by *seconds* at once (unless *event* is set); True if it is set."""
        if not event.is_set():
            self.sleep(seconds)
        return event.is_set()

    def wall(self, when: datetime) -> datetime:
        return when


def to_utc_text(when: datetime) -> str:
    """The one text form of a stored instant: UTC ISO 8601, milliseconds, sortable."""
    if when.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    return when.astimezone(UTC).isoformat(timespec="milliseconds")


def from_utc_text(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def local(when: datetime) -> datetime:
    """The instant shown in Asia/Ho_Chi_Minh, as users read it."""
    return when.astimezone(STATION_TZ)


def local_text(text_or_dt: str | datetime | None, fmt: str = "%d/%m/%Y %H:%M:%S") -> str:
    if text_or_dt is None or text_or_dt == "":
        return ""
    when = from_utc_text(text_or_dt) if isinstance(text_or_dt, str) else text_or_dt
    return local(when).strftime(fmt)
