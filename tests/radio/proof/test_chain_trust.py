"""Attacks on the proof's anchor: rows appended by plain SQL, a heads
file deleted, emptied or shortened, the log and its heads cut short together, and a
database that lost its newest rows (a deleted ``radio.db-wal``)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import timedelta

import pytest

from radio.proof import chain, log as prooflog
from radio import settings as settings_mod
from radio.clock import to_utc_text
from radio.wording.messages import vi
from radio.proof.log import Entry, LoggedItem, append
from radio.schedule.slots import add_slot
from radio.station import Station
from radio.store.connection import connect
from tests.support.actors import ADMIN, OFFICER


def aired(key: str, when, *, topic="cchc") -> Entry:
    items = [LoggedItem(1, 7, "Thông báo thu thuế", topic=topic, priority="normal", text_sha256="a" * 64,
                        audio_sha256="b" * 64, engine="espeak", duration_ms=60_000, completed=True)]
    return Entry(key=key, scheduled_at=when, status="aired", slot_id=1, started_at=when,
                 ended_at=when + timedelta(minutes=1), seconds_played=60.0, programme_seconds=60.0,
                 output="file:/x", programme_sha256="c" * 64, items=items)


@pytest.fixture
def logged(home, db, clock):
    """A station with five aired entries, each signed."""
    for n in range(5):
        when = clock.now() - timedelta(days=10 - n)
        append(db, aired(f"slot1@{when:%Y-%m-%dT%H:%M:%S}", when), now=when + timedelta(minutes=2))
    return db


def problems(db) -> list[str]:
    return chain.verify(db).problems


def heads(home) -> list[dict]:
    return [json.loads(line) for line in (home.root / chain.HEADS_FILE).read_text().splitlines()]


def foreign_insert(home, when) -> int:
    """A back-dated CCHC airing inserted with the sqlite3 module, its hash computed
    as the published format says (the triggers allow an INSERT)."""
    conn = sqlite3.connect(home.database, isolation_level=None)
    prev = conn.execute("SELECT hash FROM occurrences ORDER BY id DESC LIMIT 1").fetchone()[0]
    row = {"key": f"slot1@{when:%Y-%m-%dT%H:%M:%S}", "kind": "slot", "slot_id": 1,
           "scheduled_at": to_utc_text(when), "started_at": to_utc_text(when),
           "ended_at": to_utc_text(when + timedelta(minutes=1)), "seconds_played": 60.0,
           "programme_seconds": 60.0, "status": "aired", "reason": None, "output": "file:/x",
           "programme_sha256": "c" * 64, "loudness_lufs": None, "hooks": None,
           "logged_at": to_utc_text(when + timedelta(minutes=2)), "prev_hash": prev, "output_kind": "file"}
    item = {"position": 1, "bulletin_id": 7, "title": "Tuyên truyền CCHC", "topic": "cchc", "priority": "normal",
            "text_sha256": "a" * 64, "audio_sha256": "b" * 64, "engine": "espeak", "duration_ms": 60_000,
            "completed": 1}
    row["hash"] = chain.row_hash(row, [item])
    cur = conn.execute(f"INSERT INTO occurrences ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                       list(row.values()))
    conn.execute(f"INSERT INTO occurrence_items (occurrence_id, {', '.join(item)}) "
                 f"VALUES (?, {', '.join('?' * len(item))})", [cur.lastrowid, *item.values()])
    conn.close()
    return cur.lastrowid


def test_a_back_dated_row_inserted_with_sqlite3_is_never_signed(home, logged, clock):
    db = logged
    fake = foreign_insert(home, clock.now() - timedelta(days=20))
    assert problems(db) == [f"entry {fake} is not covered by any signed head"]
    real = append(db, aired("slot1@next", clock.now()), now=clock.now())  # the station appends after it
    signed = [e[0] for line in heads(home) for e in line["entries"]]
    assert fake not in signed and real in signed
    assert problems(db) == [f"entry {fake} is not covered by any signed head"]
    state = chain.chain_state(db)
    assert not state.ok and "not written by the station" in state.problem and str(fake) in state.problem
    assert vi(state.problem).startswith("có dòng nhật ký không do trạm ghi")
    chain.witness(db, clock.now() + timedelta(days=3))  # the daily head does not take it either
    assert fake not in [e[0] for line in heads(home) for e in line["entries"]]


def test_the_daemon_signs_its_own_rows_only_even_with_the_key(home, logged, clock):
    """Another station process's append carries a valid mark; a copied mark does not fit."""
    db = logged
    fake = foreign_insert(home, clock.now() - timedelta(days=20))
    conn = sqlite3.connect(home.database, isolation_level=None)
    conn.execute("INSERT INTO chain_marks SELECT ?, mac FROM chain_marks WHERE occurrence_id = 5", [fake])
    conn.close()
    chain.witness(db, clock.now())
    assert fake not in [e[0] for line in heads(home) for e in line["entries"]]


