"""Opening the station database.

SQLite in WAL mode with a 30 s busy timeout, because the daemon, the admin and
the CLI write to one file at once. Multi-statement writes go through
:func:`write`, which takes the write lock up front with ``BEGIN IMMEDIATE``:
sqlite-utils' ``atomic()`` starts a deferred transaction, which fails with
"database is locked" when two writers upgrade at the same moment.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from radio.store.guard import guard
from radio.store.home import create_private, make_private
from radio.store.migrations import migrations

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

BUSY_TIMEOUT_S = 30.0
#: space kept free beside the database (a file of zeros the daemon gives back when the
#: disk is full), so that the station can still open the database and write its log.
#: It is the daemon's alone: no other program (CLI, admin) ever gives it back.
RESERVE_BYTES = 2 * 1024 * 1024

log = logging.getLogger("radio.store.connection")


def connect(path: str | Path, *, busy_timeout_s: float | None = None, migrate: bool = True,
            use_reserve: bool = False, schema: Migrations = migrations) -> Database:
    """Open (and migrate) the database at *path*; ``":memory:"`` for tests.

    On a full disk SQLite cannot create the WAL index it needs to open the file
    ("disk I/O error"). With *use_reserve* (the station daemon, holding its data
    directory, and no one else) the space reserve beside the database (see
    :func:`keep_reserve`) is then given back and the open tried once more. Any
    other program gets the error: a CLI command or the admin freeing the reserve
    would leave the daemon, whose rows it is kept for, unable to start once the
    space is taken again.

    :param busy_timeout_s: how long a write waits for another writer
        (default :data:`BUSY_TIMEOUT_S`); beyond it sqlite raises "database is locked".
    :param migrate: False for extra connections of a process that migrated already.
    :param use_reserve: give the reserve back if the disk is too full to open the file.
    :param schema: the migrations the file follows: the station's (``radio.db``) unless
        another database of ours (the province hub's ``hub.db``) is opened the same way.
    """
    try:
        return _open(path, busy_timeout_s, migrate, schema)
    except sqlite3.OperationalError as exc:
        if use_reserve and str(path) != ":memory:" and is_disk_full(exc) and release_reserve(path):
            return _open(path, busy_timeout_s, migrate, schema)
        raise


@contextlib.contextmanager
def _migration_lock(path) -> Iterator[None]:
    """One process at a time migrates a database file.

    Two processes opening a brand-new station at once (``radio demo`` while a CLI
    command runs) would both see a migration missing and both run it; the second
    fails half-way. A lock file beside the database serialises them; the second
    then finds everything applied.
    """
    if str(path) == ":memory:":
        yield
        return
    lock_path = Path(f"{path}.migrate-lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:  # Windows: lock the file's first byte, waiting for it
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        yield
    finally:
        os.close(fd)  # closing releases the lock on both systems


def _open(path, busy_timeout_s, migrate, schema) -> Database:
    # a new database is created 0600 (it holds password hashes); SQLite gives its
    # -wal and -shm files the same mode; one an older version left readable is made private
    if str(path) != ":memory:":
        if not create_private(Path(path)):
            make_private(Path(path), Path(f"{path}-wal"), Path(f"{path}-shm"))
    timeout = BUSY_TIMEOUT_S if busy_timeout_s is None else busy_timeout_s
    conn = sqlite3.connect(
        str(path),
        timeout=timeout,
        check_same_thread=False,
        isolation_level=None,  # we issue BEGIN ourselves
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        db = Database(conn)
        if migrate:
            with _migration_lock(path):
                _use_wal(conn, path, timeout)
                schema.apply(db)
        else:
            _use_wal(conn, path, timeout)
        # after migrations: they may rebuild the log tables, nothing else may
        guard(conn)
    except BaseException:
        conn.close()
        raise
    return db


def _use_wal(conn: sqlite3.Connection, path, timeout: float) -> None:
    """Put the file in WAL mode, waiting for other processes doing the same.

    Switching a new file to WAL needs an exclusive lock, and SQLite answers
    "database is locked" at once, without its busy handler, when another
    connection is switching it at that moment; so the switch is retried up to
    the busy timeout.
    """
    if str(path) == ":memory:":
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)
    conn.execute("PRAGMA synchronous = NORMAL")


def is_disk_full(exc: BaseException) -> bool:
    """Whether *exc* is SQLite or the OS saying the disk has no room."""
    if isinstance(exc, OSError):
        return exc.errno in (28, 122)  # ENOSPC, EDQUOT
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("disk i/o error" in text or "full" in text)


def _reserve_path(database: str | Path) -> Path:
    return Path(f"{database}.reserve")


def keep_reserve(database: str | Path, size: int = RESERVE_BYTES) -> bool:
    """Keep *size* bytes of the disk for the database (created when missing and there is
    room; a full disk leaves it missing). The daemon calls it at start-up."""
    reserve = _reserve_path(database)
    if reserve.exists() and reserve.stat().st_size >= size:
        return True
    try:
        with open(reserve, "wb") as fh:
            fh.write(b"\0" * size)
            fh.flush()
            os.fsync(fh.fileno())
        return True
    except OSError:
        reserve.unlink(missing_ok=True)
        return False


def release_reserve(database: str | Path) -> bool:
    """Give the reserve back to a full disk; True if there was one. For the station daemon
    only (its start on a full disk, its proof rows)."""
    reserve = _reserve_path(database)
    if not reserve.exists():
        return False
    reserve.unlink()
    log.warning("The disk of %s is full: released the %d KiB kept in reserve so the station can "
                "keep its log. Free space on the disk.", database, RESERVE_BYTES // 1024)
    return True


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


def checkpoint(db: Database) -> bool:
    """Copy the committed WAL frames into the database file (a passive checkpoint).

    Called after each proof-log write on the air path: a ``radio.db-wal`` lost after
    a crash (a clean-up or backup tool keeping only ``radio.db``, a filesystem that
    drops it) then no longer takes the rows with it. ``synchronous = FULL`` would not
    help there: it makes the WAL durable, not the database file. Passive: it never
    waits for readers; frames a reader still needs are copied at the next one.
    True when every frame reached the file. Nothing happens inside a transaction.
    """
    if db.conn.in_transaction:
        return False
    try:
        busy, frames, copied = db.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except sqlite3.OperationalError as exc:
        log.warning("Could not checkpoint the database (%s); the next write tries again", exc)
        return False
    return not busy and frames == copied


def bump_revision(db: Database) -> None:
    """Tell the daemon the schedule changed (it polls this counter)."""
    db.execute("UPDATE meta SET value = value + 1 WHERE name = 'revision'")


def revision(db: Database) -> int:
    row = db.execute("SELECT value FROM meta WHERE name = 'revision'").fetchone()
    return int(row[0]) if row else 0
