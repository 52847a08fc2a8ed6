"""Opening the station database.

SQLite in WAL mode with a 30 s busy timeout, because the daemon, the admin and
the CLI write to one file at once. Multi-statement writes go through
:func:`write`, which takes the write lock up front with ``BEGIN IMMEDIATE``:
sqlite-utils' ``atomic()`` starts a deferred transaction, which fails with
"database is locked" when two writers upgrade at the same moment.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from .migrations import migrations

BUSY_TIMEOUT_S = 30.0


def connect(path: str | Path) -> Database:
    """Open (and migrate) the database at *path*; ``":memory:"`` for tests."""
    conn = sqlite3.connect(
        str(path),
        timeout=BUSY_TIMEOUT_S,
        check_same_thread=False,
        isolation_level=None,  # we issue BEGIN ourselves
    )
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    migrations.apply(db)
    # after migrations: they may rebuild the log tables, nothing else may
    from .chain import guard
    guard(conn)
    return db


@contextlib.contextmanager
def write(db: Database) -> Iterator[Database]:
    """One all-or-nothing write: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (or rollback).

    Nested calls join the outer transaction through a savepoint.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def bump_revision(db: Database) -> None:
    """Tell the daemon the schedule changed (it polls this counter)."""
    db.execute("UPDATE meta SET value = value + 1 WHERE name = 'revision'")


def revision(db: Database) -> int:
    row = db.execute("SELECT value FROM meta WHERE name = 'revision'").fetchone()
    return int(row[0]) if row else 0
