"""The station database for a request, kept on ``g``, from a small pool.

Opening a connection costs more than most page queries (WAL set-up, the chain
guard, and every statement prepared again, each one through the guard's
authorizer), so connections are kept in a small per-app pool: a request takes
one, the teardown gives it back (any open transaction rolled back). The pool
is bounded, so a server that starts a thread per request never holds more
than :data:`POOL_SIZE` of them.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime

from flask import current_app, g
from sqlite_utils import Database

from radio import settings as radio_settings
from radio.store.home import Home, open_home
from radio.store.connection import connect

#: idle connections kept per app (waitress runs 8 threads)
POOL_SIZE = 16


class _Pool:
    """Idle connections of one app."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[Database] = []

    def take(self) -> Database | None:
        with self.lock:
            return self.idle.pop() if self.idle else None

    def give(self, db: Database) -> None:
        with self.lock:
            if len(self.idle) < POOL_SIZE:
                self.idle.append(db)
                return
        db.conn.close()


def _pool() -> _Pool:
    return current_app.extensions["radio.db_pool"]


def get_home() -> Home:
    if "home" not in g:
        g.home = open_home(current_app.config["RADIO_HOME"])
    return g.home


def get_db() -> Database:
    if "db" not in g:
        db = _pool().take()
        g.db = db if db is not None else connect(get_home().database, migrate=False)  # create_app migrated it
    return g.db


def close_db(e: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is None:
        return
    try:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
    except sqlite3.Error as exc:  # a broken connection is not given back
        current_app.logger.warning("Database connection dropped after a failed rollback: %s", exc)
        db.conn.close()
        return
    _pool().give(db)


def _file_mark(path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def get_settings() -> dict:
    """The station's effective settings; parsed again only when radio.toml or the saved values change."""
    if "settings" not in g:
        home, db = get_home(), get_db()
        key = (str(home.root), _file_mark(home.settings_file),
               tuple(db.execute("SELECT name, value FROM settings ORDER BY name").fetchall()))
        store = current_app.extensions.setdefault("radio.settings_cache", {})
        entry = store.get("settings")
        if entry is None or entry[0] != key:
            entry = (key, radio_settings.load(home, db))
            store["settings"] = entry
        g.settings = dict(entry[1])  # a copy: a view changing it changes no other request
    return g.settings


def now() -> datetime:
    """The app's clock (``CLOCK`` config); views never read the system time."""
    return current_app.config["CLOCK"].now()


def init_app(app) -> None:
    app.extensions["radio.db_pool"] = _Pool()
    app.teardown_appcontext(close_db)
