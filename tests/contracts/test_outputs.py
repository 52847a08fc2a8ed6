"""One contract every output meets (audio.outputs), run over each of them: a file, a
PulseAudio sink and the sound device (both through a private PulseAudio's null sink,
recorded from its monitor) and an Icecast mount (a private icecast2, decoded by a listener).

The promises the station's air path builds on:

- it plays what it was given: the listener (the file, the sink's monitor, the stream)
  gets those samples, and the result counts every frame as played;
- it reports progress as it goes: ``on_start`` once at the first sample, a
  :class:`~audio.outputs.base.Progress` that moves with the clock and ends where the
  result does;
- a stop is prompt and the result says how much was heard;
- an output that cannot play raises :class:`~audio.outputs.OutputError` at once, with a
  message naming the output;
- it closes cleanly: no player process, open file or server stream is left behind, and
  the same output plays again.
"""

from __future__ import annotations

import threading
import time
import wave
from pathlib import Path

import numpy as np
import psutil
import pytest

from audio.outputs import OutputError, open_output
from audio.outputs.base import BaseOutput, Progress
from audio.outputs.file import FileOutput
from tests.audio.conftest import sweep, write_samples
from tests.support.icecast import IcecastServer, free_port, icecast_available
from tests.support.pulse import PulseServer, pulse_available
from tests.support.signal import xcorr_similarity

RATE = 44100


# -- the servers, one each for this suite (package scope, like tests/audio's) ----------------
@pytest.fixture(scope="package")
def pulse_server():
    if not pulse_available():
        pytest.skip("PulseAudio tools (pulseaudio, pacat, parecord, pactl) are not installed")
    with PulseServer(("radio_out",)) as server:
        yield server


@pytest.fixture(scope="package")
def icecast_server():
    if not icecast_available():
        pytest.skip("icecast2 or ffmpeg is not installed")
    with IcecastServer() as server:
        yield server


# -- one rig per output: how to build it, break it and hear what it played ----------------------
class OutputRig:
    """An output to test, the listener that hears it and what it may leave behind."""

    #: a play short enough to keep the suite quick, long enough for a late listener
    seconds = 2.0

    def output(self) -> BaseOutput:
        raise NotImplementedError

    def broken(self) -> tuple[BaseOutput, str]:
        """An output of this kind that cannot play, and what its error must name."""
        raise NotImplementedError

    def before_play(self) -> None:
        """Start listening before the first sample (nothing by default)."""

    def after_start(self) -> None:
        """Start listening once the output plays (for a listener that needs a live source)."""

    def heard(self, output: BaseOutput) -> np.ndarray:
        """What the listener got, after the play."""
        raise NotImplementedError

    def streams(self) -> int:
        """Streams the output holds open on its server (0 for a server-less output)."""
        return 0

    def listener_pids(self) -> set[int]:
        return set()

    def exact(self) -> bool:
        """Whether the listener gets the very samples (no codec, no mixing in between)."""
        return False


class FileRig(OutputRig):
    def __init__(self, tmp_path: Path):
        self.directory = tmp_path / "aired"

    def output(self):
        return FileOutput(self.directory)

    def broken(self):
        blocker = self.directory.parent / "not-a-folder"
        blocker.write_text("a file where the folder should be")
        return FileOutput(blocker / "aired"), "not-a-folder"

    def heard(self, output):
        with wave.open(str(output.last_path), "rb") as wav:
            return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")

    def exact(self):
        return True


class PulseRig(OutputRig):
    spec = "pulse:radio_out"
    seconds = 3.0  # a fresh null sink holds its first block back: more to correlate

    def __init__(self, pulse: PulseServer):
        self.pulse = pulse
        self.recorder = None

    def output(self):
        return open_output(self.spec)

    def broken(self):
        return open_output("pulse:no_such_sink"), "no_such_sink"

    def before_play(self):
        self.recorder = self.pulse.record("radio_out")

    def heard(self, output):
        time.sleep(0.25)  # the monitor's last chunks
        self.recorder.stop()
        return self.recorder.samples()

    def streams(self):
        return len(self.pulse._pactl("list", "short", "sink-inputs").stdout.splitlines())

    def listener_pids(self):
        return {self.recorder._proc.pid} if self.recorder else set()


