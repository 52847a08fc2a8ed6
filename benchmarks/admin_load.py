"""50 logged-in officers on a year of a busy station: latency of every admin page under load.

Seeds a station (``seed_station.seed``: 10,000 bulletins, 100,000 log entries),
starts the real ``radio serve --no-station`` (waitress) on loopback, logs in
``--clients`` sessions (one account each), and lets every client open the admin
pages in turn with a think time between clicks, until ``--seconds`` or
``--requests`` runs out (both bounded), after opening each page once (templates
compiled, the log page's summary cached). Side by side, the same clients fetch a
static file through the same server: the baseline of what waitress and the
loopback cost alone. Prints p50/p95/max per page and the p95 ratio to the
baseline; exits 1 when a page's p95 is over ``--target-ms`` (default 50). Then,
one client alone, the server process's CPU time per request of each page
(psutil, every thread): the figure that does not depend on the load.

    .venv/bin/python benchmarks/admin_load.py [--clients 50] [--seconds 40] [--home DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed_station import seed  # noqa: E402

from radio.store.connection import connect, write  # noqa: E402

PASSWORD = "matkhau-demo-1"
BASELINE = "static file (baseline)"
PAGES = {
    "bulletins /bulletins/": "/bulletins/",
    "bulletins, approved, page 40": "/bulletins/?status=approved&page=40",
    "bulletin detail": "/bulletins/{bulletin}",
    "log /log/ (this month)": "/log/?month=2026-06",
    "log, all, page 1000": "/log/?month=all&page=1000",
    "schedule /schedule/": "/schedule/",
    "slots /slots/": "/slots/",
    "users /users/": "/users/",
    "station /station/": "/station/",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(home: Path, clients: int) -> None:
    home.mkdir(parents=True, exist_ok=True)
    db = connect(home / "radio.db")
    if not db.execute("SELECT 1 FROM occurrences LIMIT 1").fetchone():
        seed(db)
    with write(db):
        db.execute("UPDATE users SET role = 'admin' WHERE username IN "
                   f"({','.join('?' * clients)})", [f"canbo{i:02d}" for i in range(clients)])
        if not db.execute("SELECT 1 FROM slots LIMIT 1").fetchone():
            for hour in range(6, 19):
                db["slots"].insert(dict(name=f"Bản tin {hour} giờ", at_time=f"{hour:02d}:00:00", days="daily",
                                        created_at="2026-01-01T00:00:00.000+00:00"))
    db.conn.close()


def login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    html = session.get(f"{base}/auth/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)[1]
    reply = session.post(f"{base}/auth/login", timeout=30, allow_redirects=False,
                         data={"csrf_token": token, "username": username, "password": PASSWORD})
    if reply.status_code != 302:
        raise SystemExit(f"login of {username} failed: HTTP {reply.status_code}")
    return session


def client(base: str, session: requests.Session, deadline: float, budget: list[int], lock: threading.Lock,
           times: dict[str, list[float]], errors: list[str], think_s: float) -> None:
    rng = random.Random()
    names = [*PAGES, BASELINE]
    rng.shuffle(names)
    n = 0
    # officers do not all click at the same instant: each starts within one think time
    time.sleep(rng.uniform(0, think_s))
    while time.monotonic() < deadline:
        with lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        name = names[n % len(names)]
        n += 1
        path = "/static/style.css" if name == BASELINE else PAGES[name].format(bulletin=rng.randint(1, 10000))
        t0 = time.perf_counter()
        reply = session.get(base + path, timeout=60, allow_redirects=False)
        elapsed = time.perf_counter() - t0
        if reply.status_code != 200:
            errors.append(f"{path}: HTTP {reply.status_code}")
        times[name].append(elapsed * 1000)
        time.sleep(rng.uniform(0.5, 1.5) * think_s)


def cpu_ms_per_request(base: str, session: requests.Session, server: psutil.Process, path: str, n: int) -> float:
    """Server CPU (user + system, every thread) per request of *path*, one client, after the load:
    a figure that does not depend on what else shares the cores."""
    session.get(base + path.format(bulletin=1), timeout=60)
    before = server.cpu_times()
    for i in range(n):
        session.get(base + path.format(bulletin=1 + i * 97 % 10000), timeout=60)
    after = server.cpu_times()
    return ((after.user - before.user) + (after.system - before.system)) * 1000 / n


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=40.0, help="time bound of the load phase")
    parser.add_argument("--requests", type=int, default=4000, help="request bound of the load phase")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a client's clicks")
    parser.add_argument("--target-ms", type=float, default=50.0)
    parser.add_argument("--home", type=Path, help="a seeded station to reuse (default: a new temporary one)")
    parser.add_argument("--cpu-requests", type=int, default=40,
                        help="requests per page, one client, for the server CPU per request (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp) / "station"
        prepare(home, args.clients)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "radio", "--home", str(home), "serve", "--no-station",
                                   "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            server.stdout.readline()  # "Admin: http://..." once it listens
            base = f"http://127.0.0.1:{port}"
            sessions = [login(base, f"canbo{i:02d}") for i in range(args.clients)]
            for path in PAGES.values():  # warm-up: templates compiled, the log summary cached
                sessions[0].get(base + path.format(bulletin=1), timeout=120)
            times = {name: [] for name in [*PAGES, BASELINE]}
            errors: list[str] = []
            lock, budget = threading.Lock(), [args.requests]
            deadline = time.monotonic() + args.seconds
            threads = [threading.Thread(target=client, args=(base, s, deadline, budget, lock, times, errors,
                                                             args.think)) for s in sessions]
            t0 = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - t0
            process = psutil.Process(server.pid)
            cpu = {name: cpu_ms_per_request(base, sessions[0], process, PAGES.get(name, "/static/style.css"),
                                            args.cpu_requests) if args.cpu_requests else float("nan")
                   for name in times}
        finally:
            server.terminate()
            server.wait(timeout=30)
    total = sum(len(v) for v in times.values())
    base_p95 = pct(times[BASELINE], 95)
    print(f"{args.clients} logged-in clients, {total} requests in {wall:.1f} s "
          f"({total / wall:.0f}/s), think time ~{args.think:.1f} s, {len(errors)} errors")
    print("| page | requests | p50 ms | p95 ms | max ms | p95 / baseline p95 | server CPU ms / request |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    worst = 0.0
    for name, values in times.items():
        p95 = pct(values, 95)
        if name != BASELINE:
            worst = max(worst, p95)
        print(f"| {name} | {len(values)} | {statistics.median(values):.1f} | {p95:.1f} | {max(values):.1f} | "
              f"{p95 / base_p95:.1f}× | {cpu[name]:.1f} |")
    for line in errors[:5]:
        print("error:", line)
    held = worst <= args.target_ms and not errors
    print(f"worst page p95 {worst:.1f} ms, target {args.target_ms:.0f} ms: {'held' if held else 'NOT held'}")
    return 0 if held else 1


if __name__ == "__main__":
    raise SystemExit(main())
