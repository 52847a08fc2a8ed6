"""The station's web admin (Vietnamese UI).

Every action calls the ``radio`` library; the admin never plays sound or runs
a scheduler. An urgent "play now" leaves a command row for the daemon.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, jsonify, redirect, url_for
from flask_wtf.csrf import CSRFProtect

from radio.clock import SystemClock
from radio.home import open_home

csrf = CSRFProtect()


def _secret_key(root: Path) -> str:
    """The station's persisted secret key, created on first start."""
    path = root / "secret_key"
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    return key


def create_app(test_config: dict | None = None) -> Flask:
    """Build the admin app. ``RADIO_HOME`` is the only setting it needs."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=None,
        RADIO_HOME=None,
        CLOCK=None,
        MAX_CONTENT_LENGTH=21 * 1024 * 1024,  # recordings: 20 MB (radio.recordings), plus the form
        WTF_CSRF_TIME_LIMIT=None,
        SCHEDULE_DAYS=7,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    home = open_home(app.config["RADIO_HOME"])
    app.config["RADIO_HOME"] = str(home.root)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(home.root)
    if app.config["CLOCK"] is None:
        app.config["CLOCK"] = SystemClock()

    csrf.init_app(app)

    from . import (alerts, approvals, auth, bulletins, calendar, db, emergency, errors, filters, lexicon, log, recordings,
                   schedule, slots, speech, station)

    db.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    alerts.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(bulletins.bp)
    app.register_blueprint(slots.bp)
    app.register_blueprint(schedule.bp)
    app.register_blueprint(log.bp)
    app.register_blueprint(speech.bp)
    app.register_blueprint(recordings.bp)
    app.register_blueprint(lexicon.bp)
    app.register_blueprint(emergency.bp)
    app.register_blueprint(calendar.bp)
    app.register_blueprint(station.bp)
    app.register_blueprint(approvals.bp)

    @app.get("/")
    def index():
        return redirect(url_for("bulletins.index"))

    @app.get("/healthz")
    def healthz():
        return jsonify({"ok": True})

    return app
