"""Keeping aired programmes replayable, on a thread of its own.

:func:`radio.proof.replay.secure` re-assembles an aired programme once before the
clean-up deletes its WAV: about a minute for 15 minutes of audio on a loaded
PC. On the render thread every render due meanwhile waited behind it, so it
runs here instead, started and stopped with the daemon. A pass that fails (a
locked database, a helper process killed) is logged and tried again at the
next interval; a thread that died is started again by the daemon's heartbeat
(:meth:`ProofKeeper.ensure_running`).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Callable

from audio import worker

from radio.proof import replay
from radio.store.home import Home
from radio.store.connection import connect
from radio.station import memory
from radio.station.faults import describe
from radio.station.housekeeping import prune_programmes

log = logging.getLogger("radio.station.proof")

#: seconds between passes (the render job's interval, which ran it before)
INTERVAL_S = 30.0


class ProofKeeper:
    """Runs :func:`~radio.station.housekeeping.prune_programmes` every :data:`INTERVAL_S`.

    :param settings: returns the daemon's current settings.
    :param now: returns the current time (the daemon's clock).
    :param secure: :func:`radio.proof.replay.secure`, or a stand-in for tests.
    """

    def __init__(self, home: Home, settings: Callable[[], dict], now: Callable, *,
                 interval_s: float = INTERVAL_S, secure: Callable = replay.secure):
        self.home = home
        self._settings = settings
        self._now = now
        self.interval_s = interval_s
        self._secure = secure
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool = worker.Pool()  # its own helper, so stop() can end a re-assembly alone
        self.passes = 0  # completed passes, for tests and the benchmark

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="proof-keeper", daemon=True)
        self._thread.start()

    def ensure_running(self) -> bool:
        """Start the thread again if it died; True if it had to."""
        if self._stop.is_set() or self._thread is None or self._thread.is_alive():
            return False
        log.error("The proof keeper thread had stopped; starting it again")
        self.start()
        return True

    def wake(self) -> None:
        """Run a pass now rather than at the next interval."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the pass in progress; a re-assembly in a helper process is cut short."""
        self._stop.set()
        self._wake.set()
        self._pool.stop()
        thread = self._thread
        if thread is not None and thread.is_alive():
            thread.join(timeout)

    def _loop(self) -> None:
        worker.use(self._pool)
        while not self._stop.is_set():
            self.run_once()
            self._wake.wait(self.interval_s)
            self._wake.clear()

    def run_once(self) -> None:
        """One pass; errors are logged, and the next pass tries again."""
        try:
            settings = self._settings()
            db = connect(self.home.database)
            try:
                prune_programmes(self.home, self._now(), days=settings["keep_programmes_days"], db=db,
                                 keep_proof_days=settings["keep_proof_days"], secure=self._secure)
            finally:
                db.conn.close()
            self.passes += 1
            memory.trim()  # what an airing or a big admin page freed goes back to the system
        except (sqlite3.OperationalError, OSError) as exc:
            # the station's conditions (a database locked by another program, a full
            # disk): a line that names the cause; the WAVs wait for the next pass
            if not self._stop.is_set():
                log.warning("Keeping aired programmes replayable failed (%s); trying again in %.0f s",
                            describe(exc), self.interval_s)
        except Exception:
            if not self._stop.is_set():
                log.exception("Keeping aired programmes replayable failed; trying again in %.0f s",
                              self.interval_s)
