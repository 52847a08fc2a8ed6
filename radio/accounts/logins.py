"""Logging in: password check, rate limit with a growing, capped delay.

The limit is a small table in the station database (``login_failures``), not
Flask-Limiter: the count must survive a restart of ``radio serve`` (or an
attacker just waits for one), be shared by all of waitress's threads and by a
second admin process on the same data directory.

Rule (whoever knows the leader's username must not be able to lock the
leader out). A try is judged by *who tries from where*:

- an account from one address may fail :data:`FREE_PER_PAIR` times within
  :data:`WINDOW`; each failure beyond that doubles the wait of *that address*
  for *that account*, from :data:`FIRST_DELAY` up to :data:`MAX_DELAY` after
  its last checked password (the cap);
- an address may fail :data:`FREE_PER_ADDRESS` times over all accounts
  (spraying one password over many names);
- while an account has failed :data:`FREE_PER_ACCOUNT` times from everywhere
  (many addresses guessing), each address gets only :data:`FREE_UNDER_ATTACK`
  failures on it before its own wait. An address that has not failed is never
  kept waiting, so the leader logs in from their own computer during an attack;
- a *known device* (a browser that logged in to the account before: the admin
  keeps a signed cookie, see ``web/auth.py``) is judged on its own failures
  only, so the leader gets in even from the attacker's address (a shared
  office connection, a proxy that makes every request look local).

Tries refused while waiting count too (``checked`` 0, summed in ``tries``):
each one lengthens the wait, still capped at :data:`MAX_DELAY` after the last
checked password, and the admin sees them (:func:`attacked_accounts`). A wait
applies to unknown usernames as to real ones, so it tells nothing about which
exist. A successful login clears the failures of that address (or device) for
the account, not those of the others.
"""

from __future__ import annotations

import functools
import math
from datetime import datetime, timedelta

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from radio.accounts import audit
from radio.clock import from_utc_text, to_utc_text
from radio.errors import RadioError
from radio.accounts.passwords import MAX_LENGTH
from radio.store.connection import write
from radio.accounts.users import find_user, is_untouched_demo

WINDOW = timedelta(minutes=15)
FREE_PER_PAIR = 5
FREE_PER_ADDRESS = 20
FREE_PER_ACCOUNT = 20
FREE_UNDER_ATTACK = 2
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


def _delay(tries: int, free: int) -> timedelta:
    if tries < free:
        return timedelta(0)
    doubling = min(tries - free, 16)
    return min(FIRST_DELAY * (2 ** doubling), MAX_DELAY)


def _count(db: Database, where: str, args: list, since: datetime) -> tuple[int, datetime | None]:
    """Tries matching *where* since *since* (checked or not) and the last checked one."""
    tries, last = db.execute(
        f"SELECT coalesce(sum(tries), 0), max(CASE WHEN checked THEN at END) FROM login_failures "
        f"WHERE {where} AND at > ?", [*args, to_utc_text(since)]).fetchone()
    return tries, from_utc_text(last) if last else None


def _keys(db: Database, username: str, address: str, device: str | None,
          since: datetime) -> list[tuple[str, list, int]]:
    """``(where, args, free tries)`` of each count a try from *address* (or *device*) is judged by."""
    if device:
        return [("username = ? AND device = ?", [username, device], FREE_PER_PAIR)]
    account, _ = _count(db, "username = ?", [username], since)
    pair_free = FREE_UNDER_ATTACK if account >= FREE_PER_ACCOUNT else FREE_PER_PAIR
    return [("username = ? AND address = ? AND device IS NULL", [username, address], pair_free),
            ("address = ? AND device IS NULL", [address], FREE_PER_ADDRESS)]


def retry_after(db: Database, username: str, address: str, *, now: datetime,
                device: str | None = None) -> int:
    """Seconds before *username* may try again from *address* (0 = now).

    :param device: the id of a known device of *username* the try comes from
        (the caller has checked it); then only that device's failures count
    """
    since = now - WINDOW
    wait = timedelta(0)
    for where, args, free in _keys(db, username, address, device, since):
        tries, last = _count(db, where, args, since)
        if last is not None:
            wait = max(wait, last + _delay(tries, free) - now)
    return math.ceil(wait.total_seconds()) if wait > timedelta(0) else 0


def _account_tries(db: Database, username: str, now: datetime) -> int:
    return _count(db, "username = ?", [username], now - WINDOW)[0]


