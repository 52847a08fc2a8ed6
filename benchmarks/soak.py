"""Soak a busy station: a simulated day (injected clock) and a real-time run of ``radio serve``.

Simulated (``--simulated-hours``, default 24): a slot every 15 minutes round the
clock, 400 approved bulletins with repeats and priorities, two power cuts,
through the station's own bookkeeping (``radio.station.simulation``); side by side the
baseline, APScheduler's CronTrigger expanding the same slots. Fails if an
occurrence is logged twice or lost, or the chain does not verify.

Real time (``--minutes``, default 30; 0 skips it): the real ``radio serve
--output file:DIR`` on a year of data (``seed_station``), a one-off slot every
``--every`` seconds, and a few logged-in clients opening admin pages. Every
``--sample`` seconds it records RSS, CPU and open file descriptors of every
process of the server (with its children: pacat, ffmpeg, espeak-ng) and prints
the first, last and peak figures; growth from the first sample after warm-up
to the last is what a leak would show.

    .venv/bin/python benchmarks/soak.py [--simulated-hours 24] [--minutes 30]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from admin_load import login, prepare  # noqa: E402

from radio.proof import log as prooflog  # noqa: E402
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin  # noqa: E402
from radio.clock import STATION_TZ, ManualClock  # noqa: E402
from radio.store.home import open_home  # noqa: E402
from radio.station.simulation import simulate  # noqa: E402
from radio.schedule.slots import add_slot, list_slots, occurrences_between  # noqa: E402
from radio.store.connection import connect  # noqa: E402
from radio.accounts.users import OPERATOR  # noqa: E402

PAGES = ("/bulletins/", "/log/", "/schedule/", "/slots/")


def simulated(hours: float) -> bool:
    start = datetime(2026, 11, 23, 0, 1, tzinfo=STATION_TZ)
    with tempfile.TemporaryDirectory() as tmp:
        home = open_home(Path(tmp) / "station")
        clock = ManualClock(start)
        db = connect(home.database)
        for minute in range(0, 24 * 60, 15):
            add_slot(db, at=f"{minute // 60:02d}:{minute % 60:02d}", days="daily", now=clock.now(), cap_minutes=5,
                     actor=OPERATOR)
        for n in range(400):
            new_id = add_bulletin(db, title=f"Tin {n}", text="Nội dung. " * 30, now=clock.now(),
                                  priority=("normal", "normal", "priority", "urgent")[n % 4], repeat_count=1 + n % 4,
                                  actor=OPERATOR)
            approve_bulletin(db, new_id, by="soak", now=clock.now(), actor=OPERATOR, expected_sha256=None)
            db["renders"].update(new_id, {"state": "done", "duration_ms": 25_000 + 300 * (n % 30)})
        owed = occurrences_between(list_slots(db), start, start + timedelta(hours=hours))
        cuts = [(start + timedelta(hours=hours * 0.3), start + timedelta(hours=hours * 0.3 + 2)),
                (owed[len(owed) * 2 // 3].scheduled_at - timedelta(minutes=1),
                 owed[len(owed) * 2 // 3].scheduled_at + timedelta(minutes=3))]
        tracemalloc.start()
        t0 = time.perf_counter()
        result = simulate(home, clock, days=hours / 24, downtime=cuts)
        wall = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        ok_chain = prooflog.verify_chain(db) == (True, None)
        db.conn.close()
    from apscheduler.triggers.cron import CronTrigger
    t0 = time.perf_counter()
    fires = 0
    for minute in range(0, 24 * 60, 15):
        trigger = CronTrigger(hour=minute // 60, minute=minute % 60, timezone=STATION_TZ)
        fire = trigger.get_next_fire_time(None, start)
        while fire and fire < start + timedelta(hours=hours):
            fires += 1
            fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    base_wall = time.perf_counter() - t0
    twice = sum(1 for n in result.keys.values() if n > 1)
    lost = len(owed) - len(result.keys)
    print(f"simulated {hours:g} h: {len(owed)} occurrences ({fires} cron fires in the baseline), "
          + ", ".join(f"{k} {v}" for k, v in sorted(result.statuses.items())))
    print(f"  wall {wall:.2f} s ({hours * 3600 / wall:,.0f}× real time), peak {peak:.1f} MiB; "
          f"baseline CronTrigger {base_wall:.3f} s; logged twice {twice}, lost {lost}, "
          f"chain {'verifies' if ok_chain else 'BROKEN'}")
    return twice == 0 and lost == 0 and ok_chain and fires == len(owed)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sample(proc: psutil.Process) -> tuple[float, float, int, int, float]:
    """(RSS MB, CPU seconds, fds, processes) of *proc* and its children now, and the RSS MB of
    *proc* alone (the helpers of :mod:`audio.worker` come and go around each programme)."""
    procs = [proc]
    try:
        procs += proc.children(recursive=True)
    except psutil.Error:
        pass
    rss = cpu = own = 0.0
    fds = 0
    alive = 0
    for p in procs:
        try:
            mem = p.memory_info().rss
            rss += mem
            own = mem if p is proc else own
            cpu += sum(p.cpu_times()[:2])
            fds += p.num_fds()
            alive += 1
        except psutil.Error:
            continue  # a child (pacat, espeak-ng) ended between listing and reading
    return rss / 2**20, cpu, fds, alive, own / 2**20


def real_time(minutes: float, every_s: float, sample_s: float, clients: int) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "station"
        prepare(home, clients)
        db = connect(home / "radio.db")
        add_bulletin(db, title="Tin soak", text="UBND xã thông báo lịch tiếp công dân.", now=datetime.now(STATION_TZ),
                     repeat_count=1000, actor=OPERATOR)
        new_id = db.execute("SELECT max(id) FROM bulletins").fetchone()[0]
        approve_bulletin(db, new_id, by="soak", now=datetime.now(STATION_TZ), actor=OPERATOR,
                         expected_sha256=None)
        db.execute("UPDATE slots SET active = 0")  # the seeded daily slots stay out of the way
        first = datetime.now(STATION_TZ).replace(microsecond=0) + timedelta(seconds=30)
        whens = []
        when = first
        while when < first + timedelta(minutes=minutes):
            add_slot(db, at=when.strftime("%H:%M:%S"), on_date=when.date().isoformat(), now=datetime.now(STATION_TZ),
                     actor=OPERATOR)
            whens.append(when)
            when += timedelta(seconds=every_s)
        db.conn.close()
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "radio", "--home", str(home), "serve", "--port", str(port),
                                   "--output", f"file:{Path(tmp) / 'aired'}"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        samples = []
        try:
            server.stdout.readline()
            base = f"http://127.0.0.1:{port}"
            sessions = [login(base, f"canbo{i:02d}") for i in range(clients)]
            proc = psutil.Process(server.pid)
            end = time.monotonic() + minutes * 60 + 30
            next_sample = time.monotonic()
            n = 0
            while time.monotonic() < end:
                if time.monotonic() >= next_sample:
                    samples.append((time.monotonic(), *_sample(proc)))
                    next_sample += sample_s
                session = sessions[n % clients]
                session.get(base + PAGES[n % len(PAGES)], timeout=60)
                n += 1
                time.sleep(1.0)
            time.sleep(15)  # the last slot's programme ends and is logged
        finally:
            server.terminate()
            server.wait(timeout=60)
        db = connect(home / "radio.db")
        keys = Counter(r[0] for r in db.execute(
            "SELECT key FROM occurrences WHERE scheduled_at >= ?", [first.astimezone(STATION_TZ).isoformat()]))
        statuses = Counter(r[0] for r in db.execute(
            "SELECT status FROM occurrences o JOIN slots s ON s.id = o.slot_id WHERE s.date IS NOT NULL"))
        ok_chain = prooflog.verify_chain(db) == (True, None)
        db.conn.close()
    warm = [s for s in samples if s[0] - samples[0][0] >= 60] or samples
    t_first, rss_first, cpu_first, fds_first, _, own_first = warm[0]  # (time, RSS MB, CPU s, fds, processes, own RSS)
    t_last, rss_last, cpu_last, fds_last, _, own_last = samples[-1]
    cpu_pct = 100 * (cpu_last - cpu_first) / max(t_last - t_first, 1e-9)
    print(f"real time {minutes:g} min: {len(whens)} one-off slots every {every_s:g} s, {clients} clients, "
          f"{n} page requests; {len(samples)} samples every {sample_s:g} s")
    print("| | after warm-up | last | peak |")
    print("| --- | --- | --- | --- |")
    print(f"| RSS of radio serve + children (MB) | {rss_first:.0f} | {rss_last:.0f} | "
          f"{max(s[1] for s in samples):.0f} |")
    print(f"| RSS of radio serve alone (MB) | {own_first:.0f} | {own_last:.0f} | "
          f"{max(s[5] for s in samples):.0f} |")
    print(f"| open file descriptors | {fds_first} | {fds_last} | {max(s[3] for s in samples)} |")
    print(f"| processes | {warm[0][4]} | {samples[-1][4]} | {max(s[4] for s in samples)} |")
    print(f"  mean CPU {cpu_pct:.1f} % of one core; statuses "
          + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
          + f"; logged twice {sum(1 for v in keys.values() if v > 1)}; chain {'verifies' if ok_chain else 'BROKEN'}")
    if len(samples) > 4:
        print(f"  RSS median of the last half {statistics.median(s[1] for s in samples[len(samples) // 2:]):.0f} MB")
    return ok_chain and all(v == 1 for v in keys.values()) and sum(statuses.values()) >= len(whens)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulated-hours", type=float, default=24.0)
    parser.add_argument("--minutes", type=float, default=30.0, help="real-time run (0: skip)")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between one-off slots")
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--clients", type=int, default=3)
    args = parser.parse_args()
    held = simulated(args.simulated_hours) if args.simulated_hours else True
    if args.minutes:
        held = real_time(args.minutes, args.every, args.sample, args.clients) and held
    return 0 if held else 1


if __name__ == "__main__":
    raise SystemExit(main())
