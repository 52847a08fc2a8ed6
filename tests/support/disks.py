"""Real disk faults for tests (root only): a small tmpfs to fill, a read-only folder."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path


def can_mount() -> bool:
    return os.geteuid() == 0


@contextlib.contextmanager
def mounted_tmpfs(path: Path, *, size: str = "1m", read_only: bool = False) -> Iterator[Path]:
    """Mount a tmpfs of *size* at *path* (created), read-only if asked; unmount after."""
    path.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def fill(disk: Path, name: str = "filler") -> Path:
    """Write zeros to *disk* until it is full; delete the returned file to free it."""
    filler = disk / name
    with open(filler, "ab", buffering=0) as fh:
        for block in (4096, 1):  # whole blocks, then the last bytes
            try:
                while True:
                    fh.write(b"\0" * block)
            except OSError:
                pass
    return filler
