"""A scheduled programme played by the real daemon into a PulseAudio null sink,
recorded from the sink's monitor and compared with the rendered programme."""

import time
import wave
from datetime import datetime, timedelta

import numpy as np
import pytest

from radio.clock import STATION_TZ
from radio.store.connection import connect
from tests.e2e.station_process import StationCli, stop, wait_for
from tests.support.pulse import PulseServer, pulse_available, station_players
from tests.support.signal import inner_silence_s, without_silences, xcorr_similarity

# realtime: what reaches the sound card, in real time
pytestmark = [pytest.mark.e2e, pytest.mark.realtime, pytest.mark.skipif(not pulse_available(), reason="PulseAudio not installed")]

#: espeak-ng without jingles or ident: what reaches the sink is the point, not a full
#: programme's length, nor gTTS's fallback (tried and failed first without a network)
QUICK = {"engine": "espeak", "use_jingles": "false", "ident_text": "", "gap_ms": "200"}

TEXT = "Ủy ban nhân dân xã thông báo: từ ngày 01/12/2026 tiếp nhận hồ sơ trực tuyến mức độ 3, 4."
#: for a test about where or whether a programme airs, not what it sounds like end to end
SHORT = "Ủy ban nhân dân xã thông báo."


def programme_samples(path):
    with wave.open(str(path)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (44100, 1, 2)
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)


@pytest.mark.parametrize("output", ["device", "pulse:radio_out"])
def test_scheduled_programme_reaches_the_sound_card(tmp_path, output):
    with PulseServer() as pulse:
        cli = StationCli(tmp_path / "home", {**pulse.env(), "NO_PROXY": "*"})
        for name, value in QUICK.items():
            cli.run("settings", "set", name, value)
        cli.add_approved("Thông báo", TEXT)
        cli.one_off_slot(10)
        with pulse.record() as recording:
            # the daemon's clock 3 s ahead: 7 s of real lead to start, open the output and build
            proc = cli.start_station(output, ahead_s=3)
            try:
                db = connect(cli.home / "radio.db")
                (row,) = wait_for(lambda: list(db["occurrences"].rows), timeout=90)
            finally:
                log = stop(proc)
            recording.wait_for_silence(0.3, timeout_s=5)
        heard = recording.samples()
    assert row["status"] == "aired", log
    # the first airing after the start is on time: the device output's PortAudio scan
    # (seconds) was paid when the daemon opened it, not at the slot
    late = datetime.fromisoformat(row["started_at"]) - datetime.fromisoformat(row["scheduled_at"])
    assert late < timedelta(seconds=0.5), log
    (programme_path,) = (cli.home / "programmes").glob("*.wav")
    played = programme_samples(programme_path)
    assert row["seconds_played"] == pytest.approx(len(played) / 44100, abs=0.1)
    if "broke up" in (row["reason"] or ""):
        # The machine starved the player (a busy CI machine can): the row says so, the
        # sink heard a gap, and what it heard was all of the programme, the gaps aside.
        assert inner_silence_s(heard) >= inner_silence_s(played) + 0.01
        assert xcorr_similarity(without_silences(heard), without_silences(played)) > 0.9
        return
    assert xcorr_similarity(heard, played) > 0.9, row["reason"]
    loud = np.flatnonzero(np.abs(heard.astype(np.int32)) > 30)
    heard_s = (loud[-1] - loud[0]) / 44100
    played_loud = np.flatnonzero(np.abs(played.astype(np.int32)) > 30)
    assert heard_s == pytest.approx((played_loud[-1] - played_loud[0]) / 44100, abs=0.1)  # full length



