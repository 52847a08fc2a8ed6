"""A station joining the province network: its join file, kept in its data directory.

``radio link join --credentials CODE.creds`` checks the file the hub wrote
(:func:`radio.network.credentials.read_join`: the station's NATS user, the servers, the
province's public signing key) and keeps a copy at ``link/station.creds`` (mode 0600);
the daemon's link reads it from there. Joining again with another file replaces it.
"""

from __future__ import annotations

from pathlib import Path

from radio.errors import ValidationError
from radio.network.credentials import Join, read_join, write_private
from radio.store.home import Home

JOIN_FILE = Path("link") / "station.creds"


def join_path(home: Home) -> Path:
    return Path(home.root) / JOIN_FILE


def join(home: Home, credentials: Path) -> Join:
    """Keep the join file *credentials* as this station's.

    :raise ValidationError: the file cannot be read or is not a station join file.
    """
    try:
        text = Path(credentials).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Cannot read {credentials}: {getattr(exc, 'strerror', None) or exc}") from None
    joined = read_join(text)
    path = join_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    write_private(path, text)
    return joined


def joined(home: Home) -> Join | None:
    """This station's join, or None when it has not joined a province."""
    path = join_path(home)
    if not path.is_file():
        return None
    return read_join(path.read_text(encoding="utf-8"))