@pytest.mark.parametrize("damage", ["missing", "empty", "shortened"])
def test_a_damaged_heads_file_fails_verify_and_is_never_started_again(home, logged, clock, damage):
    db = logged
    path = home.root / chain.HEADS_FILE
    lines = path.read_text().splitlines(keepends=True)
    if damage == "missing":
        path.unlink()
    else:
        path.write_text("" if damage == "empty" else "".join(lines[:3]))
    found = problems(db)
    word = {"missing": "is missing", "empty": "is empty", "shortened": "was shortened"}[damage]
    assert found[0].startswith(f"the heads file chain-heads.jsonl {word}")
    covered = "entries 4–5" if damage == "shortened" else "entries 1–5"
    assert found[-1] == f"{covered} are not covered by any signed head"
    new = append(db, aired("slot1@after", clock.now()), now=clock.now())
    # the station did not write a fresh file over the loss: the alert says so
    assert (path.read_text().splitlines(keepends=True) if path.exists() else None) == \
        (None if damage == "missing" else [] if damage == "empty" else lines[:3])
    assert word in chain.chain_state(db).problem
    assert new > 5
    assert all(vi(p) != p for p in found + [chain.chain_state(db).problem])  # the admin shows them in Vietnamese
    chain.daily(db, clock.now() + timedelta(days=2))  # the daemon's daily care: no traceback, still no new file
    assert path.exists() == (damage != "missing") and word in chain.chain_state(db).problem


def test_restoring_the_heads_file_lets_the_waiting_entries_be_signed(home, logged, clock):
    db = logged
    path = home.root / chain.HEADS_FILE
    kept = path.read_text()
    path.unlink()
    new = append(db, aired("slot1@after", clock.now()), now=clock.now())
    path.write_text(kept)  # from the backup
    append(db, aired("slot1@later", clock.now()), now=clock.now())
    assert new in [e[0] for line in heads(home) for e in line["entries"]]
    assert problems(db) == []


