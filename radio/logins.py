"""Logging in: password check, rate limit with a growing delay, and lockout.

The limit is a small table in the station database (``login_failures``), not
Flask-Limiter: the count must survive a restart of ``radio serve`` (or an
attacker just waits for one), be shared by all of waitress's threads and by a
second admin process on the same data directory, and lock by *account* as well
as by address, which Flask-Limiter's in-memory storage does not give without a
Redis or memcached server a commune PC does not run.

Rule: within :data:`WINDOW`, an account may fail :data:`FREE_PER_ACCOUNT`
times and an address :data:`FREE_PER_ADDRESS` times (a commune office shares
one address); each failure beyond that doubles the wait before the next try,
from :data:`FIRST_DELAY` up to :data:`MAX_DELAY` (the lockout). A wait applies
to unknown usernames as to real ones, so it tells nothing about which exist.
A successful login clears the account's count, not the address's.
"""

from __future__ import annotations

import functools
import math
from datetime import datetime, timedelta

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from . import audit
from .clock import from_utc_text, to_utc_text
from .errors import RadioError
from .passwords import MAX_LENGTH
from .store import write
from .users import find_user, is_untouched_demo

WINDOW = timedelta(minutes=15)
FREE_PER_ACCOUNT = 5
FREE_PER_ADDRESS = 20
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)


class LoginError(RadioError):
    """The login was refused; nothing about the account is revealed beyond the message."""


class WrongPasswordError(LoginError):
    pass


class LoginThrottledError(LoginError):
    """Too many failures: try again after :attr:`wait_seconds`."""

    def __init__(self, wait_seconds: int):
        self.wait_seconds = wait_seconds
        super().__init__(f"Too many failed logins; try again in {wait_seconds} s.")


class AccountDisabledError(LoginError):
    pass


class DemoAccountError(LoginError):
    pass


@functools.cache
def _dummy_hash() -> str:
    # Same method and cost as real hashes, so an unknown username costs the same time.
    return generate_password_hash("not a real password: unknown usernames are checked against this")


def _delay(failures: int, free: int) -> timedelta:
    if failures < free:
        return timedelta(0)
    doubling = min(failures - free, 16)
    return min(FIRST_DELAY * (2 ** doubling), MAX_DELAY)


def _failures(db: Database, column: str, value: str, since: datetime) -> tuple[int, datetime | None]:
    count, last = db.execute(
        f"SELECT count(*), max(at) FROM login_failures WHERE {column} = ? AND at > ?",
        [value, to_utc_text(since)]).fetchone()
    return count, from_utc_text(last) if last else None


def retry_after(db: Database, username: str, address: str, *, now: datetime) -> int:
    """Seconds before *username* may try again from *address* (0 = now)."""
    wait = timedelta(0)
    for column, value, free in (("username", username, FREE_PER_ACCOUNT),
                                ("address", address, FREE_PER_ADDRESS)):
        count, last = _failures(db, column, value, now - WINDOW)
        if last is not None:
            wait = max(wait, last + _delay(count, free) - now)
    return math.ceil(wait.total_seconds()) if wait > timedelta(0) else 0


def record_failure(db: Database, username: str, address: str, now: datetime) -> None:
    """Count one failed try (a login, or a first-run setup code as ``#setup``, which no username can be)."""
    with write(db):
        db.execute("DELETE FROM login_failures WHERE at < ?", [to_utc_text(now - MAX_DELAY - WINDOW)])
        db["login_failures"].insert(dict(at=to_utc_text(now), username=username, address=address))
        count, _ = _failures(db, "username", username, now - WINDOW)
        if count == FREE_PER_ACCOUNT and find_user(db, username) is not None:
            # the moment an account starts being locked is worth an admin's eye
            audit.record(db, None, "user.lockout", now=now, target=f"user:{username}",
                         detail={"address": address, "failures": count})


def login(db: Database, username: str, password: str, *, address: str, now: datetime,
          allow_demo: bool = False) -> dict:
    """Check a login; return the user row.

    :param address: the client's address (per-address limit)
    :param allow_demo: ``radio demo`` is running; its published logins are allowed
    :raise LoginThrottledError: too many failures; the password was not checked
    :raise WrongPasswordError: unknown user or wrong password (one message for both)
    :raise AccountDisabledError: right password, disabled account
    :raise DemoAccountError: right password, demo account outside ``radio demo``
    """
    username = (username or "").strip().lower()[:64]
    password = (password or "")[:MAX_LENGTH]
    wait = retry_after(db, username, address, now=now)
    if wait:
        raise LoginThrottledError(wait)
    user = find_user(db, username) if username else None
    ok = check_password_hash(user["password_hash"] if user else _dummy_hash(), password)
    if not ok or user is None:
        record_failure(db, username, address, now)
        raise WrongPasswordError("Wrong username or password.")
    with write(db):
        db.execute("DELETE FROM login_failures WHERE username = ?", [username])
    if user["disabled_at"]:
        raise AccountDisabledError(f'Account "{username}" is disabled; ask an admin to enable it.')
    if is_untouched_demo(user) and not allow_demo:
        raise DemoAccountError(
            f'"{username}" is a demo account with a published password; '
            f"an admin must set a new one (radio user passwd {username}) before it can log in.")
    return user