class DeviceRig(PulseRig):
    spec = "device"

    def output(self):
        # PortAudio scans the sound devices when first loaded; paid here, not in the play
        from audio.outputs.device import _sounddevice

        _sounddevice()
        return open_output(self.spec)

    def broken(self):
        return open_output("device:no such card"), "no such card"


class IcecastRig(OutputRig):
    seconds = 3.0  # the listener joins a few hundred ms late

    def __init__(self, icecast: IcecastServer):
        self.icecast = icecast
        self.listener = None

    def output(self):
        return open_output(self.icecast.source_url)

    def broken(self):
        port = free_port()  # nothing listens there
        return open_output(f"icecast://source:secret@127.0.0.1:{port}/radio"), f"127.0.0.1:{port}"

    def after_start(self):
        self.icecast.wait_for_source()
        self.listener = self.icecast.listen()

    def heard(self, output):
        self.listener.wait(15)  # the stream ends when the source leaves
        return self.listener.samples()

    def listener_pids(self):
        return {self.listener._proc.pid} if self.listener else set()


@pytest.fixture(params=[
    pytest.param("file", id="file"),
    # realtime: what reaches a real sink, and how long it took (scripts/test runs these alone)
    pytest.param("pulse", id="pulse", marks=[pytest.mark.e2e, pytest.mark.realtime]),
    pytest.param("device", id="device", marks=[pytest.mark.e2e, pytest.mark.realtime]),
    pytest.param("icecast", id="icecast", marks=[pytest.mark.e2e, pytest.mark.realtime]),
])
def rig(request, tmp_path, monkeypatch):
    if request.param == "file":
        return FileRig(tmp_path)
    if request.param == "icecast":
        return IcecastRig(request.getfixturevalue("icecast_server"))
    pulse = request.getfixturevalue("pulse_server")
    monkeypatch.setenv("PULSE_SERVER", pulse.server)
    monkeypatch.delenv("PULSE_SINK", raising=False)
    return (PulseRig if request.param == "pulse" else DeviceRig)(pulse)


@pytest.fixture
def programme(rig, tmp_path):
    samples = sweep(rig.seconds)
    return write_samples(tmp_path / "programme.wav", samples), samples


class Play:
    """One play on a thread, as the station's worker runs it, watched from the test."""

    def __init__(self, rig: OutputRig, output: BaseOutput, path: Path, *, stop_after_s: float | None = None,
                 progress: Progress | None = None):
        self.rig, self.output, self.path, self.progress = rig, output, path, progress
        self.stop = threading.Event()
        self.started_at: list[float] = []
        self.stopped_at: float | None = None
        self.stop_after_s = stop_after_s
        self.result = self.error = None
        self.returned_at = None
        self.children_before = _children()

    def _on_start(self):
        self.started_at.append(time.monotonic())
        if self.stop_after_s is not None:
            threading.Timer(self.stop_after_s, self._stop).start()

    def _stop(self):
        self.stopped_at = time.monotonic()
        self.stop.set()

    def _run(self):
        try:
            self.result = self.output.play(self.path, self.stop, on_start=self._on_start, progress=self.progress)
        except BaseException as error:  # handed to the test thread
            self.error = error
        self.returned_at = time.monotonic()

    def run(self, *, watch=None):
        self.rig.before_play()
        thread = threading.Thread(target=self._run)
        thread.start()
        deadline = time.monotonic() + 10
        while not self.started_at and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        if self.started_at:
            self.rig.after_start()
            if watch:
                watch(self)
        thread.join(self.rig.seconds + 15)
        assert not thread.is_alive(), "play() did not return"
        if self.error:
            raise self.error
        return self.result


