"""The published format is enough: a verifier written from docs/proof-format.md with
the standard library alone agrees with `radio log verify`, on an intact log and on
every tamper of tests/radio/proof/test_chain_trust.py."""

from __future__ import annotations

import ast
import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from radio.proof import chain, corrections, log as prooflog
from radio import settings as settings_mod
from radio.cli import cli
from radio.proof.log import Entry, LoggedItem, append
from radio.store.connection import connect
from tests.support import standalone_verifier
from tests.support.actors import ADMIN
from tests.radio.proof.test_chain_trust import foreign_insert

VERIFIER = Path(standalone_verifier.__file__)


def test_the_verifier_imports_only_the_standard_library():
    tree = ast.parse(VERIFIER.read_text())
    names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names}
    names |= {node.module.split(".")[0] for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module}
    assert names <= {"__future__", "argparse", "hashlib", "hmac", "json", "sqlite3", "sys"}


@pytest.fixture
def station(home, db, clock):
    """Airings (floats, NULLs, Vietnamese and control characters, hooks, approvals),
    a partial, a missed entry, a manual entry and a correction."""
    copy = home.root.parent / "copy.jsonl"
    settings_mod.save(db, "chain_heads_copy", str(copy), actor=ADMIN, now=clock.now())
    for n in range(6):
        when = clock.now() - timedelta(days=6 - n)
        items = [LoggedItem(p, 10 + p, f"Thông báo “số {n}”\tđợt\n{p}", topic="cchc" if p == 1 else None,
                            priority="urgent" if n == 2 else "normal", text_sha256="a" * 64,
                            audio_sha256="b" * 64, engine="gtts", duration_ms=61_234 + n,
                            completed=n != 3, approved_by="lanhdao" if p == 1 else None,
                            approved_at="2026-11-20T02:00:00.000+00:00" if p == 1 else None)
                 for p in (1, 2)]
        append(db, Entry(key=f"slot1@{when:%Y-%m-%dT%H:%M:%S}", scheduled_at=when,
                         status="partial" if n == 3 else "aired", slot_id=1, started_at=when,
                         ended_at=when + timedelta(seconds=125.5), seconds_played=125.123456 if n == 3 else 125.5,
                         programme_seconds=130.0, reason="dead air of 6 s at 08:01:02" if n == 3 else None,
                         output="device", programme_sha256="c" * 64, loudness_lufs=-16.04,
                         hooks=[{"hook": "before", "rc": 0, "note": "bật ampli"}], items=items),
               now=when + timedelta(minutes=3))
    append(db, Entry(key="slot1@missed", scheduled_at=clock.now(), status="missed",
                     reason="station was not running"), now=clock.now())
    manual = corrections.add_manual(db, ADMIN, started_at=clock.now() - timedelta(hours=2), seconds=720,
                                    reason="Mất điện, đọc trực tiếp", titles=["Lịch tiêm chủng"], now=clock.now())
    corrections.correct(db, ADMIN, manual - 1, reason="Đã đọc lại qua micrô", status="aired", now=clock.now())
    return home, copy


def both(home, runner, copy=None, expect=None) -> tuple[int, list]:
    args = ["log", "verify"] + (["--expect", expect] if expect else [])
    result = runner.invoke(cli, args)
    key = bytes.fromhex(chain.key_path(home.root).read_text().strip())
    outside = standalone_verifier.check(str(home.root), key, expect, str(copy) if copy else None)
    return result.exit_code, outside


def attacker(home) -> sqlite3.Connection:
    conn = sqlite3.connect(home.database, isolation_level=None)
    for name in ("occurrences_no_update", "occurrences_no_delete", "occurrence_items_no_update",
                 "occurrence_items_no_delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    return conn


def test_intact(station, runner):
    home, copy = station
    assert both(home, runner, copy) == (0, [])
    assert both(home, runner, copy, expect="%d:%s" % connect(home.database).execute(
        "SELECT id, hash FROM occurrences ORDER BY id DESC LIMIT 1").fetchone()) == (0, [])


def test_an_edited_row(station, runner):
    home, copy = station
    conn = attacker(home)
    conn.execute("UPDATE occurrences SET status = 'aired', seconds_played = 130.0 WHERE id = 4")
    conn.close()
    code, outside = both(home, runner, copy)
    assert code == 1 and ("altered", 4) in outside


def test_an_edited_row_with_its_hashes_recomputed(station, runner):
    home, copy = station
    conn = attacker(home)
    conn.row_factory = sqlite3.Row
    prev = conn.execute("SELECT hash FROM occurrences WHERE id = 3").fetchone()[0]
    for row in [dict(r) for r in conn.execute("SELECT * FROM occurrences WHERE id >= 4 ORDER BY id")]:
        items = [dict(i) for i in conn.execute("SELECT * FROM occurrence_items WHERE occurrence_id = ? "
                                               "ORDER BY position", [row["id"]])]
        row["prev_hash"] = prev
        if row["id"] == 4:
            row["status"] = "aired"
            conn.execute("UPDATE occurrences SET status = 'aired' WHERE id = 4")
        row["hash"] = prev = standalone_verifier.entry_hash(row, items)
        conn.execute("UPDATE occurrences SET prev_hash = ?, hash = ? WHERE id = ?", [row["prev_hash"], prev, row["id"]])
    conn.close()
    code, outside = both(home, runner, copy)
    assert code == 1 and ("rewritten", 4) in outside


def test_last_rows_deleted_and_heads_trimmed(station, runner):
    home, copy = station
    db = connect(home.database)
    count, head = prooflog.chain_head(db)
    db.conn.close()
    path = home.root / chain.HEADS_FILE
    lines = path.read_text().splitlines(keepends=True)
    conn = attacker(home)
    conn.execute("DELETE FROM occurrence_items WHERE occurrence_id > 6")
    conn.execute("DELETE FROM occurrences WHERE id > 6")
    conn.execute("UPDATE sqlite_sequence SET seq = 6 WHERE name = 'occurrences'")
    conn.execute("DELETE FROM station_state WHERE name LIKE 'chain.signed_%'")
    conn.close()
    kept = [line for line in lines if json.loads(line)["last_id"] <= 6]
    path.write_text("".join(kept))
    assert both(home, runner)[0] == 1  # the triggers are gone: the schema hash says so ...
    code, outside = both(home, runner, expect=f"{count}:{head}")
    assert code == 1 and ("missing", 7) in outside  # ... and the printed head names the cut
    code, outside = both(home, runner, copy)
    assert code == 1 and ("missing", 7) in outside  # so does the second copy


def test_a_foreign_insert(station, runner, clock):
    home, copy = station
    fake = foreign_insert(home, clock.now() - timedelta(days=30))
    code, outside = both(home, runner, copy)
    assert code == 1 and outside == [("not signed", fake)]


@pytest.mark.parametrize("damage", ["missing", "shortened", "empty"])
def test_a_damaged_heads_file(station, runner, damage):
    home, copy = station
    path = home.root / chain.HEADS_FILE
    if damage == "missing":
        path.unlink()
    else:
        path.write_text("".join(path.read_text().splitlines(keepends=True)[:-2]) if damage == "shortened" else "")
    code, outside = both(home, runner)
    assert code == 1 and outside and outside[0][0].startswith("heads file")
    assert any(what == "not signed" for what, _ in outside)
