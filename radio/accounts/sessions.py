"""Server-side sessions of the admin.

The browser's cookie carries only a random token; the ``sessions`` table holds
its SHA-256, the user and when it was created and last used. So logging out,
changing a password or disabling an account ends a session for good (a copied
cookie replayed later finds nothing), and the station enforces an idle timeout
and an absolute lifetime whatever the browser keeps.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlite_utils import Database

from radio.clock import from_utc_text, to_utc_text
from radio.store.connection import write

#: last_seen_at is rewritten at most this often, so reading pages does not
#: take the write lock the daemon needs on every request
TOUCH_EVERY = timedelta(seconds=60)


def _key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start(db: Database, username: str, *, now: datetime, address: str | None = None) -> str:
    """Open a session for *username*; return the token to put in the cookie."""
    token = secrets.token_urlsafe(32)
    stamp = to_utc_text(now)
    with write(db):
        db["sessions"].insert(dict(id=_key(token), username=username, created_at=stamp,
                                   last_seen_at=stamp, address=address))
    return token


def resume(db: Database, token: str | None, *, now: datetime, idle: timedelta,
           lifetime: timedelta) -> dict | None:
    """The user row of a live session, or ``None`` (ended, expired, unknown, disabled).

    An expired session is deleted, so it cannot come back if the settings change.
    """
    if not token or not isinstance(token, str):
        return None
    key = _key(token)
    cursor = db.execute(
        "SELECT s.created_at AS session_created_at, s.last_seen_at AS session_last_seen_at, u.* "
        "FROM sessions s JOIN users u ON u.username = s.username WHERE s.id = ?", [key])
    row = cursor.fetchone()
    if row is None:
        return None
    found = dict(zip([d[0] for d in cursor.description], row))
    created = from_utc_text(found.pop("session_created_at"))
    last_seen = from_utc_text(found.pop("session_last_seen_at"))
    if found["disabled_at"] or now - last_seen >= idle or now - created >= lifetime:
        end(db, token)
        return None
    if now - last_seen >= TOUCH_EVERY:
        with write(db):
            db.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", [to_utc_text(now), key])
    return found


def end(db: Database, token: str | None) -> None:
    """End one session (logout); an unknown token is ignored."""
    if token and isinstance(token, str):
        with write(db):
            db.execute("DELETE FROM sessions WHERE id = ?", [_key(token)])


def end_all(db: Database, username: str) -> int:
    """End every session of *username*; return how many there were."""
    with write(db):
        return db.execute("DELETE FROM sessions WHERE username = ?", [username]).rowcount


def prune(db: Database, *, now: datetime, idle: timedelta, lifetime: timedelta) -> int:
    """Delete sessions past either limit (housekeeping; :func:`resume` refuses them anyway)."""
    with write(db):
        return db.execute("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?",
                          [to_utc_text(now - idle), to_utc_text(now - lifetime)]).rowcount
