"""Signal comparison helpers for tests: does a recording match what was played?"""

from __future__ import annotations

import numpy as np


def _as_float(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim > 1:
        x = x.mean(axis=1)
    return x.astype(np.float64)


def _trim(x: np.ndarray, rel: float = 0.01) -> np.ndarray:
    """Drop leading/trailing samples quieter than ``rel`` of the peak."""
    if x.size == 0:
        return x
    loud = np.flatnonzero(np.abs(x) > rel * np.abs(x).max())
    return x[loud[0]:loud[-1] + 1] if loud.size else x[:0]


def _xcorr(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    size = 1 << (len(a) + len(b) - 1).bit_length()
    corr = np.fft.irfft(np.fft.rfft(a, size) * np.conj(np.fft.rfft(b, size)), size)
    lags = np.arange(size)
    lags[lags > size // 2] -= size  # corr[k] = sum a[k+i]*b[i]; negatives wrap
    return corr, lags


def xcorr_similarity(a: np.ndarray, b: np.ndarray, *, min_overlap: float = 0.9) -> float:
    """Peak of the normalised cross-correlation of ``a`` and ``b`` (0..1).

    Leading/trailing near-silence is trimmed from both; then the shorter is
    slid along the longer and, at each lag where at least ``min_overlap`` of
    it overlaps, the correlation coefficient of the overlapping parts is
    computed. Returns the best one: > 0.9 means the recording matches.
    Codec padding (MP3) or a late-joining listener therefore do not matter,
    but a recording of only part of the sound scores low unless it is the
    shorter one. Uses FFTs, so minutes of audio are cheap.
    """
    a, b = _trim(_as_float(a)), _trim(_as_float(b))
    if len(a) < len(b):
        a, b = b, a
    if len(b) == 0:
        return 0.0
    corr, lags = _xcorr(a, b)
    ca = np.concatenate([[0.0], np.cumsum(a * a)])
    cb = np.concatenate([[0.0], np.cumsum(b * b)])
    b_lo = np.clip(-lags, 0, len(b))  # overlap in b's indices
    b_hi = np.clip(len(a) - lags, 0, len(b))
    overlap = b_hi - b_lo
    ea = ca[np.clip(lags + b_hi, 0, len(a))] - ca[np.clip(lags + b_lo, 0, len(a))]
    eb = cb[b_hi] - cb[b_lo]
    score = corr / np.sqrt(np.maximum(ea, 1e-12) * np.maximum(eb, 1e-12))
    score[overlap < min_overlap * len(b)] = 0.0
    return float(np.clip(np.max(np.abs(score)), 0.0, 1.0))


def best_lag(a: np.ndarray, b: np.ndarray) -> int:
    """Offset (in samples) at which ``b`` best matches inside ``a`` (no trimming)."""
    corr, lags = _xcorr(_as_float(a), _as_float(b))
    return int(lags[int(np.argmax(corr))])



def _silences(x: np.ndarray, shortest_s: float, level: int, rate: int) -> list[tuple[int, int]]:
    """(start, end) of each run of near-silence (|sample| ≤ ``level``) of ``shortest_s`` or more."""
    quiet = (np.abs(np.asarray(x).astype(np.int32)) <= level).astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], quiet, [0]])))
    return [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b - a >= shortest_s * rate]


def without_silences(x: np.ndarray, *, shortest_s: float = 0.01, level: int = 30,
                     rate: int = 44100) -> np.ndarray:
    """``x`` with every run of near-silence of ``shortest_s`` or more cut out.

    A player that ran dry for a moment inserted silence into what the sink heard;
    cutting the silences out of both the recording and the programme lets the two be
    compared for content: nothing lost, nothing garbled.
    """
    keep = np.ones(len(x), dtype=bool)
    for start, end in _silences(x, shortest_s, level, rate):
        keep[start:end] = False
    return np.asarray(x)[keep]


def inner_silence_s(x: np.ndarray, *, shortest_s: float = 0.01, level: int = 30,
                    rate: int = 44100) -> float:
    """Seconds of near-silence between the first and the last sound of ``x``, in runs of ``shortest_s`` or more."""
    runs = _silences(x, shortest_s, level, rate)
    inner = [(a, b) for a, b in runs if a > 0 and b < len(x)]
    return sum(b - a for a, b in inner) / rate
