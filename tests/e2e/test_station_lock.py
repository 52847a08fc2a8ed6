"""With the real CLI: deleting ``station.lock`` while a daemon runs
does not let a second daemon start on the same data directory."""

import pytest

from tests.e2e.station_process import offline_station, stop, wait_for

pytestmark = pytest.mark.e2e


def test_a_deleted_station_lock_still_refuses_a_second_daemon(tmp_path):
    cli = offline_station(tmp_path)
    first = cli.start_station(f"file:{tmp_path / 'aired'}")
    try:
        lock = cli.home / "station.lock"
        wait_for(lambda: lock.exists() and lock.read_text(), timeout=20)
        lock.unlink()
        second = cli.run("station", "--output", f"file:{tmp_path / 'aired'}", check=False)
    finally:
        output = stop(first)
    assert second.returncode == 1, second.stderr
    assert f"already runs for {cli.home}" in second.stderr
    assert "Traceback" not in second.stderr and "Traceback" not in output
