"""Bookkeeping of one occurrence while it is on air or being retried.

:class:`ProgressRecorder` writes the seconds the output consumed onto the claim
about every second, so a row closed after a crash (kill -9, power cut) says
how much was heard. :class:`Tries` counts failed tries for the final reason.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from pathlib import Path

from audio.outputs.base import Progress

from radio.proof import log as prooflog
from radio.store.connection import connect
from radio.station import faults
from radio.station.timing import PROGRESS_BUSY_S, PROGRESS_INTERVAL_S
from radio.wording.reasons import Reason, reason

log = logging.getLogger("radio.station")


class ProgressRecorder:
    """A thread that copies *progress* onto the claim of *key* while the output plays.

    It has its own connection with a short busy timeout: a busy or full database
    makes it skip a beat (logged once), never hold up the programme.
    """

    def __init__(self, database: Path | str, key: str, progress: Progress, clock,
                 interval_s: float = PROGRESS_INTERVAL_S):
        self._database, self._key, self._progress, self._clock = database, key, progress, clock
        self._interval_s = interval_s
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"progress-{self._key}")
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        if self._thread:
            self._thread.join(5)

    def _run(self) -> None:
        try:
            db = connect(self._database, busy_timeout_s=PROGRESS_BUSY_S, migrate=False)
        except Exception as exc:
            log.warning("Cannot record the progress of %s: %s", self._key, faults.describe(exc))
            return
        try:
            while not self._done.wait(self._interval_s):
                self.record(db)
            # the play is over: its last seconds go on the claim now, not up to a second
            # short, so a crash before the row is written still says all was output
            self.record(db)
        finally:
            db.conn.close()

    def record(self, db) -> None:
        seconds, stalls, breaks = self._progress.snapshot()
        try:
            prooflog.progress(db, self._key, seconds_played=seconds, at=self._clock.now(), dead_air=stalls,
                              breaks=breaks)
            if self._failing:
                log.info("Recording the progress of %s again", self._key)
            self._failing = False
        except Exception as exc:
            if not self._failing:
                log.warning("Cannot record the progress of %s (%s); the programme plays on",
                            self._key, faults.describe(exc))
            self._failing = True


class Tries:
    """Failed tries of one occurrence, for the reason of its final row."""

    def __init__(self):
        self.count = 0
        self.first: datetime | None = None
        self.last: datetime | None = None
        self.first_failure: Reason | None = None
        self.failure: Reason | None = None

    def add(self, when: datetime, failure: faults.AirFailure | Reason) -> None:
        failure = failure.reason() if isinstance(failure, faults.AirFailure) else failure
        self.count += 1
        self.first = self.first or when
        self.last = when
        self.first_failure = self.first_failure or failure
        self.failure = failure

    def span(self) -> Reason:
        if self.count == 1:
            return reason("one_try", at=faults.hms(self.first))
        return reason("tries", count=self.count, first=faults.hms(self.first), last=faults.hms(self.last))

    def reason(self) -> Reason:
        """The reason of a failed row: the last failure, then the tries."""
        return reason("failed_tries", failure=self.failure, span=self.span())

    def note(self) -> Reason | None:
        """Appended to the reason of a row that aired after failed tries (None: no tries)."""
        if not self.count:
            return None
        if self.count == 1:
            return reason("after_failed_try", at=faults.hms(self.first), failure=self.first_failure)
        return reason("after_failed_tries", count=self.count, at=faults.hms(self.first),
                      failure=self.first_failure)
