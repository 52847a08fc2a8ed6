"""``radio demo --province N``: a province's network on one machine.

One NATS server (JetStream) and a hub in ``<data dir>/province/``, N demo stations (each a
``radio demo`` of its own: admin, daemon, file output, the demo logins) joined with the
files the hub wrote, the hub following them (``radio hub serve``) and its province admin
(``radio hub admin``, with published demo logins of an editor and a leader), and a khẩn cấp bulletin
sent to all a minute after the start. What each station did with it is printed as the hub
hears it. Ctrl-C stops everything.

Run again, it takes up where it was: the hub, the stations and their logs stay.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import click

#: the khẩn cấp the province sends a minute after the start
DEMO_URGENT = ("Thông báo khẩn của tỉnh (thử nghiệm)",
               "Ủy ban nhân dân tỉnh thông báo khẩn: đây là bản tin thử nghiệm của hệ thống truyền thanh "
               "cấp tỉnh. Bà con không cần làm gì thêm.")
SEND_AFTER_S = 60
#: the province admin's published demo logins (refused outside the demo, as the stations' are)
HUB_DEMO_ACCOUNTS = (("bientap", "SoanTin-Tinh-2026", "editor", "Biên tập viên (demo)"),
                     ("thamdinh", "DuyetTin-Tinh-2026", "leader", "Ban biên tập thẩm định (demo)"))
#: the stations' own demo slot airs after the province's bulletin, not in the middle of it
STATION_SLOT_AFTER = timedelta(minutes=2)


def _radio(*args: str, env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL
    try:
        return subprocess.Popen([sys.executable, "-m", "radio", *args], env={**os.environ, **(env or {})},
                                stdout=out, stderr=subprocess.STDOUT)
    finally:
        if log:
            out.close()


def _free_port(host: str) -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def run(station, *, host: str, port: int, count: int) -> None:
    from radio.cli.demo import seed
    from radio.hub import Targets, add_station, approve, init_hub, list_stations, open_hub, send, write_bulletin
    from radio.accounts.users import find_user
    from radio.hub.accounts import add_hub_user
    from radio.hub.hub import write_server_configs
    from radio.link import join
    from radio.network import Servers, free_base_port
    from radio.store.connection import connect
    from radio.store.home import open_home

    clock = station.clock
    root = Path(station.home.root) / "province"
    hub_dir, logs = root / "hub", root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    hub, _ = init_hub(hub_dir, clock=clock, name="Tỉnh Demo")
    layout = write_server_configs(hub, servers=1, base_port=free_base_port(1), directory=root / "nats")
    servers = Servers(layout)
    servers.start_all(timeout=30)
    children: list[subprocess.Popen] = []
    try:
        known = {row["code"] for row in list_stations(hub.db)}
        stations = []
        for n in range(1, count + 1):
            code = f"XA-{n:02d}"
            home = open_home(root / "stations" / code)
            creds = root / "stations" / f"{code}.creds"
            if code not in known:
                add_station(hub, code, name=f"Xã Demo {n}", join_path=creds, now=clock.now(), by="demo")
            db = connect(home.database)
            try:
                accounts = seed(db, home, now=clock.now(), first_slot_in=STATION_SLOT_AFTER)
            finally:
                db.conn.close()
            join(home, creds)
            admin_port = port + n - 1 if port else _free_port(host)
            children.append(_radio("--home", str(home.root), "demo", "--host", host, "--port", str(admin_port),
                                   log=logs / f"{code}.log"))
            stations.append((code, home, admin_port))
        hub_env = {"RADIO_HUB_HOME": str(hub_dir)}
        children.append(_radio("hub", "serve", env=hub_env, log=logs / "hub.log"))
        for username, password, role, name in HUB_DEMO_ACCOUNTS:
            if not find_user(hub.db, username):
                add_hub_user(hub.db, username=username, password=password, role=role, now=clock.now(),
                             display_name=name, province=hub.province, demo=True)
        hub_port = port + count if port else _free_port(host)
        children.append(_radio("hub", "admin", "--host", host, "--port", str(hub_port), "--demo", env=hub_env,
                               log=logs / "hub-admin.log"))
        click.echo(f"Province demo in {root}: NATS server {servers.urls[0]} (JetStream), hub in {hub_dir}.")
        for code, home, admin_port in stations:
            click.echo(f"  {code}: admin http://{host}:{admin_port}/  data {home.root}")
        for username, password, role in accounts:
            click.echo(f"Log in to any station as {username} / {password} ({role}).")
        click.echo(f"Province admin: http://{host}:{hub_port}/  log in as "
                   + ", ".join(f"{u} / {p} ({r})" for u, p, r, _ in HUB_DEMO_ACCOUNTS) + ".")
        click.echo(f"In {SEND_AFTER_S} s the province sends a khẩn cấp bulletin to all {count} stations. Follow it:")
        click.echo(f"  RADIO_HUB_HOME={hub_dir} radio hub status")
        click.echo(f"  RADIO_HOME={stations[0][1].root} radio link inbox")
        click.echo("Ctrl-C stops it.")
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        if stop.wait(SEND_AFTER_S):
            return
        sender = open_hub(hub_dir, clock=clock)
        try:
            now = clock.now()
            bulletin_id = write_bulletin(sender.db, cls="khan-cap", title=DEMO_URGENT[0], text=DEMO_URGENT[1],
                                         targets=Targets.parse("all"), now=now, topic="khan-cap", by="demo")
            approve(sender.db, bulletin_id, by="Ban biên tập tỉnh (demo)", now=now)
            report = send(sender, bulletin_id)
            click.echo(f"Sent khẩn cấp {bulletin_id} to {len(report.delivered)} station(s).")
            _follow(sender, bulletin_id, stop)
        finally:
            sender.close()
        stop.wait()
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        servers.close()
        hub.close()


def _follow(hub, bulletin_id: str, stop: threading.Event, *, timeout_s: float = 120) -> None:
    """Print each station's outcome as the hub hears it."""
    from radio.hub import status

    told: set[str] = set()
    deadline = time.monotonic() + timeout_s
    while not stop.is_set() and time.monotonic() < deadline:
        found = status(hub, now=hub.clock.now())
        bulletin = next((b for b in found["bulletins"] if b["id"] == bulletin_id), None)
        for copy in (bulletin or {}).get("stations", []):
            outcome = next((o for o in copy.get("outcomes", []) if o["state"] in ("aired", "partial", "failed")), None)
            if outcome and copy["code"] not in told:
                told.add(copy["code"])
                click.echo(f"  {copy['code']}: {outcome['state']} (proof entry {outcome['entry_id']}, "
                           f"hash {outcome['entry_hash'][:12]}…)")
        if bulletin and len(told) == len(bulletin["stations"]):
            return
        stop.wait(2)
