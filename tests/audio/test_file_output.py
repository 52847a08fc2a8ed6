import threading
import wave
from datetime import datetime

import numpy as np
import pytest

from audio.outputs.file import FileOutput


class FakeClock:
    """A clock that only moves when slept on; can set ``stop`` at a given time."""

    def __init__(self, stop_at=None, stop=None):
        self.now, self.stop_at, self.stop, self.sleeps = 100.0, stop_at, stop, 0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps += 1
        if self.stop_at is not None and self.now + seconds >= self.stop_at:
            self.now = self.stop_at
            self.stop.set()
        else:
            self.now += seconds


def make_output(tmp_path, clock):
    return FileOutput(tmp_path / "aired", clock=clock, sleep=clock.sleep,
                      now=lambda: datetime(2026, 5, 1, 6, 30, 0))


def test_writes_valid_wav_of_full_length_in_fake_time(tmp_path, sweep_wav):
    path, samples = sweep_wav
    clock = FakeClock()
    output = make_output(tmp_path, clock)
    started = []
    result = output.play(path, threading.Event(), on_start=lambda: started.append(clock()))
    assert result.completed and result.error is None
    assert result.frames_played == len(samples)
    assert result.seconds_played == pytest.approx(3.0)
    assert started == [100.0] and result.started_at_monotonic == 100.0
    assert clock.now == pytest.approx(103.0, abs=0.06)  # paced: took 3 s of (fake) time
    assert clock.sleeps >= 55  # in ~50 ms chunks
    assert output.last_path == tmp_path / "aired" / "20260501T063000-sweep.wav"
    with wave.open(str(output.last_path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 44100)
        written = np.frombuffer(wav.readframes(wav.getnframes()), "<i2")
    assert np.array_equal(written, samples)


def test_stop_midway_gives_partial_valid_wav(tmp_path, sweep_wav):
    path, samples = sweep_wav
    stop = threading.Event()
    clock = FakeClock(stop_at=101.234, stop=stop)
    output = make_output(tmp_path, clock)
    result = output.play(path, stop)
    assert not result.completed
    assert result.frames_played == pytest.approx(int(1.234 * 44100), abs=2)
    assert result.frames_played < len(samples)
    with wave.open(str(output.last_path)) as wav:
        assert wav.getnframes() == result.frames_played
        assert np.array_equal(np.frombuffer(wav.readframes(wav.getnframes()), "<i2"),
                              samples[:result.frames_played])


def test_real_time_default_stops_promptly(tmp_path, sweep_wav):
    path, _ = sweep_wav
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    result = FileOutput(tmp_path).play(path, stop)
    assert not result.completed
    assert 0.15 < result.seconds_played < 0.45


# -- the recording is checked at the end, before "aired" ----------

class DeletingClock(FakeClock):
    """Runs *act* once, when the play has got *at_s* seconds in."""

    def __init__(self, at_s, act):
        super().__init__()
        self.at, self.act = 100.0 + at_s, act

    def sleep(self, seconds):
        super().sleep(seconds)
        if self.act and self.now >= self.at:
            self.act, act = None, self.act
            act()


def test_folder_deleted_mid_play_is_not_a_play(tmp_path, sweep_wav):
    import shutil

    from audio.outputs.file import RECORDING_MISSING

    path, _ = sweep_wav
    clock = DeletingClock(1.0, lambda: shutil.rmtree(tmp_path / "aired"))
    output = make_output(tmp_path, clock)
    result = output.play(path, threading.Event())
    assert not (tmp_path / "aired").exists()  # the writes went on into a file with no name
    assert not result.completed and result.frames_played == 0
    assert result.error == f"{RECORDING_MISSING} ({output.last_path})"


def test_recording_cut_or_replaced_mid_play_is_not_complete(tmp_path, sweep_wav):
    from audio.outputs.file import RECORDING_DIFFERS

    path, samples = sweep_wav

    def replace():
        (recording,) = (tmp_path / "aired").glob("*.wav")
        recording.unlink()
        with wave.open(str(recording), "wb") as other:  # same name, other sound
            other.setnchannels(1), other.setsampwidth(2), other.setframerate(44100)
            other.writeframes(b"\0\1" * len(samples))

    output = make_output(tmp_path, DeletingClock(1.0, replace))
    result = output.play(path, threading.Event())
    assert not result.completed and result.frames_played == len(samples)
    assert result.error == f"{RECORDING_DIFFERS} ({output.last_path})"
