"""The schedule's change counter (migration m240) moves with every write the plan reads."""

from datetime import UTC, datetime

from radio.bulletins import lifecycle as bulletins
from radio.schedule import slots
from radio.store.migrations import CLAIM_PROGRESS_COLUMNS, SCHEDULE_INPUT_TABLES
from radio.schedule.plan import inputs_version
from radio.store.connection import connect, write
from tests.support.actors import LEADER, OFFICER

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def test_every_input_table_keeps_its_three_triggers(tmp_path):
    # a later migration that rebuilds one of these tables drops its triggers: this fails then
    db = connect(tmp_path / "radio.db")
    triggers = {(r[0], r[1]) for r in db.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")}
    for table in SCHEDULE_INPUT_TABLES:
        for event in ("insert", "update", "delete"):
            assert (table, f"{table}_{event}_counts") in triggers


def test_every_claim_column_but_its_progress_moves_the_counter(tmp_path):
    # a later migration adding a column to claims must add it to the update trigger
    db = connect(tmp_path / "radio.db")
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_update_counts'").fetchone()[0]
    watched = sql.split(" OF ", 1)[1].split(" ON ", 1)[0].replace(" ", "").split(",")
    columns = {r[1] for r in db.execute("PRAGMA table_info(claims)")}
    assert set(watched) == columns - set(CLAIM_PROGRESS_COLUMNS)


def test_each_change_moves_the_version(tmp_path):
    db = connect(tmp_path / "radio.db")
    seen = [inputs_version(db)]

    def moved():
        seen.append(inputs_version(db))
        return seen[-1] != seen[-2]

    slot = slots.add_slot(db, at="17:00", days="daily", now=NOW, name="Chiều", actor=OFFICER)
    assert moved()
    bulletin = bulletins.add_bulletin(db, title="Tin", text="Nội dung.", now=NOW, actor=OFFICER)
    assert moved()
    bulletins.approve_bulletin(db, bulletin, by="leader", now=NOW, actor=LEADER, expected_sha256=None)
    assert moved()
    with write(db):
        db.execute("INSERT INTO claims (key, scheduled_at, claimed_at, pid) VALUES ('x', ?, ?, 1)",
                   ["2026-11-22T10:00:00.000+00:00", "2026-11-22T02:00:00.000+00:00"])
    assert moved()
    with write(db):
        db.execute("UPDATE claims SET started_at = ?, seconds_played = 0, progress_at = ? WHERE key = 'x'",
                   ["2026-11-22T10:00:00.000+00:00", "2026-11-22T10:00:00.000+00:00"])
    assert moved()  # on air now
    with write(db):
        db.execute("UPDATE claims SET seconds_played = 1.0, progress_at = ?, dead_air = NULL WHERE key = 'x'",
                   ["2026-11-22T10:00:01.000+00:00"])
    assert not moved()  # the airing's progress, written every second, plans nothing
    with write(db):
        db.execute("DELETE FROM claims")
    assert moved()
    slots.set_slot_active(db, slot, False, now=NOW, actor=LEADER)
    assert moved()
    with write(db):
        db["station_state"].upsert({"name": "heartbeat", "value": "2026-11-22T02:00:01.000+00:00"}, pk="name")
    assert not moved()  # the heartbeat is no input of the plan
