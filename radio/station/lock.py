"""One station daemon per data directory."""

from __future__ import annotations

import fcntl
import os

from ..errors import StationLockedError
from ..home import Home


class StationLock:
    """One daemon per data directory (an advisory lock on ``station.lock``)."""

    def __init__(self, home: Home):
        self.path = home.lock_file
        self._fh = None

    def acquire(self) -> None:
        self._fh = open(self.path, "a+")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.seek(0)
            holder = self._fh.read().strip() or "another process"
            self._fh.close()
            self._fh = None
            raise StationLockedError(
                f"A station daemon (pid {holder}) already runs for {self.path.parent}."
            ) from None
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(str(os.getpid()))
        self._fh.flush()

    def release(self) -> None:
        if self._fh:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
