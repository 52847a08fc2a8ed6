"""An outsider with the database file tries every way of changing history."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from radio.proof import chain, log as prooflog
from radio.clock import to_utc_text
from radio.store.home import open_home
from radio.proof.log import Entry, LoggedItem, append
from radio.store.connection import connect
from tests.support.actors import ADMIN

N = 1000
START = datetime(2025, 12, 1, 0, 0, tzinfo=UTC)


def make_entry(n: int) -> Entry:
    when = START + timedelta(hours=12 * n)
    items = [LoggedItem(p, 100 + n % 7 + p, f"Bản tin số {n}.{p}", topic="cchc", priority="normal",
                        text_sha256="a" * 64, audio_sha256="b" * 64, engine="espeak",
                        duration_ms=60_000 + p, completed=True) for p in (1, 2)]
    return Entry(key=f"slot1@{when.isoformat()}", scheduled_at=when, status="aired", slot_id=1,
                 started_at=when, ended_at=when + timedelta(minutes=15), seconds_played=900.0,
                 programme_seconds=900.0, reason=None, output="file:/x", programme_sha256="c" * 64,
                 loudness_lufs=-16.0, hooks=[{"hook": "before", "rc": 0}], items=items)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    home = open_home(tmp_path_factory.mktemp("chain") / "station")
    db = connect(home.database)
    for n in range(1, N + 1):
        append(db, make_entry(n), now=START + timedelta(hours=12 * n, minutes=16))
    db.conn.close()
    return home.root


@pytest.fixture
def station(template, tmp_path):
    root = tmp_path / "station"
    shutil.copytree(template, root)
    return open_home(root)


def attacker(home) -> sqlite3.Connection:
    """A plain sqlite3 connection to the file: no authorizer, triggers dropped."""
    conn = sqlite3.connect(home.database, isolation_level=None)
    for name in ("occurrences_no_update", "occurrences_no_delete", "occurrence_items_no_update",
                 "occurrence_items_no_delete", "occurrences_append_only", "occurrence_items_append_only"):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    return conn


def restore_schema(home, conn):
    """Put the triggers back so only the data change remains (the careful attacker)."""
    conn.close()
    fresh = connect(":memory:")
    with sqlite3.connect(home.database, isolation_level=None) as target:
        for (sql,) in fresh.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                                    "('occurrences', 'occurrence_items')").fetchall():
            target.execute(sql)
    target.close()


def problems(home, **kw) -> list[str]:
    db = connect(home.database)
    try:
        return chain.verify(db, **kw).problems
    finally:
        db.conn.close()


def test_untouched_log_is_intact(station):
    db = connect(station.database)
    report = chain.verify(db)
    assert report.ok and report.count == N and report.heads_checked >= 1
    assert (report.count, report.head_hash) == prooflog.chain_head(db)
    state = chain.chain_state(db)
    assert state.ok and state.verified_id == N and state.full_check_ok is True


NEW_VALUES = {
    "key": "slot9@forged", "kind": "urgent", "slot_id": 9, "scheduled_at": "2020-01-01 00:00:00",
    "started_at": "2020-01-01 00:00:01", "ended_at": "2020-01-01 00:00:02", "seconds_played": 1.5,
    "programme_seconds": 2.5, "status": "partial", "reason": "forged", "output": "pulse:x",
    "programme_sha256": "d" * 64, "loudness_lufs": -20.0, "hooks": "[]",
    "logged_at": "2020-01-01 00:00:03", "prev_hash": "e" * 64, "entered_by": "mallory", "corrects_id": 3,
    "output_kind": "pulse",
}
ITEM_VALUES = {
    "position": 7, "bulletin_id": 999, "title": "Giả mạo", "topic": "khac", "priority": "urgent",
    "text_sha256": "f" * 64, "audio_sha256": "0" * 64, "engine": "gtts", "duration_ms": 1,
    "completed": 0,
}


@pytest.mark.parametrize("name", chain.FIELDS + chain.OPTIONAL_FIELDS)
def test_every_field_edit_is_named(station, name):
    conn = attacker(station)
    conn.execute(f'UPDATE occurrences SET "{name}" = ? WHERE id = 500', [NEW_VALUES[name]])
    restore_schema(station, conn)
    assert problems(station) == [f"entry 500 was altered: field {name}"]


@pytest.mark.parametrize("name", chain.ITEM_FIELDS)
def test_every_item_field_edit_is_named(station, name):
    conn = attacker(station)
    conn.execute(f'UPDATE occurrence_items SET "{name}" = ? WHERE occurrence_id = 321 AND position = 2',
                 [ITEM_VALUES[name]])
    restore_schema(station, conn)
    found = problems(station)
    assert len(found) == 1 and found[0].startswith("entry 321 was altered: field")
    if name != "position":  # moving an item reorders the items: its fields shift too
        assert found == [f"entry 321 was altered: field item 2 {name}"]


@pytest.mark.parametrize("entry_id", [1, 2, 999, N])
def test_edit_anywhere_is_named(station, entry_id):
    conn = attacker(station)
    conn.execute("UPDATE occurrences SET status = 'missed' WHERE id = ?", [entry_id])
    restore_schema(station, conn)
    assert problems(station) == [f"entry {entry_id} was altered: field status"]


def test_edit_without_heads_is_still_caught(station):
    conn = attacker(station)
    conn.execute("UPDATE occurrences SET reason = 'x' WHERE id = 40")
    restore_schema(station, conn)
    (station.root / chain.HEADS_FILE).unlink()
    found = problems(station)
    assert found[0].startswith("the heads file chain-heads.jsonl is missing; it held the head of entry 1000")
    assert "entry 40 was altered (its content does not match its hash)" in found
    assert found[-1] == "entries 1–1000 are not covered by any signed head"


@pytest.mark.parametrize("ids, expected", [
    ([1], ["entry 1 is missing"]),
    ([500], ["entry 500 is missing"]),
    ([N], [f"entry {N} is missing"]),
    ([998, 999, 1000], ["entries 998–1000 are missing"]),
    (list(range(400, 411)), ["entries 400–410 are missing"]),
])
@pytest.mark.parametrize("reset_sequence", [False, True])
def test_deletions_are_named(station, ids, expected, reset_sequence):
    conn = attacker(station)
    marks = ",".join("?" * len(ids))
    conn.execute(f"DELETE FROM occurrence_items WHERE occurrence_id IN ({marks})", ids)
    conn.execute(f"DELETE FROM occurrences WHERE id IN ({marks})", ids)
    if reset_sequence:
        conn.execute("UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM occurrences) "
                     "WHERE name = 'occurrences'")
    restore_schema(station, conn)
    assert problems(station) == expected


def test_truncation_caught_by_an_expected_head_alone(station):
    db = connect(station.database)
    count, head = prooflog.chain_head(db)
    db.conn.close()
    conn = attacker(station)
    conn.execute("DELETE FROM occurrence_items WHERE occurrence_id > 997")
    conn.execute("DELETE FROM occurrences WHERE id > 997")
    conn.execute("UPDATE sqlite_sequence SET seq = 997 WHERE name = 'occurrences'")
    conn.execute("DELETE FROM station_state WHERE name LIKE 'chain.signed_%'")  # what the heads file held
    restore_schema(station, conn)
    (station.root / chain.HEADS_FILE).unlink()  # the attacker found the heads file too
    assert problems(station) == ["entries 1–997 are not covered by any signed head"]  # no heads at all ...
    assert problems(station, expect=(count, head)) == [  # ... and a copy names what is gone
        "entries 1–997 are not covered by any signed head", "entries 998–1000 are missing"]


def test_expected_head_that_does_not_match(station):
    assert problems(station, expect=(N, "1" * 64)) == [f"entry {N} does not match the expected head {N}:111111111111…"]


def test_swapping_two_entries_names_both(station):
    conn = attacker(station)
    cols = [c[1] for c in conn.execute("PRAGMA table_info(occurrences)") if c[1] not in ("id", "key", "hash")]
    a = conn.execute("SELECT * FROM occurrences WHERE id = 10").fetchone()
    b = conn.execute("SELECT * FROM occurrences WHERE id = 20").fetchone()
    names = [c[1] for c in conn.execute("PRAGMA table_info(occurrences)")]
    conn.execute("UPDATE occurrences SET key = 'tmp', hash = 'tmp' WHERE id = 10")
    for target, source in ((20, a), (10, b)):
        row = dict(zip(names, source))
        conn.execute(f"UPDATE occurrences SET {', '.join(f'{c} = ?' for c in cols + ['key', 'hash'])} "
                     "WHERE id = ?", [row[c] for c in cols + ["key", "hash"]] + [target])
    restore_schema(station, conn)
    found = problems(station)
    assert [p.split(" ")[1] for p in found] == ["10", "11", "20", "21"]
    assert found[0].startswith("entry 10 was altered") and found[2].startswith("entry 20 was altered")


def test_rewriting_with_the_projects_own_hash_is_named(station):
    conn = attacker(station)
    conn.execute("UPDATE occurrences SET reason = 'rewritten', seconds_played = 1 WHERE id = 500")
    prev = conn.execute("SELECT hash FROM occurrences WHERE id = 499").fetchone()[0]
    cols = [d[1] for d in conn.execute("PRAGMA table_info(occurrences)")]
    item_cols = [d[1] for d in conn.execute("PRAGMA table_info(occurrence_items)")]
    for values in conn.execute("SELECT * FROM occurrences WHERE id >= 500 ORDER BY id").fetchall():
        row = dict(zip(cols, values))
        row["prev_hash"] = prev
        items = [dict(zip(item_cols, i)) for i in conn.execute(
            "SELECT * FROM occurrence_items WHERE occurrence_id = ? ORDER BY position", [row["id"]])]
        row["hash"] = prev = chain.row_hash(row, items)
        conn.execute("UPDATE occurrences SET prev_hash = ?, hash = ? WHERE id = ?",
                     [row["prev_hash"], row["hash"], row["id"]])
    restore_schema(station, conn)
    (station.root / chain.HEADS_FILE).rename(station.root / "elsewhere.jsonl")
    # the chain alone is fooled by a rewrite: only the heads being gone shows ...
    assert problems(station) == [
        "the heads file chain-heads.jsonl is missing; it held the head of entry 1000 signed at "
        "2027-04-15T00:16:00.000+00:00", "entries 1–1000 are not covered by any signed head"]
    (station.root / "elsewhere.jsonl").rename(station.root / chain.HEADS_FILE)
    found = problems(station)  # ... its signed heads are not
    assert found == ["entry 500 was rewritten and its hash recomputed: fields seconds_played, reason",
                     "entries 501–1000 were re-hashed to hide it"]


def test_dropping_both_tables_is_named(station):
    conn = attacker(station)
    conn.execute("DROP TABLE occurrence_items")
    conn.execute("DROP TABLE occurrences")
    conn.close()
    assert problems(station) == ["the proof log tables are missing; entries 1–1000 are missing"]
    db = connect(station.database)
    assert not chain.chain_state(db).ok
    db.conn.close()


def test_replace_is_refused(station):
    db = connect(station.database)
    row = db.execute("SELECT * FROM occurrences WHERE id = 5").fetchone()
    cols = [d[0] for d in db.execute("SELECT * FROM occurrences LIMIT 1").description]
    forged = dict(zip(cols, row), reason="forged")
    marks = ",".join("?" * len(cols))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(f"INSERT OR REPLACE INTO occurrences ({','.join(cols)}) VALUES ({marks})",
                   list(forged.values()))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("INSERT OR REPLACE INTO occurrence_items (occurrence_id, position, title, completed) "
                   "VALUES (5, 1, 'forged', 1)")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # nor new items on an old entry
        db.execute("INSERT INTO occurrence_items (occurrence_id, position, title, completed) "
                   "VALUES (5, 3, 'forged', 1)")
    assert chain.verify(db).ok
    db.conn.close()


@pytest.mark.parametrize("sql", [
    "DROP TRIGGER occurrences_no_update", "DROP TABLE occurrence_items",
    "ALTER TABLE occurrences ADD COLUMN x TEXT", "PRAGMA writable_schema = ON",
    "CREATE TEMP TRIGGER t BEFORE INSERT ON occurrences BEGIN SELECT 1; END",
    "UPDATE sqlite_sequence SET seq = 1",
])
def test_schema_changes_refused_on_station_connections(station, sql):
    db = connect(station.database)
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        db.execute(sql)
    db.conn.close()


def test_schema_change_from_outside_is_detected(station):
    conn = attacker(station)  # drops the triggers and leaves them dropped
    conn.close()
    assert problems(station) == [
        f"the log tables' schema (columns or triggers) changed after the head of "
        f"{to_utc_text(START + timedelta(hours=12 * N, minutes=16))}"]


def test_altered_heads_line_is_named(station):
    path = station.root / chain.HEADS_FILE
    lines = path.read_text().splitlines()
    record = json.loads(lines[3])
    record["count"] += 1
    lines[3] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n")
    assert problems(station) == [f"line 4 of {chain.HEADS_FILE} was altered (its signature does not match)",
                                 f"lines of {chain.HEADS_FILE} before line 5 were removed or reordered",
                                 "entry 4 is not covered by any signed head"]


def test_heads_file_and_key(station):
    assert not (station.root / chain.KEY_FILE).exists()  # never beside the database
    key = chain.key_path(station.root)
    assert key.is_relative_to(chain.config_dir() / "keys")
    assert key.stat().st_mode & 0o777 == 0o600 and key.parent.stat().st_mode & 0o777 == 0o700
    lines = (station.root / chain.HEADS_FILE).read_text().splitlines()
    assert len(lines) == N  # one signed head per append
    last = json.loads(lines[-1])
    db = connect(station.database)
    assert (last["count"], last["hash"]) == prooflog.chain_head(db)
    db.conn.close()


def test_state_is_incremental_and_cheap(station, monkeypatch):
    db = connect(station.database)
    real_walk = chain.hashing.walk

    def only_new_rows(db, after_id=0):
        assert after_id >= N, "a page view walked the whole log"
        return real_walk(db, after_id)

    monkeypatch.setattr(chain.hashing, "walk", only_new_rows)
    append(db, make_entry(N + 1), now=START + timedelta(days=900))
    state = chain.chain_state(db)
    assert state.ok and state.count == N + 1 and state.verified_id == N + 1
    conn = attacker(station)
    conn.execute("DELETE FROM occurrence_items WHERE occurrence_id > 990")
    conn.execute("DELETE FROM occurrences WHERE id > 990")
    conn.close()
    state = chain.chain_state(db)
    assert not state.ok and state.first_broken_id == N + 1
    db.conn.close()


def test_state_reports_the_last_full_check(station):
    conn = attacker(station)
    conn.execute("UPDATE occurrences SET reason = 'x' WHERE id = 40")
    restore_schema(station, conn)
    db = connect(station.database)
    assert chain.chain_state(db).ok  # an old row's edit needs the full walk ...
    chain.verify(db, now=START)
    state = chain.chain_state(db)  # ... whose result the state keeps
    assert not state.ok and state.first_broken_id == 40 and state.full_check_ok is False
    assert state.problem == "entry 40 was altered: field reason"
    db.conn.close()


def test_migration_keeps_every_row_and_hash(tmp_path):
    """A station logged with the old schema keeps its log, ids and hashes through m170,
    and an index another change added to the log tables survives the rebuild."""
    import hashlib as _hashlib

    from sqlite_utils import Database

    from radio.store.migrations import migrations

    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(db, stop_before="m170_proof_chain_guard")
    db.execute("CREATE INDEX occurrences_status ON occurrences(status)")
    prev = chain.GENESIS
    for n in range(1, 6):  # rows as the old append wrote them: hashed without the new fields
        row = {"key": f"k{n}", "kind": "slot", "slot_id": 1, "scheduled_at": f"2026-01-0{n}T00:00:00.000+00:00",
               "started_at": None, "ended_at": None, "seconds_played": 1.0, "programme_seconds": None,
               "status": "aired", "reason": None, "output": "file:/x", "programme_sha256": None,
               "loudness_lufs": None, "hooks": None, "logged_at": "2026-01-01T00:00:00.000+00:00",
               "prev_hash": prev}
        items = [{"position": 1, "bulletin_id": n, "title": "Tin", "topic": None, "priority": None,
                  "text_sha256": None, "audio_sha256": None, "engine": None, "duration_ms": None, "completed": 1}]
        payload = json.dumps({"row": row, "items": items}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        row["hash"] = prev = _hashlib.sha256((prev + payload).encode()).hexdigest()
        db["occurrences"].insert(row)
        db["occurrence_items"].insert({"occurrence_id": n, **items[0]})
    before = [tuple(r) for r in db.execute("SELECT * FROM occurrences ORDER BY id").fetchall()]
    db.conn.close()
    db = connect(path)  # runs m170 and what follows
    after = [tuple(r)[:len(before[0])] for r in db.execute("SELECT * FROM occurrences ORDER BY id").fetchall()]
    assert after == before
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'occurrences_status'").fetchone()
    # rows from before the heads existed: not covered until the station signs its first head
    assert chain.verify(db).problems == ["entries 1–5 are not covered by any signed head"]
    new_id = append(db, make_entry(6), now=START)
    assert new_id == 6 and chain.verify(db).ok and chain.chain_state(db).ok
    db.conn.close()


def test_a_configured_key_elsewhere_signs_and_is_never_recreated(station, tmp_path):
    from radio import settings as settings_mod

    db = connect(station.database)
    stick = tmp_path / "usb" / "chain.key"
    settings_mod.save(db, "chain_key_path", str(stick), actor=ADMIN, now=START)
    append(db, make_entry(N + 1), now=START + timedelta(days=900))  # the stick is not plugged in
    assert not stick.exists()
    lines = (station.root / chain.HEADS_FILE).read_text().splitlines()
    assert len(lines) == N  # nothing signed with a stand-in key
    chain.load_key(stick, create=True)  # the admin puts a key on the stick
    append(db, make_entry(N + 2), now=START + timedelta(days=901))
    assert json.loads((station.root / chain.HEADS_FILE).read_text().splitlines()[-1])["last_id"] == N + 2
    report = chain.verify(db)  # older heads were signed with the default key
    assert any("was altered (its signature does not match)" in p for p in report.problems)
    db.conn.close()