def _children() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True) if p.status() != psutil.STATUS_ZOMBIE}


# -- the promises --------------------------------------------------------------------------
def test_plays_what_it_was_given_and_reports_progress_as_it_plays(rig, programme):
    # one play for both promises: on a real sink each play is seconds of real time
    path, samples = programme
    progress = Progress()
    seen = []

    def watch(play):
        time.sleep(1.0)
        seen.append(progress.seconds)

    play = Play(rig, rig.output(), path, progress=progress)
    result = play.run(watch=watch)
    assert result.completed and result.error is None, result
    assert result.frames_played == len(samples) and result.sample_rate == RATE
    assert len(play.started_at) == 1  # on_start once, at the first sample
    assert 0.5 < seen[0] < 1.5  # a second in, about a second played (the clock, not the file)
    assert progress.seconds == pytest.approx(result.seconds_played, abs=0.05)
    assert result.seconds_played == pytest.approx(rig.seconds, abs=0.05)
    assert progress.stalls == []
    heard = rig.heard(play.output)
    if rig.exact():
        assert np.array_equal(heard, samples)
    else:
        assert xcorr_similarity(heard, samples) > 0.9


def test_a_stop_is_prompt_and_says_what_was_heard(rig, programme):
    path, samples = programme
    play = Play(rig, rig.output(), path, stop_after_s=0.8)
    result = play.run()
    assert not result.completed and result.frames_played < len(samples)
    assert 0.5 < result.seconds_played < 1.2, result
    assert play.returned_at - play.stopped_at < 0.5  # what the station's stop button waits for
    rig.heard(play.output)


def test_an_output_that_cannot_play_raises_output_error_naming_it(rig, programme):
    path, _ = programme
    output, named = rig.broken()
    began = time.monotonic()
    with pytest.raises(OutputError) as raised:
        output.play(path, threading.Event())
    assert named in str(raised.value)
    assert time.monotonic() - began < 6  # a slot must not wait long to learn it cannot air
    assert _children() - Play(rig, output, path).children_before == set()


def test_audio_it_cannot_read_is_an_output_error(rig, tmp_path):
    garbage = tmp_path / "not-audio.wav"
    garbage.write_bytes(b"RIFF but not a wave at all" * 10)
    with pytest.raises(OutputError, match="not-audio.wav"):
        rig.output().play(garbage, threading.Event())


def test_closes_cleanly_and_plays_again(rig, programme, tmp_path):
    path, samples = programme
    output = rig.output()
    streams_before = rig.streams()
    for stop_after in (0.5, None):  # a stopped play, then a whole one, on the same output
        play = Play(rig, output, path, stop_after_s=stop_after)
        result = play.run()
        assert result.completed is (stop_after is None)
        rig.heard(output)
        deadline = time.monotonic() + 2
        while True:  # the server drops a closed stream within moments
            left = _children() - play.children_before - rig.listener_pids()
            streams = rig.streams()
            if (not left and streams == streams_before) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert left == set(), [psutil.Process(pid).cmdline() for pid in left]
        assert streams == streams_before
        assert [f.path for f in psutil.Process().open_files() if f.path.startswith(str(tmp_path))] == []
    assert result.frames_played == len(samples)


def test_every_output_kind_is_under_this_contract():
    """A new output in audio/outputs joins the rigs above before it can air."""
    import importlib
    import pkgutil

    import audio.outputs

    kinds = set()
    for module in pkgutil.iter_modules(audio.outputs.__path__):
        loaded = importlib.import_module(f"audio.outputs.{module.name}")
        kinds |= {obj for obj in vars(loaded).values()
                  if isinstance(obj, type) and issubclass(obj, BaseOutput) and obj is not BaseOutput}
    from audio.outputs.device import DeviceOutput
    from audio.outputs.icecast import IcecastOutput
    from audio.outputs.pulse import PulseOutput

    assert kinds == {FileOutput, PulseOutput, DeviceOutput, IcecastOutput}
