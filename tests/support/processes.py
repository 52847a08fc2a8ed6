"""Ending the helper servers the tests start (pulseaudio, icecast2, recorders)."""

from __future__ import annotations

import subprocess


def end(proc: subprocess.Popen | None, timeout_s: float = 5.0) -> None:
    """Terminate *proc*; kill it if it has not exited within *timeout_s*."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
