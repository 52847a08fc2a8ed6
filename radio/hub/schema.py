"""The hub's database, ``hub.db``: its own migrations (``Migrations("radio-hub")``), apart
from the station's.

Two kinds of tables:

- **the hub's own records**, written by the province's people and nothing else:
  ``hub_settings`` (the province's name, the servers' client URLs), ``stations`` (each
  registered commune), ``bulletins`` (provincial bulletins: drafts, approvals, targets)
  and ``sends`` (each copy the hub set out to send: to whom, made when, the last error);
- **the projection of the streams** (:data:`PROJECTION_TABLES`), which
  :mod:`radio.hub.projection` computes from RADIO_DOWN and RADIO_UP alone and
  ``radio hub rebuild`` drops and recomputes: ``deliveries`` (a bulletin × station: stored in
  RADIO_DOWN, received, scheduled, the last state), ``acks`` (each state a station reported,
  with the proof entry's id and hash), ``station_entries`` (each station's proof entries as
  they came, with the chain check's verdict), ``chains`` (each station's head),
  ``heartbeats`` (each station's last), ``alerts`` (a gap, a fork, an edit, a message that
  is not one) and ``marks`` (how far each stream was applied).

Every time in the projection comes from the messages (their own fields, or the stream's
timestamp), never from the hub's clock: a rebuild gives the same rows.
"""

from __future__ import annotations


from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from radio.store.migrations import run_script

migrations = Migrations("radio-hub")

#: dropped and recomputed from the streams by a rebuild, in this order
PROJECTION_TABLES = ("deliveries", "acks", "station_entries", "chains", "heartbeats", "alerts", "marks")

PROJECTION = """
CREATE TABLE deliveries (
    bulletin_id TEXT NOT NULL,
    station TEXT NOT NULL,
    down_seq INTEGER,                  -- the copy's sequence in RADIO_DOWN (stored: delivered)
    sent_at TEXT,                      -- when the copy was made (its own sent_at)
    received_at TEXT,                  -- the station's "received"
    scheduled_at TEXT,                 -- the station's "scheduled", and for when
    scheduled_for TEXT,
    state TEXT,                        -- the last state the station reported
    state_at TEXT,
    state_seq INTEGER,
    reason TEXT,
    PRIMARY KEY (bulletin_id, station)
);
CREATE TABLE acks (
    station TEXT NOT NULL,
    bulletin_id TEXT NOT NULL,
    state TEXT NOT NULL,
    entry_key INTEGER NOT NULL,        -- the entry's id, 0 for none: one row per state and entry
    entry_id INTEGER,
    entry_hash TEXT,
    at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    scheduled_for TEXT,
    extra TEXT,
    up_seq INTEGER NOT NULL,
    PRIMARY KEY (station, bulletin_id, state, entry_key)
);
CREATE TABLE station_entries (
    station TEXT NOT NULL,
    id INTEGER NOT NULL,
    hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    key TEXT,
    status TEXT,
    reason TEXT,
    scheduled_at TEXT,
    started_at TEXT,
    entry TEXT NOT NULL,               -- the entry and its items as the station sent them (JSON)
    items TEXT NOT NULL,
    verdict TEXT NOT NULL,             -- ok | edited | forked | after-gap | late
    up_seq INTEGER NOT NULL,
    arrived_at TEXT,
    PRIMARY KEY (station, id)
);
CREATE TABLE chains (
    station TEXT PRIMARY KEY,
    entries INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    head_hash TEXT NOT NULL,
    up_seq INTEGER NOT NULL
);
CREATE TABLE heartbeats (
    station TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    up_seq INTEGER NOT NULL
);
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    station TEXT NOT NULL,
    kind TEXT NOT NULL,                -- gap | fork | edit | bad-message
    entry_id INTEGER,
    detail TEXT NOT NULL,
    ref TEXT NOT NULL,                 -- what makes it one alert: a message seen again adds none
    stream TEXT NOT NULL,              -- the message that raised it: its stream and sequence
    seq INTEGER NOT NULL,
    at TEXT,
    UNIQUE (station, ref)
);
CREATE TABLE marks (stream TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
"""


@migrations()
def m001_hub(db: Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE hub_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE stations (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            zone TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            added_by TEXT,
            consumer_at TEXT                -- when its consumer on RADIO_DOWN was made
        );
        CREATE TABLE bulletins (
            id TEXT PRIMARY KEY,            -- P-YYYYMMDD-NNNN
            class TEXT NOT NULL CHECK (class IN ('thuong', 'uu-tien', 'khan-cap')),
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            topic TEXT NOT NULL DEFAULT '',
            valid_from TEXT,                -- local dates YYYY-MM-DD, inclusive
            valid_until TEXT,
            repeat_count INTEGER NOT NULL DEFAULT 1,
            targets TEXT NOT NULL,          -- JSON: {"all": true} | {"stations": [...], "zones": [...]}
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
            created_at TEXT NOT NULL,
            created_by TEXT,
            imported_from TEXT,
            approved_at TEXT,
            approved_by TEXT,
            restored INTEGER NOT NULL DEFAULT 0   -- read back from RADIO_DOWN by a rebuild
        );
        CREATE TRIGGER bulletins_frozen BEFORE UPDATE OF class, title, text, topic, valid_from, valid_until,
            repeat_count, targets ON bulletins WHEN OLD.status = 'approved'
        BEGIN SELECT RAISE(ABORT, 'an approved provincial bulletin is frozen'); END;
        CREATE TABLE sends (
            bulletin_id TEXT NOT NULL REFERENCES bulletins(id),
            station TEXT NOT NULL,
            sent_at TEXT NOT NULL,          -- when this copy was made: every attempt sends the same bytes
            attempts INTEGER NOT NULL DEFAULT 0,
            last_attempt_at TEXT,
            last_error TEXT,
            PRIMARY KEY (bulletin_id, station)
        );
        """ + PROJECTION,
    )


@migrations()
def m002_accounts(db: Database) -> None:
    """The province admin's accounts: the same tables and columns as a station's (``users``,
    ``sessions``, ``login_failures``, ``audit``), so :mod:`radio.accounts` works on ``hub.db``;
    only the roles are the province's (:data:`radio.hub.accounts.HUB_ROLES`)."""
    run_script(
        db,
        """
        CREATE TABLE users (
            username TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'leader', 'admin')),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            disabled_at TEXT,
            demo INTEGER NOT NULL DEFAULT 0,
            password_changed_at TEXT
        );
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,            -- sha256 hex of the cookie's token
            username TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            address TEXT
        );
        CREATE INDEX sessions_username ON sessions(username);
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            username TEXT NOT NULL,
            address TEXT NOT NULL,
            device TEXT,
            checked INTEGER NOT NULL DEFAULT 1,
            tries INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX login_failures_username ON login_failures(username, at);
        CREATE INDEX login_failures_address ON login_failures(address, at);
        CREATE INDEX login_failures_pair ON login_failures(username, address, at);
        CREATE INDEX login_failures_at ON login_failures(at);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            username TEXT,
            role TEXT,
            action TEXT NOT NULL,
            target TEXT,
            detail TEXT
        );
        CREATE INDEX audit_target ON audit(target);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        """,
    )
