"""The air path under real faults, with the real daemon: a crash and
a freeze mid-programme, full disks, a database locked across a slot. Slow: ``pytest -m faults``."""

import os
import re
import signal
import sqlite3
import time
from datetime import datetime, timedelta

import numpy as np
import pytest

from radio.clock import STATION_TZ
from radio.store.connection import connect
from tests.e2e.station_process import StationCli, logged, quick_station, stop, wait_for
from tests.support.disks import can_mount, fill, mounted_tmpfs
from tests.support.pulse import PulseServer, pulse_available

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

SHORT = "UBND xã thông báo lịch tiếp công dân."


def claims(home):
    db = connect(home / "radio.db")
    try:
        return db["claims"].count
    finally:
        db.conn.close()


def recorded_s(path) -> float:
    """Seconds in a recording being written (44-byte header, 16-bit mono at 44.1 kHz)."""
    return max(0, path.stat().st_size - 44) / 2 / 44100


def recording(out_dir, timeout=60):
    return wait_for(lambda: sorted(out_dir.glob("*.wav")), timeout=timeout, interval=0.05)[0]


def test_kill_9_mid_programme_the_row_says_what_was_heard(tmp_path):
    cli = quick_station(tmp_path / "home")
    cli.add_approved("Bản tin dài", " ".join([SHORT] * 5))
    cli.one_off_slot(6)
    out = tmp_path / "aired"
    proc = cli.start_station(f"file:{out}")
    rec = recording(out)
    wait_for(lambda: recorded_s(rec) >= 3.0, timeout=20, interval=0.05)
    proc.kill()  # kill -9: no clean-up at all
    proc.wait()
    heard = recorded_s(rec)
    proc = cli.start_station(f"file:{out}")
    try:
        (row,) = wait_for(lambda: logged(cli.home), timeout=30)
    finally:
        output = stop(proc)
    assert row["status"] == "partial", output
    assert abs(row["seconds_played"] - heard) <= 1.0, (row, heard)
    assert row["programme_seconds"] > heard + 1 and row["ended_at"]
    assert row["reason"].startswith("station process died while on air (")
    assert "heard" in row["reason"] and claims(cli.home) == 0


def test_frozen_daemon_is_logged_partial_with_the_dead_air_named(tmp_path):
    cli = quick_station(tmp_path / "home")
    cli.add_approved("Bản tin dài", " ".join([SHORT] * 4))
    cli.one_off_slot(6)
    out = tmp_path / "aired"
    proc = cli.start_station(f"file:{out}")
    try:
        rec = recording(out)
        wait_for(lambda: recorded_s(rec) >= 2.0, timeout=20, interval=0.05)
        os.kill(proc.pid, signal.SIGSTOP)  # what a laptop suspend or a starved CPU does
        frozen_at = datetime.now(STATION_TZ)
        time.sleep(20)  # the freeze itself is the fault being reproduced
        os.kill(proc.pid, signal.SIGCONT)
        (row,) = wait_for(lambda: logged(cli.home), timeout=60)
    finally:
        output = stop(proc)
    assert row["status"] == "partial", output
    match = re.fullmatch(r"dead air of (\d+) s at (\d\d:\d\d:\d\d)", row["reason"])
    assert match and 18 <= int(match[1]) <= 22, row["reason"]
    # the rest played at its own pace after the freeze, not in a burst
    took = datetime.fromisoformat(row["ended_at"]) - datetime.fromisoformat(row["started_at"])
    assert took.total_seconds() >= row["programme_seconds"] + 18
    assert row["seconds_played"] == pytest.approx(row["programme_seconds"], abs=0.1)
    assert recorded_s(rec) == pytest.approx(row["programme_seconds"], abs=0.1)
    # named at the local time the listeners lost the sound
    dead_at = datetime.combine(frozen_at.date(), datetime.strptime(match[2], "%H:%M:%S").time(),
                               STATION_TZ)
    assert abs((dead_at - frozen_at).total_seconds()) <= 2


@pytest.mark.skipif(not can_mount(), reason="mounting a small tmpfs needs root")
def test_full_output_disk_ends_in_one_failed_row_with_no_misleading_warnings(tmp_path):
    cli = quick_station(tmp_path / "home", grace_minutes=1, output_retry_s=5)
    cli.add_approved("Thông báo", SHORT)
    with mounted_tmpfs(tmp_path / "disk", size="256k") as disk:
        (disk / "aired").mkdir()
        fill(disk)
        cli.one_off_slot(6)
        proc = cli.start_station(f"file:{disk / 'aired'}")
        try:
            (row,) = wait_for(lambda: logged(cli.home), timeout=120, interval=0.5)
            time.sleep(1)
        finally:
            output = stop(proc)
        assert list((disk / "aired").iterdir()) == []
    assert row["status"] == "failed"
    assert re.fullmatch(r"could not write the programme: the disk is full "
                        r"\(after \d+ tries from \d\d:\d\d:\d\d to \d\d:\d\d:\d\d\)", row["reason"]), row
    assert claims(cli.home) == 0
    assert "Gap" not in output and "Traceback" not in output, output


