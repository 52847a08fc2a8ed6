"""The hub's data directory (``RADIO_HUB_HOME``), apart from any station's.

Everything the province side owns lives here: ``hub.db`` (stations, provincial bulletins,
what was sent, and the projection of the streams) and ``authority/``, the province's
keys (:class:`radio.network.credentials.Authority`). Default: ``~/.local/share/radio-hub``
(or ``$XDG_DATA_HOME/radio-hub``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_hub_home() -> Path:
    if os.environ.get("RADIO_HUB_HOME"):
        return Path(os.environ["RADIO_HUB_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "radio-hub"


@dataclass(frozen=True)
class HubHome:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "hub.db"

    @property
    def authority(self) -> Path:
        """The province's keys (operator, accounts, hub user, bulletin signing key)."""
        return self.root / "authority"

    def exists(self) -> bool:
        """Whether a hub was made here (``radio hub init``): its keys are whole."""
        return (self.authority / "operator.nk").is_file()

    def ensure(self) -> "HubHome":
        """Create the directory (0700: it holds the province's keys) if it is missing."""
        if not self.root.exists():
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self


def hub_home(path: str | os.PathLike | None = None) -> HubHome:
    """The hub directory at *path* (or the default); nothing is created."""
    return HubHome(Path(path).expanduser() if path else default_hub_home())
