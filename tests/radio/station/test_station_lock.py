"""One daemon per data directory, held by a kernel lock rather than by a file's existence."""

import os

import pytest

from radio.errors import StationLockedError
from radio.station import StationLock


def test_deleting_station_lock_does_not_let_a_second_daemon_in(home):
    first = StationLock(home)
    first.acquire()
    try:
        assert home.lock_file.read_text() == str(os.getpid())
        home.lock_file.unlink()  # the attack: a clean-up tool or a hand deletes the file
        with pytest.raises(StationLockedError, match=r"already runs for"):
            StationLock(home).acquire()
        # the pid note is gone: the refusal still names the directory, with no traceback
        with pytest.raises(StationLockedError, match=r"\(pid another process\)"):
            StationLock(home).acquire()
    finally:
        first.release()
    second = StationLock(home)
    second.acquire()  # released: the next daemon takes it
    second.release()


def test_the_refusal_names_the_running_daemon(home):
    first = StationLock(home)
    first.acquire()
    try:
        with pytest.raises(StationLockedError, match=rf"\(pid {os.getpid()}\) already runs for {home.root}"):
            StationLock(home).acquire()
    finally:
        first.release()
