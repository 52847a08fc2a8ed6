"""IcecastOutput to a private icecast2, decoded by an ffmpeg listener."""

import threading

import pytest

from audio.outputs import OutputError, open_output
from tests.support.signal import xcorr_similarity

from .conftest import sweep, write_samples

pytestmark = [pytest.mark.e2e, pytest.mark.realtime]  # how long a stream played


def test_stream_reaches_a_listener(icecast, tmp_path):
    samples = sweep(4.0)
    path = write_samples(tmp_path / "sweep.wav", samples)
    results = {}
    player = threading.Thread(target=lambda: results.update(
        r=open_output(icecast.source_url).play(path, threading.Event())))
    player.start()
    icecast.wait_for_source()
    listener = icecast.listen()
    player.join(15)
    listener.wait(15)
    result = results["r"]
    assert result.completed and result.frames_played == len(samples)
    heard = listener.samples()
    # the listener joins late (burst-size 0): a few hundred ms, and 1.9 s once when the
    # listener's ffmpeg started cold
    assert len(heard) > 1.5 * 44100
    assert xcorr_similarity(heard, samples) > 0.9


def test_stop_midway(icecast, sweep_wav):
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    result = open_output(icecast.source_url).play(sweep_wav[0], stop)
    assert not result.completed and 0.4 < result.seconds_played < 0.9


def test_wrong_password_is_an_output_error_without_the_password(icecast, sweep_wav):
    url = icecast.source_url.replace(f":{icecast.password}@", ":WrongPass@")
    with pytest.raises(OutputError, match="401") as info:
        open_output(url).play(sweep_wav[0], threading.Event())
    assert "WrongPass" not in str(info.value)
