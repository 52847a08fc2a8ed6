"""Schema of the station database, one migration per change.

``migrations.apply(db)`` is safe to run on every start; each migration runs in
its own transaction.
"""

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("radio")


def _run_script(db: Database, script: str) -> None:
    """Run statements one by one: ``executescript`` would COMMIT the
    migration's transaction halfway and break its all-or-nothing promise."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")


@migrations()
def m001_initial(db: Database) -> None:
    _run_script(
        db,
        """
        CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO meta VALUES ('revision', 0);

        CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE bulletins (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            topic TEXT NOT NULL DEFAULT 'cchc',
            priority TEXT NOT NULL DEFAULT 'normal'
                CHECK (priority IN ('normal', 'priority', 'urgent')),
            repeat_count INTEGER NOT NULL DEFAULT 1 CHECK (repeat_count >= 1),
            valid_from TEXT,              -- local date YYYY-MM-DD, inclusive
            valid_until TEXT,             -- local date YYYY-MM-DD, inclusive
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'approved', 'withdrawn')),
            text_sha256 TEXT NOT NULL,
            recording_path TEXT,          -- a human reading replaces speech
            created_at TEXT NOT NULL,
            created_by TEXT,
            approved_at TEXT,
            approved_by TEXT
        );
        -- Approved content is frozen: history and the proof log rely on it.
        CREATE TRIGGER bulletins_frozen BEFORE UPDATE OF title, text, recording_path, text_sha256
        ON bulletins WHEN OLD.status = 'approved'
        BEGIN SELECT RAISE(ABORT, 'approved bulletin is frozen'); END;

        CREATE TABLE renders (
            bulletin_id INTEGER PRIMARY KEY REFERENCES bulletins(id),
            state TEXT NOT NULL CHECK (state IN ('pending', 'rendering', 'done', 'failed')),
            engine TEXT,
            voice TEXT,
            cache_key TEXT,
            path TEXT,
            audio_sha256 TEXT,
            duration_ms INTEGER,
            spoken_text TEXT,
            error TEXT,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE slots (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            at_time TEXT NOT NULL,        -- local HH:MM:SS
            days TEXT,                    -- 'daily' or 'mon,tue,...'; NULL for one-off
            date TEXT,                    -- local YYYY-MM-DD for one-off slots
            valid_from TEXT,
            valid_until TEXT,
            cap_minutes INTEGER,
            topics TEXT,                  -- comma list; NULL = any topic
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            CHECK ((days IS NULL) != (date IS NULL))
        );

        -- An airing in progress. Inserted (unique key) before the first sample,
        -- so a crash can never lead to the same occurrence airing twice.
        CREATE TABLE claims (
            key TEXT PRIMARY KEY,
            slot_id INTEGER,
            scheduled_at TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            started_at TEXT,
            pid INTEGER NOT NULL,
            output TEXT,
            programme_path TEXT,
            items TEXT NOT NULL DEFAULT '[]'
        );

        -- The proof log: one final row per occurrence, never updated or deleted.
        CREATE TABLE occurrences (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'slot' CHECK (kind IN ('slot', 'urgent', 'resume')),
            slot_id INTEGER,
            scheduled_at TEXT NOT NULL,
            started_at TEXT,
            ended_at TEXT,
            seconds_played REAL NOT NULL DEFAULT 0,
            programme_seconds REAL,
            status TEXT NOT NULL CHECK (status IN ('aired', 'partial', 'failed', 'missed', 'cancelled')),
            reason TEXT,
            output TEXT,
            programme_sha256 TEXT,
            loudness_lufs REAL,
            hooks TEXT,
            logged_at TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        );
        CREATE INDEX occurrences_scheduled ON occurrences(scheduled_at);
        CREATE TABLE occurrence_items (
            occurrence_id INTEGER NOT NULL REFERENCES occurrences(id),
            position INTEGER NOT NULL,
            bulletin_id INTEGER,
            title TEXT NOT NULL,
            topic TEXT,
            priority TEXT,
            text_sha256 TEXT,
            audio_sha256 TEXT,
            engine TEXT,
            duration_ms INTEGER,
            completed INTEGER NOT NULL,
            PRIMARY KEY (occurrence_id, position)
        );
        CREATE INDEX occurrence_items_bulletin ON occurrence_items(bulletin_id);
        CREATE TRIGGER occurrences_no_update BEFORE UPDATE ON occurrences
        BEGIN SELECT RAISE(ABORT, 'the proof log is append-only'); END;
        CREATE TRIGGER occurrences_no_delete BEFORE DELETE ON occurrences
        BEGIN SELECT RAISE(ABORT, 'the proof log is append-only'); END;
        CREATE TRIGGER occurrence_items_no_update BEFORE UPDATE ON occurrence_items
        BEGIN SELECT RAISE(ABORT, 'the proof log is append-only'); END;
        CREATE TRIGGER occurrence_items_no_delete BEFORE DELETE ON occurrence_items
        BEGIN SELECT RAISE(ABORT, 'the proof log is append-only'); END;

        -- Requests the admin/CLI leave for the daemon (urgent play, rescan).
        CREATE TABLE commands (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            bulletin_id INTEGER,
            requested_at TEXT NOT NULL,
            requested_by TEXT,
            handled_at TEXT,
            result TEXT
        );

        -- Daemon heartbeat: how the daemon knows how long it was away.
        CREATE TABLE station_state (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )


@migrations()
def m002_lexicon(db: Database) -> None:
    """The station's own pronunciations (local place names, people), beating the shipped lexicon."""
    _run_script(
        db,
        """
        CREATE TABLE lexicon (
            term TEXT PRIMARY KEY,
            spoken TEXT NOT NULL CHECK (length(trim(spoken)) > 0),
            updated_at TEXT NOT NULL
        );
        """,
    )


@migrations()
def m003_users(db: Database) -> None:
    """Admin accounts: officers draft, leaders approve."""
    _run_script(
        db,
        """
        CREATE TABLE users (
            username TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('officer', 'leader', 'admin')),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    )


@migrations()
def m004_slot_output(db: Database) -> None:
    """A slot may air to its own output, e.g. the loudspeaker zones (cụm loa) of some villages."""
    db.execute("ALTER TABLE slots ADD COLUMN output TEXT")


@migrations()
def m100_audit(db: Database) -> None:
    """Who did what: an append-only audit trail of people's actions."""
    _run_script(
        db,
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,             -- UTC
            username TEXT,
            role TEXT,
            action TEXT NOT NULL,
            target TEXT,
            detail TEXT                   -- JSON
        );
        CREATE INDEX audit_target ON audit(target);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        """,
    )


@migrations()
def m190_admin_recording_language(db: Database) -> None:
    """The language a human recording is read in (Vietnamese, or the local language's name)."""
    db.execute("ALTER TABLE bulletins ADD COLUMN recording_language TEXT")
