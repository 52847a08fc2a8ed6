"""``/api/v1/health``: is the station on air, what is next, what is waiting."""

from __future__ import annotations

from flask import current_app, jsonify

from radio.reports import publish

from ..db import get_db
from . import bp
from .auth import token_required


@bp.get("/health")
@token_required()
def station_health():
    return jsonify(publish.station_status(get_db(), current_app.config["CLOCK"].now()))
