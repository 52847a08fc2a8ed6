"""A kill -9 of the daemon, then ``radio.db-wal`` and ``radio.db-shm``
deleted (a clean-up or backup tool that keeps only ``radio.db``), then a restart.
Nothing airs twice; where rows were lost after all (an older ``radio.db`` put back),
the signed heads say what was logged, and the alert names the lost entries."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime, timedelta

import pytest

from radio.clock import STATION_TZ, from_utc_text
from tests.e2e.station_process import logged, query, quick_station, wait_for

pytestmark = pytest.mark.e2e

SHORT = "UBND xã thông báo lịch tiếp công dân."


def recordings(out_dir) -> Counter:
    return Counter(p.name.split("-", 1)[1] for p in out_dir.glob("*.wav"))


def drop_wal(home) -> None:
    for suffix in ("-wal", "-shm"):
        (home / f"radio.db{suffix}").unlink(missing_ok=True)


def alert(home) -> str:
    rows = query(home, "SELECT value FROM station_state WHERE name = 'chain.alert'")
    return rows[0]["value"] if rows else ""


def heartbeat(home) -> datetime | None:
    try:
        rows = query(home, "SELECT value FROM station_state WHERE name = 'heartbeat'")
    except sqlite3.DatabaseError:  # read-only, before the daemon made the -wal and -shm again
        return None
    return from_utc_text(rows[0]["value"]) if rows else None


def kill_9(proc) -> str:
    proc.kill()
    out, _ = proc.communicate(timeout=30)
    return out or ""


def run_a_while(cli, output, seconds: float) -> str:
    """Start the daemon, let it run *seconds* of its own heartbeats past start-up
    (reconcile and any catch-up happen at once), then kill -9 it."""
    proc = cli.start_station(output)
    started = datetime.now(STATION_TZ)
    try:
        wait_for(lambda: (heartbeat(cli.home) or started) >= started + timedelta(seconds=seconds), timeout=120)
    finally:
        out = kill_9(proc)
    return out


@pytest.mark.long
def test_a_lost_wal_never_airs_anything_twice(tmp_path):
    cli = quick_station(tmp_path / "home")
    home, out_dir = cli.home, tmp_path / "aired"
    output = f"file:{out_dir}"
    cli.add_approved("Tin ngắn", SHORT, repeat="100")
    base = datetime.now(STATION_TZ).replace(microsecond=0) + timedelta(seconds=10)
    for n in range(3):
        when = base + timedelta(seconds=12 * n)
        cli.run("slot", "add", "--at", when.strftime("%H:%M:%S"), "--date", when.date().isoformat())

    proc = cli.start_station(output)
    snapshot = tmp_path / "older-radio.db"
    try:
        wait_for(lambda: len(logged(home)) >= 1, timeout=120)
        # what a backup made now holds: the first entry only
        src, dst = sqlite3.connect(home / "radio.db", timeout=30), sqlite3.connect(snapshot)
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, like a backup copy
        src.close()
        dst.close()
        wait_for(lambda: len(logged(home)) >= 3, timeout=120)
    finally:
        kill_9(proc)
    rows = logged(home)
    assert [r["status"] for r in rows] == ["aired"] * 3
    assert set(recordings(out_dir).values()) == {1} and len(recordings(out_dir)) == 3

    # 1. the WAL is lost: every proof row is in radio.db already, nothing is caught up again
    drop_wal(home)
    out = run_a_while(cli, output, 6)
    assert [r["key"] for r in logged(home)] == [r["key"] for r in rows], out
    assert len(recordings(out_dir)) == 3 and set(recordings(out_dir).values()) == {1}
    assert "Traceback" not in out

    # 2. rows lost after all (the older radio.db put back, without its WAL): the heads list
    # entries 2-3, so their occurrences are not aired again, and the alert names them
    drop_wal(home)
    snapshot.replace(home / "radio.db")
    out = run_a_while(cli, output, 6)
    assert [r["key"] for r in logged(home)] == [rows[0]["key"]], out
    assert len(recordings(out_dir)) == 3 and set(recordings(out_dir).values()) == {1}, out
    assert not query(home, "SELECT * FROM claims")
    assert "entries 2–3 were lost from the database" in alert(home), out
    assert "Not catching up" in out
    verify = cli.run("log", "verify", check=False)
    assert verify.returncode == 1 and "Entries 2–3 are missing." in verify.stderr