def _note_lockout(db: Database, username: str, address: str, before: int, now: datetime) -> None:
    # the moment an account starts being locked is worth an admin's eye (the audit trail);
    # the admin's pages warn while it lasts (attacked_accounts)
    after = _account_tries(db, username, now)
    if before < FREE_PER_PAIR <= after and find_user(db, username) is not None:
        audit.record(db, None, "user.lockout", now=now, target=f"user:{username}",
                     detail={"address": address, "failures": after})


def record_failure(db: Database, username: str, address: str, now: datetime, *,
                   device: str | None = None) -> None:
    """Count one failed try (a login, or a first-run setup code as ``#setup``, which no username can be)."""
    with write(db):
        db.execute("DELETE FROM login_failures WHERE at < ?", [to_utc_text(now - MAX_DELAY - WINDOW)])
        before = _account_tries(db, username, now)
        db["login_failures"].insert(dict(at=to_utc_text(now), username=username, address=address,
                                         device=device, checked=1, tries=1))
        _note_lockout(db, username, address, before, now)


def record_refused(db: Database, username: str, address: str, now: datetime, *,
                   device: str | None = None) -> None:
    """Count one try refused while waiting (its password was not checked).

    One row per account, address and device sums them, so hammering adds no rows.
    """
    with write(db):
        before = _account_tries(db, username, now)
        row = db.execute(
            "SELECT id FROM login_failures WHERE username = ? AND address = ? AND device IS ? "
            "AND checked = 0 AND at > ? ORDER BY id DESC LIMIT 1",
            [username, address, device, to_utc_text(now - WINDOW)]).fetchone()
        if row:
            db.execute("UPDATE login_failures SET tries = tries + 1, at = ? WHERE id = ?",
                       [to_utc_text(now), row[0]])
        else:
            db["login_failures"].insert(dict(at=to_utc_text(now), username=username, address=address,
                                             device=device, checked=0, tries=1))
        _note_lockout(db, username, address, before, now)


def attacked_accounts(db: Database, now: datetime) -> list[dict]:
    """Accounts that failed to log in :data:`FREE_PER_PAIR` times or more in the last
    :data:`WINDOW` (refused tries included), most recent first: what the admin is warned of.

    :return: ``username``, ``tries``, ``addresses`` (how many), ``last_at``, ``last_address``
    """
    rows = db.execute(
        """SELECT f.username, sum(f.tries), count(DISTINCT f.address), max(f.at),
                  (SELECT address FROM login_failures l WHERE l.username = f.username ORDER BY l.at DESC, l.id DESC
                   LIMIT 1)
           FROM login_failures f JOIN users u ON u.username = f.username
           WHERE f.at > ? GROUP BY f.username HAVING sum(f.tries) >= ? ORDER BY max(f.at) DESC""",
        [to_utc_text(now - WINDOW), FREE_PER_PAIR]).fetchall()
    return [dict(username=r[0], tries=r[1], addresses=r[2], last_at=from_utc_text(r[3]), last_address=r[4])
            for r in rows]


def login(db: Database, username: str, password: str, *, address: str, now: datetime,
          device: str | None = None, allow_demo: bool = False) -> dict:
    """Check a login; return the user row.

    :param address: the client's address
    :param device: the id of a known device of *username* (a signed cookie the caller
        checked): its own failures count, not the address's
    :param allow_demo: ``radio demo`` is running; its published logins are allowed
    :raise LoginThrottledError: too many failures; the password was not checked
    :raise WrongPasswordError: unknown user or wrong password (one message for both)
    :raise AccountDisabledError: right password, disabled account
    :raise DemoAccountError: right password, demo account outside ``radio demo``
    """
    username = (username or "").strip().lower()[:64]
    password = (password or "")[:MAX_LENGTH]
    if retry_after(db, username, address, now=now, device=device):
        record_refused(db, username, address, now, device=device)
        # the wait this try is told includes itself: it is honest if no other try follows
        raise LoginThrottledError(retry_after(db, username, address, now=now, device=device))
    user = find_user(db, username) if username else None
    ok = check_password_hash(user["password_hash"] if user else _dummy_hash(), password)
    if not ok or user is None:
        record_failure(db, username, address, now, device=device)
        raise WrongPasswordError("Wrong username or password.")
    with write(db):
        if device:
            db.execute("DELETE FROM login_failures WHERE username = ? AND device = ?", [username, device])
        else:
            db.execute("DELETE FROM login_failures WHERE username = ? AND address = ? AND device IS NULL",
                       [username, address])
    if user["disabled_at"]:
        raise AccountDisabledError(f'Account "{username}" is disabled; ask an admin to enable it.')
    if is_untouched_demo(user) and not allow_demo:
        raise DemoAccountError(
            f'"{username}" is a demo account with a published password; '
            f"an admin must set a new one (radio user passwd {username}) before it can log in.")
    return user
