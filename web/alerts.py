"""Alerts shown on every page: the daemon is down, or airings failed or were missed."""

from __future__ import annotations

from flask import g

from radio.health import station_health

from .db import get_db, now


def alerts() -> dict:
    if not g.get("user"):
        return {"health": None}
    return {"health": station_health(get_db(), now())}


def init_app(app) -> None:
    app.context_processor(alerts)
