"""Failures on the air path, told as a reason for the proof log.

The log is hash-chained and read by people preparing CCHC reports, so a reason
names the stage and the cause ("could not write the programme: the disk is
full"), never a library banner or ``OSError: [Errno 28] ...``. Stages and causes
are codes of :mod:`radio.wording.reasons`, so the Vietnamese is made from them.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from radio.clock import STATION_TZ
from radio.wording.reasons import Reason, reason

#: stages of one occurrence (reason codes)
PREPARE = "stage_prepare"
CLAIM = "stage_claim"
PLAY = "stage_play"  # file output
PLAY_OUT = "stage_play_out"  # sound card, PulseAudio, Icecast
LOG = "stage_log"

_ERRNO = {
    errno.ENOSPC: "cause_disk_full",
    errno.EDQUOT: "cause_quota",
    errno.EROFS: "cause_read_only_output",
    errno.EACCES: "cause_permission",
    errno.EPERM: "cause_permission",
    errno.ENOENT: "cause_missing",
    errno.ENOTDIR: "cause_not_a_folder",
    errno.EIO: "cause_disk_io",
    errno.EEXIST: "cause_file_in_the_way",
}
#: causes whose file is worth naming
_NAMED_FILE = (errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.EROFS, errno.EEXIST)


@dataclass
class AirFailure(Exception):
    """An exception on the air path together with the stage it interrupted."""

    stage: str
    cause: BaseException

    def reason(self) -> Reason:
        return reason("failure", stage=reason(self.stage), cause=cause_of(self.cause))

    def __str__(self) -> str:
        return self.reason().english()


def hms(when: datetime) -> str:
    """A moment in a reason: station time to the second."""
    return f"{when.astimezone(STATION_TZ):%H:%M:%S}"


def describe(exc: BaseException) -> str:
    """The cause of *exc* in a few words, looking through wrapped exceptions."""
    return cause_of(exc).english()


def cause_of(exc: BaseException) -> Reason:
    """The cause of *exc* as a reason, looking through wrapped exceptions."""
    for cause in _chain(exc):
        if isinstance(cause, AirFailure):
            continue
        if isinstance(cause, sqlite3.OperationalError):
            text = str(cause).lower()
            if "locked" in text or "busy" in text:
                return reason("cause_database_locked")
            if "full" in text:
                return reason("cause_disk_full", where=None)
            if "disk i/o" in text:
                return reason("cause_database_refused")
            if "readonly" in text or "read-only" in text:
                return reason("cause_database_read_only")
        if isinstance(cause, OSError) and cause.errno in _ERRNO:
            named = cause.filename and cause.errno in _NAMED_FILE
            return reason(_ERRNO[cause.errno],
                          where=reason("where", path=str(cause.filename)) if named else None)
    return reason("output_message", text=_first_line(exc))


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
