import threading

import pytest

from audio.outputs import BaseOutput, OutputError, open_output
from audio.outputs.base import PlayResult, read_pcm
from audio.outputs.device import DeviceOutput
from audio.outputs.file import FileOutput
from audio.outputs.icecast import IcecastOutput
from audio.outputs.pulse import PulseOutput


@pytest.mark.parametrize("spec, cls, name", [
    ("device", DeviceOutput, "device:default"),
    ("device:default", DeviceOutput, "device:default"),
    ("device:USB Audio", DeviceOutput, "device:USB Audio"),
    ("pulse:radio_out", PulseOutput, "pulse:radio_out"),
    ("pulse:zone1,zone2", PulseOutput, "pulse:zone1,zone2"),
    ("pulse:", PulseOutput, "pulse:default"),
    ("file:/tmp/aired", FileOutput, "file:/tmp/aired"),
    ("icecast://source:secret@127.0.0.1:8000/radio", IcecastOutput, "icecast://127.0.0.1:8000/radio"),
])
def test_open_output_parses(spec, cls, name):
    output = open_output(spec)
    assert isinstance(output, cls) and isinstance(output, BaseOutput)
    assert output.name == name
    assert "secret" not in repr(output)


def test_zones_are_split():
    assert open_output("pulse:zone1, zone2").sinks == ["zone1", "zone2"]


@pytest.mark.parametrize("spec", ["", "speaker", "file:", "http://x/radio", "pulse:,", "alsa:hw0"])
def test_unknown_spec_lists_forms(spec):
    with pytest.raises(ValueError, match="pulse:SINK"):
        open_output(spec)


def test_bad_icecast_url():
    with pytest.raises(ValueError, match="icecast://source:PASSWORD@host:port/mount"):
        open_output("icecast://host:8000")


def test_unreachable_icecast_fails_fast(sweep_wav):
    import socket
    import time

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    output = open_output(f"icecast://source:x@127.0.0.1:{port}/radio")
    started = time.monotonic()
    with pytest.raises(OutputError, match="unreachable"):
        output.play(sweep_wav[0], threading.Event())
    assert time.monotonic() - started < 1.0


def test_play_result_seconds():
    assert PlayResult(22050, 44100, False, None, None).seconds_played == 0.5
    assert PlayResult(0, 0, False).seconds_played == 0.0


def test_read_pcm_converts_other_formats(tmp_path):
    from pydub.generators import Sine

    path = tmp_path / "x.mp3"
    Sine(440).to_audio_segment(duration=500).export(str(path), format="mp3")
    pcm = read_pcm(path)
    assert pcm.sample_rate == 44100 and pcm.frames > 20000
    with pytest.raises(OutputError, match="missing.wav"):
        read_pcm(tmp_path / "missing.wav")
