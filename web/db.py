"""One station database connection per request, kept on ``g``."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, g
from sqlite_utils import Database

from radio import settings as radio_settings
from radio.home import Home, open_home
from radio.store import connect


def get_home() -> Home:
    if "home" not in g:
        g.home = open_home(current_app.config["RADIO_HOME"])
    return g.home


def get_db() -> Database:
    if "db" not in g:
        g.db = connect(get_home().database, migrate=False)  # create_app migrated it
    return g.db


def close_db(e: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


def get_settings() -> dict:
    if "settings" not in g:
        g.settings = radio_settings.load(get_home(), get_db())
    return g.settings


def now() -> datetime:
    """The app's clock (``CLOCK`` config); views never read the system time."""
    return current_app.config["CLOCK"].now()


def init_app(app) -> None:
    app.teardown_appcontext(close_db)
