"""A scheduled programme streamed by the real daemon to a local icecast2 (IP
loudspeakers), decoded by a listening client and compared with the programme."""

import wave

import numpy as np
import pytest

from radio.store.connection import connect
from tests.e2e.station_process import StationCli, stop, wait_for
from tests.support.icecast import IcecastServer, icecast_available
from tests.support.signal import xcorr_similarity

# realtime: what reaches the listeners, in real time
pytestmark = [pytest.mark.e2e, pytest.mark.realtime, pytest.mark.skipif(not icecast_available(), reason="icecast2 not installed")]

TEXT = "Ủy ban nhân dân xã thông báo lịch tiếp công dân tháng mười hai tại hội trường thôn ba."


def test_scheduled_programme_reaches_ip_loudspeakers(tmp_path):
    with IcecastServer() as icecast:
        cli = StationCli(tmp_path / "home", {"NO_PROXY": "*"})
        # espeak-ng without jingles or ident: what reaches the listener is the point, not a
        # full programme's length
        for name, value in {"engine": "espeak", "use_jingles": "false", "ident_text": "", "gap_ms": "200"}.items():
            cli.run("settings", "set", name, value)
        cli.add_approved("Thông báo", TEXT)
        cli.one_off_slot(8)
        proc = cli.start_station(icecast.source_url)
        try:
            icecast.wait_for_source(timeout_s=40)
            listener = icecast.listen()  # an IP loudspeaker tuning in as the programme starts
            db = connect(cli.home / "radio.db")
            (row,) = wait_for(lambda: list(db["occurrences"].rows), timeout=90)
            listener.wait(15)
        finally:
            stop(proc)
    assert row["status"] == "aired" and row["output"].startswith("icecast://")
    assert "hackme" not in row["output"]  # the source password never reaches the log
    (programme,) = (cli.home / "programmes").glob("*.wav")
    with wave.open(str(programme)) as wav:
        played = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    heard = listener.samples()
    assert len(heard) > 0.8 * len(played)
    assert xcorr_similarity(heard, played) > 0.9