def test_a_starved_player_is_named_in_the_aired_row(tmp_path):
    # The attack a busy machine makes: the daemon's pacat is not scheduled for 0.4 s,
    # longer than the server's buffer, so the loudspeaker falls silent for a moment.
    with PulseServer() as pulse:
        cli = StationCli(tmp_path / "home", {**pulse.env(), "NO_PROXY": "*"})
        for name, value in QUICK.items():
            cli.run("settings", "set", name, value)
        cli.add_approved("Thông báo", TEXT)
        cli.one_off_slot(8)
        with pulse.record() as recording:
            proc = cli.start_station("pulse:radio_out", ahead_s=3)  # where it breaks up, not when it starts
            try:
                (player,) = wait_for(lambda: station_players(proc.pid), timeout=60, interval=0.05)
                time.sleep(1.0)
                player.suspend()
                time.sleep(0.4)
                player.resume()
                db = connect(cli.home / "radio.db")
                (row,) = wait_for(lambda: list(db["occurrences"].rows), timeout=60)
            finally:
                stop(proc)
            recording.wait_for_silence(0.3, timeout_s=5)
        heard = recording.samples()
    (programme_path,) = (cli.home / "programmes").glob("*.wav")
    played = programme_samples(programme_path)
    assert row["status"] == "aired"  # all of it was heard ...
    assert row["reason"] == "the sound broke up once for a moment (the output ran dry)"  # ... with a break
    assert inner_silence_s(heard) >= inner_silence_s(played) + 0.2
    assert xcorr_similarity(without_silences(heard), without_silences(played)) > 0.9


def test_missing_sound_device_is_logged_failed_with_the_reason(tmp_path):
    with PulseServer() as pulse:
        cli = StationCli(tmp_path / "home", {**pulse.env(), "NO_PROXY": "*"})
        cli.run("settings", "set", "grace_minutes", "0")  # no retry window: fail at once
        for name, value in QUICK.items():
            cli.run("settings", "set", name, value)
        cli.add_approved("Thông báo", SHORT)
        cli.one_off_slot(6)
        proc = cli.start_station("pulse:loa_thon_3", ahead_s=2)  # whether it fails, not when
        try:
            db = connect(cli.home / "radio.db")
            (row,) = wait_for(lambda: list(db["occurrences"].rows), timeout=60)
        finally:
            stop(proc)
    assert row["status"] == "failed" and row["seconds_played"] == 0
    assert "loa_thon_3" in row["reason"]


def test_a_slot_airs_to_its_own_zone(tmp_path):
    with PulseServer(sinks=("radio_out", "thon2")) as pulse:
        cli = StationCli(tmp_path / "home", {**pulse.env(), "NO_PROXY": "*"})
        for name, value in QUICK.items():
            cli.run("settings", "set", name, value)
        cli.add_approved("Thông báo thôn 2", SHORT)
        when = cli.one_off_slot(8)
        # replace the slot by one that airs to zone thon2 only
        db = connect(cli.home / "radio.db")
        db.execute("DELETE FROM slots")
        cli.run("output", "add", "thon2", "pulse:thon2", "--zone", "Thôn 2")  # the admin names the zone
        cli.run("slot", "add", "--at", when.strftime("%H:%M:%S"), "--date", when.date().isoformat(),
                "--output", "thon2")
        with pulse.record("thon2") as zone, pulse.record("radio_out") as elsewhere:
            proc = cli.start_station("pulse:radio_out", ahead_s=3)  # where it airs, not when
            try:
                (row,) = wait_for(lambda: list(db["occurrences"].rows), timeout=60)
            finally:
                stop(proc)
    assert row["status"] == "aired" and row["output"].endswith("thon2") and row["output_kind"] == "pulse"
    assert np.abs(zone.samples().astype(np.int32)).max() > 1000
    assert np.abs(elsewhere.samples().astype(np.int32)).max() < 50


def test_a_failing_output_is_retried_within_grace(tmp_path):
    with PulseServer() as pulse:
        cli = StationCli(tmp_path / "home", {**pulse.env(), "NO_PROXY": "*"})
        for name, value in QUICK.items():
            cli.run("settings", "set", name, value)
        cli.run("settings", "set", "output_retry_s", "1")
        cli.add_approved("Thông báo", SHORT)
        when = cli.one_off_slot(8)
        proc = cli.start_station("pulse:cum_loa_moi")  # the zone's sink does not exist yet
        try:
            wait_for(lambda: datetime.now(STATION_TZ) > when + timedelta(seconds=2), timeout=30)
            pulse.add_sink("cum_loa_moi")  # the amplifier's sound card comes back
            db = connect(cli.home / "radio.db")
            (row,) = wait_for(lambda: list(db["occurrences"].rows), timeout=60)
        finally:
            stop(proc)
    assert row["status"] == "aired"
    assert "failed tries, the first at" in row["reason"]
    assert "could not play the programme: Cannot play to PulseAudio sink 'cum_loa_moi'" in row["reason"]
    started = datetime.fromisoformat(row["started_at"])
    assert timedelta(seconds=2) < started - when < timedelta(seconds=10)
