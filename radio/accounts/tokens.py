"""Bearer tokens of the read-only JSON API: one per client, created and revoked by an admin.

A district or province office collects many communes' logs with one token per
commune. The secret is shown once, at creation; the database keeps only its
SHA-256, so a copy of the database does not give access. Every creation and
revocation is written to the audit trail in the same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from radio.accounts import audit
from radio.accounts.roles import Actor, require
from radio.clock import from_utc_text, to_utc_text
from radio.errors import NotFoundError, ValidationError
from radio.store.connection import write

PREFIX = "radio_"
_NAME = re.compile(r"[\w.@-]{1,64}")
#: last-used time is written at most this often per token: an API poll is not a write
LAST_USED_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class Token:
    id: int
    name: str
    prefix: str
    created_at: datetime
    created_by: str | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _token(row: dict) -> Token:
    def when(text):
        return from_utc_text(text) if text else None

    return Token(row["id"], row["name"], row["prefix"], from_utc_text(row["created_at"]), row["created_by"],
                 when(row["last_used_at"]), when(row["revoked_at"]))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(db: Database, actor: Actor | None, name: str, *, now: datetime) -> tuple[Token, str]:
    """A new token for the client *name*.

    :return: the token and its secret (shown once; only its hash is stored)
    :raise PermissionDeniedError: *actor* may not manage tokens
    :raise ValidationError: a bad name, or an active token of that name exists
    """
    require(actor, "token.manage")
    name = (name or "").strip()
    if not _NAME.fullmatch(name):
        raise ValidationError(f'Token name "{name}" must be 1 to 64 letters, digits or . _ @ -.')
    secret = PREFIX + secrets.token_urlsafe(32)
    with write(db):
        if db.execute("SELECT 1 FROM api_tokens WHERE name = ? AND revoked_at IS NULL", [name]).fetchone():
            raise ValidationError(f'A token named "{name}" exists already; revoke it first or choose another name.')
        token_id = db["api_tokens"].insert(dict(
            name=name, token_sha256=_digest(secret), prefix=secret[: len(PREFIX) + 4],
            created_at=to_utc_text(now), created_by=actor.username)).last_pk
        audit.record(db, actor, "token.manage", now=now, target=f"token:{name}", detail={"op": "create"})
    return get_token(db, token_id), secret


def get_token(db: Database, token_id: int) -> Token:
    rows = list(db["api_tokens"].rows_where("id = ?", [token_id]))
    if not rows:
        raise NotFoundError(f"Token {token_id} does not exist.")
    return _token(rows[0])


def list_tokens(db: Database, actor: Actor | None, *, include_revoked: bool = False) -> list[Token]:
    """Tokens, oldest first (never their secrets)."""
    require(actor, "token.manage")
    where = None if include_revoked else "revoked_at IS NULL"
    return [_token(r) for r in db["api_tokens"].rows_where(where, order_by="id")]


def revoke_token(db: Database, actor: Actor | None, name: str, *, now: datetime) -> Token:
    """Revoke the active token *name*; the client is refused from the next request on.

    :raise NotFoundError: no active token of that name
    """
    require(actor, "token.manage")
    with write(db):
        row = db.execute("SELECT id FROM api_tokens WHERE name = ? AND revoked_at IS NULL", [name]).fetchone()
        if row is None:
            raise NotFoundError(f'No active token named "{name}". Run `radio token list` to see them.')
        db.execute("UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                   [to_utc_text(now), actor.username, row[0]])
        audit.record(db, actor, "token.manage", now=now, target=f"token:{name}", detail={"op": "revoke"})
    return get_token(db, row[0])


def authenticate(db: Database, secret: str | None, *, now: datetime) -> Actor | None:
    """The API client *secret* belongs to (a read-only actor), or ``None``.

    Records the last-used time, at most once per :data:`LAST_USED_RESOLUTION`.
    """
    if not secret or not secret.startswith(PREFIX):
        return None
    digest = _digest(secret)
    row = db.execute("SELECT id, name, token_sha256, last_used_at FROM api_tokens "
                     "WHERE token_sha256 = ? AND revoked_at IS NULL", [digest]).fetchone()
    if row is None or not hmac.compare_digest(row[2], digest):
        return None
    if row[3] is None or now - from_utc_text(row[3]) >= LAST_USED_RESOLUTION:
        with write(db):
            db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [to_utc_text(now), row[0]])
    return Actor(username=f"token:{row[1]}", role="viewer", display_name=row[1])
