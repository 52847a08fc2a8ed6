"""Small WAV helpers shared by the engines."""

from __future__ import annotations

import wave
from pathlib import Path

from .base import EngineError


def check_wav(path: Path, engine: str) -> None:
    """Raise :class:`EngineError` unless ``path`` is a non-empty 16-bit mono WAV."""
    try:
        with wave.open(str(path), "rb") as wav:
            frames = wav.getnframes()
            width = wav.getsampwidth()
            channels = wav.getnchannels()
    except (OSError, EOFError, wave.Error) as error:
        raise EngineError(f"{engine}: produced no readable WAV ({error})") from None
    if frames == 0:
        raise EngineError(f"{engine}: produced an empty WAV")
    if width != 2 or channels != 1:
        raise EngineError(
            f"{engine}: produced a {8 * width}-bit {channels}-channel WAV, "
            "expected 16-bit mono"
        )
