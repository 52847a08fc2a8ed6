"""Synthesised "human readings" for recording tests: a voiced tone in any container ffmpeg writes."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np

RATE = 44100


def tone_wav(path: Path, seconds: float = 1.5, amplitude: int = 6000, freq: float = 330.0) -> Path:
    """A mono 44.1 kHz tone with a slow swell, standing in for a voice."""
    t = np.arange(int(seconds * RATE)) / RATE
    swell = 0.5 + 0.5 * np.sin(2 * np.pi * 1.5 * t)
    samples = (np.sin(2 * np.pi * freq * t) * swell * amplitude).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return path


def tone_file(path: Path, seconds: float = 1.5) -> Path:
    """The tone encoded by ffmpeg into the container *path*'s extension names (.mp3, .ogg, .m4a...)."""
    if path.suffix == ".wav":
        return tone_wav(path, seconds)
    source = tone_wav(path.with_name(path.stem + "-source.wav"), seconds)
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(source), str(path)],
                   check=True)
    source.unlink()
    return path
