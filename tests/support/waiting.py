"""Waiting on a condition instead of sleeping a fixed time."""

from __future__ import annotations

import time


def wait_until(predicate, timeout_s: float = 5.0) -> bool:
    """Poll ``predicate`` until it is true or ``timeout_s`` passes; its last answer."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def until(predicate, timeout_s: float = 30.0) -> None:
    """Like :func:`wait_until`, failing the test when the condition never holds."""
    if not wait_until(predicate, timeout_s):
        raise AssertionError("condition not met in time")
