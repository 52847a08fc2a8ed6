"""The hub itself: its directory, database, the province's authority and the servers' addresses.

``init_hub`` makes one (the directory, ``hub.db``, the authority's keys); ``open_hub``
opens it for every other command and for ``radio hub serve``. A :class:`Hub` holds one
database connection; :meth:`Hub.close` ends it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from sqlite_utils import Database

from radio.errors import NotFoundError, StateError, ValidationError
from radio.hub.home import HubHome, hub_home
from radio.hub.schema import migrations
from radio.network.cluster import ServerConfig, write_nats_configs
from radio.network.credentials import Authority
from radio.store.connection import connect, write
from radio.store.fields import clean_line

SCHEMES = ("nats", "tls")
DEFAULT_PORT = 4222
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\]")


class HubLockedError(StateError):
    """Another process of this hub is applying the streams (``radio hub serve`` runs)."""


def parse_server(text: str) -> str:
    """A server's client address as a NATS URL: ``nats://host:port`` (``tls://`` kept).

    Takes ``host:port`` or ``nats://host[:port]`` / ``tls://host[:port]`` (port 4222 by default).
    :raise ValidationError: anything else.
    """
    raw = str(text).strip()
    url = raw if "://" in raw else f"nats://{raw}"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (parts is None or parts.scheme not in SCHEMES or not parts.hostname or parts.path not in ("", "/")
            or parts.query or parts.fragment or parts.username or parts.password
            or not _HOST.fullmatch(parts.netloc.rsplit(":", 1)[0] if port else parts.netloc)
            or ("://" not in raw and port is None) or (port is not None and not 1 <= port <= 65535)):
        raise ValidationError(f"server {raw[:60]!r}: give nats://HOST:PORT (or tls://HOST:PORT, or HOST:PORT)")
    host = parts.netloc.rsplit(":", 1)[0] if port else parts.netloc
    return f"{parts.scheme}://{host}:{port or DEFAULT_PORT}"


def parse_host(text: str) -> str:
    """A host name or address the servers listen on and clients dial. :raise ValidationError: not one."""
    host = str(text).strip()
    if not _HOST.fullmatch(host):
        raise ValidationError(f"host {host[:60]!r}: give a host name or an IP address")
    return host


def parse_servers(text: str) -> list[str]:
    """``URL,URL,...`` as NATS URLs, in order, each once."""
    servers = [parse_server(part) for part in str(text).split(",") if part.strip()]
    if not servers:
        raise ValidationError("give at least one server: nats://HOST:PORT[,nats://HOST:PORT...]")
    return list(dict.fromkeys(servers))


class Hub:
    """An open hub: ``home``, ``db``, ``authority`` and the clock every command takes the time from."""

    def __init__(self, home: HubHome, db: Database, authority: Authority, *, clock):
        self.home, self.db, self.authority, self.clock = home, db, authority, clock
        self._lock_fd: int | None = None

    @property
    def province(self) -> str:
        return self.authority.name

    @property
    def servers(self) -> list[str]:
        """The servers' client URLs that join files name and the hub connects to."""
        row = self.db.execute("SELECT value FROM hub_settings WHERE name = 'servers'").fetchone()
        return json.loads(row[0]) if row else []

    def set_servers(self, servers: list[str], *, tls_ca: Path | None = None) -> None:
        """Record the servers' URLs, and the certificate the hub trusts them by (``tls://``; none: the system's)."""
        with write(self.db):
            self.db["hub_settings"].upsert({"name": "servers", "value": json.dumps(list(servers))}, pk="name")
            if tls_ca is None:
                self.db.execute("DELETE FROM hub_settings WHERE name = 'tls_ca'")
            else:
                self.db["hub_settings"].upsert({"name": "tls_ca", "value": json.dumps(str(tls_ca))}, pk="name")

    @property
    def tls_ca(self) -> Path | None:
        """The servers' certificate the hub trusts besides the system's authorities (from ``nats-config``)."""
        row = self.db.execute("SELECT value FROM hub_settings WHERE name = 'tls_ca'").fetchone()
        return Path(json.loads(row[0])) if row else None

    def lock(self) -> None:
        """Be the one process applying the streams to this hub (``serve``, ``rebuild``, ``apply``).

        The projection applies each station's messages in stream order; two appliers would
        share the hub's consumer and each see half. A kernel lock on the directory.
        :raise HubLockedError: another holds it.
        """
        if self._lock_fd is not None:
            return
        fd = os.open(self.home.root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise HubLockedError(f"Another process (radio hub serve?) is applying the streams to {self.home.root}; "
                                 "stop it first, or let it do the work.") from None
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def close(self) -> None:
        self.unlock()
        self.db.conn.close()


def write_server_configs(hub: Hub, *, servers: int, base_port: int, directory, host: str = "127.0.0.1",
                         max_file_store: str | None = None, tls_cert: Path | None = None,
                         tls_key: Path | None = None) -> list[ServerConfig]:
    """Write the cluster's ``nats-1.conf`` … in *directory* (:func:`write_nats_configs`) and
    record their client URLs as the hub's servers; the layout.

    With *tls_cert* and *tls_key* clients connect over TLS (``tls://``), and the hub trusts
    that certificate as well as the system's authorities (a province's own, self-signed, works).
    """
    if not str(directory).strip():
        raise ValidationError("--dir needs a folder for the servers' files.")
    for given in (tls_cert, tls_key):
        if given is not None and not Path(given).is_file():
            raise ValidationError(f"{given}: no such file (a PEM certificate and its key).")
    layout = write_nats_configs(hub.authority, servers=servers, base_port=base_port, dir=directory,
                                host=parse_host(host), max_file_store=max_file_store, tls_cert=tls_cert,
                                tls_key=tls_key)
    hub.set_servers([server.url for server in layout], tls_ca=Path(tls_cert).resolve() if tls_cert else None)
    return layout


def open_db(home: HubHome) -> Database:
    """``hub.db`` (made 0600 and migrated on first use)."""
    return connect(home.database, schema=migrations)


def open_hub(path=None, *, clock) -> Hub:
    """The hub at *path* (default ``$RADIO_HUB_HOME``); :raise NotFoundError: none there."""
    home = hub_home(path)
    if not home.exists():
        raise NotFoundError(f"No hub in {home.root}: run radio hub init first (or give --hub-home DIR).")
    return Hub(home, open_db(home), Authority.open(home.authority), clock=clock)


def init_hub(path=None, *, clock, name: str | None = None, servers: list[str] | None = None) -> tuple[Hub, bool]:
    """Make the hub at *path* (directory, database, the province's keys), or open the one there.

    :param name: the province's name, written into its keys once; an existing hub keeps
        its own (:class:`StateError` if another is given).
    :param servers: the servers' client URLs to record (replacing those recorded).
    :return: the hub, and whether it was made now.
    """
    name = clean_line(name, "Province name", max_chars=120) if name is not None else ""
    home = hub_home(path).ensure()
    created = not home.exists()
    if created:
        authority = Authority.create(home.authority, name=name or "province")
    else:
        authority = Authority.open(home.authority)
        if name and name != authority.name:
            raise StateError(f"The hub in {home.root} is province {authority.name!r}; its name is in its keys "
                             "and cannot change. Use another --hub-home for another province.")
    hub = Hub(home, open_db(home), authority, clock=clock)
    if servers is not None:
        hub.set_servers(servers)
    return hub, created
