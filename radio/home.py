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
        for folder in (self.root, self.speech_cache, self.programmes, self.recordings, self.outputs):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def open_home(path: str | os.PathLike | None = None) -> Home:
    """The data directory at *path* (or the default), created on first use."""
    return Home(Path(path).expanduser() if path else default_home()).ensure()
