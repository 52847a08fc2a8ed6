"""Deciding at the last safe moment, with the real daemon: late approvals and withdrawals count,
repeat counts hold across slots, and a damaged speech file is rendered again before it airs."""

import hashlib
import os
import time
from collections import Counter
from datetime import datetime, timedelta

import pytest

from radio.clock import STATION_TZ
from tests.e2e.station_process import items_of, logged, query, quick_station, stop, wait_for

pytestmark = pytest.mark.e2e

SHORT = "UBND xã thông báo lịch tiếp công dân."


def add_draft(cli, title, **options):
    extra = [x for k, v in options.items() for x in (f"--{k}", v)]
    return int(cli.run("bulletin", "add", "--title", title, "--text", SHORT, *extra).stdout)


def slots_at(cli, whens):
    for when in whens:
        cli.run("slot", "add", "--at", when.strftime("%H:%M:%S"), "--date", when.date().isoformat())


def wait_until_wall(when: datetime) -> None:
    time.sleep(max(0.0, (when - datetime.now(STATION_TZ)).total_seconds()))


@pytest.mark.long
def test_an_approval_20_s_before_airs_and_a_withdrawal_20_s_before_does_not(tmp_path):
    """The decision is revisited up to the cut-off (it used to be taken at T−60 and never again)."""
    cli = quick_station(tmp_path / "home")
    late = add_draft(cli, "Duyệt muộn")
    withdrawn = cli.add_approved("Rút muộn", SHORT)
    when = cli.one_off_slot(45)
    # about the decision, not the time: the daemon starts 25 s before the slot on its clock,
    # 20 s ahead of real time
    ahead = timedelta(seconds=20)
    proc = cli.start_station(f"file:{tmp_path / 'aired'}", ahead_s=ahead.total_seconds())
    try:
        wait_for(lambda: query(cli.home, "SELECT 1 FROM station_state WHERE name = 'heartbeat'"), timeout=30)
        wait_until_wall(when - timedelta(seconds=20) - ahead)  # 20 s before the slot on the daemon's clock
        cli.run("bulletin", "approve", str(late), "--by", "Chủ tịch UBND xã", "--no-render")
        cli.run("bulletin", "withdraw", str(withdrawn))
        (row,) = wait_for(lambda: logged(cli.home), timeout=60)
    finally:
        out = stop(proc)
    assert row["status"] == "aired", (row, out[-3000:])
    assert [i["bulletin_id"] for i in items_of(cli.home, row["key"])] == [late]


@pytest.mark.long
def test_repeat_counts_hold_for_slots_10_s_apart_and_a_catch_up_burst(tmp_path):
    """Repeat 1 and repeat 2 bulletins air once and twice (they used to air in all three occurrences)."""
    cli = quick_station(tmp_path / "home")
    once = cli.add_approved("Một lần", SHORT, repeat="1")
    twice = cli.add_approved("Hai lần", SHORT, repeat="2")
    now = datetime.now(STATION_TZ).replace(microsecond=0)
    # four slots that pass while the station is off (caught up together), three 10 s apart after
    past = [now + timedelta(seconds=3 + n) for n in range(4)]
    ahead = [now + timedelta(seconds=35 + 10 * n) for n in range(3)]
    slots_at(cli, past + ahead)
    wait_until_wall(past[-1] + timedelta(seconds=1))
    catch_up_bulletin = cli.add_approved("Bù", SHORT, repeat="2")
    # about repeat counts, not time: the first slot ahead is about 8 s away on the daemon's clock
    proc = cli.start_station(f"file:{tmp_path / 'aired'}", ahead_s=18)
    try:
        wait_for(lambda: len(logged(cli.home)) == 7, timeout=120)
    finally:
        out = stop(proc)
    aired = Counter(r["bulletin_id"] for r in query(cli.home, "SELECT bulletin_id FROM occurrence_items "
                                                              "WHERE completed = 1"))
    assert aired == {once: 1, twice: 2, catch_up_bulletin: 2}, out[-3000:]
    assert all(r["status"] in ("aired", "cancelled") for r in logged(cli.home))


@pytest.mark.long
def test_a_damaged_speech_file_never_airs_as_complete(tmp_path):
    """A WAV truncated to half must not air as ✓ with the original sha256, nor a deleted one fail forever.

    Both damages in one programme (one daemon run): each item is rendered again, whole.
    """
    cli = quick_station(tmp_path / "home")
    originals = {}
    for damage in ("truncate", "delete"):
        new_id = cli.add_approved(f"Tin {damage}", SHORT * 3)
        (render,) = query(cli.home, "SELECT * FROM renders WHERE bulletin_id = ?", [new_id])
        with open(render["path"], "rb") as fh:
            data = fh.read()
        if damage == "delete":
            os.remove(render["path"])
        else:
            with open(render["path"], "wb") as fh:
                fh.write(data[: len(data) // 2])
        originals[new_id] = (render, data)
    cli.one_off_slot(25)
    # about what airs, not when: the daemon starts 10 s before the slot on its clock
    proc = cli.start_station(f"file:{tmp_path / 'aired'}", ahead_s=15)
    try:
        (row,) = wait_for(lambda: logged(cli.home), timeout=80)
    finally:
        out = stop(proc)
    assert row["status"] == "aired", (row, out[-3000:])
    items = items_of(cli.home, row["key"])
    assert sorted(i["bulletin_id"] for i in items) == sorted(originals)
    for item in items:
        render, data = originals[item["bulletin_id"]]
        with open(render["path"], "rb") as fh:
            now_on_disk = fh.read()
        # the item was rendered again, whole, and the log holds the hash of the bytes that aired
        assert item["completed"] == 1 and len(now_on_disk) == len(data), item
        assert item["audio_sha256"] == hashlib.sha256(now_on_disk).hexdigest()
        assert row["programme_seconds"] > render["duration_ms"] / 1000 - 1.0
    assert row["seconds_played"] == pytest.approx(row["programme_seconds"], abs=0.05)
