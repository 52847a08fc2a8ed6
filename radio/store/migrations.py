"""Schema of the station database, one migration per change.

``migrations.apply(db)`` is safe to run on every start; each migration runs in
its own transaction.

Each migration is named by what it changes. A station records the migrations it has run
by name (``_sqlite_migrations``), so a function renamed later keeps the name it was
recorded under through ``@migrations(name=...)``: without it the station would run the
migration a second time.
"""

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from radio.clock import STATION_TZ

migrations = Migrations("radio")


def run_script(db: Database, script: str) -> None:
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
    run_script(
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
    run_script(
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
    run_script(
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
    run_script(
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


@migrations(name="m110_decide_render_lease")  # the name recorded on every station
def m110_render_lease(db: Database) -> None:
    """A render in hand carries a lease (owner and expiry), so one left by a dead process is reclaimed."""
    db.execute("ALTER TABLE renders ADD COLUMN lease_owner TEXT")
    db.execute("ALTER TABLE renders ADD COLUMN lease_until TEXT")


@migrations(name="m111_decide_reservations")  # the name recorded on every station
def m111_occurrence_reservations(db: Database) -> None:
    """What each decided occurrence will air, written when its running order is fixed,
    so repeat counts hold across occurrences close together and catch-up bursts."""
    run_script(
        db,
        """
        CREATE TABLE reservations (
            key TEXT NOT NULL,            -- occurrence key
            bulletin_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            scheduled_at TEXT NOT NULL,   -- UTC
            decided_at TEXT NOT NULL,     -- UTC
            PRIMARY KEY (key, bulletin_id)
        );
        CREATE INDEX reservations_bulletin ON reservations(bulletin_id);
        """,
    )


@migrations(name="m120_airfaults_claim_progress")  # the name recorded on every station
def m120_claim_progress(db: Database) -> None:
    """A claim records how far the output got, so a row closed after a crash says what was heard."""
    for column, kind in (("seconds_played", "REAL"), ("progress_at", "TEXT"),
                         ("programme_seconds", "REAL"), ("programme_sha256", "TEXT"),
                         ("item_ends_ms", "TEXT"), ("dead_air", "TEXT")):
        db.execute(f"ALTER TABLE claims ADD COLUMN {column} {kind}")


@migrations(name="m130_cli_command_expiry")  # the name recorded on every station
def m130_command_expiry(db: Database) -> None:
    """An urgent request not taken by a daemon in time expires and never airs later."""
    db.execute("ALTER TABLE commands ADD COLUMN expires_at TEXT")  # UTC; NULL = never (older rows)


@migrations(name="m131_cli_api_tokens")  # the name recorded on every station
def m131_api_tokens(db: Database) -> None:
    """Bearer tokens of the read-only JSON API, one per client; only their hash is kept."""
    run_script(
        db,
        """
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            token_sha256 TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,         -- the first characters, to tell tokens apart in lists
            created_at TEXT NOT NULL,     -- UTC
            created_by TEXT,
            last_used_at TEXT,
            revoked_at TEXT,
            revoked_by TEXT
        );
        CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens(name) WHERE revoked_at IS NULL;
        """,
    )


@migrations(name="m140_trustlib_bulletin_return")  # the name recorded on every station
def m140_bulletin_return(db: Database) -> None:
    """A leader may return a draft to its officer with a reason ("Trả lại")."""
    for column in ("returned_at", "returned_by", "return_reason"):
        db.execute(f"ALTER TABLE bulletins ADD COLUMN {column} TEXT")


@migrations(name="m141_trustlib_outputs")  # the name recorded on every station
def m141_named_outputs(db: Database) -> None:
    """Named outputs (sound devices, PulseAudio sinks, Icecast mounts, files) set by the admin."""
    run_script(
        db,
        """
        CREATE TABLE outputs (
            name TEXT PRIMARY KEY,
            label TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL CHECK (kind IN ('device', 'pulse', 'icecast', 'file')),
            spec TEXT NOT NULL,           -- may hold an Icecast password: never shown
            zone TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        """,
    )
    # Slots used to carry a free-text spec; keep them airing where they did, through a
    # named output the admin can review (and remove) like any other.
    specs = [r[0] for r in db.execute(
        "SELECT DISTINCT output FROM slots WHERE output IS NOT NULL AND trim(output) != '' ORDER BY output")]
    n = 0
    for spec in specs:
        kind = "icecast" if spec.startswith("icecast://") else spec.partition(":")[0]
        if kind not in ("device", "pulse", "icecast", "file"):
            db.execute("UPDATE slots SET output = NULL WHERE output = ?", [spec])
            continue
        n += 1
        db.execute("INSERT INTO outputs (name, label, kind, spec, created_at) "
                   "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))",
                   [f"slot-output-{n}", "", kind, spec])
        db.execute("UPDATE slots SET output = ? WHERE output = ?", [f"slot-output-{n}", spec])


@migrations(name="m142_trustlib_proof_approval")  # the name recorded on every station
def m142_proof_names_approver_and_output(db: Database) -> None:
    """The proof log says who approved each item and when, and what kind of output aired it."""
    db.execute("ALTER TABLE occurrence_items ADD COLUMN approved_by TEXT")
    db.execute("ALTER TABLE occurrence_items ADD COLUMN approved_at TEXT")
    db.execute("ALTER TABLE occurrences ADD COLUMN output_kind TEXT")


@migrations(name="m150_trustweb_accounts")  # the name recorded on every station
def m150_viewer_role_and_sessions(db: Database) -> None:
    """Accounts: a read-only ``viewer`` role, disabled and demo accounts, server-side
    sessions and the failed logins the rate limit counts.

    SQLite cannot change a CHECK constraint, so ``users`` is rebuilt (copy, drop,
    rename) inside this migration's transaction; nothing references it by foreign key.
    """
    run_script(
        db,
        """
        CREATE TABLE users_new (
            username TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'officer', 'leader', 'admin')),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            disabled_at TEXT,             -- UTC; a disabled account cannot log in
            demo INTEGER NOT NULL DEFAULT 0,
            password_changed_at TEXT      -- UTC; NULL = the password set at creation
        );
        INSERT INTO users_new (username, display_name, role, password_hash, created_at)
            SELECT username, display_name, role, password_hash, created_at FROM users;
        DROP TABLE users;
        ALTER TABLE users_new RENAME TO users;

        -- The cookie carries a random token; only its SHA-256 is stored, so a copy
        -- of the database does not hand out live sessions.
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,          -- sha256 hex of the token
            username TEXT NOT NULL,
            created_at TEXT NOT NULL,     -- UTC
            last_seen_at TEXT NOT NULL,   -- UTC
            address TEXT
        );
        CREATE INDEX sessions_username ON sessions(username);

        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,             -- UTC
            username TEXT NOT NULL,       -- as typed (lower-cased), known or not
            address TEXT NOT NULL
        );
        CREATE INDEX login_failures_username ON login_failures(username, at);
        CREATE INDEX login_failures_address ON login_failures(address, at);
        """,
    )


@migrations()
def m160_reports_targets(db: Database) -> None:
    """Targets per topic and period kind; the old ``monthly_target`` setting becomes the first row."""
    run_script(
        db,
        """
        CREATE TABLE targets (
            id INTEGER PRIMARY KEY,
            topic TEXT NOT NULL CHECK (length(trim(topic)) > 0),
            period TEXT NOT NULL CHECK (period IN ('month', 'quarter', 'half', 'year')),
            minimum INTEGER NOT NULL CHECK (minimum >= 1),
            applies_from TEXT,            -- local date; NULL = always
            applies_until TEXT,           -- local date, inclusive
            note TEXT,
            created_at TEXT NOT NULL,     -- UTC
            created_by TEXT
        );
        """,
    )
    minimum = 1
    if db["settings"].exists():
        row = db.execute("SELECT value FROM settings WHERE name = 'monthly_target'").fetchone()
        if row is not None:
            try:
                minimum = max(int(float(row[0])), 0)
            except ValueError:
                minimum = 1
            db.execute("DELETE FROM settings WHERE name = 'monthly_target'")
    if minimum >= 1:
        db.execute(
            "INSERT INTO targets (topic, period, minimum, note, created_at, created_by) "
            "VALUES ('cchc', 'month', ?, 'Định kỳ hàng tháng có ít nhất một tin bài về CCHC', "
            "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'migration')",
            [minimum],
        )


#: What m170 rebuilds the log tables with; anything else found on them is carried over.
_LOG_OCCURRENCE_COLUMNS = (
    "id", "key", "kind", "slot_id", "scheduled_at", "started_at", "ended_at", "seconds_played",
    "programme_seconds", "status", "reason", "output", "programme_sha256", "loudness_lufs",
    "hooks", "logged_at", "prev_hash", "hash",
)
_LOG_OWN_OBJECTS = (
    "occurrences_scheduled", "occurrence_items_bulletin", "occurrences_no_update",
    "occurrences_no_delete", "occurrence_items_no_update", "occurrence_items_no_delete",
)


@migrations()
def m170_proof_chain_guard(db: Database) -> None:
    """Manual entries and corrections in the proof log, and a chain REPLACE cannot get past.

    Rebuilds both log tables (CHECK constraints cannot be altered in SQLite),
    keeping every row, id and hash: kinds ``manual`` and ``correction``, the
    status ``void`` (a correction withdrawing an entry), who entered a row by
    hand and which entry a correction corrects; ids never reused
    (AUTOINCREMENT), and BEFORE INSERT triggers that refuse a row reusing an
    id or key (``INSERT OR REPLACE``), a row out of chain order, or items
    added to an entry other than the newest.
    """
    extra = [
        f'"{c[1]}" {c[2]}' for c in db.execute("PRAGMA table_info(occurrences)").fetchall()
        if c[1] not in _LOG_OCCURRENCE_COLUMNS
    ]
    keep = [
        sql for (sql,) in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN ('occurrences', 'occurrence_items') "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL AND name NOT IN "
            f"({','.join('?' * len(_LOG_OWN_OBJECTS))})", _LOG_OWN_OBJECTS).fetchall()
    ]
    item_columns = [c[1] for c in db.execute("PRAGMA table_info(occurrence_items)").fetchall()]
    known_items = ("occurrence_id", "position", "bulletin_id", "title", "topic", "priority",
                   "text_sha256", "audio_sha256", "engine", "duration_ms", "completed")
    extra_items = [
        f'"{c[1]}" {c[2]}' for c in db.execute("PRAGMA table_info(occurrence_items)").fetchall()
        if c[1] not in known_items
    ]
    occurrence_columns = [c[1] for c in db.execute("PRAGMA table_info(occurrences)").fetchall()]
    run_script(
        db,
        f"""
        CREATE TABLE occurrences_v2 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'slot'
                CHECK (kind IN ('slot', 'urgent', 'resume', 'manual', 'correction')),
            slot_id INTEGER,
            scheduled_at TEXT NOT NULL,
            started_at TEXT,
            ended_at TEXT,
            seconds_played REAL NOT NULL DEFAULT 0,
            programme_seconds REAL,
            status TEXT NOT NULL
                CHECK (status IN ('aired', 'partial', 'failed', 'missed', 'cancelled', 'void')),
            reason TEXT,
            output TEXT,
            programme_sha256 TEXT,
            loudness_lufs REAL,
            hooks TEXT,
            logged_at TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            entered_by TEXT,              -- who typed a manual entry or correction
            corrects_id INTEGER REFERENCES occurrences_v2(id){''.join(', ' + e for e in extra)}
        );
        CREATE TABLE occurrence_items_v2 (
            occurrence_id INTEGER NOT NULL REFERENCES occurrences_v2(id),
            position INTEGER NOT NULL,
            bulletin_id INTEGER,
            title TEXT NOT NULL,
            topic TEXT,
            priority TEXT,
            text_sha256 TEXT,
            audio_sha256 TEXT,
            engine TEXT,
            duration_ms INTEGER,
            completed INTEGER NOT NULL{''.join(', ' + e for e in extra_items)},
            PRIMARY KEY (occurrence_id, position)
        );
        INSERT INTO occurrences_v2 ({', '.join(f'"{c}"' for c in occurrence_columns)})
            SELECT {', '.join(f'"{c}"' for c in occurrence_columns)} FROM occurrences ORDER BY id;
        INSERT INTO occurrence_items_v2 ({', '.join(f'"{c}"' for c in item_columns)})
            SELECT {', '.join(f'"{c}"' for c in item_columns)} FROM occurrence_items;
        DROP TABLE occurrence_items;
        DROP TABLE occurrences;
        ALTER TABLE occurrences_v2 RENAME TO occurrences;
        ALTER TABLE occurrence_items_v2 RENAME TO occurrence_items;
        CREATE INDEX occurrences_scheduled ON occurrences(scheduled_at);
        CREATE INDEX occurrence_items_bulletin ON occurrence_items(bulletin_id);
        CREATE TRIGGER occurrences_no_update BEFORE UPDATE ON occurrences
        BEGIN SELECT RAISE(ABORT, 'the proof log is append-only'); END;
        CREATE TRIGGER occurrences_no_delete BEFORE DELETE ON occurrences
        BEGIN SELECT RAISE(ABORT, 'the proof log is append-only'); END;
        CREATE TRIGGER occurrence_items_no_update BEFORE UPDATE ON occurrence_items
        BEGIN SELECT RAISE(ABORT, 'the proof log is append-only'); END;
        CREATE TRIGGER occurrence_items_no_delete BEFORE DELETE ON occurrence_items
        BEGIN SELECT RAISE(ABORT, 'the proof log is append-only'); END;
        -- INSERT OR REPLACE deletes the old row without firing DELETE triggers:
        -- refuse it before it happens, and any row that does not extend the chain.
        CREATE TRIGGER occurrences_append_only BEFORE INSERT ON occurrences
        WHEN EXISTS (SELECT 1 FROM occurrences WHERE id = NEW.id OR key = NEW.key OR hash = NEW.hash)
          OR NEW.prev_hash != coalesce((SELECT hash FROM occurrences ORDER BY id DESC LIMIT 1),
                                       '{'0' * 64}')
        BEGIN SELECT RAISE(ABORT, 'the proof log is append-only'); END;
        CREATE TRIGGER occurrence_items_append_only BEFORE INSERT ON occurrence_items
        WHEN NEW.occurrence_id IS NOT (SELECT max(id) FROM occurrences)
          OR EXISTS (SELECT 1 FROM occurrence_items
                     WHERE occurrence_id = NEW.occurrence_id AND position = NEW.position)
        BEGIN SELECT RAISE(ABORT, 'the proof log is append-only'); END;
        """,
    )
    for sql in keep:
        db.execute(sql)


@migrations()
def m171_proof_recipes(db: Database) -> None:
    """How each programme was assembled, so an aired one can be replayed bit for bit
    after its WAV is cleaned up (parts are kept by sha256 in ``proof-audio/``)."""
    run_script(
        db,
        """
        CREATE TABLE programme_recipes (
            sha256 TEXT PRIMARY KEY,      -- of the programme WAV, as logged
            recipe TEXT NOT NULL,         -- JSON: parts (kind, label, sha256, file), gap, loudness
            created_at TEXT NOT NULL,     -- UTC
            complete INTEGER NOT NULL DEFAULT 0  -- every part kept in proof-audio/ yet
        );
        CREATE INDEX programme_recipes_pending ON programme_recipes(complete) WHERE complete = 0;
        """,
    )


@migrations(name="m190_admin_recording_language")  # the name recorded on every station
def m190_recording_language(db: Database) -> None:
    """The language a human recording is read in (Vietnamese, or the local language's name)."""
    db.execute("ALTER TABLE bulletins ADD COLUMN recording_language TEXT")


@migrations(name="m200_scale_list_indexes")  # the name recorded on every station
def m200_list_indexes(db: Database) -> None:
    """Indexes on what the admin's lists filter and sort by, so a page of a year's
    data is one index range, not a scan (bulletins by status, the log by status and
    time and the alerts by when a row was logged, the audit trail by user and action)."""
    run_script(
        db,
        """
        CREATE INDEX bulletins_status_id ON bulletins(status, id);
        CREATE INDEX occurrences_status_scheduled ON occurrences(status, scheduled_at);
        CREATE INDEX audit_username ON audit(username, id);
        CREATE INDEX audit_action ON audit(action, id);
        -- the alerts on every page read the last day's problems (by status, then logged_at)
        CREATE INDEX occurrences_status_logged ON occurrences(status, logged_at);
        -- repeats left per bulletin count the completed items of the whole log
        CREATE INDEX occurrence_items_completed ON occurrence_items(bulletin_id) WHERE completed = 1;
        """,
    )


@migrations(name="m210_slotedit_owed_from")  # the name recorded on every station
def m210_slot_owed_from(db: Database) -> None:
    """When a slot's time or days were last edited: the occurrences it owes start there
    (before it, the slot aired at other instants), so a restart does not log a moved
    slot's new instants before the edit as missed."""
    db.execute("ALTER TABLE slots ADD COLUMN owed_from TEXT")


#: tables the running order is planned from, besides the append-only proof log;
#: a trigger on each counts every change in ``change_counters`` ('schedule')
SCHEDULE_INPUT_TABLES = ("slots", "bulletins", "renders", "claims", "reservations")


@migrations(name="m240_adminload_change_counters")  # the name recorded on every station
def m240_schedule_change_counters(db: Database) -> None:
    """A counter that moves with every change to what the schedule is planned from,
    so the admin can keep the week's running order between changes (the daemon's
    heartbeat, written every second, does not move it). A migration that rebuilds
    one of these tables must create its triggers again (tests/radio/store/test_change_counters.py)."""
    db.execute("CREATE TABLE change_counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0)")
    db.execute("INSERT INTO change_counters (name, n) VALUES ('schedule', 0)")
    for table in SCHEDULE_INPUT_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER {table}_{event.lower()}_counts AFTER {event} ON {table} "
                       "BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'schedule'; END")


@migrations(name="m241_adminload_log_status_id_index")  # the name recorded on every station
def m241_log_status_id_index(db: Database) -> None:
    """The station page's last problem (newest failed/missed/partial entry): an index
    range per status read from its newest id, not a sort of every such entry (10 ms
    on a year's log, per view)."""
    db.execute("CREATE INDEX occurrences_status_id ON occurrences(status, id)")


@migrations()
def m260_corrections_index(db: Database) -> None:
    """Entries by the entry they correct: reports and targets read each entry's last
    correction (the status it stands at), one index probe per entry."""
    db.execute("CREATE INDEX occurrences_corrects ON occurrences(corrects_id, id) WHERE corrects_id IS NOT NULL")


@migrations()
def m261_item_approved_at_index(db: Database) -> None:
    """The span of the items' approval times, read by every CSV export to check the
    zone's offset: two index probes instead of a scan of the year's items."""
    db.execute("CREATE INDEX occurrence_items_approved_at ON occurrence_items(approved_at) "
               "WHERE approved_at IS NOT NULL")


#: what an airing writes to its claim every second; no page plans from it
CLAIM_PROGRESS_COLUMNS = ("seconds_played", "progress_at", "dead_air", "breaks")


@migrations()
def m270_claim_progress_keeps_the_counter(db: Database) -> None:
    """A claim's once-a-second progress (how far the output got) no longer moves the
    schedule's change counter: while a programme aired, every admin page rebuilt the
    week's running order each second. Any other change to a claim still counts; a
    column added to claims later must be added to this trigger (tests/radio/store/test_change_counters.py)."""
    columns = [r[1] for r in db.execute("PRAGMA table_info(claims)").fetchall()
               if r[1] not in CLAIM_PROGRESS_COLUMNS]
    db.execute("DROP TRIGGER claims_update_counts")
    db.execute(f"CREATE TRIGGER claims_update_counts AFTER UPDATE OF {', '.join(columns)} ON claims "
               "BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'schedule'; END")


@migrations()
def m280_claim_progress_breaks(db: Database) -> None:
    """A claim counts the breaks in the sound so far (the player ran dry for a moment),
    so the row closed after a crash names them as the row of a finished airing does.
    Progress, so it stays out of the schedule's update trigger (m270)."""
    db.execute("ALTER TABLE claims ADD COLUMN breaks INTEGER NOT NULL DEFAULT 0")


@migrations()
def m290_approval_binds_speech(db: Database) -> None:
    """What a leader's approval binds, kept apart from the bulletin it approves:
    the content hash, the approved spoken form and the approved audio.
    The station renders only the approved spoken form, checks the bulletin against
    this row before air, and lists here the bulletins a lexicon change would read
    differently (``reapprove_spoken``) until the leader approves the new reading.
    Parts the station installs itself (the ident, uploaded jingles) record their
    sha256 in ``station_parts``; a mismatch found before air is an ``integrity_alerts`` row."""
    run_script(
        db,
        """
        CREATE TABLE approvals (
            bulletin_id INTEGER PRIMARY KEY REFERENCES bulletins(id),
            approved_at TEXT NOT NULL,        -- UTC
            approved_by TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,     -- radio.bulletins.lifecycle.content_sha256 at approval
            spoken_text TEXT,                 -- the approved spoken form (NULL: a recording)
            spoken_sha256 TEXT,
            audio_sha256 TEXT,                -- the approved audio (bound at its first render)
            audio_path TEXT,                  -- its copy outside the speech cache
            reapprove_spoken TEXT,            -- what the lexicon now makes of it, if different
            reapprove_since TEXT,
            backfilled INTEGER NOT NULL DEFAULT 0 -- approved before this table: no spoken hash audited
        );
        CREATE TABLE station_parts (
            name TEXT PRIMARY KEY,            -- 'ident', 'jingle:intro', 'jingle:outro'
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            duration_ms INTEGER,
            source TEXT,                      -- what it was made from (ident: text and engine)
            engine TEXT,
            installed_at TEXT NOT NULL
        );
        CREATE TABLE integrity_alerts (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,                 -- UTC
            subject TEXT NOT NULL,            -- 'bulletin:12', 'ident', 'jingle:intro'
            problem TEXT NOT NULL             -- English, one sentence
        );
        CREATE INDEX integrity_alerts_at ON integrity_alerts(at);
        """,
    )
    bind_approvals_made_before_m290(db)


@migrations()
def m300_chain_marks(db: Database) -> None:
    """The station's own appends are marked (HMAC under the chain key of the entry's id
    and hash, written in the append's transaction): a row inserted by plain SQL has no
    valid mark, so the station never signs it into its heads (radio/proof/chain/keys.py)."""
    db.execute("CREATE TABLE chain_marks (occurrence_id INTEGER PRIMARY KEY, mac TEXT NOT NULL)")


@migrations()
def m320_reports_output_loudspeakers(db: Database) -> None:
    """Whether an output feeds loudspeakers, and what each airing reached.

    ``outputs.loudspeakers``: NULL means by kind (a ``file:`` output does not, a sound
    device, PulseAudio sink or Icecast stream does); 1 or 0 is the admin's override.
    ``occurrence_reach``: the daemon's answer at air time for one proof-log entry
    (the named output it used and whether that fed loudspeakers), written in the
    entry's own transaction, so changing an output later never changes a past
    report. A table beside the log: the log tables' schema (and so their signed
    heads) stay as they are. Rows are never updated or deleted.
    """
    db.execute("ALTER TABLE outputs ADD COLUMN loudspeakers INTEGER CHECK (loudspeakers IN (0, 1))")
    run_script(
        db,
        """
        CREATE TABLE occurrence_reach (
            occurrence_id INTEGER PRIMARY KEY REFERENCES occurrences(id),
            output_name TEXT,             -- the named output a slot used; NULL: the station's own
            loudspeakers INTEGER NOT NULL CHECK (loudspeakers IN (0, 1))
        );
        CREATE TRIGGER occurrence_reach_no_update BEFORE UPDATE ON occurrence_reach
        BEGIN SELECT RAISE(ABORT, 'occurrence_reach is append-only'); END;
        CREATE TRIGGER occurrence_reach_no_delete BEFORE DELETE ON occurrence_reach
        BEGIN SELECT RAISE(ABORT, 'occurrence_reach is append-only'); END;
        """,
    )


@migrations()
def m330_login_failures_keys(db: Database) -> None:
    """Logins are throttled by account *and* address (or known device), not by account
    alone: an attacker who fails on the leader's name no longer locks the leader out
    from another computer. ``device`` is the known device a try came
    from; ``checked`` 0 is a row of tries refused while waiting (the password was not
    checked), ``tries`` how many such tries the row counts, so hammering is counted
    without a row per request."""
    db.execute("ALTER TABLE login_failures ADD COLUMN device TEXT")
    db.execute("ALTER TABLE login_failures ADD COLUMN checked INTEGER NOT NULL DEFAULT 1")
    db.execute("ALTER TABLE login_failures ADD COLUMN tries INTEGER NOT NULL DEFAULT 1")
    db.execute("CREATE INDEX login_failures_pair ON login_failures(username, address, at)")
    db.execute("CREATE INDEX login_failures_at ON login_failures(at)")


@migrations()
def m340_slot_created_by(db: Database) -> None:
    """Who created each slot: an officer edits only their own slots, and a silencing
    edit is the leader's (radio.schedule.slot_guard). Earlier slots take
    their creator from the audit trail's ``slot.create`` row (NULL if it has none:
    then only a leader edits them)."""
    db.execute("ALTER TABLE slots ADD COLUMN created_by TEXT")
    db.execute("UPDATE slots SET created_by = (SELECT a.username FROM audit a WHERE a.action = 'slot.create' "
               "AND a.target = 'slot:' || slots.id ORDER BY a.id LIMIT 1)")


@migrations()
def m341_speech_previews_and_quota(db: Database) -> None:
    """Preview renders are marked, so the speech cache's size limit evicts them and
    never what air needs, and each user's fresh previews are counted for a per-minute
    limit (radio.speech.cache)."""
    run_script(
        db,
        """
        CREATE TABLE speech_previews (
            name TEXT PRIMARY KEY,        -- file name in speech/
            made_by TEXT,
            made_at TEXT NOT NULL         -- UTC
        );
        CREATE TABLE preview_quota (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL,
            at TEXT NOT NULL              -- UTC, a fresh preview render started
        );
        CREATE INDEX preview_quota_user_at ON preview_quota(username, at);
        """,
    )


@migrations()
def m400_occurrence_reasons(db: Database) -> None:
    """The reason of a proof-log entry as codes with their parameters
    (radio.wording.reasons), so its Vietnamese is made from the codes rather than by
    parsing the English sentence, which the entry's ``reason`` column still holds. A
    table beside the log, written in the entry's own transaction: the log tables' schema
    (and so their signed heads) stay as they are. Rows are never updated or deleted."""
    run_script(
        db,
        """
        CREATE TABLE occurrence_reasons (
            occurrence_id INTEGER PRIMARY KEY REFERENCES occurrences(id),
            parts TEXT NOT NULL           -- JSON: [{"code": ..., "params": {...}}, ...]
        );
        CREATE TRIGGER occurrence_reasons_no_update BEFORE UPDATE ON occurrence_reasons
        BEGIN SELECT RAISE(ABORT, 'occurrence_reasons is append-only'); END;
        CREATE TRIGGER occurrence_reasons_no_delete BEFORE DELETE ON occurrence_reasons
        BEGIN SELECT RAISE(ABORT, 'occurrence_reasons is append-only'); END;
        """,
    )


@migrations()
def m410_province_link(db: Database) -> None:
    """The station's side of the province network (radio.link): the provincial bulletins
    received (each with the signed message as it came, the proof of what the province sent)
    and what the station did with it; the outbox of everything going up (proof entries,
    acknowledgements, heartbeats), published in id order with a dedupe id, so that after
    days offline each arrives once and in order; refused messages, for the admin's alert."""
    run_script(
        db,
        """
        CREATE TABLE provincial_bulletins (
            id TEXT PRIMARY KEY,               -- the province's id: a message seen twice is one row
            class TEXT NOT NULL,               -- thuong | uu-tien | khan-cap
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            topic TEXT NOT NULL,
            valid_from TEXT,
            valid_until TEXT,
            repeat_count INTEGER NOT NULL,
            province TEXT NOT NULL DEFAULT '',
            approved_by TEXT NOT NULL,
            approved_at TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            message TEXT NOT NULL,             -- the signed message, as received
            received_at TEXT NOT NULL,
            state TEXT NOT NULL,               -- received | scheduled | expired
            reason TEXT,
            bulletin_id INTEGER REFERENCES bulletins(id),
            command_id INTEGER
        );
        CREATE TABLE link_outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,                -- proof | ack | heartbeat
            payload TEXT NOT NULL,
            dedupe TEXT UNIQUE,                -- one row per proof entry, per acknowledgement
            entry_id INTEGER,                  -- the proof entry a proof row carries
            created_at TEXT NOT NULL,
            published_at TEXT
        );
        CREATE INDEX link_outbox_pending ON link_outbox(id) WHERE published_at IS NULL;
        CREATE TABLE link_refusals (
            id INTEGER PRIMARY KEY,
            received_at TEXT NOT NULL,
            subject TEXT NOT NULL,
            reason TEXT NOT NULL,
            message_sha256 TEXT NOT NULL
        );
        """,
    )


# Data steps of past migrations: frozen copies of the library's rules as they were when the
# migration was written, so an old station upgraded later is migrated as it would have been then
# (and the store imports nothing above it).

_M290_CONTENT_FIELDS = ("title", "text", "priority", "repeat_count", "valid_from", "valid_until", "topic",
                        "recording_path")


def _m290_file_sha256(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _m290_content_sha256(bulletin: dict) -> str:
    fields = {name: bulletin.get(name) for name in _M290_CONTENT_FIELDS}
    if bulletin.get("recording_path"):
        fields["recording_sha256"] = _m290_file_sha256(bulletin["recording_path"])
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def bind_approvals_made_before_m290(db: Database) -> None:
    """Bind bulletins approved before approvals were recorded: their content as it stands,
    their rendered reading and audio if any; a valid one never rendered gets the reading
    the station lexicon gives now."""
    # imported here: the normaliser costs every command's start-up, and only an old station needs it
    from content.lexicon import load_lexicon
    from content.normalize import normalize

    today = datetime.now(UTC).astimezone(STATION_TZ).date().isoformat()  # a migration has no clock of its own
    lexicon = load_lexicon({r["term"]: r["spoken"] for r in db["lexicon"].rows})
    renders = {r["bulletin_id"]: r for r in db.query("SELECT * FROM renders")}
    for bulletin in db.query("SELECT b.*, (b.valid_until IS NULL OR b.valid_until >= ?) AS valid "
                             "FROM bulletins b WHERE b.status = 'approved'", [today]):
        render = renders.get(bulletin["id"]) or {}
        recording = bulletin.get("recording_path")
        done = render.get("state") == "done"
        spoken = render.get("spoken_text") if done else None
        if not recording and spoken is None and bulletin.pop("valid"):
            title = bulletin["title"].strip()
            spoken = normalize(f"{title}.\n{bulletin['text']}" if title else bulletin["text"], lexicon=lexicon)
        bulletin.pop("valid", None)
        db["approvals"].insert(dict(
            bulletin_id=bulletin["id"], approved_at=bulletin["approved_at"] or "",
            approved_by=bulletin["approved_by"] or "", content_sha256=_m290_content_sha256(bulletin),
            spoken_text=None if recording else spoken,
            spoken_sha256=None if recording or spoken is None else hashlib.sha256(spoken.encode()).hexdigest(),
            audio_sha256=render.get("audio_sha256") if done else (
                _m290_file_sha256(recording) if recording else None),
            audio_path=render.get("path") if done else recording, backfilled=1))
