"""Shared bits of the speech benchmarks: data files, normalisation, timing."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(DATA.parent.parent))  # run from a checkout without installing


def read_data(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def normalizer():
    """``content.normalize.normalize``, or exit with a clear message."""
    try:
        from content.normalize import normalize
    except ImportError as error:
        sys.exit(f"content.normalize is not available yet ({error})")
    return normalize


def median_seconds(action, runs: int) -> float:
    """Median wall time of ``runs`` calls of ``action`` after one warm-up."""
    action()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)
