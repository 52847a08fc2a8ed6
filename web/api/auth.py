"""Bearer-token guard of the API views."""

from __future__ import annotations

import functools

from flask import current_app, g, request

from radio.accounts import tokens
from radio.accounts.roles import PermissionDeniedError, require

from ..db import get_db
from . import error

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="radio"'}


def _bearer() -> str | None:
    kind, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if kind.lower() == "bearer" else None


def token_required(action: str = "read"):
    """Let the view run only for a valid, unrevoked token whose role allows *action*."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            actor = tokens.authenticate(get_db(), _bearer(), now=current_app.config["CLOCK"].now())
            if actor is None:
                return error(401, "A valid API token is required: send Authorization: Bearer <token> "
                                  "(an admin creates one with `radio token add NAME`).", **_CHALLENGE)
            try:
                g.api_actor = require(actor, action)
            except PermissionDeniedError as exc:
                return error(403, str(exc))
            return view(**kwargs)

        # the session layer (web.auth) lets it through: the bearer token is the gate here
        wrapped.required = None
        wrapped.token_action = action
        return wrapped

    return decorator
