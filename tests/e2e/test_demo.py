"""The demo station, as a new user meets it: `radio demo` from an empty data directory,
with no network, until its own slot airs."""

import subprocess
import time
import wave

import pytest

from radio.cli.demo import DEMO_SLOT
from radio.store.home import Home
from tests.e2e.station_process import RADIO, StationCli, items_of, query, stop, wait_for
from tests.support.fake_gtts import refused_url

pytestmark = pytest.mark.e2e

def demo_slot_rows(home) -> list[dict]:
    """The log rows of the demo's one-off slot: run at 05:30 or 17:00 station time, the
    demo's daily slots air beside it, as they would for a user."""
    return query(home, "SELECT o.* FROM occurrences o JOIN slots s ON s.id = o.slot_id "
                       "WHERE s.name = ? ORDER BY o.id", [DEMO_SLOT])


@pytest.mark.long
def test_the_demo_slot_airs_offline_full_length(tmp_path):
    """The demo's own slot airs in full offline (it used to be logged cancelled, five runs out of five)."""
    home = tmp_path / "demo"
    proxy = refused_url()  # no network: gTTS is unreachable, engine auto falls back to espeak-ng
    cli = StationCli(home, {"HTTPS_PROXY": proxy, "https_proxy": proxy, "HTTP_PROXY": proxy,
                            "http_proxy": proxy, "NO_PROXY": ""})
    proc = subprocess.Popen([*RADIO, "demo", "--port", "0"], env=cli.env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        (row,) = wait_for(lambda: demo_slot_rows(home), timeout=240, interval=0.5)
    finally:
        out = stop(proc)
    assert row["status"] == "aired", (row, out[-3000:])
    assert row["seconds_played"] == pytest.approx(row["programme_seconds"], abs=0.05)
    assert row["programme_seconds"] > 20
    assert [i["completed"] for i in items_of(home, row["key"])] == [1, 1]
    (aired,) = (home / "outputs").glob(f"*-{Home(home).programme(row['key']).name}")
    with wave.open(str(aired)) as wav:
        assert wav.getnframes() / wav.getframerate() == pytest.approx(row["programme_seconds"], abs=0.05)


@pytest.mark.long
def test_the_province_demo_airs_the_provinces_khan_cap_at_its_station(tmp_path):
    """`radio demo --province 1`: a NATS server, the hub and one station; a minute after the
    start the province's khẩn cấp airs there and the demo prints it as the hub heard it."""
    from radio.network.cluster import nats_server_binary

    if nats_server_binary() is None:
        pytest.skip("nats-server is not installed (scripts/install.sh test installs it)")
    home = tmp_path / "demo"
    cli = StationCli(home, {"NO_PROXY": "*"})
    proc = subprocess.Popen([*RADIO, "demo", "--province", "1", "--port", "0"], env=cli.env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    station = home / "province" / "stations" / "XA-01"
    try:
        rows = wait_for(lambda: (station / "radio.db").exists()
                        and query(station, "SELECT * FROM occurrences WHERE kind = 'urgent'"),
                        timeout=200, interval=1)
        time.sleep(5)  # the hub hears it and the demo says so
    finally:
        out = stop(proc, timeout=60)
    assert rows[0]["status"] == "aired", out
    assert "admin http://127.0.0.1:" in out and "Log in to any station as canbo" in out
    assert "Sent khẩn cấp P-" in out and "XA-01: aired (proof entry" in out, out
