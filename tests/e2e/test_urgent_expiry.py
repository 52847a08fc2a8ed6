"""A stale urgent request never airs: a daemon started after its expiry marks it and moves on
(reproduced as a user meets it)."""

from datetime import UTC, datetime

import pytest

from radio.clock import from_utc_text
from radio.store.connection import connect
from tests.e2e.station_process import StationCli, stop, wait_for

pytestmark = pytest.mark.e2e


def test_no_daemon_then_a_late_daemon_never_airs_the_request(tmp_path):
    cli = StationCli(tmp_path / "home", {"NO_PROXY": "*"})
    for name, value in (("engine", "espeak"), ("use_jingles", "false"), ("ident_text", ""),
                        ("urgent_expiry_s", "5")):
        cli.run("settings", "set", name, value)
    bulletin_id = cli.add_approved("Cảnh báo bão", "Khẩn cấp: bão số 5 đổ bộ.", priority="urgent")

    done = cli.run("play", "--now", str(bulletin_id), check=False)
    assert done.returncode == 3 and "Traceback" not in done.stderr
    assert "No station daemon took the request within 5 s; it has expired and will not air." in done.stderr

    cli.run("play", "--now", str(bulletin_id), "--no-wait")  # nobody waits: the daemon must expire it
    expires = from_utc_text(
        connect(cli.home / "radio.db").execute("SELECT max(expires_at) FROM commands").fetchone()[0])
    wait_for(lambda: datetime.now(UTC) > expires, timeout=15)

    proc = cli.start_station(f"file:{tmp_path / 'aired'}")
    try:
        db = connect(cli.home / "radio.db")
        wait_for(lambda: db.execute("SELECT count(*) FROM commands WHERE handled_at IS NULL").fetchone()[0] == 0,
                 timeout=30)
        results = [r["result"] for r in db["commands"].rows_where(order_by="id")]
        assert results == ["expired", "expired"]
        assert db.execute("SELECT count(*) FROM occurrences WHERE kind = 'urgent'").fetchone()[0] == 0
    finally:
        stop(proc)
    assert not list((tmp_path / "aired").glob("*.wav"))
