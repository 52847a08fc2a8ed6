"""One station daemon per data directory."""

from __future__ import annotations

import fcntl
import os

from radio.errors import StationLockedError
from radio.store.home import Home


class StationLock:
    """One daemon per data directory: a kernel lock (``flock``) on the data directory itself.

    The lock is held on the directory, not on a file in it: a lock file can be deleted
    (by hand, by a clean-up tool) while the daemon runs, and a second daemon would then
    lock a new file of the same name and run beside the first. The directory exists as
    long as the station does, and the kernel drops the lock when the daemon dies, however
    it dies. ``station.lock`` only carries the holder's pid, for the message.
    """

    def __init__(self, home: Home):
        self.root = home.root
        self.path = home.lock_file  # the pid note
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock (again: nothing); :raise StationLockedError: another daemon holds it."""
        if self._fd is not None:
            return
        fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StationLockedError(
                f"A station daemon (pid {self._holder()}) already runs for {self.root}."
            ) from None
        self._fd = fd
        try:
            with open(self.path, "w") as fh:
                fh.write(str(os.getpid()))
        except OSError:  # a full or read-only disk: the note is for the message only
            pass

    def _holder(self) -> str:
        try:
            return self.path.read_text().strip() or "another process"
        except OSError:
            return "another process"

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
