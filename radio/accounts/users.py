"""Accounts of the admin: add, list, change password or role, disable, enable.

Passwords are hashed with werkzeug (scrypt), never stored. Every change checks
the actor's role (:mod:`radio.accounts.roles`) and writes its audit row in the same
transaction. Changing a password, the role or disabling an account ends that
user's sessions (:mod:`radio.accounts.sessions`), so an old cookie stops working at once.
Logging in is :mod:`radio.accounts.logins`.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlite_utils import Database

from radio.accounts import audit, sessions
from radio.accounts.roles import ROLES, Actor, require
from radio.clock import to_utc_text
from radio.errors import NotFoundError, StateError, ValidationError
from radio.store.fields import clean_line
from radio.accounts.passwords import check_password
from radio.store.connection import write

__all__ = ["ROLES", "APPROVERS", "OPERATOR", "add_user", "get_user", "find_user", "list_users",
           "set_password", "set_role", "disable_user", "enable_user", "create_first_admin",
           "is_untouched_demo"]

#: who may approve bulletins (DOMAIN: the UBND leadership approves what airs)
APPROVERS = ("leader", "admin")
#: the person at the station PC's command line: whoever can read the data
#: directory already holds everything, so the CLI acts as an admin.
OPERATOR = Actor("cli", "admin", "Command line")
_USERNAME = re.compile(r"^[a-z0-9_.-]{2,32}$")
_MAX_NAME = 100


def _password_hash(password: str) -> str:
    # imported here: werkzeug costs every CLI command ~0.07 s, and only these calls need it
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password)


def _clean_username(username: str) -> str:
    return (username or "").strip().lower()


def _check_role(role: str, roles=ROLES) -> None:
    if role not in roles:
        raise ValidationError(f'Unknown role "{role}". Use one of: {", ".join(roles)}.')


def add_user(db: Database, *, username: str, password: str, role: str, now: datetime,
             display_name: str = "", actor: Actor = OPERATOR, station_name: str = "",
             demo: bool = False, roles=ROLES) -> dict:
    """Add an account; the password must pass :func:`radio.accounts.passwords.check_password`.

    :param demo: a published demo login, refused outside ``radio demo`` until its
        password is changed (see :func:`radio.accounts.logins.login`)
    :param roles: the roles an account may have (a province hub's are its own)
    :raise PermissionDeniedError: *actor* is not an admin
    :raise ValidationError: bad username, role, name or password, or the user exists
    """
    require(actor, "user.manage")
    username = _clean_username(username)
    if not _USERNAME.match(username):
        raise ValidationError("Username: 2–32 lower-case letters, digits, '.', '_' or '-'.")
    _check_role(role, roles)
    display_name = clean_line(display_name, "A display name") or username
    if len(display_name) > _MAX_NAME:
        raise ValidationError(f"A display name has at most {_MAX_NAME} characters.")
    check_password(password, username=username, station_name=station_name)
    with write(db):
        if find_user(db, username) is not None:
            raise ValidationError(f'User "{username}" already exists.')
        db["users"].insert(dict(
            username=username, display_name=display_name, role=role,
            password_hash=_password_hash(password), created_at=to_utc_text(now),
            demo=int(demo)))
        audit.record(db, actor, "user.add", now=now, target=f"user:{username}",
                     detail={"role": role, **({"demo": True} if demo else {})})
    return get_user(db, username)


def create_first_admin(db: Database, *, username: str, password: str, now: datetime,
                       display_name: str = "", station_name: str = "") -> dict:
    """The first-run path: create the admin account of a station that has no account yet.

    Checked inside the write transaction, so two browsers racing both see one winner.

    :raise StateError: an account exists already
    """
    with write(db):
        if db.execute("SELECT 1 FROM users LIMIT 1").fetchone():
            raise StateError("The station already has accounts; ask an admin to add yours.")
        setup = Actor(_clean_username(username) or "setup", "admin", "First-run setup")
        return add_user(db, username=username, password=password, role="admin", now=now,
                        display_name=display_name, actor=setup, station_name=station_name)


def find_user(db: Database, username: str) -> dict | None:
    """The account called *username*, or ``None``."""
    rows = list(db["users"].rows_where("username = ?", [_clean_username(username)]))
    return rows[0] if rows else None


def get_user(db: Database, username: str) -> dict:
    """:raise NotFoundError: no such account"""
    user = find_user(db, username)
    if user is None:
        raise NotFoundError(f'User "{username}" does not exist.')
    return user


def list_users(db: Database) -> list[dict]:
    return list(db["users"].rows_where(order_by="username"))


def _other_enabled_admins(db: Database, username: str) -> int:
    return db.execute("SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL "
                      "AND username != ?", [username]).fetchone()[0]


def set_password(db: Database, actor: Actor, username: str, password: str, *, now: datetime,
                 station_name: str = "") -> dict:
    """Set a new password: an admin for anyone, every user for themself.

    Ends every session of the user (the caller starts a fresh one for a user
    who changed their own password in the admin).

    :raise PermissionDeniedError: someone else's password, and *actor* is not an admin
    """
    user = get_user(db, username)
    if actor is None or actor.username != user["username"]:
        require(actor, "user.manage")
    check_password(password, username=user["username"], station_name=station_name)
    with write(db):
        db["users"].update(user["username"], dict(
            password_hash=_password_hash(password), password_changed_at=to_utc_text(now)))
        sessions.end_all(db, user["username"])
        audit.record(db, actor, "user.passwd", now=now, target=f"user:{user['username']}")
    return get_user(db, username)


def set_role(db: Database, actor: Actor, username: str, role: str, *, now: datetime) -> dict:
    """Change what a user may do; the last enabled admin keeps the admin role.

    :raise StateError: it would leave the station without an enabled admin
    """
    require(actor, "user.manage")
    _check_role(role)
    with write(db):
        user = get_user(db, username)
        if user["role"] == role:
            return user
        if user["role"] == "admin" and not _other_enabled_admins(db, user["username"]):
            raise StateError(f'User "{user["username"]}" is the last admin; make another admin first.')
        db["users"].update(user["username"], {"role": role})
        sessions.end_all(db, user["username"])
        audit.record(db, actor, "user.role", now=now, target=f"user:{user['username']}",
                     detail={"from": user["role"], "to": role})
    return get_user(db, username)


def disable_user(db: Database, actor: Actor, username: str, *, now: datetime) -> dict:
    """Stop an account from logging in and end its sessions (its history stays).

    :raise StateError: the last enabled admin, or already disabled
    """
    require(actor, "user.manage")
    with write(db):
        user = get_user(db, username)
        if user["disabled_at"]:
            raise StateError(f'User "{user["username"]}" is already disabled.')
        if user["role"] == "admin" and not _other_enabled_admins(db, user["username"]):
            raise StateError(f'User "{user["username"]}" is the last admin; make another admin first.')
        db["users"].update(user["username"], {"disabled_at": to_utc_text(now)})
        sessions.end_all(db, user["username"])
        audit.record(db, actor, "user.disable", now=now, target=f"user:{user['username']}")
    return get_user(db, username)


def enable_user(db: Database, actor: Actor, username: str, *, now: datetime) -> dict:
    """Let a disabled account log in again.

    :raise StateError: the account is not disabled
    """
    require(actor, "user.manage")
    with write(db):
        user = get_user(db, username)
        if not user["disabled_at"]:
            raise StateError(f'User "{user["username"]}" is not disabled.')
        db["users"].update(user["username"], {"disabled_at": None})
        audit.record(db, actor, "user.enable", now=now, target=f"user:{user['username']}")
    return get_user(db, username)


def is_untouched_demo(user: dict) -> bool:
    """A demo account whose published password was never changed."""
    return bool(user["demo"]) and not user["password_changed_at"]

