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

from radio import settings as radio_settings
from radio.clock import SystemClock
from radio.store.home import make_private, open_home
from radio.store.connection import connect

from . import security

csrf = CSRFProtect()


def _secret_key(root: Path) -> str:
    """The station's persisted secret key, created on first start."""
    path = root / "secret_key"
    make_private(path)
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    return key


def create_app(test_config: dict | None = None, *, radio_home: str | None = None) -> Flask:
    """Build the admin app for the station in ``RADIO_HOME``.

    Configuration, lowest first: the defaults below, then ``config.py`` in the
    data directory (Flask options such as ``SESSION_COOKIE_SECURE = True``, read
    by ``radio serve`` too), then *test_config*.

    :param radio_home: the data directory when *test_config* does not name one
    """
    home = open_home((test_config or {}).get("RADIO_HOME") or radio_home)
    app = Flask(__name__, instance_path=str(home.root), instance_relative_config=True)
    from .forms import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: ids are ASCII and in range
    app.config.from_mapping(
        SECRET_KEY=None,
        RADIO_HOME=str(home.root),
        CLOCK=None,
        MAX_CONTENT_LENGTH=21 * 1024 * 1024,  # recordings: 20 MB (radio.bulletins.recordings), plus the form
        WTF_CSRF_TIME_LIMIT=None,
        SCHEDULE_DAYS=7,
        DEMO=False,        # radio demo: the published demo logins work
        SETUP_CODE=None,   # first run: the one-time code radio serve prints
    )
    app.config.from_pyfile("config.py", silent=True)
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["RADIO_HOME"] = str(home.root)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(home.root)
    if app.config["CLOCK"] is None:
        app.config["CLOCK"] = SystemClock()

    csrf.init_app(app)
    station_db = connect(home.database)
    try:
        station_settings = radio_settings.load(home, station_db)
    finally:
        station_db.conn.close()
    security.init_app(app, trusted_proxies=station_settings["trusted_proxies"])

    from . import (alerts, approvals, audit, auth, bulletins, calendar, db, emergency, errors, filters, lexicon, log,
                   outputs, province, recordings, schedule, slots, speech, station, targets, users)

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
    app.register_blueprint(users.bp)
    app.register_blueprint(outputs.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(province.bp)
    app.context_processor(lambda: {"province_joined": province.station_joined})
    from . import api

    api.init_app(app)
    targets.init_app(app)

    @app.get("/")
    @auth.requires("read")
    def index():
        return redirect(url_for("bulletins.index"))

    @app.get("/healthz")
    @auth.public
    def healthz():
        return jsonify({"ok": True})

    return app
