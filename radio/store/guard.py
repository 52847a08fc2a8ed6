"""Refusing, on the station's own connections, statements that would change the log
tables' schema (a connection that bypasses it is caught by the signed heads)."""

from __future__ import annotations

import sqlite3

#: the proof log's tables: their schema may change only in a migration, and the chain hashes it
LOG_TABLES = ("occurrences", "occurrence_items")


_DENY_ON_TABLE = {
    sqlite3.SQLITE_DROP_TABLE: 0, sqlite3.SQLITE_ALTER_TABLE: 1,
    sqlite3.SQLITE_CREATE_TRIGGER: 1, sqlite3.SQLITE_DROP_TRIGGER: 1,
    sqlite3.SQLITE_CREATE_TEMP_TRIGGER: 1, sqlite3.SQLITE_DROP_TEMP_TRIGGER: 1,
}


def _authorizer(action, arg1, arg2, _db_name, _trigger):
    if action in _DENY_ON_TABLE and (arg1, arg2)[_DENY_ON_TABLE[action]] in LOG_TABLES:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg1 and arg1.lower() == "writable_schema":
        return sqlite3.SQLITE_DENY
    if action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE) \
            and arg1 == "sqlite_sequence":
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def guard(conn: sqlite3.Connection) -> None:
    """Refuse, on this connection, statements that would change the log tables' schema.

    Installed after migrations run. A connection that bypasses it (the sqlite3
    shell) is caught by the schema hash in the signed heads.
    """
    conn.set_authorizer(_authorizer)
