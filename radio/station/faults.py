"""Failures on the air path, told in a sentence for the proof log.

The log is hash-chained and read by people preparing CCHC reports, so a reason
names the stage and the cause ("could not write the programme: the disk is
full"), never a library banner or ``OSError: [Errno 28] ...``.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass

#: stages of one occurrence, as they appear in a reason
PREPARE = "could not prepare the programme"
CLAIM = "could not claim the slot in the log"
PLAY = "could not write the programme"  # file output
PLAY_OUT = "could not play the programme"  # sound card, PulseAudio, Icecast
LOG = "could not write the log row"

_ERRNO = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the output folder is on a read-only disk",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "a file or folder is missing",
    errno.ENOTDIR: "a folder on the path is missing or is a file",
    errno.EIO: "the disk reported an input/output error",
    errno.EEXIST: "a file stands where the output folder should be",
}


@dataclass
class AirFailure(Exception):
    """An exception on the air path together with the stage it interrupted."""

    stage: str
    cause: BaseException

    def __str__(self) -> str:
        return f"{self.stage}: {describe(self.cause)}"


def describe(exc: BaseException) -> str:
    """The cause of *exc* in a few words, looking through wrapped exceptions."""
    for cause in _chain(exc):
        if isinstance(cause, AirFailure):
            continue
        if isinstance(cause, sqlite3.OperationalError):
            text = str(cause).lower()
            if "locked" in text or "busy" in text:
                return "the database was locked by another program for too long"
            if "full" in text:
                return "the disk is full"
            if "disk i/o" in text:
                return "the disk refused the write (full or failing)"
            if "readonly" in text or "read-only" in text:
                return "the database is on a read-only disk"
        if isinstance(cause, OSError) and cause.errno in _ERRNO:
            where = f" ({cause.filename})" if cause.filename and cause.errno in (
                errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.EROFS, errno.EEXIST) else ""
            return _ERRNO[cause.errno] + where
    return _first_line(exc)


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.cause if isinstance(exc, AirFailure) else (exc.__cause__ or exc.__context__)


def _first_line(exc: BaseException) -> str:
    """A message without banners: its first line, capped, with the type if it says nothing."""
    text = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else ""
    if len(text) > 200:
        text = text[:197] + "..."
    return text or type(exc).__name__