def test_log_and_heads_cut_short_together_is_caught_by_the_printed_head(home, logged, clock, runner):
    """The careful forger without the key: deletes the last rows, trims the heads file to
    match, resets the sequence and the database's note of the last head."""
    db = logged
    count, head = prooflog.chain_head(db)
    path = home.root / chain.HEADS_FILE
    lines = path.read_text().splitlines(keepends=True)
    conn = sqlite3.connect(home.database, isolation_level=None)
    for name in ("occurrences_no_delete", "occurrence_items_no_delete"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DELETE FROM occurrence_items WHERE occurrence_id > 3")
    conn.execute("DELETE FROM occurrences WHERE id > 3")
    conn.execute("UPDATE sqlite_sequence SET seq = 3 WHERE name = 'occurrences'")
    kept = "".join(lines[:3])
    record = json.loads(lines[2])
    for name, value in {"mac": record["mac"], "offset": len(kept.encode()) - len(lines[2].encode()),
                        "size": len(kept.encode()), "id": 3}.items():
        conn.execute("UPDATE station_state SET value = ? WHERE name = ?", [str(value), f"chain.signed_{name}"])
    conn.close()
    path.write_text(kept)
    db = connect(home.database)
    # the triggers are gone (the schema hash says so); without the printed head the cut is not seen
    assert not any("missing" in p for p in problems(db))
    result = runner.invoke(__import__("radio.cli", fromlist=["cli"]).cli,
                           ["log", "verify", "--expect", f"{count}:{head}"])
    assert result.exit_code == 1
    assert "Entries 4–5 are missing." in result.output


def test_log_and_heads_cut_short_together_is_caught_by_the_second_copy(home, db, clock):
    copy = home.root.parent / "usb" / "heads-copy.jsonl"
    copy.parent.mkdir()
    settings_mod.save(db, "chain_heads_copy", str(copy), actor=ADMIN, now=clock.now())
    for n in range(5):
        append(db, aired(f"slot1@{n}", clock.now()), now=clock.now())
    assert copy.read_text() == (home.root / chain.HEADS_FILE).read_text()
    assert problems(db) == []
    path = home.root / chain.HEADS_FILE
    lines = path.read_text().splitlines(keepends=True)
    conn = sqlite3.connect(home.database, isolation_level=None)
    conn.execute("DROP TRIGGER occurrences_no_delete")
    conn.execute("DROP TRIGGER occurrence_items_no_delete")
    conn.execute("DELETE FROM occurrence_items WHERE occurrence_id > 3")
    conn.execute("DELETE FROM occurrences WHERE id > 3")
    conn.execute("UPDATE sqlite_sequence SET seq = 3 WHERE name = 'occurrences'")
    conn.execute("DELETE FROM station_state WHERE name LIKE 'chain.signed_%'")
    conn.close()
    path.write_text("".join(lines[:3]))
    found = problems(connect(home.database))
    assert "entries 4–5 are missing" in found
    assert any("lost lines its second copy" in p for p in found)
    assert all(vi(p) != p for p in found)


def test_a_database_that_lost_its_newest_rows_does_not_air_them_again(home, db, clock):
    """kill -9, then radio.db-wal deleted (or an older radio.db put back): the heads list
    entries the database no longer has; their occurrences are not caught up."""
    for at in ("08:10", "08:20", "08:30"):
        add_slot(db, at=at, days="daily", now=clock.now(), actor=OFFICER)
    clock.advance(35 * 60)  # 08:35: all three are owed, all within grace
    keys = [f"slot{n}@2026-11-23T08:{m}:00" for n, m in ((1, 10), (2, 20), (3, 30))]
    append(db, aired(keys[0], clock.now()), now=clock.now())
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(home.database, home.root / "backup.db")  # a tool that keeps only radio.db
    for key in keys[1:]:
        append(db, aired(key, clock.now()), now=clock.now())
    db.conn.close()
    for suffix in ("", "-wal", "-shm"):
        (home.root / f"radio.db{suffix}").unlink(missing_ok=True)
    shutil.move(home.root / "backup.db", home.database)

    station = Station(home, output=f"file:{home.outputs}", clock=clock)
    station._check_lost_entries()
    station._reconcile(clock.now())
    assert [station.scheduler.get_job(k) for k in keys] == [None, None, None]  # none caught up again
    assert [r["key"] for r in station.db["occurrences"].rows] == keys[:1]
    state = chain.chain_state(station.db)
    assert "entries 2–3 were lost from the database" in state.problem
    assert vi(state.problem).startswith("các dòng 2–3 đã mất khỏi cơ sở dữ liệu")
    assert problems(station.db) == ["entries 2–3 are missing"]
    new = append(station.db, aired("slot1@2026-11-24T08:10:00", clock.now()), now=clock.now())
    assert new == 4  # ids of the lost entries are never given to new ones
    assert problems(station.db) == ["entries 2–3 are missing"]
    station.db.conn.close()


def test_a_proof_row_is_in_the_database_file_when_append_returns(home, db, clock):
    append(db, aired("slot1@x", clock.now()), now=clock.now())
    plain = sqlite3.connect(f"file:{home.database}?mode=ro&immutable=1", uri=True)  # ignores the WAL
    assert plain.execute("SELECT key FROM occurrences").fetchall() == [("slot1@x",)]
    plain.close()


def test_the_key_lives_outside_the_data_directory_and_a_legacy_key_still_works(home, db, clock, tmp_path):
    append(db, aired("slot1@x", clock.now()), now=clock.now())
    key = chain.key_path(home.root)
    assert not key.is_relative_to(home.root) and key.exists()
    assert key.name == (home.root / "station-id").read_text().strip() + ".key"
    # a station set up before: its key beside the database keeps signing and checking
    legacy = home.root / chain.KEY_FILE
    legacy.parent.mkdir()
    shutil.move(key, legacy)
    assert chain.key_path(home.root) == legacy
    append(db, aired("slot1@y", clock.now()), now=clock.now())
    assert problems(db) == []


def test_radio_init_makes_the_key_outside_the_data_directory(home, runner):
    from radio.cli import cli

    result = runner.invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    key = chain.key_path(home.root)
    assert f"Proof-log signing key: {key} (outside the data directory)" in result.output
    assert key.stat().st_mode & 0o777 == 0o600 and not key.is_relative_to(home.root)
