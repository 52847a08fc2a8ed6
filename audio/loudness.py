"""Loudness (ITU-R BS.1770 / EBU R128) measurement and normalisation.

Integrated loudness comes from pyloudnorm; true peak is the sample peak of
the signal oversampled 4× (BS.1770-4 annex 2) with a polyphase FIR from scipy
(which pyloudnorm itself depends on). AudioSegments are immutable: every
function returns a new segment.
"""

from __future__ import annotations

import numpy as np
from pydub import AudioSegment

# pyloudnorm and scipy are imported where they are used: scipy.signal alone is some
# 40 MB and a second of start-up, which an idle ``radio serve`` need not carry

OVERSAMPLE = 4
_BLOCK = 1 << 16  # samples per block for the oversampled peak (bounds memory)
_PAD = 64  # overlap between blocks so the filter has context at the edges
_GATE_S = 0.4  # pyloudnorm needs at least one 400 ms block


def to_float(segment: AudioSegment) -> np.ndarray:
    """Samples as float64 in [-1, 1], shape (frames, channels)."""
    samples = np.asarray(segment.get_array_of_samples(), dtype=np.float64)
    samples /= float(1 << (8 * segment.sample_width - 1))
    return samples.reshape(-1, segment.channels)


def from_float(samples: np.ndarray, like: AudioSegment) -> AudioSegment:
    """An int16 segment with ``like``'s rate and channels from float samples."""
    ints = np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2")
    return AudioSegment(ints.tobytes(), frame_rate=like.frame_rate, sample_width=2,
                        channels=like.channels)


def measure_lufs(segment: AudioSegment) -> float:
    """Integrated loudness in LUFS; ``-inf`` for silence or empty audio.

    Audio shorter than the 400 ms measuring block is looped to fill it, which
    leaves the loudness of a steady sound unchanged.
    """
    data = to_float(segment)
    if data.shape[0] == 0 or not np.any(data):
        return float("-inf")
    need = int(np.ceil(_GATE_S * segment.frame_rate)) + 1
    if data.shape[0] < need:
        data = np.tile(data, (int(np.ceil(need / data.shape[0])), 1))
    import pyloudnorm

    with np.errstate(divide="ignore"):
        value = pyloudnorm.Meter(segment.frame_rate).integrated_loudness(data)
    return float(value)


def _peak_envelope(data: np.ndarray) -> np.ndarray:
    """Per-frame true peak (linear): max |x| of the 4× oversampled signal around each frame."""
    from scipy.signal import resample_poly

    frames = data.shape[0]
    flat = np.abs(data).max(axis=1) if data.shape[1] > 1 else None
    envelope = np.zeros(frames)
    for start in range(0, frames, _BLOCK):
        lo, hi = max(0, start - _PAD), min(frames, start + _BLOCK + _PAD)
        count = min(_BLOCK, frames - start)
        for channel in range(data.shape[1]):
            up = np.abs(resample_poly(data[lo:hi, channel], OVERSAMPLE, 1))
            up = up[(start - lo) * OVERSAMPLE:(start - lo + count) * OVERSAMPLE]
            view = envelope[start:start + count]
            for phase in range(OVERSAMPLE):  # strided maxima: far faster than max(axis=1)
                np.maximum(view, up[phase::OVERSAMPLE], out=view)
    sample_peak = flat if flat is not None else np.abs(data[:, 0])
    return np.maximum(envelope, sample_peak)


def _true_peak(data: np.ndarray) -> float:
    if data.shape[0] == 0:
        return 0.0
    return float(_peak_envelope(data).max())


def true_peak_db(segment: AudioSegment) -> float:
    """True peak in dBTP (4× oversampled); ``-inf`` for silence."""
    peak = _true_peak(to_float(segment))
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def _limit(data: np.ndarray, envelope: np.ndarray, ceiling: float, rate: int) -> np.ndarray:
    """Look-ahead peak limiter: smooth gain so the true peak stays ≤ ``ceiling`` (linear).

    :param envelope: :func:`_peak_envelope` of ``data``.
    """
    if envelope.max() <= ceiling:
        return data
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    gain = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-12))
    width = max(3, int(rate * 0.005)) | 1  # 5 ms attack/release, odd for centring
    # Min-filter then box-average with the same width: the smoothed gain is
    # never above what any frame within reach needs, so peaks stay under.
    gain = uniform_filter1d(minimum_filter1d(gain, 2 * width + 1), width)
    return data * gain[:, None]


def normalize_loudness(segment: AudioSegment, target_lufs: float = -16.0,
                       max_true_peak_db: float = -1.0) -> AudioSegment:
    """Bring ``segment`` to ``target_lufs`` with its true peak ≤ ``max_true_peak_db``.

    Applies make-up gain, then a gentle look-ahead limiter where peaks would
    exceed the ceiling, and re-adjusts the gain since limiting lowers loudness.
    Silent or empty input is returned unchanged.

    :param target_lufs: integrated loudness target (in LUFS).
    :param max_true_peak_db: ceiling for the true peak (in dBTP).
    :return: a new 16-bit segment with the same rate and channels.
    """
    measured = measure_lufs(segment)
    if not np.isfinite(measured):
        return segment
    source = to_float(segment)
    # Aim a little under the ceiling: 16-bit rounding and the limiter's
    # estimate can each add a few hundredths of a dB.
    ceiling = 10 ** ((max_true_peak_db - 0.1) / 20)
    gain_db = target_lufs - measured
    envelope = _peak_envelope(source)  # scales with the gain: compute it once
    for _ in range(4):
        gain = 10 ** (gain_db / 20)
        out = _limit(source * gain, envelope * gain, ceiling, segment.frame_rate)
        result = from_float(out, segment)
        error = target_lufs - measure_lufs(result)
        if abs(error) < 0.2:
            break
        gain_db += error
    peak = _true_peak(to_float(result))
    if peak > ceiling:  # safety net: plain gain, never exceed the ceiling
        result = from_float(to_float(result) * (ceiling / peak), segment)
    return result
