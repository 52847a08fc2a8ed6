"""The on-air loop with the real daemon: missed while off, kill -9 storms, urgent interrupts."""

import random
import time
from collections import Counter
from datetime import datetime, timedelta

import pytest

from radio.clock import STATION_TZ
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


@pytest.mark.realtime  # kill -9 on a real-time schedule: beside a second test it failed on CI
def test_kill_9_storm_never_airs_twice_and_loses_nothing(tmp_path):
    cli = quick_station(tmp_path / "home")
    cli.add_approved("Tin ngắn", SHORT, repeat="100")
    base = datetime.now(STATION_TZ).replace(microsecond=0) + timedelta(seconds=8)
    expected = []
    for n in range(14):
        when = base + timedelta(seconds=5 * n)
        cli.run("slot", "add", "--at", when.strftime("%H:%M:%S"), "--date", when.date().isoformat())
        expected.append(when)
    out_dir = tmp_path / "aired"
    rng = random.Random(20261122)
    storm_end = expected[9] + timedelta(seconds=1)  # the last four slots air under a stable daemon
    kills = 0
    while datetime.now(STATION_TZ) < storm_end:
        proc = cli.start_station(f"file:{out_dir}")
        time.sleep(rng.uniform(1.0, 6.0))
        if proc.poll() is None:
            proc.kill()  # kill -9: no clean-up at all
            proc.wait()
            kills += 1
    proc = cli.start_station(f"file:{out_dir}")
    try:
        wait_for(lambda: len(logged(cli.home)) >= len(expected), timeout=90)
    finally:
        stop(proc)
    rows = logged(cli.home)
    keys = Counter(r["key"] for r in rows)
    assert kills >= 5
    assert len(rows) == len(expected) and set(keys.values()) == {1}
    assert {r["status"] for r in rows} <= {"aired", "partial", "failed", "missed"}
    # no occurrence reached the output twice: one recording per occurrence at most
    recordings = Counter(p.name.split("-", 1)[1] for p in out_dir.glob("*.wav"))
    assert all(count == 1 for count in recordings.values()), recordings
    # after the storm the station airs normally again
    by_key = {r["key"]: r["status"] for r in rows}
    last_three = sorted(by_key, key=lambda key: key.split("@")[1])[-3:]
    assert [by_key[k] for k in last_three] == ["aired"] * 3, by_key
    # ... in order, each once (how late they start is a benchmark's figure, not this test's:
    # on a loaded two-core CI machine a restarted daemon started one 3.6 s late)
    started = [datetime.fromisoformat(r["started_at"]) for r in sorted(rows, key=lambda r: r["scheduled_at"])
               if r["key"] in last_three]
    assert started == sorted(started)


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
