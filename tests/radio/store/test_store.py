import os
import sqlite3
import threading

import pytest
from sqlite_utils import Database

from radio.store.migrations import migrations
from radio.store.connection import connect, revision, bump_revision, write


def test_migrations_are_idempotent(tmp_path):
    path = tmp_path / "radio.db"
    connect(path).conn.close()
    db = connect(path)
    names = [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert names == sorted(set(names)) and names[0] == "m001_initial"
    assert {"bulletins", "slots", "occurrences", "settings", "claims"} <= set(db.table_names())


def test_wal_and_busy_timeout(tmp_path):
    db = connect(tmp_path / "radio.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_write_rolls_back_everything_on_error(fresh_db):
    with pytest.raises(RuntimeError):
        with write(fresh_db):
            bump_revision(fresh_db)
            raise RuntimeError("boom")
    assert revision(fresh_db) == 0


def test_concurrent_writers_do_not_fail(tmp_path):
    path = tmp_path / "radio.db"
    connect(path).conn.close()
    errors = []

    def writer():
        db = connect(path)
        try:
            for _ in range(50):
                with write(db):
                    value = revision(db)
                    db.execute("UPDATE meta SET value = ? WHERE name = 'revision'", [value + 1])
        except sqlite3.Error as exc:  # pragma: no cover - the failure we guard against
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    # BEGIN IMMEDIATE serialises read-modify-write: no increment is lost
    assert revision(connect(path)) == 200


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_a_full_disk_gives_back_the_reserve_so_the_database_still_opens(tmp_path):
    from radio.store.connection import keep_reserve
    from tests.support.disks import fill, mounted_tmpfs

    with mounted_tmpfs(tmp_path / "disk", size="4m") as disk:
        database = disk / "radio.db"
        connect(database).conn.close()
        assert keep_reserve(database)
        fill(disk)
        with pytest.raises(sqlite3.OperationalError):  # what SQLite says with no reserve
            sqlite3.connect(database).execute("PRAGMA journal_mode = WAL")
        db = connect(database, use_reserve=True)  # the daemon's open
        assert db["meta"].count >= 1 and not (disk / "radio.db.reserve").exists()
        db.conn.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_any_other_open_on_a_full_disk_leaves_the_daemons_reserve(tmp_path):
    # `radio bulletin list` on a full disk freed the reserve; the space
    # was taken again and the daemon could not start: the slot got no row.
    from radio.store.connection import keep_reserve
    from tests.support.disks import fill, mounted_tmpfs

    with mounted_tmpfs(tmp_path / "disk", size="4m") as disk:
        database = disk / "radio.db"
        connect(database).conn.close()
        assert keep_reserve(database)
        fill(disk)
        with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
            connect(database)
        assert (disk / "radio.db.reserve").stat().st_size == 2 * 1024 * 1024


#: every migration name recorded on stations in service, in order: a name changed here
#: would make each station run that migration again
RECORDED = [
    "m001_initial", "m002_lexicon", "m003_users", "m004_slot_output", "m100_audit", "m110_decide_render_lease",
    "m111_decide_reservations", "m120_airfaults_claim_progress", "m130_cli_command_expiry", "m131_cli_api_tokens",
    "m140_trustlib_bulletin_return", "m141_trustlib_outputs", "m142_trustlib_proof_approval",
    "m150_trustweb_accounts", "m160_reports_targets", "m170_proof_chain_guard", "m171_proof_recipes",
    "m190_admin_recording_language", "m200_scale_list_indexes", "m210_slotedit_owed_from",
    "m240_adminload_change_counters", "m241_adminload_log_status_id_index", "m260_corrections_index",
    "m261_item_approved_at_index", "m270_claim_progress_keeps_the_counter", "m280_claim_progress_breaks",
    "m290_approval_binds_speech", "m300_chain_marks", "m320_reports_output_loudspeakers",
    "m330_login_failures_keys", "m340_slot_created_by", "m341_speech_previews_and_quota",
]
#: words of the work that added a migration, not of what it changes
WORK_WORDS = {"trustlib", "trustweb", "adminload", "airfaults", "slotedit", "decide", "scale", "cli", "admin"}


def _every_migration():
    """Each migration of the set, in order: all of them are pending on an empty database."""
    return migrations.pending(Database(memory=True))


def test_renamed_migrations_keep_the_names_stations_recorded():
    assert [m.name for m in _every_migration()][:len(RECORDED)] == RECORDED


def test_migration_functions_are_named_by_what_they_change():
    worded = [m.fn.__name__ for m in _every_migration() if WORK_WORDS & set(m.fn.__name__.split("_"))]
    assert worded == []
