"""The station data directory (``RADIO_HOME``).

Everything a station owns lives here, outside the source tree: the database,
``radio.toml``, rendered speech, assembled programmes, recordings and outputs.
Default: ``~/.local/share/radio`` (or ``$XDG_DATA_HOME/radio``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_home() -> Path:
    if os.environ.get("RADIO_HOME"):
        return Path(os.environ["RADIO_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "radio"


@dataclass(frozen=True)
class Home:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "radio.db"

    @property
    def settings_file(self) -> Path:
        return self.root / "radio.toml"

    @property
    def speech_cache(self) -> Path:
        return self.root / "speech"

    @property
    def programmes(self) -> Path:
        return self.root / "programmes"

    def programme(self, key: str) -> Path:
        """The assembled programme of the log entry *key*; outputs name what they play after it."""
        return self.programmes / f"{key.replace(':', '-').replace('@', '_')}.wav"

    @property
    def recordings(self) -> Path:
        return self.root / "recordings"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    @property
    def lock_file(self) -> Path:
        return self.root / "station.lock"

    def ensure(self) -> "Home":
        """Create the folders that are missing; a new data directory is private (0700),
        since it holds password hashes and the admin's secret key."""
        if not self.root.exists():
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        for folder in (self.speech_cache, self.programmes, self.recordings, self.outputs):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def create_private(path: Path) -> bool:
    """Create *path* as an empty file readable by its owner only (0600); ``False`` if it exists.

    The mode is given to ``open(2)`` rather than set by changing the umask,
    which is process-wide and would race with the daemon's threads.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def make_private(*paths: Path) -> None:
    """Remove group and other permissions from the files we own among *paths*
    (POSIX only: Windows has no such mode bits)."""
    if os.name != "posix":
        return
    for path in paths:
        try:
            info = path.stat()
            if info.st_mode & 0o077 and info.st_uid == os.getuid():
                path.chmod(info.st_mode & 0o700)
        except FileNotFoundError:
            continue


def open_home(path: str | os.PathLike | None = None) -> Home:
    """The data directory at *path* (or the default), created on first use."""
    return Home(Path(path).expanduser() if path else default_home()).ensure()
