"""The province admin (Vietnamese UI): the hub's stations, bulletins and alerts, for the
province's own accounts (:mod:`radio.hub.accounts`).

Every action calls :mod:`radio.hub`; the admin reads the projection that ``radio hub serve``
keeps, and sends through the hub's servers only when a leader approves and sends.
It reuses the station admin's pieces that are not the station's: the security headers,
the error pages' handlers, CSRF, ``static/style.css``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, redirect, url_for

from radio.clock import SystemClock
from radio.hub.home import hub_home

from .. import csrf, errors, security
from .. import _secret_key

STATIC = Path(__file__).resolve().parent.parent / "static"


def create_hub_app(hub_home_path: str | None = None, test_config: dict | None = None) -> Flask:
    """The province admin for the hub at *hub_home_path* (default ``$RADIO_HUB_HOME``).

    Configuration: the defaults below, then ``admin.py`` in the hub's directory (Flask
    options such as ``SESSION_COOKIE_SECURE = True``), then *test_config*.
    """
    home = hub_home((test_config or {}).get("HUB_HOME") or hub_home_path)
    if not home.exists():
        raise FileNotFoundError(f"No hub in {home.root}: run radio hub init first.")
    app = Flask(__name__, instance_path=str(home.root), instance_relative_config=True,
                static_folder=str(STATIC), template_folder="templates")
    app.config.from_mapping(SECRET_KEY=None, HUB_HOME=str(home.root), CLOCK=None, SEND_TIMEOUT_S=20.0,
                            MAX_CONTENT_LENGTH=21 * 1024 * 1024, WTF_CSRF_TIME_LIMIT=None,
                            # its own cookie: a browser keys cookies by host, not port, and the
                            # station's admin may run on the same host (radio demo does)
                            SESSION_COOKIE_NAME="radio_hub_session",
                            SESSION_IDLE_MINUTES=60, SESSION_MAX_HOURS=12)
    app.config.from_pyfile("admin.py", silent=True)
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["HUB_HOME"] = str(home.root)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(home.root)
    if app.config["CLOCK"] is None:
        app.config["CLOCK"] = SystemClock()

    csrf.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from . import auth, pages

    pages.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.stations_bp)
    app.register_blueprint(pages.bulletins_bp)
    app.register_blueprint(pages.alerts_bp)

    @app.get("/")
    @auth.requires("read")
    def index():
        return redirect(url_for("bulletins.index"))

    return app
