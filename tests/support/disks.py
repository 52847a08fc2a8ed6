"""Real disk faults for tests (root only): small tmpfs mounts to fill, read-only file systems."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def can_mount() -> bool:
    return os.geteuid() == 0


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise OSError(f"mount {' '.join(args)}: {done.stderr.strip()}")


@contextlib.contextmanager
def mounted_tmpfs(path: Path, *, size: str = "1m", read_only: bool = False) -> Iterator[Path]:
    """Mount a tmpfs of *size* at *path* (created), read-only if asked; unmount after."""
    path.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size}" + (",ro" if read_only else ""), "tmpfs", str(path))
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@contextlib.contextmanager
def tmpfs(path: Path, size_kb: int) -> Iterator[Path]:
    """Like :func:`mounted_tmpfs`, but skips the test when mounting is not allowed."""
    if not can_mount():
        pytest.skip("mounting a tmpfs needs root")
    try:
        with mounted_tmpfs(path, size=f"{size_kb}k") as mounted:
            yield mounted
    except OSError as exc:
        if "mount " in str(exc):
            pytest.skip(str(exc))
        raise


def read_only(path: Path) -> None:
    """Remount the tmpfs at *path* read-only (root ignores file modes, not this)."""
    _mount("-o", "remount,ro", str(path))


def fill(disk: Path, name: str = "filler") -> Path:
    """Write zeros to *disk* until it is full, to the last byte; delete the returned file
    (or call :func:`empty`) to free it."""
    filler = disk / name
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


def empty(path: Path) -> None:
    """Undo :func:`fill`."""
    (path / "filler").unlink(missing_ok=True)
