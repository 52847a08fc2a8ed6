"""Real small, full and read-only file systems (tmpfs mounts) for fault tests; root only."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise OSError(f"mount {' '.join(args)}: {done.stderr.strip()}")


@contextlib.contextmanager
def tmpfs(path: Path, size_kb: int):
    """Mount a tmpfs of *size_kb* at *path* (skips the test when mounting is not allowed)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path))
    except OSError as exc:
        pytest.skip(str(exc))
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def read_only(path: Path) -> None:
    """Remount the tmpfs at *path* read-only (root ignores file modes, not this)."""
    _mount("-o", "remount,ro", str(path))


def fill(path: Path) -> None:
    """Fill the file system holding *path* to the last byte."""
    fd = os.open(path / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)


def empty(path: Path) -> None:
    """Undo :func:`fill`."""
    (path / "filler").unlink(missing_ok=True)
