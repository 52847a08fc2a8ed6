"""Writing the final row of an occurrence, and deciding when a failed try is tried again.

Every occurrence ends in exactly one row. :meth:`ProofWriter.append` keeps trying while
the database refuses it (busy, disk full: the reserve kept beside the database is given
back for it), and :meth:`ProofWriter.retry_or_fail` counts a failed try and says whether
grace allows another, writing the failed row when it does not.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Callable

from radio.proof import log as prooflog
from radio.store.connection import is_disk_full, release_reserve
from radio.station import faults
from radio.station.progress import Tries
from radio.station.timing import LOG_RETRY_S

log = logging.getLogger("radio.station")


class ProofWriter:
    """The one writer of final rows for the daemon's air jobs.

    :param db: the daemon's shared connection, used under *db_lock*
    :param settings: returns the daemon's current settings (grace, retry interval)
    :param stopping: set when the daemon stops; a row is still owed then, one more try is made
    """

    def __init__(self, db, db_lock: threading.RLock, database, clock, settings: Callable[[], dict],
                 stopping: threading.Event, *, retry_s: float = LOG_RETRY_S):
        self.db, self._db_lock, self._database = db, db_lock, database
        self._clock, self._settings, self._stopping = clock, settings, stopping
        self.retry_s = retry_s

    def append(self, entry: prooflog.Entry) -> None:
        """Write *entry* unless its occurrence is logged already; when the database refuses,
        keep trying and say so, so the occurrence never ends without its row."""
        while True:
            try:
                with self._db_lock:
                    if not prooflog.is_logged(self.db, entry.key):
                        prooflog.append(self.db, entry, now=self._clock.now())
                return
            except Exception as exc:
                if is_disk_full(exc) and release_reserve(self._database):
                    continue  # the reserve is there for this row
                if self._stopping.is_set():
                    log.error("Cannot write the log row of %s (%s) and the station is stopping: "
                              "the next start settles it (closes its claim, catches it up or logs "
                              "it missed)", entry.key, faults.describe(exc))
                    return
                log.warning("Cannot write the log row of %s (%s); trying again in %.0f s",
                            entry.key, faults.describe(exc), self.retry_s)
                # not the stop event: a row is owed even while stopping, one more try is made
                self._clock.wait(threading.Event(), self.retry_s)

    def retry_or_fail(self, entry: prooflog.Entry, failure: faults.AirFailure, tries: Tries) -> bool:
        """Count a failed try of *entry*'s occurrence; True once the retry is due (the next try
        checks the log first), False when the occurrence is over: grace ran out (its failed
        row, *entry* with the tries as reason, is written) or the daemon is stopping."""
        settings = self._settings()
        now = self._clock.now()
        tries.add(now, failure)
        retry_s = float(settings["output_retry_s"])
        grace = timedelta(minutes=settings["grace_minutes"])
        # tries keep to a grid from the first one, however long each took to fail
        next_at = max(tries.first + timedelta(seconds=retry_s * tries.count), now)
        if not self._stopping.is_set() and next_at - entry.scheduled_at <= grace:
            wait_s = (next_at - now).total_seconds()
            log.warning("%s failed (%s); retrying in %.0f s", entry.key, failure, wait_s)
            return not self._clock.wait(self._stopping, wait_s)
        if self._stopping.is_set():
            # stopped before the retry: the next start catches it up or logs it missed
            return False
        log.error("%s failed for good: %s", entry.key, tries.reason())
        entry.status, entry.reasons = "failed", [tries.reason()]
        self.append(entry)
        return False
