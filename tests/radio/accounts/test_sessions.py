"""Server-side sessions: a token in the cookie, its hash in the store, ended for good."""

from datetime import timedelta

import pytest

from radio.accounts import sessions, users
from radio.accounts.users import OPERATOR

IDLE, LIFETIME = timedelta(minutes=30), timedelta(hours=12)


@pytest.fixture
def station(fresh_db, clock):
    users.add_user(fresh_db, username="canbo", password="loa-thon-ba-2026", role="officer", now=clock.now())
    return fresh_db


def resume(db, token, clock):
    return sessions.resume(db, token, now=clock.now(), idle=IDLE, lifetime=LIFETIME)


def test_start_resume_end(station, clock):
    token = sessions.start(station, "canbo", now=clock.now(), address="127.0.0.1")
    assert len(token) >= 40
    assert resume(station, token, clock)["username"] == "canbo"
    assert token not in {row["id"] for row in station["sessions"].rows}  # only its hash is stored
    sessions.end(station, token)
    assert resume(station, token, clock) is None


@pytest.mark.parametrize("token", [None, "", "made-up", 12, "x" * 10_000])
def test_unknown_tokens(station, clock, token):
    assert resume(station, token, clock) is None


def test_idle_and_lifetime(station, clock):
    token = sessions.start(station, "canbo", now=clock.now())
    clock.advance(IDLE.total_seconds() - 1)
    assert resume(station, token, clock)
    clock.advance(IDLE.total_seconds())
    assert resume(station, token, clock) is None
    assert station["sessions"].count == 0  # expired sessions are deleted

    token = sessions.start(station, "canbo", now=clock.now())
    for _ in range(int(LIFETIME / timedelta(minutes=10)) - 1):
        clock.advance(600)
        assert resume(station, token, clock)
    clock.advance(600)
    assert resume(station, token, clock) is None


def test_disabling_or_new_password_ends_every_session(station, clock):
    first = sessions.start(station, "canbo", now=clock.now())
    second = sessions.start(station, "canbo", now=clock.now())
    users.set_password(station, OPERATOR, "canbo", "mat-khau-moi-2027", now=clock.now())
    assert resume(station, first, clock) is None and resume(station, second, clock) is None
    third = sessions.start(station, "canbo", now=clock.now())
    users.disable_user(station, OPERATOR, "canbo", now=clock.now())
    assert resume(station, third, clock) is None


def test_prune(station, clock):
    sessions.start(station, "canbo", now=clock.now())
    clock.advance(IDLE.total_seconds() + 1)
    live = sessions.start(station, "canbo", now=clock.now())
    assert sessions.prune(station, now=clock.now(), idle=IDLE, lifetime=LIFETIME) == 1
    assert resume(station, live, clock)
