"""Urgent requests: taken by a daemon in time, or expired and never aired."""

from datetime import timedelta

import pytest

from radio.bulletins import lifecycle as bulletins
from radio.schedule import commands
from radio.errors import StateError
from tests.support.actors import LEADER, OFFICER


def approved(db, clock):
    bulletin_id = bulletins.add_bulletin(db, actor=OFFICER, title="Cảnh báo bão", text="Bão số 5 đổ bộ.", now=clock.now(),
                                         priority="urgent")
    bulletins.approve_bulletin(db, bulletin_id, actor=LEADER, expected_sha256=None, by="leader", now=clock.now())
    return bulletin_id


def test_a_request_taken_in_time_is_handed_to_the_daemon(fresh_db, clock):
    cmd_id = commands.request_play_now(fresh_db, approved(fresh_db, clock), actor=LEADER, by="x", now=clock.now(),
                                       expires_in_s=30)
    clock.advance(29)
    (taken,) = commands.take_pending(fresh_db, clock.now())
    assert (taken.id, taken.state) == (cmd_id, "taken")
    assert commands.get_command(fresh_db, cmd_id).state == "taken"
    assert commands.take_pending(fresh_db, clock.now()) == []  # never twice


def test_a_daemon_starting_after_the_expiry_marks_it_and_never_airs_it(fresh_db, clock):
    cmd_id = commands.request_play_now(fresh_db, approved(fresh_db, clock), actor=LEADER, by="x", now=clock.now(),
                                       expires_in_s=30)
    clock.advance(30)
    assert commands.take_pending(fresh_db, clock.now()) == []
    command = commands.get_command(fresh_db, cmd_id)
    assert command.state == "expired" and command.handled_at == clock.now()
    clock.advance(3600)
    assert commands.take_pending(fresh_db, clock.now()) == []


def test_await_outcome_expires_an_untaken_request_at_its_deadline(fresh_db, clock):
    start = clock.now()
    cmd_id = commands.request_play_now(fresh_db, approved(fresh_db, clock), actor=LEADER, by="x", now=start, expires_in_s=30)
    outcome = commands.await_outcome(fresh_db, cmd_id, clock)
    assert outcome.state == "expired"
    assert outcome.handled_at - start == timedelta(seconds=30)
    assert commands.take_pending(fresh_db, clock.now() + timedelta(hours=5)) == []


def test_await_outcome_reports_a_daemon_that_takes_it_while_waiting(fresh_db, clock):
    cmd_id = commands.request_play_now(fresh_db, approved(fresh_db, clock), actor=LEADER, by="x", now=clock.now(),
                                       expires_in_s=30)

    class DaemonAfterThreeSeconds:
        def now(self):
            return clock.now()

        def sleep(self, seconds):
            clock.advance(seconds)
            if clock.now() - commands.get_command(fresh_db, cmd_id).requested_at >= timedelta(seconds=3):
                commands.take_pending(fresh_db, clock.now())

    outcome = commands.await_outcome(fresh_db, cmd_id, DaemonAfterThreeSeconds())
    assert outcome.state == "taken"


def test_expire_never_overrides_a_daemon_that_took_it_first(fresh_db, clock):
    cmd_id = commands.request_play_now(fresh_db, approved(fresh_db, clock), actor=LEADER, by="x", now=clock.now())
    commands.take_pending(fresh_db, clock.now())
    assert commands.expire(fresh_db, cmd_id, clock.now() + timedelta(minutes=1)).state == "taken"


def test_only_approved_bulletins_can_be_requested(fresh_db, clock):
    draft = bulletins.add_bulletin(fresh_db, actor=OFFICER, title="Nháp", text="Chưa duyệt.", now=clock.now())
    with pytest.raises(StateError, match="not approved"):
        commands.request_play_now(fresh_db, draft, actor=LEADER, by="x", now=clock.now())
    assert fresh_db["commands"].count == 0
