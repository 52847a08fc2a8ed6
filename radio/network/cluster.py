"""The province's NATS servers: their configuration files, and a helper that runs them.

:func:`write_nats_configs` writes ``nats-1.conf`` … ``nats-N.conf`` for ``nats-server -c``:
one JetStream cluster (``server_name`` nats-i, cluster ``radio-province``), each server
with its client, cluster and monitoring port and its JetStream store under the same
directory. Authorisation is NATS's decentralised mode: the operator's JWT, ``resolver:
MEMORY`` with the system and province accounts preloaded, and ``system_account``. No user
is named in them, so issuing a station's credentials changes nothing here.

Ports for ``base_port=P`` and server i (counted from 0): clients ``P+i``, routes
``P+2000+i``, monitoring ``P+4000+i`` (4222, 6222, 8222 for P=4222, as NATS's defaults).

:class:`Servers` starts such servers as child processes (tests, benchmarks, the demo),
waits until every server has JetStream up and they agree on a meta leader, and stops or
kills them, one by one too.
"""

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from radio.errors import RadioError, ValidationError

CLUSTER_NAME = "radio-province"
CLUSTER_OFFSET = 2000
MONITOR_OFFSET = 4000


@dataclass(frozen=True)
class ServerConfig:
    """One server of the cluster as written: its name, file, ports and JetStream store."""

    name: str
    path: Path
    host: str
    client_port: int
    cluster_port: int
    monitor_port: int
    store_dir: Path
    tls: bool = False

    @property
    def url(self) -> str:
        """The address clients connect to (``tls://`` when the server requires TLS)."""
        return f"{'tls' if self.tls else 'nats'}://{self.host}:{self.client_port}"

    @property
    def monitor_url(self) -> str:
        return f"http://{self.host}:{self.monitor_port}"


def _quoted(value: str | os.PathLike) -> str:
    return json.dumps(str(value))


def write_nats_configs(authority, servers: int = 3, base_port: int = 4222, dir: str | os.PathLike = ".", *,
                       host: str = "127.0.0.1", cluster_name: str = CLUSTER_NAME,
                       max_file_store: str | None = None, tls_cert: str | os.PathLike | None = None,
                       tls_key: str | os.PathLike | None = None) -> list[ServerConfig]:
    """Write ``dir/nats-1.conf`` … ``nats-<servers>.conf`` for ``authority``'s province; their layout.

    ``authority`` is a :class:`radio.network.credentials.Authority` (anything with
    ``operator_jwt``, ``system_account`` and ``preload()``). ``host`` is where every port
    listens and what the routes and returned URLs name. With one server there is no
    cluster block (JetStream runs alone, streams have one replica). ``max_file_store``
    (e.g. ``"20G"``) caps each server's JetStream disk; by default the server takes its own.
    ``tls_cert`` and ``tls_key`` (PEM files, both or neither) make every client connection TLS,
    as stations joining over the internet need; routes between the servers stay plain (the
    servers share the province's own network).
    """
    if servers < 1:
        raise ValidationError("a province needs at least one NATS server")
    if (tls_cert is None) != (tls_key is None):
        raise ValidationError("TLS needs both a certificate and its key")
    tls = ""
    if tls_cert is not None:
        tls = (f"tls {{\n  cert_file: {_quoted(Path(tls_cert).resolve())}\n"
               f"  key_file: {_quoted(Path(tls_key).resolve())}\n  timeout: 5\n}}\n\n")
    if not (0 < base_port and base_port + MONITOR_OFFSET + servers - 1 <= 65535):
        raise ValidationError(f"base port {base_port}: its ports would run past 65535")
    directory = Path(dir).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    layout = [ServerConfig(name=f"nats-{i + 1}", path=directory / f"nats-{i + 1}.conf", host=host,
                           client_port=base_port + i, cluster_port=base_port + CLUSTER_OFFSET + i,
                           monitor_port=base_port + MONITOR_OFFSET + i, store_dir=directory / f"store-{i + 1}",
                           tls=bool(tls))
              for i in range(servers)]
    preload = "\n".join(f"  {account}: {_quoted(jwt)}" for account, jwt in authority.preload().items())
    for server in layout:
        store = f"  store_dir: {_quoted(server.store_dir)}"
        if max_file_store:
            store += f"\n  max_file_store: {max_file_store}"
        cluster = ""
        if servers > 1:
            routes = "\n".join(f"    {_quoted(f'nats-route://{host}:{other.cluster_port}')}"
                               for other in layout if other is not server)
            cluster = (f"cluster {{\n  name: {_quoted(cluster_name)}\n  host: {_quoted(host)}\n"
                       f"  port: {server.cluster_port}\n  routes: [\n{routes}\n  ]\n}}\n\n")
        server.path.write_text(
            f"# {server.name} of {servers}: written by radio; nats-server -c {server.path.name}\n"
            f"server_name: {_quoted(server.name)}\n"
            f"host: {_quoted(host)}\nport: {server.client_port}\n"
            f"http: {_quoted(f'{host}:{server.monitor_port}')}\n\n"
            f"{tls}"
            f"jetstream {{\n{store}\n}}\n\n"
            f"{cluster}"
            "# decentralised authorisation: users are JWTs signed by the province account,\n"
            "# checked against the preloaded account JWTs; none is listed here\n"
            f"operator: {_quoted(authority.operator_jwt)}\n"
            f"system_account: {authority.system_account}\n"
            "resolver: MEMORY\n"
            f"resolver_preload: {{\n{preload}\n}}\n",
            encoding="utf-8")
    return layout


