"""A slot edited while the real daemon runs airs at its new time, not the old one."""

from datetime import datetime, timedelta

import pytest

from radio.clock import STATION_TZ, from_utc_text
from radio.station.decide import NO_LONGER_SCHEDULED
from tests.e2e.station_process import StationCli, query, stop, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.realtime]  # how close to its new instant it airs


def test_a_slot_moved_while_the_daemon_runs_airs_at_the_new_time_only(tmp_path):
    cli = StationCli(tmp_path / "home", {"NO_PROXY": "*"})
    cli.run("settings", "set", "engine", "espeak")
    cli.run("settings", "set", "use_jingles", "false")
    cli.run("settings", "set", "ident_text", "")  # the instant is proven, not the programme
    cli.add_approved("Lịch tiếp công dân", "UBND xã thông báo lịch tiếp công dân tháng mười hai.")
    old = cli.one_off_slot(50)
    # the daemon's clock runs 26 s ahead (RADIO_TEST_CLOCK): the old instant is 24 s away
    # as it starts; how close to the new instant it airs is still measured on its clock
    ahead = timedelta(seconds=26)
    proc = cli.start_station(f"file:{tmp_path / 'aired'}", ahead_s=ahead.total_seconds())
    try:
        # the daemon has built its jobs (the old instant's air job is already waiting:
        # it lies within the horizon and the job starts well ahead of its instant)
        first = wait_for(lambda: query(cli.home, "SELECT value FROM station_state WHERE name = 'heartbeat'"), 30)
        wait_for(lambda: query(cli.home, "SELECT value FROM station_state WHERE name = 'heartbeat'") != first, 30)
        # moved earlier, 6 s before the old instant: 10 to 15 s from now on the daemon's clock
        new = old - timedelta(seconds=6)
        assert (new - (datetime.now(STATION_TZ) + ahead)).total_seconds() > 8, "the daemon started too slowly"
        cli.run("slot", "edit", "1", "--at", new.strftime("%H:%M:%S"), "--date", new.date().isoformat())
        rows = wait_for(lambda: (r := query(cli.home, "SELECT * FROM occurrences ORDER BY scheduled_at"))
                        and len(r) == 2 and r, timeout=90)
    finally:
        output = stop(proc)
    assert "Traceback" not in output
    aired, dropped = rows
    assert aired["key"] == f"slot1@{new:%Y-%m-%dT%H:%M:%S}" and aired["status"] == "aired", output
    started = from_utc_text(aired["started_at"])
    assert abs((started - new).total_seconds()) < 2.0, output
    assert dropped["key"] == f"slot1@{old:%Y-%m-%dT%H:%M:%S}"
    assert (dropped["status"], dropped["reason"]) == ("cancelled", NO_LONGER_SCHEDULED)
    items = query(cli.home, "SELECT * FROM occurrence_items")
    assert [(i["occurrence_id"], i["completed"]) for i in items] == [(aired["id"], 1)]
