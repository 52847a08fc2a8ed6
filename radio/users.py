"""Admin accounts. Passwords are hashed with werkzeug (scrypt), never stored."""

from __future__ import annotations

import re
from datetime import datetime

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from .clock import to_utc_text
from .errors import NotFoundError, ValidationError
from .store import write

ROLES = {"officer": "Công chức VH-XH", "leader": "Lãnh đạo UBND", "admin": "Quản trị"}
#: who may approve bulletins (DOMAIN: the UBND leadership approves what airs)
APPROVERS = ("leader", "admin")
_USERNAME = re.compile(r"^[a-z0-9_.-]{2,32}$")


def add_user(db: Database, *, username: str, password: str, role: str, now: datetime,
             display_name: str = "") -> dict:
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise ValidationError("Username: 2–32 lower-case letters, digits, '.', '_' or '-'.")
    if role not in ROLES:
        raise ValidationError(f'Unknown role "{role}". Use one of: {", ".join(ROLES)}.')
    if len(password or "") < 8:
        raise ValidationError("Password must have at least 8 characters.")
    with write(db):
        if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise ValidationError(f'User "{username}" already exists.')
        db["users"].insert(dict(
            username=username, display_name=(display_name or username).strip(), role=role,
            password_hash=generate_password_hash(password), created_at=to_utc_text(now)))
    return get_user(db, username)


def get_user(db: Database, username: str) -> dict:
    rows = list(db["users"].rows_where("username = ?", [(username or "").strip().lower()]))
    if not rows:
        raise NotFoundError(f'User "{username}" does not exist.')
    return rows[0]


def authenticate(db: Database, username: str, password: str) -> dict | None:
    try:
        user = get_user(db, username)
    except NotFoundError:
        return None
    return user if check_password_hash(user["password_hash"], password or "") else None


def list_users(db: Database) -> list[dict]:
    return list(db["users"].rows_where(order_by="username"))
