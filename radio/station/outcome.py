"""What one play of a programme came to: aired, partial or failed, decided from what the
output reported, as data.

:func:`classify` is pure: the :class:`Player` hands it what it saw (:class:`Played`) and
what was planned (:class:`Expected`), and writes the row the :class:`Outcome` says. The
stage and the cause of a failure are fields, and the reason is a list of
:class:`~radio.wording.reasons.Reason` codes, so the Vietnamese is never parsed back out
of the English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from radio.station import faults
from radio.station.timing import LATE_NOTE_S
from radio.wording.reasons import Reason, as_reason, reason

AIRED, PARTIAL, FAILED = "aired", "partial", "failed"


@dataclass
class Played:
    """What the output reported of one play."""

    seconds: float
    completed: bool = False
    started_at: datetime | None = None
    dead_air: list[tuple[datetime, float]] = field(default_factory=list)
    breaks: int = 0
    #: the exception that ended the play (raised, or the output's result's cause)
    cause: BaseException | None = None
    #: the output's own message when it gave no exception
    error: str | None = None
    #: why the station cut it (an urgent bulletin, a stop), if it did
    cut: Reason | None = None


@dataclass
class Expected:
    """What was planned: the instant, the kind of output, the notes of the running order,
    and the failed tries before this one."""

    scheduled_at: datetime
    to_file: bool = False
    notes: list[str | Reason] = field(default_factory=list)
    #: the reason that ends an aired or partial row after failed tries (None: no tries)
    tries_note: Reason | None = None


@dataclass
class Outcome:
    status: str
    seconds: float
    breaks: int = 0
    dead_air: list[tuple[datetime, float]] = field(default_factory=list)
    #: when nothing went on air: the stage and the cause (the try is retried within grace)
    stage: str | None = None
    cause: Reason | None = None
    reasons: list[Reason] = field(default_factory=list)

    @property
    def on_air(self) -> bool:
        """False when the output put nothing out and the station did not cut it: a retry."""
        return self.stage is None

    @property
    def failure(self) -> Reason | None:
        return reason("failure", stage=reason(self.stage), cause=self.cause) if self.stage else None


def classify(played: Played, expected: Expected) -> Outcome:
    """The outcome of one play (pure)."""
    seconds, dead_air = played.seconds, list(played.dead_air)
    if seconds <= 0 and played.cut is None:
        stage = faults.PLAY if expected.to_file else faults.PLAY_OUT
        return Outcome(FAILED, 0.0, played.breaks, dead_air, stage=stage, cause=_cause(played, "cause_played_nothing"))
    if played.completed and not dead_air:
        status, parts = AIRED, [_late(played, expected)]
    elif seconds > 0:
        cut = played.cut
        if cut is None and not played.completed:
            cut = reason("output_stopped", seconds=float(seconds), cause=_cause(played, "cause_unknown"))
        status, parts = PARTIAL, [cut, *dead_air_notes(dead_air)]
    else:
        status, parts = FAILED, [played.cut or reason("nothing_played")]
    parts += [break_note(played.breaks), *(as_reason(n) for n in expected.notes)]
    if status != FAILED:
        parts.append(expected.tries_note)
    return Outcome(status, float(seconds), played.breaks, dead_air, reasons=[p for p in parts if p])


def dead_air_notes(dead_air: list[tuple[datetime, float]]) -> list[Reason]:
    """One "dead air of 20 s at 09:31:05" (station time) for each stall."""
    return [reason("dead_air", seconds=float(s), at=faults.hms(when)) for when, s in dead_air]


def break_note(breaks: int | None) -> Reason | None:
    """Listeners heard all of the programme, with a short silence at each break."""
    if not breaks:
        return None
    return reason("sound_broke_once") if breaks == 1 else reason("sound_broke", count=int(breaks))


def _late(played: Played, expected: Expected) -> Reason | None:
    late_s = (played.started_at - expected.scheduled_at).total_seconds() if played.started_at else 0.0
    return reason("late_start", late_s=float(late_s)) if late_s >= LATE_NOTE_S else None


def _cause(played: Played, otherwise: str) -> Reason:
    if played.cause is not None:
        return faults.cause_of(played.cause)
    return reason("output_message", text=played.error) if played.error else reason(otherwise)
