"""API tokens: admins create and revoke them, only a hash is kept, every change is audited."""

import hashlib

import pytest

from radio.accounts import audit, tokens
from radio.accounts.roles import Actor, PermissionDeniedError
from radio.errors import NotFoundError, ValidationError

ADMIN = Actor("quantri", "admin")


def test_a_token_authenticates_as_a_read_only_client_until_revoked(fresh_db, clock):
    created, secret = tokens.create_token(fresh_db, ADMIN, "huyen", now=clock.now())
    assert secret.startswith("radio_") and len(secret) > 40
    actor = tokens.authenticate(fresh_db, secret, now=clock.now())
    assert (actor.username, actor.role) == ("token:huyen", "viewer")
    tokens.revoke_token(fresh_db, ADMIN, "huyen", now=clock.now())
    assert tokens.authenticate(fresh_db, secret, now=clock.now()) is None


def test_only_the_hash_is_stored(fresh_db, clock):
    _, secret = tokens.create_token(fresh_db, ADMIN, "tinh", now=clock.now())
    (row,) = fresh_db["api_tokens"].rows
    assert secret not in str(row)
    assert row["token_sha256"] == hashlib.sha256(secret.encode()).hexdigest()


@pytest.mark.parametrize("secret", [None, "", "radio_", "radio_wrong", "Bearer x", "x" * 1000])
def test_anything_else_is_refused(fresh_db, clock, secret):
    tokens.create_token(fresh_db, ADMIN, "huyen", now=clock.now())
    assert tokens.authenticate(fresh_db, secret, now=clock.now()) is None


def test_last_used_is_recorded_at_most_once_a_minute(fresh_db, clock):
    created, secret = tokens.create_token(fresh_db, ADMIN, "huyen", now=clock.now())
    first = clock.now()
    tokens.authenticate(fresh_db, secret, now=first)
    clock.advance(30)
    tokens.authenticate(fresh_db, secret, now=clock.now())
    assert tokens.get_token(fresh_db, created.id).last_used_at == first
    clock.advance(31)
    tokens.authenticate(fresh_db, secret, now=clock.now())
    assert tokens.get_token(fresh_db, created.id).last_used_at == clock.now()


@pytest.mark.parametrize("role", ["viewer", "officer", "leader"])
def test_only_admins_manage_tokens(fresh_db, clock, role):
    with pytest.raises(PermissionDeniedError):
        tokens.create_token(fresh_db, Actor("x", role), "huyen", now=clock.now())
    with pytest.raises(PermissionDeniedError):
        tokens.list_tokens(fresh_db, Actor("x", role))
    assert fresh_db["api_tokens"].count == 0 and fresh_db["audit"].count == 0


def test_creation_and_revocation_are_audited(fresh_db, clock):
    tokens.create_token(fresh_db, ADMIN, "huyen", now=clock.now())
    tokens.revoke_token(fresh_db, ADMIN, "huyen", now=clock.now())
    rows = audit.entries(fresh_db, target="token:huyen")
    assert [(r["action"], r["username"], r["detail"]) for r in rows] == [
        ("token.manage", "quantri", {"op": "revoke"}), ("token.manage", "quantri", {"op": "create"})]


def test_names_are_unique_among_active_tokens_and_checked(fresh_db, clock):
    tokens.create_token(fresh_db, ADMIN, "huyen", now=clock.now())
    with pytest.raises(ValidationError, match="exists already"):
        tokens.create_token(fresh_db, ADMIN, "huyen", now=clock.now())
    for bad in ("", " ", "a b", "x" * 65, "tên/xã"):
        with pytest.raises(ValidationError):
            tokens.create_token(fresh_db, ADMIN, bad, now=clock.now())
    tokens.revoke_token(fresh_db, ADMIN, "huyen", now=clock.now())
    tokens.create_token(fresh_db, ADMIN, "huyen", now=clock.now())  # a new one after revoking
    assert [t.name for t in tokens.list_tokens(fresh_db, ADMIN)] == ["huyen"]
    assert len(tokens.list_tokens(fresh_db, ADMIN, include_revoked=True)) == 2
    with pytest.raises(NotFoundError):
        tokens.revoke_token(fresh_db, ADMIN, "tinh", now=clock.now())
