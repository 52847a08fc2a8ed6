"""What the province link costs the station: RSS and CPU of an idle ``radio station`` daemon
with the link connected, beside the same daemon not joined, in the same run.

A one-server province (``radio hub init``, ``radio hub nats-config --servers 1``) and one
station registered; the station (espeak-ng, no jingles, a private PulseAudio null sink)
runs ``radio station --output pulse:radio_out`` with no slot due: first not joined, then
joined with its join file (``radio link join``; the daemon starts the link thread), then
(with ``--rounds 2``) both again. Each daemon is left ``--settle`` s to start, then sampled
with psutil every second for ``--seconds`` s: RSS of the daemon and its children (median
and max), CPU of the daemon and its children (living and reaped) over the window.

Run: ``.venv/bin/python benchmarks/link_cost.py [--seconds 60] [--rounds 1]``.
Targets: ≤ 15 MB extra RSS and ≤ 0.2 % extra CPU (of one core).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from province_common import Province, code_of, connected, load, stop_process, wait_for  # noqa: E402
from tests.e2e.station_process import RADIO, quick_station  # noqa: E402
from tests.support.pulse import PulseServer  # noqa: E402


def cpu_s(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in proc.children(recursive=True):
        try:
            t = child.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def rss(proc: psutil.Process) -> int:
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def sample(cli, folder: Path, settle: float, seconds: float, joined: bool) -> dict:
    log = open(folder / f"station-{'joined' if joined else 'alone'}.log", "ab")
    proc = subprocess.Popen([*RADIO, "-v", "station", "--output", "pulse:radio_out"], env=cli.env, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        if joined:
            wait_for(lambda: connected(cli.home), timeout=60, what="the link connected")
        time.sleep(settle)
        p = psutil.Process(proc.pid)
        before, began, sizes = cpu_s(p), time.monotonic(), []
        load_at = load()
        while time.monotonic() - began < seconds:
            sizes.append(rss(p))
            time.sleep(1)
        cpu = (cpu_s(p) - before) / (time.monotonic() - began) * 100
        threads = p.num_threads()
        if joined and not connected(cli.home):
            raise RuntimeError("the link was not connected at the end")
        return {"rss": statistics.median(sizes) / 2**20, "rss_max": max(sizes) / 2**20, "cpu": cpu,
                "threads": threads, "load": load_at}
    finally:
        stop_process(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--settle", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="radio-linkcost-"))
    province = Province(folder, servers=1)
    results = {False: [], True: []}
    try:
        province.start()
        code = code_of(0)
        creds = province.add_stations([code])[code]
        with PulseServer() as pulse:
            cli = quick_station(folder / "home")
            cli.env.update(pulse.env(cli.env))
            for _ in range(args.rounds):
                if (folder / "home" / "link").exists():
                    shutil.rmtree(folder / "home" / "link")  # not joined again
                results[False].append(sample(cli, folder, args.settle, args.seconds, joined=False))
                cli.run("link", "join", "--credentials", str(creds))
                results[True].append(sample(cli, folder, args.settle, args.seconds, joined=True))
    finally:
        province.close()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"idle `radio station --output pulse:radio_out`, {args.seconds:g} s sampled after {args.settle:g} s, "
          f"{args.rounds} round(s); {os.cpu_count()} cores")
    print(f"{'':30}{'RSS MB':>9}{'max MB':>9}{'CPU %':>8}{'threads':>9}  load average")
    for joined, name in ((False, "not joined"), (True, "link connected (1 server)")):
        for r in results[joined]:
            print(f"{name:30}{r['rss']:9.1f}{r['rss_max']:9.1f}{r['cpu']:8.2f}{r['threads']:9d}  {r['load']}")
    extra_rss = statistics.median(r["rss"] for r in results[True]) - statistics.median(r["rss"] for r in results[False])
    extra_cpu = statistics.median(r["cpu"] for r in results[True]) - statistics.median(r["cpu"] for r in results[False])
    print(f"the link adds {extra_rss:+.1f} MB RSS (target <= 15: {'met' if extra_rss <= 15 else 'NOT met'}) and "
          f"{extra_cpu:+.2f} % CPU (target <= 0.2: {'met' if extra_cpu <= 0.2 else 'NOT met'})")


if __name__ == "__main__":
    main()
