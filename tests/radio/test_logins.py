"""Logging in: one answer for unknown users and wrong passwords, in the same time;
a growing delay, then a lockout, per account and per address; disabled and demo accounts."""

import statistics
import time

import pytest

from radio import audit, logins, users
from radio.users import OPERATOR

GOOD = "loa-thon-ba-2026"
HOME = "192.168.1.20"


@pytest.fixture
def station(fresh_db, clock):
    users.add_user(fresh_db, username="canbo", password=GOOD, role="officer", now=clock.now())
    return fresh_db


def login(db, clock, username="canbo", password=GOOD, address=HOME, **kw):
    return logins.login(db, username, password, address=address, now=clock.now(), **kw)


def test_right_password_logs_in(station, clock):
    assert login(station, clock)["username"] == "canbo"
    assert login(station, clock, username="  CanBo ")["username"] == "canbo"


@pytest.mark.parametrize("username, password", [("canbo", "wrong-password"), ("nobody", GOOD), ("", ""),
                                                ("canbo", "x" * 100_000)])
def test_unknown_user_and_wrong_password_get_one_answer(station, clock, username, password):
    with pytest.raises(logins.WrongPasswordError, match=r"^Wrong username or password\.$"):
        login(station, clock, username=username, password=password)


def test_failures_grow_the_delay_then_lock(station, clock):
    for _ in range(logins.FREE_PER_ACCOUNT):
        with pytest.raises(logins.WrongPasswordError):
            login(station, clock, password="doan-bua-mot")
    waits = []
    for _ in range(4):
        with pytest.raises(logins.LoginThrottledError) as refused:
            login(station, clock)  # even the right password is refused while waiting
        waits.append(refused.value.wait_seconds)
        clock.advance(refused.value.wait_seconds)
        with pytest.raises(logins.WrongPasswordError):
            login(station, clock, password="doan-bua-mot")
    assert waits == [30, 60, 120, 240]
    with pytest.raises(logins.LoginThrottledError) as refused:
        login(station, clock)
    assert refused.value.wait_seconds == 480
    clock.advance(480)
    assert login(station, clock)["username"] == "canbo"
    # success clears the account's count
    with pytest.raises(logins.WrongPasswordError):
        login(station, clock, password="doan-bua-mot")
    assert logins.retry_after(station, "canbo", HOME, now=clock.now()) == 0


def test_lockout_is_capped_and_expires(station, clock):
    for n in range(40):
        try:
            login(station, clock, password="doan-bua-mot", address=f"10.0.0.{n}")
        except logins.LoginThrottledError as exc:
            assert exc.wait_seconds <= logins.MAX_DELAY.total_seconds()
            clock.advance(exc.wait_seconds)
        except logins.WrongPasswordError:
            pass
    assert logins.retry_after(station, "canbo", HOME, now=clock.now()) <= 15 * 60
    clock.advance((logins.WINDOW + logins.MAX_DELAY).total_seconds())
    assert login(station, clock)["username"] == "canbo"


def test_unknown_usernames_are_throttled_too(station, clock):
    for _ in range(logins.FREE_PER_ACCOUNT):
        with pytest.raises(logins.WrongPasswordError):
            login(station, clock, username="khongco")
    with pytest.raises(logins.LoginThrottledError):
        login(station, clock, username="khongco")


def test_one_address_spraying_many_accounts_is_throttled(station, clock):
    for n in range(logins.FREE_PER_ADDRESS):
        with pytest.raises(logins.WrongPasswordError):
            login(station, clock, username=f"user{n}", password="123456789a")
    with pytest.raises(logins.LoginThrottledError):
        login(station, clock)
    assert login(station, clock, address="192.168.1.21")["username"] == "canbo"


def test_lockout_is_audited_once(station, clock):
    for _ in range(logins.FREE_PER_ACCOUNT):
        with pytest.raises(logins.WrongPasswordError):
            login(station, clock, password="doan-bua-mot")
    rows = [r for r in audit.entries(station) if r["action"] == "user.lockout"]
    assert len(rows) == 1 and rows[0]["target"] == "user:canbo" and rows[0]["detail"]["address"] == HOME


def test_disabled_account(station, clock):
    users.disable_user(station, OPERATOR, "canbo", now=clock.now())
    with pytest.raises(logins.AccountDisabledError):
        login(station, clock)
    with pytest.raises(logins.WrongPasswordError):  # the wrong password says nothing more
        login(station, clock, password="doan-bua-mot")


def test_demo_accounts_only_under_radio_demo(fresh_db, clock):
    users.add_user(fresh_db, username="lanhdao", password="Demo-UBND-2026", role="leader",
                   now=clock.now(), demo=True)
    with pytest.raises(logins.DemoAccountError, match="radio user passwd lanhdao"):
        login(fresh_db, clock, username="lanhdao", password="Demo-UBND-2026")
    assert login(fresh_db, clock, username="lanhdao", password="Demo-UBND-2026", allow_demo=True)
    users.set_password(fresh_db, OPERATOR, "lanhdao", "chu-tich-moi-2027", now=clock.now())
    assert login(fresh_db, clock, username="lanhdao", password="chu-tich-moi-2027")


def test_response_time_does_not_tell_which_usernames_exist(station, clock):
    """Before: unknown user ~5 ms, wrong password ~115 ms. Both now verify a scrypt hash."""
    def timed(username):
        clock.advance((logins.WINDOW + logins.MAX_DELAY).total_seconds())  # stay under the limit
        start = time.perf_counter()
        with pytest.raises(logins.WrongPasswordError):
            login(station, clock, username=username, password="doan-sai-mat-khau")
        return time.perf_counter() - start

    unknown, wrong = [], []
    for _ in range(9):  # interleaved, so machine load hits both alike
        unknown.append(timed("khongtontai"))
        wrong.append(timed("canbo"))
    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert 0.5 < ratio < 2.0, (statistics.median(unknown), statistics.median(wrong))


def test_radio_demo_seeds_demo_accounts_that_log_in_only_under_demo(home, db, clock):
    from radio.demo import seed

    accounts = seed(db, home, now=clock.now())
    for username, password, role in accounts:
        user = users.get_user(db, username)
        assert user["role"] == role and users.is_untouched_demo(user)
        with pytest.raises(logins.DemoAccountError):
            login(db, clock, username=username, password=password)
        assert login(db, clock, username=username, password=password, allow_demo=True)
    seed(db, home, now=clock.now())  # idempotent: no second set of accounts
    assert len(users.list_users(db)) == len(accounts)
