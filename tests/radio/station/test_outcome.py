"""What one play came to, decided by a pure function of what the output reported."""

import errno
from datetime import datetime, timedelta, timezone

import pytest

from radio.station import classify
from radio.station.faults import PLAY, PLAY_OUT
from radio.station.outcome import Expected, Played
from radio.wording import reasons
from radio.wording.reasons import reason

AT = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)  # 08:00 station time
STALL = [(AT + timedelta(seconds=1), 20.0)]
TRIED = reason("after_failed_try", at="08:00:00", failure=reason(
    "failure", stage=reason("stage_claim"), cause=reason("cause_database_locked")))

CASES = [
    # (what the output reported, what was planned, status, seconds, English reason)
    (Played(2.0, completed=True, started_at=AT), Expected(AT), "aired", 2.0, None),
    (Played(2.0, completed=True, started_at=AT + timedelta(seconds=1.5)), Expected(AT), "aired", 2.0, None),
    (Played(2.0, completed=True, started_at=AT + timedelta(seconds=90)), Expected(AT, tries_note=TRIED),
     "aired", 2.0, "started 90 s late; after 1 failed try, the first at 08:00:00: could not claim the slot "
                   "in the log: the database was locked by another program for too long"),
    (Played(2.0, completed=True, started_at=AT, breaks=2), Expected(AT), "aired", 2.0,
     "the sound broke up 2 times for a moment (the output ran dry)"),
    (Played(2.0, completed=True, started_at=AT, breaks=1), Expected(AT, notes=["approved bulletins left out"]),
     "aired", 2.0, "the sound broke up once for a moment (the output ran dry); approved bulletins left out"),
    (Played(2.0, completed=True, started_at=AT, dead_air=STALL), Expected(AT), "partial", 2.0,
     "dead air of 20 s at 08:00:01"),
    (Played(1.2, started_at=AT, cause=OSError(errno.EIO, "I/O error")), Expected(AT), "partial", 1.2,
     "the output stopped after 1.2 s: the disk reported an input/output error"),
    (Played(1.2, started_at=AT, error="pacat exited with status 1"), Expected(AT), "partial", 1.2,
     "the output stopped after 1.2 s: pacat exited with status 1"),
    (Played(1.2, started_at=AT), Expected(AT), "partial", 1.2, "the output stopped after 1.2 s: unknown cause"),
    (Played(1.2, started_at=AT, cut=reason("urgent_interrupted", bulletin_id=9)), Expected(AT), "partial", 1.2,
     "interrupted by urgent bulletin #9"),
    (Played(0.0, cut=reason("station_stopped")), Expected(AT), "failed", 0.0, "station stopped"),
]


@pytest.mark.parametrize("played, expected, status, seconds, english", CASES)
def test_classify(played, expected, status, seconds, english):
    outcome = classify(played, expected)
    assert outcome.on_air and outcome.stage is None
    assert (outcome.status, outcome.seconds) == (status, seconds)
    assert reasons.english(outcome.reasons) == english


@pytest.mark.parametrize("to_file, stage, english", [
    (True, PLAY, "could not write the programme: the disk is full"),
    (False, PLAY_OUT, "could not play the programme: the disk is full"),
])
def test_nothing_on_air_is_a_failure_with_its_stage_and_cause(to_file, stage, english):
    outcome = classify(Played(0.0, cause=OSError(errno.ENOSPC, "No space left")), Expected(AT, to_file=to_file))
    assert not outcome.on_air
    assert outcome.status == "failed" and outcome.stage == stage
    assert outcome.cause == reason("cause_disk_full", where=None)
    assert outcome.failure.english() == english


def test_an_output_that_played_nothing_and_said_nothing_says_so():
    outcome = classify(Played(0.0), Expected(AT))
    assert outcome.failure.english() == "could not play the programme: the output played nothing"
    assert reasons.say(outcome.failure, reasons.VI) == "không phát được chương trình: đường phát không phát ra gì"


def test_dead_air_and_breaks_are_fields_too():
    outcome = classify(Played(2.0, completed=True, started_at=AT, dead_air=STALL, breaks=3), Expected(AT))
    assert outcome.dead_air == STALL and outcome.breaks == 3
    assert reasons.vietnamese(outcome.reasons) == ("mất tiếng 20 giây lúc 08:00:01; âm thanh bị ngắt quãng "
                                                   "chốc lát 3 lần (đường phát bị cạn dữ liệu)")
