"""Giving freed heap back to the system (glibc ``malloc_trim``).

glibc keeps memory freed by a long-lived, many-threaded process in its arenas
(one per thread) rather than returning it; after an airing or a big admin page
the server's RSS stays at its high-water mark. ``malloc_trim(0)`` returns the
free pages of every arena; it is cheap when there is nothing to return, so the
daemon calls it after each proof-keeper pass (every 30 s).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger("radio.station.memory")

_libc = None


def trim() -> bool:
    """Return free heap to the system; False where the C library has no ``malloc_trim``."""
    global _libc
    if _libc is None:
        name = ctypes.util.find_library("c")
        try:
            _libc = ctypes.CDLL(name) if name else False
        except OSError:
            _libc = False
    trim_fn = getattr(_libc, "malloc_trim", None) if _libc else None
    if trim_fn is None:
        return False
    return bool(trim_fn(0))
