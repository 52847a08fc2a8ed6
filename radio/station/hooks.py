"""Amplifier hooks: a command before each programme and one after, always.

The after-hook runs in a ``finally`` so an amplifier is never left on, and
each hook has a timeout so a stuck relay script cannot hold the station.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("radio.station.hooks")


def run_hook(name: str, command: str, timeout_s: float, env: dict | None = None) -> dict:
    """Run one hook; return its outcome (never raises)."""
    started = time.monotonic()
    outcome = {"hook": name, "command": command}
    try:
        done = subprocess.run(
            shlex.split(command), capture_output=True, text=True, timeout=timeout_s, env=env
        )
        outcome.update(exit_code=done.returncode, ok=done.returncode == 0,
                       output=(done.stdout + done.stderr).strip()[-300:])
    except subprocess.TimeoutExpired:
        outcome.update(ok=False, error=f"timed out after {timeout_s:g} s")
    except (OSError, ValueError) as exc:
        outcome.update(ok=False, error=str(exc))
    outcome["seconds"] = round(time.monotonic() - started, 3)
    if not outcome["ok"]:
        log.warning("%s hook failed: %s", name, outcome.get("error") or outcome.get("output"))
    return outcome


@contextmanager
def amplifier(settings: dict, outcomes: list[dict], env: dict | None = None) -> Iterator[None]:
    """Before-hook, body, after-hook with try/finally semantics; outcomes are appended."""
    if settings["hook_before"]:
        outcomes.append(run_hook("before", settings["hook_before"], settings["hook_timeout_s"], env))
    try:
        yield
    finally:
        if settings["hook_after"]:
            outcomes.append(run_hook("after", settings["hook_after"], settings["hook_timeout_s"], env))
