"""A province for tests, on a real three-server NATS JetStream cluster: made by hand from
:func:`radio.network.write_nats_configs` (:func:`start_province`: a new authority, its
streams (R3) and the stations' consumers), or through ``radio hub`` (:class:`HubProvince`)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from pathlib import Path

import nats
from click.testing import CliRunner

from radio.cli import cli
from radio.network import (
    Authority,
    Servers,
    ServersError,
    ensure_station_consumer,
    ensure_streams,
    free_base_port,
    write_nats_configs,
)


class Province:
    def __init__(self, root: Path, authority: Authority, layout, servers: Servers, started_in: float):
        self.root, self.authority, self.layout, self.servers, self.started_in = (
            root, authority, layout, servers, started_in)
        self.configs = {s.path: s.path.read_bytes() for s in layout}

    def join(self, code: str) -> Path:
        """The join file station ``code`` is given (a new user each time), on disk."""
        path = self.root / f"{code}-{uuid.uuid4().hex[:6]}.creds"
        path.write_text(self.authority.join_file(code, self.servers.urls), encoding="utf-8")
        return path

    def close(self) -> None:
        self.servers.close()


def start_province(root: Path, *, stations=(), name: str = "Tỉnh Thử") -> Province:
    """A three-server cluster of a new province, its streams (R3) and ``stations``' consumers."""
    authority = Authority.create(root / "keys", name=name)
    for attempt in range(3):  # a free port taken by another test between the probe and the bind
        layout = write_nats_configs(authority, servers=3, base_port=free_base_port(3), dir=root / f"nats-{attempt}")
        servers = Servers(layout)
        began = time.monotonic()
        try:
            servers.start_all(timeout=60)
        except ServersError:
            servers.close()
            if attempt == 2:
                raise
            continue
        province = Province(root, authority, layout, servers, time.monotonic() - began)
        break

    async def setup():
        hub = await connect_hub(province)
        try:
            js = hub.jetstream()
            await ensure_streams(js, replicas=3)
            for code in stations:
                await ensure_station_consumer(js, code)
        finally:
            await hub.close()

    try:
        run(setup())
    except BaseException:
        province.servers.close()
        raise
    return province


def run(coroutine, timeout: float = 90):
    return asyncio.run(asyncio.wait_for(coroutine, timeout))


async def connect_hub(province: Province):
    return await nats.connect(province.servers.urls, user_credentials=str(province.authority.hub_creds_path),
                              connect_timeout=5, reconnect_time_wait=0.2, max_reconnect_attempts=-1)


class HubProvince:
    """A province made through ``radio hub``: the hub's directory, its CLI and its running servers."""

    def __init__(self, root):
        self.root = root
        self.env = {"RADIO_HUB_HOME": str(root / "hub")}
        self.servers: Servers | None = None

    def radio(self, *args, code: int = 0):
        result = CliRunner().invoke(cli, ["hub", *args], env=self.env, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    def start(self) -> "Province":
        self.radio("init", "--name", "Tỉnh Thử")
        for attempt in range(3):  # a free port taken by another test between the probe and the bind
            base, directory = free_base_port(3), self.root / f"nats-{attempt}"
            shown = self.radio("nats-config", "--servers", "3", "--base-port", str(base), "--dir", str(directory)).output
            assert f"nats-server -c {directory / 'nats-1.conf'}" in shown
            # the same files again, for their layout: nothing in them changes
            layout = write_nats_configs(Authority.open(self.root / "hub" / "authority"), servers=3, base_port=base,
                                        dir=directory)
            self.servers = Servers(layout)
            try:
                self.servers.start_all(timeout=60)
                return self
            except Exception:
                self.servers.close()
                if attempt == 2:
                    raise
        return self

    def status(self) -> dict:
        return json.loads(self.radio("status", "--json").stdout)

    def close(self):
        if self.servers is not None:
            self.servers.close()
