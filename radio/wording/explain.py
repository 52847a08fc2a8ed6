"""One sentence with the fix for each failure of the machine a user can meet.

The library raises :class:`~radio.errors.RadioError` for broken rules; the
failures here come from underneath it (SQLite, the disk, the speech engines)
and arrive as library-specific exceptions with terse texts such as
``disk I/O error``. A front end calls :func:`explain` once, at its
outermost layer (the CLI's root group does), instead of each command
guessing.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from content.engines.base import EngineError

from radio.errors import RadioError
from radio.store import connection  # BUSY_TIMEOUT_S read at call time (tests shorten it)

_OS_FIXES = {
    errno.ENOSPC: "the disk is full; free some space (df -h shows it) and try again",
    errno.EDQUOT: "the disk quota is used up; free some space and try again",
    errno.EFBIG: "the file is larger than this system allows; free some space or raise the limit",
    errno.EACCES: "permission denied; run as the station's user or fix the owner (ls -l shows it)",
    errno.EPERM: "operation not permitted; run as the station's user or fix the owner (ls -l shows it)",
    errno.EROFS: "the file system is read-only; remount it read-write or choose another data directory",
    errno.ENOENT: "it does not exist; check the path",
    errno.ENOTDIR: "a part of the path is not a folder; check the path",
    errno.EISDIR: "it is a folder, not a file; give a file name",
    errno.EIO: "input/output error: the disk may be failing; check it (dmesg) and try again",
}


def _database_error(exc: sqlite3.Error, database: Path | None) -> str:
    where = f"The station database {database}" if database else "The station database"
    text = str(exc)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return (f"{where} is locked by another program and stayed locked past the {connection.BUSY_TIMEOUT_S:g} s wait; "
                "wait until the other write finishes (another radio command, or a database tool "
                "holding a transaction), then try again.")
    if "readonly" in lowered or "read-only" in lowered:
        return (f"{where} is read-only for this user; make the data directory and its files "
                "writable (ls -l shows the owner), or run as the station's user.")
    if "unable to open" in lowered:
        return (f"{where} cannot be opened: the data directory is missing or not writable; "
                "check it exists and this user may write to it.")
    if "disk i/o" in lowered or "full" in lowered:
        return (f"{where} could not be written ({text}): the disk is probably full or failing; "
                "free some space (df -h shows it) and try again.")
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return (f"{where} is damaged ({text}); restore it from a backup "
                "(`sqlite3 radio.db .recover` may save what is left).")
    return f"{where} failed: {text}."


def explain(exc: BaseException, *, database: Path | None = None) -> str | None:
    """The user's message for *exc*, or ``None`` if it is not a known kind of failure.

    :param database: the station database path, named in database messages
    """
    if isinstance(exc, RadioError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return _database_error(exc, database)
    if isinstance(exc, EngineError):
        return (f"Speech could not be made: {exc}. Check the network for gTTS, "
                "or choose another engine (--engine espeak).")
    if isinstance(exc, OSError):
        head = f"Cannot use {exc.filename}" if exc.filename else "A file could not be read or written"
        return f"{head}: {_OS_FIXES.get(exc.errno) or exc.strerror or exc}."
    if isinstance(exc, MemoryError):
        return "Out of memory; close other programs and try again."
    return None
