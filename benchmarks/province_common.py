"""What the province benchmarks share: a hub made through ``radio hub``, its NATS servers,
stations registered with their own join files, and link-only stations (the station's real
link code, :class:`radio.link.Link`, on a migrated station database, without a daemon) run
many to a process.

Not a benchmark itself; ``province_fanout.py``, ``province_faults.py`` and ``link_cost.py``
import it.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from radio.network import Authority, Servers, ServersError, free_base_port, write_nats_configs  # noqa: E402

RADIO = [sys.executable, "-m", "radio"]
TEXT = "Bão số 9 sắp đổ bộ, bà con chằng chống nhà cửa, không ra khơi."


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def code_of(n: int) -> str:
    return f"XA-{n:04d}"


class Province:
    """A hub in ``root/hub`` (``radio hub init`` and ``nats-config``) and its running servers."""

    def __init__(self, root: Path, servers: int = 3):
        self.root, self.count = Path(root), servers
        self.env = {**os.environ, "RADIO_HUB_HOME": str(self.root / "hub"), "NO_PROXY": "*"}
        self.servers: Servers | None = None
        self.layout = None

    def hub(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        done = subprocess.run([*RADIO, "hub", *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise RuntimeError(f"radio hub {' '.join(args)} failed: {done.stdout}{done.stderr}")
        return done

    def start(self) -> "Province":
        self.hub("init", "--name", "Tỉnh Thử")
        for attempt in range(3):  # a port taken between the probe and the bind
            base, directory = free_base_port(self.count), self.root / f"nats-{attempt}"
            self.hub("nats-config", "--servers", str(self.count), "--base-port", str(base), "--dir", str(directory))
            # the same files again, for their layout: nothing in them changes
            self.layout = write_nats_configs(Authority.open(self.root / "hub" / "authority"), servers=self.count,
                                             base_port=base, dir=directory)
            self.servers = Servers(self.layout)
            try:
                self.servers.start_all(timeout=60)
                return self
            except ServersError:
                self.servers.close()
                if attempt == 2:
                    raise
        return self

    def add_stations(self, codes: list[str]) -> dict[str, Path]:
        """Register *codes* (each with its join file in ``root/creds``) and make their consumers now.

        Through the library: a hundred ``radio hub station add`` would take minutes of
        interpreter starts; the rows, files and consumers are the same.
        """
        from radio.clock import SystemClock
        from radio.hub import add_station, open_hub
        from radio.hub.servers import connect, prepare, run

        hub = open_hub(self.root / "hub", clock=SystemClock())
        folder = self.root / "creds"
        folder.mkdir(exist_ok=True)
        try:
            files = {}
            for code in codes:
                files[code] = folder / f"{code}.creds"
                add_station(hub, code, name=f"Xã {code}", join_path=files[code], now=hub.clock.now())

            async def consumers():
                nc = await connect(hub)
                try:
                    await prepare(hub, nc.jetstream(timeout=10))
                finally:
                    await nc.close()

            run(hub, consumers(), timeout=300)
        finally:
            hub.close()
        return files

    def send(self, cls: str = "khan-cap", to: str = "all", text: str = TEXT, title: str = "Cảnh báo bão",
             check: bool = True) -> subprocess.CompletedProcess:
        return self.hub("send", "--class", cls, "--to", to, "--title", title, "--text", text,
                        "--by", "Nguyễn Văn A", check=check)

    def status(self) -> dict:
        return json.loads(self.hub("status", "--json").stdout)

    def serve(self, log: Path) -> subprocess.Popen:
        return subprocess.Popen([*RADIO, "hub", "serve"], env=self.env, stdout=open(log, "ab"),
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def close(self) -> None:
        if self.servers is not None:
            self.servers.close()


def stop_process(proc: subprocess.Popen | None, sig=signal.SIGTERM, timeout: float = 20) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


# -- link-only stations ----------------------------------------------------------------------------
def link_home(root: Path, code: str) -> Path:
    return Path(root) / "links" / code


def prepare_link_station(root: Path, code: str, creds: Path) -> Path:
    """A migrated station database for *code*, joined with *creds*; its data directory."""
    from radio.link.joining import join
    from radio.store.home import Home
    from tests.support.database import seed_database

    home = link_home(root, code)
    seed_database(home / "radio.db")  # a byte copy of a freshly migrated database
    join(Home(home), creds)
    return home


def link_worker(root: Path, codes: list[str]) -> None:
    """Run the link of every station in *codes* (each its own thread) until SIGTERM."""
    import logging
    import threading

    from radio.clock import SystemClock
    from radio.link import Link
    from radio.link.joining import joined
    from radio.store.home import Home

    logging.basicConfig(level=logging.WARNING)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    links = []
    for code in codes:
        home = Home(link_home(root, code))
        links.append(Link(home, joined(home), clock=SystemClock()).start())
    done.wait()
    for link in links:
        link._stop.set()
    for link in links:
        link.stop(timeout=15)


class LinkFleet:
    """Link-only stations, ``per_process`` to a worker process (``python province_common.py ROOT CODE...``)."""

    def __init__(self, root: Path, codes: list[str], per_process: int = 32):
        self.root, self.codes = Path(root), list(codes)
        self.per_process = per_process
        self.procs: list[subprocess.Popen] = []

    def start(self) -> "LinkFleet":
        for i in range(0, len(self.codes), self.per_process):
            log = open(self.root / f"links-{i // self.per_process}.log", "ab")
            self.procs.append(subprocess.Popen([sys.executable, __file__, str(self.root),
                                                *self.codes[i:i + self.per_process]],
                                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
        return self

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        self.procs = []

    def homes(self) -> list[Path]:
        return [link_home(self.root, code) for code in self.codes]


def query(home: Path, sql: str, args=()) -> list[dict]:
    """Read-only, without migrating."""
    database = Path(home) / "radio.db"
    if not database.exists():
        return []
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, args).fetchall()]
    except sqlite3.OperationalError:  # the table not there yet
        return []
    finally:
        conn.close()


def connected(home: Path) -> bool:
    state = query(home, "SELECT value FROM station_state WHERE name = 'link'")
    return bool(state) and json.loads(state[0]["value"])["connected"]


def wait_for(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(interval)
    raise TimeoutError(f"{what} not met within {timeout:.0f} s")


def received_at(home: Path, bulletin_id: str) -> str | None:
    rows = query(home, "SELECT received_at FROM provincial_bulletins WHERE id = ?", [bulletin_id])
    return rows[0]["received_at"] if rows else None


def percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.array(values), q))


if __name__ == "__main__":
    link_worker(Path(sys.argv[1]), sys.argv[2:])
