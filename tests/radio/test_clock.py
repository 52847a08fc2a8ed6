"""The offset clock behind RADIO_TEST_CLOCK, and the CLI's clock from click's context object."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from radio.cli import cli
from radio.clock import STATION_TZ, ManualClock, OffsetClock, SystemClock, offset_clock_from


def test_an_offset_clock_runs_at_real_speed_from_its_start():
    start = datetime(2026, 11, 26, 5, 29, 57, tzinfo=STATION_TZ)
    clock = OffsetClock.starting_at(start)
    assert abs((clock.now() - start).total_seconds()) < 0.05
    mono = clock.monotonic()
    clock.sleep(0.2)
    assert (clock.now() - start).total_seconds() == pytest.approx(0.2, abs=0.1)
    assert clock.monotonic() - mono == pytest.approx(0.2, abs=0.1)
    assert not clock.wait(threading.Event(), 0.05)


def test_wall_is_when_a_real_scheduler_must_fire():
    clock = OffsetClock(timedelta(seconds=57))
    slot = clock.now() + timedelta(seconds=3)
    # the slot is 3 s ahead on the clock: a real scheduler fires it 3 s from now, not 60
    assert (clock.wall(slot) - datetime.now(UTC)).total_seconds() == pytest.approx(3, abs=0.05)
    when = datetime(2026, 11, 26, tzinfo=UTC)
    assert SystemClock().wall(when) == when == ManualClock(when).wall(when)


@pytest.mark.parametrize("text, offset_s", [("+57", 57), ("-30", -30), ("2.5", 2.5), (" 0 ", 0)])
def test_the_variable_takes_seconds_ahead(text, offset_s):
    assert offset_clock_from(text).offset == timedelta(seconds=offset_s)


def test_the_variable_takes_an_aware_instant():
    start = datetime.now(UTC) + timedelta(hours=3)
    clock = offset_clock_from(start.astimezone(STATION_TZ).isoformat())
    assert abs((clock.now() - start).total_seconds()) < 0.05


@pytest.mark.parametrize("text", ["nan", "1e9", "٣", "soon", "2026-11-26T05:30:00", ""])
def test_the_variable_refuses_anything_else(text):
    with pytest.raises(ValueError):
        offset_clock_from(text)


def test_commands_take_the_clock_from_the_context_object(runner, home):
    clock = ManualClock(datetime(2026, 11, 26, 9, 0, tzinfo=STATION_TZ))
    result = runner.invoke(cli, ["slot", "add", "--at", "09:00:30", "--date", "2026-11-26"], obj={"clock": clock})
    assert result.exit_code == 0, result.output
    # the real clock would call 09:00:30 on 26/11/2026 a date in the past
    listing = runner.invoke(cli, ["slot", "list"], obj={"clock": clock})
    assert "2026-11-26" in listing.output, listing.output


def test_the_daemon_refuses_a_test_clock_it_cannot_read(runner, monkeypatch):
    monkeypatch.setenv("RADIO_TEST_CLOCK", "soon")
    result = runner.invoke(cli, ["station", "--output", "file:/nonexistent"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: RADIO_TEST_CLOCK: 'soon' is neither an ISO 8601 instant nor a number of seconds")
