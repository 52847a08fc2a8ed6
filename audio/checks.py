"""Checks that a piece of audio is fit to air: audible, and as long as expected."""

from __future__ import annotations

import numpy as np
from pydub import AudioSegment

#: Length of the windows (in ms) whose RMS level decides audibility.
WINDOW_MS = 50


class SilentAudioError(ValueError):
    """The audio is silent, or too short to be heard.

    :param label: what was checked (a file path or a label).
    :param reason: why it was rejected.
    """

    def __init__(self, label: object, reason: str = "is silent"):
        self.label = str(label)
        self.reason = reason
        super().__init__(f"Audio {self.label!r} {reason}. Render or record it again.")

    def __reduce__(self):  # raised in a helper process (audio.worker), pickled to the caller
        return type(self), (self.label, self.reason)


class TruncatedAudioError(ValueError):
    """The audio is shorter (or longer) than expected: a cut-off render or file."""


def loudest_window_dbfs(segment: AudioSegment, window_ms: int = WINDOW_MS) -> float:
    """RMS level (in dBFS) of the loudest ``window_ms`` window; ``-inf`` if silent."""
    samples = np.asarray(segment.get_array_of_samples(), dtype=np.float64)
    if samples.size == 0:
        return float("-inf")
    samples /= float(1 << (8 * segment.sample_width - 1))
    window = max(1, int(segment.frame_rate * segment.channels * window_ms / 1000))
    usable = samples.size - samples.size % window
    blocks = samples[:usable].reshape(-1, window) if usable else samples.reshape(1, -1)
    rms = float(np.sqrt((blocks**2).mean(axis=1)).max())
    return 20 * np.log10(rms) if rms > 0 else float("-inf")


def check_audible(segment: AudioSegment, *, min_duration_ms: int = 300,
                  silence_thresh_dbfs: float = -50.0, label: str = "") -> None:
    """Raise :class:`SilentAudioError` unless ``segment`` can be heard.

    :param min_duration_ms: shorter audio (in ms) is rejected as inaudible.
    :param silence_thresh_dbfs: audio whose loudest 50 ms window has an RMS
        level below this (in dBFS) counts as silent.
    :param label: names the audio in the error message (e.g. its path).
    :raise SilentAudioError: if it is too short or silent.
    """
    if len(segment) < min_duration_ms:
        raise SilentAudioError(label, f"is only {len(segment)} ms long (minimum {min_duration_ms} ms)")
    level = loudest_window_dbfs(segment)
    if level < silence_thresh_dbfs:
        raise SilentAudioError(
            label, f"is silent (loudest 50 ms at {level:.1f} dBFS, threshold {silence_thresh_dbfs} dBFS)")


def check_length(segment: AudioSegment, expected_ms: int, tolerance_ms: int) -> None:
    """Raise :class:`TruncatedAudioError` unless ``len(segment)`` is ``expected_ms`` ± ``tolerance_ms``."""
    actual_ms = len(segment)
    if abs(actual_ms - expected_ms) > tolerance_ms:
        raise TruncatedAudioError(
            f"Audio is {actual_ms} ms long, expected {expected_ms} ± {tolerance_ms} ms.")
