"""The on-air loop with the real daemon: missed while off, urgent interrupts (kill -9 storms
are tests/faults/test_kill_cycles.py)."""

import time

import pytest

from radio.store.connection import connect
from tests.e2e.station_process import logged, quick_station, stop, wait_for

pytestmark = pytest.mark.e2e

SHORT = "UBND xã thông báo lịch tiếp công dân."


def test_missed_while_off_is_logged_within_seconds_of_start(tmp_path):
    cli = quick_station(tmp_path / "home")
    cli.run("settings", "set", "grace_minutes", "0")
    cli.add_approved("Tin", SHORT)
    when = cli.one_off_slot(2)
    time.sleep(3)  # the machine is "off" at the slot
    started = time.monotonic()
    proc = cli.start_station(f"file:{tmp_path / 'aired'}")
    try:
        (row,) = wait_for(lambda: logged(cli.home), timeout=20, interval=0.1)
        took = time.monotonic() - started
    finally:
        stop(proc)
    assert row["status"] == "missed" and "station was not running" in row["reason"]
    assert when.strftime("%Y-%m-%dT%H:%M:%S") in row["key"]
    assert took < 10


@pytest.mark.long
@pytest.mark.parametrize("resume", [False, True], ids=["end", "resume"])
def test_urgent_bulletin_interrupts_and_is_logged(tmp_path, resume):
    cli = quick_station(tmp_path / "home")
    cli.run("settings", "set", "resume_after_urgent", str(resume).lower())
    long_id = cli.add_approved("Bản tin dài", " ".join([SHORT] * 12))
    urgent_id = cli.add_approved("Cảnh báo bão", "Khẩn cấp: bão số 5 đổ bộ, bà con không ra khơi.",
                                 priority="urgent", repeat="1")
    cli.one_off_slot(6)
    wanted = "resume" if resume else "urgent"
    proc = cli.start_station(f"file:{tmp_path / 'aired'}")
    try:
        wait_for(lambda: list((tmp_path / "aired").glob("*.wav")), timeout=60)
        time.sleep(2)
        done = cli.run("play", "--now", str(urgent_id))
        assert "took it" in done.stdout
        wait_for(lambda: any(r["kind"] == wanted for r in logged(cli.home)), timeout=90)
    finally:
        stop(proc)
    by_kind = {r["kind"]: r for r in logged(cli.home)}
    assert by_kind["slot"]["status"] == "partial"
    assert by_kind["slot"]["reason"] == f"interrupted by urgent bulletin #{urgent_id}"
    assert by_kind["urgent"]["status"] == "aired"
    if resume:
        # the rest of the cut programme airs afterwards, starting again at the cut item
        assert by_kind["resume"]["status"] == "aired"
        assert by_kind["resume"]["key"] == by_kind["slot"]["key"] + "#resume"
        db = connect(cli.home / "radio.db")
        items = list(db["occurrence_items"].rows_where("occurrence_id = ?", [by_kind["resume"]["id"]]))
        assert items[-1]["bulletin_id"] == long_id and all(i["completed"] for i in items)
    else:
        assert "resume" not in by_kind
