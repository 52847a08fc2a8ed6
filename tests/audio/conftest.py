"""Fixtures for audio tests: synthesised WAVs, a private PulseAudio, a private Icecast."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from tests.support.icecast import IcecastServer, icecast_available
from tests.support.pulse import PulseServer, pulse_available

RATE = 44100


def write_samples(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    """Write int16 mono samples as a WAV."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.asarray(samples, dtype="<i2").tobytes())
    return path


def sweep(seconds: float, rate: int = RATE, amplitude: int = 8000) -> np.ndarray:
    """A rising frequency sweep: never repeats, so cross-correlation finds one alignment."""
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * (200 * t + 150 * t * t)) * amplitude).astype("<i2")


@pytest.fixture
def sweep_wav(tmp_path) -> tuple[Path, np.ndarray]:
    """A 3 s sweep WAV and its samples."""
    samples = sweep(3.0)
    return write_samples(tmp_path / "sweep.wav", samples), samples


# package scope: shared by the audio tests, stopped when they are done (its busy null
# sinks would otherwise take CPU through every later end-to-end test)
@pytest.fixture(scope="package")
def pulse_server():
    if not pulse_available():
        pytest.skip("PulseAudio tools (pulseaudio, pacat, parecord, pactl) are not installed")
    with PulseServer(("radio_out", "zone2")) as server:
        yield server


@pytest.fixture
def pulse(pulse_server, monkeypatch) -> PulseServer:
    """The private PulseAudio, with PULSE_SERVER set for outputs in this process."""
    monkeypatch.setenv("PULSE_SERVER", pulse_server.server)
    monkeypatch.delenv("PULSE_SINK", raising=False)
    return pulse_server


@pytest.fixture(scope="package")
def icecast():
    if not icecast_available():
        pytest.skip("icecast2 or ffmpeg is not installed")
    with IcecastServer() as server:
        yield server
