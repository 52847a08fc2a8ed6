"""The sound device removed mid-programme, a long reader on the database, and the admin
writing under load while the daemon airs: each occurrence ends once, with a reason."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime

import pytest

from radio.bulletins import lifecycle as bulletins
from radio.clock import ManualClock
from radio.store.connection import connect
from tests.e2e.station_process import StationCli, stop, wait_for
from tests.faults.invariants import admin_alert, assert_chain_verifies, assert_each_once, logged
from tests.support.pulse import PulseServer, pulse_available
from tests.support.actors import LEADER, OFFICER

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

LONG = ("UBND xã thông báo lịch tiếp công dân định kỳ tại trụ sở, đề nghị bà con mang theo căn cước "
        "công dân và các giấy tờ liên quan đến hồ sơ đất đai để được hướng dẫn. ") * 3
SHORT = "UBND xã thông báo lịch tiếp công dân."


def _station(home, env=None) -> StationCli:
    cli = StationCli(home, {"NO_PROXY": "*", **(env or {})})
    for name, value in (("engine", "espeak"), ("use_jingles", "false"), ("ident_text", ""), ("gap_ms", "200"),
                        ("grace_minutes", "0")):
        cli.run("settings", "set", name, value)
    return cli


@pytest.mark.skipif(not pulse_available(), reason="needs pulseaudio")
def test_sound_device_removed_mid_programme_ends_in_one_row_with_the_reason(tmp_path):
    with PulseServer(sinks=("radio_out",)) as pulse:
        cli = _station(tmp_path / "home", pulse.env())
        cli.add_approved("Thông báo dài", LONG)
        when = cli.one_off_slot(8)
        proc = cli.start_station("pulse:radio_out")
        try:
            with pulse.record("radio_out") as rec:
                wait_for(lambda: rec.first_sound_monotonic(threshold=200), timeout=60, interval=0.05)
            time.sleep(1.0)  # on air
            modules = pulse._pactl("list", "short", "modules").stdout.splitlines()
            (module,) = [line.split()[0] for line in modules if "sink_name=radio_out" in line]
            pulse._pactl("unload-module", module)  # the USB sound card pulled out
            (row,) = wait_for(lambda: logged(cli.home), timeout=90)
        finally:
            out = stop(proc)
    print(f"\nsink removed: {row['status']}, {row['seconds_played']} s of {row['programme_seconds']} s: "
          f"{row['reason']}")
    assert row["status"] in ("partial", "failed"), row
    assert row["reason"] and row["seconds_played"] < row["programme_seconds"], row
    assert when.strftime("%Y-%m-%dT%H:%M:%S") in row["key"]
    assert "Traceback" not in out
    assert_each_once(cli.home, {row["key"]})
    assert_chain_verifies(cli)
    assert "buổi phát gặp sự cố" in admin_alert(cli.home, [row])


def test_a_long_reader_and_the_admin_writing_under_load_never_cost_an_airing(tmp_path):
    """A report reading for 20 s in one transaction (WAL lets it), while eight admin
    threads add, edit and approve bulletins as fast as they can across three slots."""
    cli = _station(tmp_path / "home")
    cli.add_approved("Tin ngắn", SHORT, repeat="10")
    whens = [cli.one_off_slot(10 + 6 * n) for n in range(3)]
    out_dir = tmp_path / "aired"
    stop_at = time.monotonic() + 40
    errors: list[BaseException] = []
    writes = [0]

    def long_reader():
        conn = sqlite3.connect(cli.home / "radio.db", timeout=30)
        try:
            conn.execute("BEGIN")
            while time.monotonic() < stop_at - 20:
                conn.execute("SELECT count(*) FROM occurrences o LEFT JOIN occurrence_items i "
                             "ON i.occurrence_id = o.id").fetchone()
                time.sleep(0.05)
            conn.execute("COMMIT")
        finally:
            conn.close()

    def admin_writer(n: int):
        db = connect(cli.home / "radio.db", migrate=False)
        clock = ManualClock(datetime.now(UTC))  # real time: the real daemon runs beside it
        try:
            while time.monotonic() < stop_at:
                new_id = bulletins.add_bulletin(db, title=f"Tin thử {n}", text="Nội dung thử tải.",
                                                now=clock.now(), topic="thu-tai", actor=OFFICER)
                bulletins.update_bulletin(db, new_id, text="Nội dung đã sửa.", actor=OFFICER, now=clock.now())
                bulletins.withdraw_bulletin(db, new_id, actor=LEADER, now=clock.now())
                writes[0] += 3
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            db.conn.close()

    proc = cli.start_station(f"file:{out_dir}")
    threads = [threading.Thread(target=long_reader)] + [threading.Thread(target=admin_writer, args=(n,))
                                                        for n in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=90)
        wait_for(lambda: len(logged(cli.home)) >= 3, timeout=90)
    finally:
        stop(proc)
    assert not errors, errors
    assert writes[0] > 100
    rows = assert_each_once(cli.home, {r["key"] for r in logged(cli.home)}, out_dir)
    assert len(rows) == 3 and {r["status"] for r in rows} == {"aired"}, rows
    for row, when in zip(rows, whens):
        assert when.strftime("%Y-%m-%dT%H:%M:%S") in row["key"]
    assert_chain_verifies(cli)
