"""Cueing a programme on an output: the slow set-up before the instant, only sound at the start.

How much a cue takes off the start is measured, not asserted here:
benchmarks/station_start_accuracy.py and benchmarks/output_start_latency.py.
"""

import threading
import time
import wave
from datetime import datetime

import numpy as np
import pytest

from audio.outputs import OutputError, open_output
from audio.outputs.base import BaseOutput, Pcm, PlayResult, Progress, pace_writes
from audio.outputs.file import FileOutput
from tests.support.signal import xcorr_similarity

from .conftest import sweep, write_samples
from .test_file_output import FakeClock, make_output


def recordings(tmp_path):
    folder = tmp_path / "aired"
    return sorted(folder.glob("*.wav")) if folder.is_dir() else []


def test_a_cued_file_plays_as_play_does(tmp_path, sweep_wav):
    path, samples = sweep_wav
    clock = FakeClock()
    output = make_output(tmp_path, clock)
    started = []
    with output.cue(path) as cued:
        assert recordings(tmp_path) == []  # nothing is written before the start
        result = cued.start(threading.Event(), on_start=lambda: started.append(clock()))
    assert result.completed and result.frames_played == len(samples)
    assert started == [100.0]
    with wave.open(str(output.last_path)) as wav:
        assert np.array_equal(np.frombuffer(wav.readframes(wav.getnframes()), "<i2"), samples)


def test_a_cue_left_unstarted_leaves_no_recording(tmp_path, sweep_wav):
    output = make_output(tmp_path, FakeClock())
    with output.cue(sweep_wav[0]):
        pass
    assert recordings(tmp_path) == []


def test_a_cue_is_started_once(tmp_path, sweep_wav):
    output = make_output(tmp_path, FakeClock())
    cued = output.cue(sweep_wav[0])
    cued.start(threading.Event())
    with pytest.raises(RuntimeError):
        cued.start(threading.Event())


def test_what_cannot_be_read_or_made_fails_at_the_cue(tmp_path, sweep_wav):
    with pytest.raises(OutputError, match="Cannot read"):
        make_output(tmp_path, FakeClock()).cue(tmp_path / "missing.wav")
    (tmp_path / "blocked").write_text("a file where the folder should be")
    with pytest.raises(OutputError, match="Cannot create output directory"):
        FileOutput(tmp_path / "blocked" / "aired", now=lambda: datetime(2026, 5, 1)).cue(sweep_wav[0])


class PlayOnly(BaseOutput):
    """An output with only play(): its cue plays through it at the start."""

    name = "play-only"

    def __init__(self):
        self.calls = []

    def play(self, wav_path, stop, on_start=None, progress=None):
        self.calls.append((wav_path, progress))
        if on_start:
            on_start()
        return PlayResult(10, 10, True, 0.0)


def test_an_output_with_only_play_is_cued_through_it(tmp_path):
    output, progress, started = PlayOnly(), Progress(), []
    with output.cue(tmp_path / "programme.wav", progress) as cued:
        assert output.calls == []
        result = cued.start(threading.Event(), on_start=lambda: started.append(1))
    assert result.completed and started == [1]
    assert output.calls == [(tmp_path / "programme.wav", progress)]


@pytest.mark.e2e
@pytest.mark.realtime  # what reaches the sink, sample by sample: alone
def test_a_cued_sink_is_connected_and_silent_until_the_start(pulse, sweep_wav):
    path, samples = sweep_wav
    rec, progress = pulse.record("radio_out"), Progress()
    try:
        with open_output("pulse:radio_out").cue(path, progress) as cued:
            players = [p.proc for p in cued.players]
            assert all(p.poll() is None for p in players)  # running and connected
            time.sleep(0.5)
            before = time.monotonic()
            result = cued.start(threading.Event())
        time.sleep(0.25)
    finally:
        rec.stop()
    assert result.completed and result.frames_played == len(samples)
    assert progress.breaks == 0  # a stream waiting for its first sound has not run dry
    assert all(p.poll() is not None for p in players)
    first = rec.first_sound_monotonic(threshold=200)
    assert first is not None and first >= before - 0.05  # nothing was heard while cued
    assert xcorr_similarity(rec.samples(), samples) > 0.9


@pytest.mark.e2e
def test_a_cued_sink_left_unstarted_ends_its_players(pulse, sweep_wav):
    rec = pulse.record("radio_out")
    try:
        with open_output("pulse:radio_out,zone2").cue(sweep_wav[0]) as cued:
            players = [p.proc for p in cued.players]
        time.sleep(0.25)
    finally:
        rec.stop()
    assert len(players) == 2 and all(p.poll() is not None for p in players)
    assert rec.first_sound_monotonic(threshold=200) is None