@pytest.mark.skipif(not can_mount(), reason="mounting a small tmpfs needs root")
def test_daemon_starts_and_logs_on_a_full_disk(tmp_path):
    with mounted_tmpfs(tmp_path / "disk", size="16m") as disk:
        cli = quick_station(disk / "home", grace_minutes=1, output_retry_s=5)
        cli.add_approved("Thông báo", SHORT)
        proc = cli.start_station(f"file:{disk / 'aired'}")
        wait_for(lambda: (disk / "home" / "radio.db.reserve").exists(), timeout=20)
        cli.one_off_slot(10)
        stop(proc)
        fill(disk)  # the disk fills up while the station is off
        proc = cli.start_station(f"file:{disk / 'aired'}")
        try:
            # the daemon gives the reserve back to open its database (before this test reads it)
            wait_for(lambda: not (disk / "home" / "radio.db.reserve").exists(), timeout=20)
            (row,) = wait_for(lambda: logged(cli.home), timeout=120, interval=0.5)
        finally:
            output = stop(proc)
    assert "released" in output and "Traceback" not in output, output
    assert row["status"] == "aired", row  # the reserve had room for the programme and its row
    assert "Gap" not in output, output


@pytest.mark.skipif(not can_mount(), reason="mounting a small tmpfs needs root")
def test_cli_commands_on_a_full_disk_leave_the_daemons_reserve(tmp_path):
    # On a full disk `radio bulletin list` freed the daemon's reserve;
    # once the space was taken again the daemon could not start and the slot got no row.
    with mounted_tmpfs(tmp_path / "disk", size="16m") as disk:
        cli = quick_station(disk / "home", grace_minutes=1, output_retry_s=5)
        cli.add_approved("Thông báo", SHORT)
        reserve = disk / "home" / "radio.db.reserve"
        proc = cli.start_station(f"file:{disk / 'aired'}")
        wait_for(lambda: reserve.exists(), timeout=20)
        cli.one_off_slot(20)
        stop(proc)
        fill(disk)
        for command in (("bulletin", "list"), ("log", "list"), ("slot", "list")):
            done = cli.run(*command, check=False)
            assert "Traceback" not in done.stderr, done.stderr
            assert reserve.stat().st_size == 2 * 1024 * 1024, (command, done.stderr)
        fill(disk, "filler-2")  # whatever a command freed is taken again
        proc = cli.start_station(f"file:{disk / 'aired'}")
        try:
            # the daemon, and only it, gives the reserve back (before this test reads)
            wait_for(lambda: not reserve.exists(), timeout=20)
            (row,) = wait_for(lambda: logged(cli.home), timeout=120, interval=0.5)
        finally:
            output = stop(proc)
    assert "released" in output and "Traceback" not in output, output
    assert row["status"] == "aired", row


def test_database_locked_across_the_slot_is_retried_and_airs_within_grace(tmp_path):
    cli = quick_station(tmp_path / "home", output_retry_s=5)
    cli.add_approved("Thông báo", SHORT)
    when = cli.one_off_slot(15)
    proc = cli.start_station(f"file:{tmp_path / 'aired'}")
    try:
        wait_for(lambda: list((cli.home / "programmes").glob("*.wav")), timeout=30)
        locker = sqlite3.connect(cli.home / "radio.db", timeout=60, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")  # another writer holds the lock 75 s across the slot
        locked_at = time.monotonic()
        wait_for(lambda: time.monotonic() - locked_at >= 75, timeout=80, interval=0.5)
        locker.execute("ROLLBACK")
        locker.close()
        (row,) = wait_for(lambda: logged(cli.home), timeout=90, interval=0.5)
    finally:
        output = stop(proc)
    assert row["status"] == "aired", (row, output)
    assert "the database was locked by another program for too long" in row["reason"]
    assert re.search(r"after \d+ failed tr(y|ies), the first at", row["reason"])
    late = datetime.fromisoformat(row["started_at"]) - when
    assert timedelta(seconds=50) < late < timedelta(minutes=10)
    assert "Gap" not in output and "Traceback" not in output, output


@pytest.mark.skipif(not pulse_available(), reason="PulseAudio not installed")
@pytest.mark.parametrize("output", ["pulse:radio_out", "device"])  # device: ALSA's pulse plugin
def test_frozen_daemon_on_a_sound_card_listeners_hear_the_gap_then_the_rest(tmp_path, output):
    with PulseServer() as pulse:
        cli = StationCli(tmp_path / "home", {**pulse.env(), "NO_PROXY": "*"})
        for name, value in (("engine", "espeak"), ("use_jingles", "false"), ("ident_text", "")):
            cli.run("settings", "set", name, value)
        cli.add_approved("Bản tin dài", " ".join([SHORT] * 4))
        cli.one_off_slot(8)
        with pulse.record() as recording:
            proc = cli.start_station(output)
            try:
                wait_for(lambda: claims(cli.home) and _on_air_s(cli.home) >= 2.0, timeout=60, interval=0.1)
                os.kill(proc.pid, signal.SIGSTOP)
                time.sleep(20)  # the freeze itself is the fault being reproduced
                os.kill(proc.pid, signal.SIGCONT)
                (row,) = wait_for(lambda: logged(cli.home), timeout=60)
            finally:
                output = stop(proc)
            recording.wait_for_silence(0.3, timeout_s=5)
        heard = recording.samples()
    assert row["status"] == "partial", output
    match = re.fullmatch(r"dead air of (\d+) s at \d\d:\d\d:\d\d", row["reason"])
    assert match and 18 <= int(match[1]) <= 22, row["reason"]
    loud = np.flatnonzero(np.abs(heard.astype(np.int32)) > 30)
    span_s = (loud[-1] - loud[0]) / 44100
    # listeners heard the programme stretched by the dead air, the rest at its own pace
    assert span_s == pytest.approx(row["programme_seconds"] + int(match[1]), abs=1.5)


def _on_air_s(home) -> float:
    db = connect(home / "radio.db")
    try:
        row = db.execute("SELECT seconds_played FROM claims").fetchone()
        return float(row[0] or 0) if row else 0.0
    finally:
        db.conn.close()