def free_base_port(servers: int = 3, *, low: int = 10000, high: int = 28000, tries: int = 200) -> int:
    """A base port whose client, cluster and monitoring ports (see the module) are all free now."""
    for _ in range(tries):
        base = random.randrange(low, high)
        ports = [base + offset + i for offset in (0, CLUSTER_OFFSET, MONITOR_OFFSET) for i in range(servers)]
        if all(_free(port) for port in ports):
            return base
    raise RadioError(f"no free run of ports for {servers} NATS servers between {low} and {high}")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def nats_server_binary() -> str | None:
    """The ``nats-server`` on PATH (the Debian package puts it in /usr/sbin), or None."""
    return shutil.which("nats-server") or next(
        (p for p in ("/usr/sbin/nats-server", "/usr/bin/nats-server") if os.access(p, os.X_OK)), None)


class ServersError(RadioError):
    """The NATS servers did not start, or JetStream did not become ready in time."""


class Servers:
    """``nats-server -c`` processes for a layout from :func:`write_nats_configs`.

    ``with Servers(layout) as servers: ...`` starts them all and waits for JetStream;
    leaving stops them. :meth:`kill` (SIGKILL) and :meth:`stop` (SIGTERM) take one index,
    :meth:`start` brings one back. Each server's output goes to ``nats-i.log`` beside its
    configuration.
    """

    def __init__(self, layout: list[ServerConfig], *, binary: str | None = None):
        self.layout = list(layout)
        self.binary = binary or nats_server_binary()
        if not self.binary:
            raise ServersError("nats-server is not installed (Debian package nats-server)")
        self.processes: list[subprocess.Popen | None] = [None] * len(self.layout)

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.layout]

    def log(self, index: int) -> Path:
        return self.layout[index].path.with_suffix(".log")

    def __enter__(self) -> "Servers":
        try:
            self.start_all()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self, index: int) -> None:
        """Start server ``index`` (from 0) if it is not running; returns at once."""
        process = self.processes[index]
        if process is not None and process.poll() is None:
            return
        server = self.layout[index]
        with open(self.log(index), "ab") as log:
            self.processes[index] = subprocess.Popen([self.binary, "-c", str(server.path)], stdout=log,
                                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def start_all(self, timeout: float = 60.0) -> float:
        """Start every server and wait until JetStream is ready; the seconds it took."""
        began = time.monotonic()
        for index in range(len(self.layout)):
            self.start(index)
        self.wait_ready(timeout=timeout)
        return time.monotonic() - began

    def running(self) -> list[int]:
        return [i for i, p in enumerate(self.processes) if p is not None and p.poll() is None]

    def wait_ready(self, timeout: float = 60.0, *, indices: list[int] | None = None, assets: bool = False) -> None:
        """Until each running server (or those in ``indices``) has JetStream up and they agree on a meta leader.

        With ``assets`` also until every stream and consumer replica on them is current (the
        full ``/healthz``). nats-server 2.9.10 may leave a consumer replica on a server
        restarted after a kill "not current" until the consumer next sees traffic, so a
        restart is waited for without ``assets``.
        """
        indices = self.running() if indices is None else indices
        health = "/healthz" if assets else "/healthz?js-enabled-only=true"
        deadline = time.monotonic() + timeout
        last = "not asked yet"
        while time.monotonic() < deadline:
            for index in indices:
                if self.processes[index] is None or self.processes[index].poll() is not None:
                    raise ServersError(f"{self.layout[index].name} exited: {self._tail(index)}")
            try:
                leaders = {self._leader(index) for index in indices}
                if all(self._healthy(index, health) for index in indices) and len(leaders) == 1 and None not in leaders:
                    return
                last = f"meta leaders seen: {sorted(map(str, leaders))}"
            except (OSError, ValueError) as exc:
                last = str(exc)
            time.sleep(0.1)
        raise ServersError(f"JetStream not ready after {timeout:.0f} s ({last})")

    def _get(self, index: int, path: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.layout[index].monitor_url + path, timeout=2) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def _healthy(self, index: int, path: str) -> bool:
        return self._get(index, path)[0] == 200

    def _leader(self, index: int) -> str | None:
        status, jsz = self._get(index, "/jsz")
        if len(self.layout) == 1:
            return self.layout[index].name if status == 200 and not jsz.get("disabled") else None
        return (jsz.get("meta_cluster") or {}).get("leader") or None

    def _tail(self, index: int, lines: int = 5) -> str:
        try:
            return " | ".join(self.log(index).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, index: int, timeout: float = 10.0) -> None:
        """Stop server ``index`` with SIGTERM (SIGKILL if it lingers past ``timeout``)."""
        self._end(index, signal.SIGTERM, timeout)

    def kill(self, index: int) -> None:
        """Kill server ``index`` at once (SIGKILL): a crash, not a shutdown."""
        self._end(index, signal.SIGKILL, 10.0)

    def _end(self, index: int, sig: int, timeout: float) -> None:
        process = self.processes[index]
        if process is None or process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)

    def close(self) -> None:
        """Stop every server this helper started."""
        for index in range(len(self.layout)):
            self.stop(index)