@pytest.mark.e2e
def test_a_missing_sink_fails_at_the_cue(pulse, sweep_wav):
    with pytest.raises(OutputError, match="no_such_sink"):
        open_output("pulse:radio_out,no_such_sink").cue(sweep_wav[0])


@pytest.mark.e2e
@pytest.mark.realtime  # what reaches the sink, sample by sample: alone
def test_a_cued_device_plays_at_the_start(pulse, sweep_wav):
    path, samples = sweep_wav
    rec = pulse.record("radio_out")
    try:
        with open_output("device").cue(path) as cued:
            result = cued.start(threading.Event())
        time.sleep(0.25)
    finally:
        rec.stop()
    assert result.completed and result.frames_played == len(samples)
    assert xcorr_similarity(rec.samples(), samples) > 0.9


@pytest.mark.e2e
@pytest.mark.realtime  # what reaches the sink, sample by sample: alone
def test_a_cued_stream_reaches_a_listener(icecast, tmp_path):
    samples = sweep(4.0)
    path = write_samples(tmp_path / "sweep.wav", samples)
    results = {}
    cued = open_output(icecast.source_url).cue(path)
    player = threading.Thread(target=lambda: results.update(r=cued.start(threading.Event())))
    player.start()
    icecast.wait_for_source()
    listener = icecast.listen()
    player.join(15)
    listener.wait(15)
    assert results["r"].completed and results["r"].frames_played == len(samples)
    assert xcorr_similarity(listener.samples(), samples) > 0.9


@pytest.mark.e2e
def test_an_unreachable_server_fails_at_the_cue(sweep_wav):
    with pytest.raises(OutputError, match="unreachable"):
        open_output("icecast://source:pw@127.0.0.1:9/radio").cue(sweep_wav[0])


class StepClock:
    """A monotonic clock that moves only when slept on."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += max(seconds, 0.0)


def test_a_preroll_writes_silence_then_the_programme_and_starts_at_its_instant():
    samples = sweep(1.0)
    pcm = Pcm(samples.tobytes(), 44100, 1)
    clock, sent, starts, progress = StepClock(), [], [], Progress()
    played, started, finished = pace_writes(pcm, sent.append, threading.Event(), clock=clock,
                                            wait=clock.sleep, progress=progress, lead_ms=300,
                                            preroll_s=0.2, on_start=lambda: starts.append(clock()))
    out = np.frombuffer(b"".join(sent), "<i2")
    assert len(sent[0]) == 2 * int(0.3 * 44100)  # the first write: the silence and 0.1 s of sound
    assert not out[:int(0.2 * 44100)].any() and np.array_equal(out[int(0.2 * 44100):], samples)
    assert started == pytest.approx(100.2) and starts == [pytest.approx(100.2, abs=0.011)]
    assert finished and played == pcm.frames and progress.seconds == pytest.approx(1.0)


def test_a_stop_during_the_preroll_plays_nothing():
    pcm = Pcm(sweep(1.0).tobytes(), 44100, 1)
    clock, stop, starts = StepClock(), threading.Event(), []

    def sleep(seconds):
        clock.sleep(seconds)
        if clock() >= 100.1:
            stop.set()

    played, started, finished = pace_writes(pcm, lambda data: None, stop, clock=clock, wait=sleep,
                                            lead_ms=300, preroll_s=0.5, on_start=lambda: starts.append(1))
    assert (played, started, finished, starts) == (0, None, False, [])


def test_a_cue_without_preroll_waits_for_its_instant_and_a_stop_meanwhile_plays_nothing(tmp_path, sweep_wav):
    output = make_output(tmp_path, FakeClock())
    stop = threading.Event()
    threading.Timer(0.05, stop.set).start()
    with output.cue(sweep_wav[0]) as cued:
        assert cued.start(stop, lead_s=5.0) is None
    assert recordings(tmp_path) == []


@pytest.mark.e2e
def test_a_cued_sink_started_ahead_plays_from_its_instant(pulse, sweep_wav):
    path, samples = sweep_wav
    rec, progress, starts = pulse.record("radio_out"), Progress(), []
    try:
        with open_output("pulse:radio_out").cue(path, progress) as cued:
            before = time.monotonic()
            result = cued.start(threading.Event(), on_start=lambda: starts.append(time.monotonic()),
                                lead_s=0.5)
        time.sleep(0.25)
    finally:
        rec.stop()
    assert result.completed and result.frames_played == len(samples) and progress.breaks == 0
    assert result.started_at_monotonic == pytest.approx(before + 0.5, abs=0.05)
    assert len(starts) == 1 and starts[0] >= result.started_at_monotonic
    assert rec.first_sound_monotonic(threshold=200) > before + 0.4  # the silence came first
    assert xcorr_similarity(rec.samples(), samples) > 0.9
