"""Idle footprint of ``radio serve`` (admin and daemon in one process) on a year of data.

Starts the real ``radio serve --output file:DIR`` on a seeded station (no slot
due during the run), waits for it to settle, then samples its RSS and CPU (with
its children) with psutil every second for ``--seconds``. Side by side, the
baseline: a bare ``python -c`` that imports nothing of radio and sleeps, so
the figure says what radio adds to the interpreter. Targets (issue 12):
≤ 120 MB RSS and ≤ 1 % CPU.

    .venv/bin/python benchmarks/footprint.py [--seconds 60] [--home DIR]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed_station import seed  # noqa: E402

from radio.store import connect  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample(proc: psutil.Process, seconds: float) -> tuple[float, float, int]:
    """(peak RSS MB, mean CPU %, peak open files+sockets) of *proc* and its children."""
    procs = [proc, *proc.children(recursive=True)]
    for p in procs:
        p.cpu_percent(None)
    cpu_start = sum(sum(p.cpu_times()[:2]) for p in procs)
    t0 = time.monotonic()
    peak_rss, peak_fds = 0.0, 0
    while time.monotonic() - t0 < seconds:
        time.sleep(1.0)
        procs = [proc, *proc.children(recursive=True)]
        peak_rss = max(peak_rss, sum(p.memory_info().rss for p in procs) / 2**20)
        peak_fds = max(peak_fds, sum(p.num_fds() for p in procs))
    cpu = sum(sum(p.cpu_times()[:2]) for p in procs) - cpu_start
    return peak_rss, 100 * cpu / (time.monotonic() - t0), peak_fds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=10.0, help="seconds to wait after start-up")
    parser.add_argument("--home", type=Path, help="a seeded station to reuse (default: a new temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp) / "station"
        home.mkdir(parents=True, exist_ok=True)
        db = connect(home / "radio.db")
        if not db.execute("SELECT 1 FROM occurrences LIMIT 1").fetchone():
            seed(db)
        db.conn.close()
        results = {}
        commands = {
            "baseline: bare python sleeping": [sys.executable, "-c", "import time; time.sleep(3600)"],
            "radio serve (admin + daemon), idle": [
                sys.executable, "-m", "radio", "--home", str(home), "serve", "--port", str(_free_port()),
                "--output", f"file:{Path(tmp) / 'aired'}"],
        }
        for name, argv in commands.items():
            child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(args.settle)
                if child.poll() is not None:
                    raise SystemExit(f"{name} exited with {child.returncode}")
                results[name] = sample(psutil.Process(child.pid), args.seconds)
            finally:
                child.terminate()
                child.wait(timeout=30)
    print(f"idle for {args.seconds:.0f} s after {args.settle:.0f} s to settle")
    print("| process | peak RSS MB | mean CPU % | open fds |")
    print("| --- | --- | --- | --- |")
    for name, (rss, cpu, fds) in results.items():
        print(f"| {name} | {rss:.0f} | {cpu:.2f} | {fds} |")
    rss, cpu, _ = results["radio serve (admin + daemon), idle"]
    held = rss <= 120 and cpu <= 1.0
    print(f"radio serve: {rss:.0f} MB (target ≤ 120), {cpu:.2f} % CPU (target ≤ 1 %): {'held' if held else 'NOT held'}")
    return 0 if held else 1


if __name__ == "__main__":
    raise SystemExit(main())
