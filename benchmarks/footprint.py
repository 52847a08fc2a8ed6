"""Idle footprint of ``radio serve`` (admin and daemon in one process) on a year of data.

Starts the real ``radio serve --output file:DIR`` on a seeded station (no slot
due during the run), waits for it to settle, then samples its RSS and CPU (with
its children) with psutil every second for ``--seconds``. Side by side, the
baseline: a bare ``python -c`` that imports nothing of radio and sleeps, so
the figure says what radio adds to the interpreter. Targets:
≤ 120 MB RSS and ≤ 1 % CPU.

Then the same server after a working morning (skip with ``--no-after-airing``):
two one-off slots air through the file output, a logged-in admin opens the log
page (with its chart) and downloads a DOCX report (of a quiet month: python-docx
takes minutes over the ~8,000 rows of a seeded month); once the helper
processes that did the heavy work have exited (``audio.worker``, about 30 s
idle), the server is sampled idle again. It prints the peak RSS while working
too (helpers included), and whether scipy or matplotlib is mapped in the server.

    .venv/bin/python benchmarks/footprint.py [--seconds 60] [--home DIR] [--no-after-airing]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from admin_load import login, prepare  # noqa: E402
from seed_station import seed  # noqa: E402

from radio.bulletins.lifecycle import add_bulletin, approve_bulletin  # noqa: E402
from radio.clock import STATION_TZ, to_utc_text  # noqa: E402
from radio.schedule.slots import add_slot  # noqa: E402
from radio.store.connection import connect  # noqa: E402
from radio.accounts.users import OPERATOR  # noqa: E402

HEAVY = ("/scipy/", "/matplotlib/", "/pyloudnorm/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_s(proc: psutil.Process) -> float:
    """CPU seconds of *proc*, its living children and the children it has reaped, so a
    helper or ffmpeg that exits mid-sample neither vanishes from the sum nor makes it drop."""
    times = proc.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in proc.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:
            pass
    return total


def sample(proc: psutil.Process, seconds: float) -> tuple[float, float, int]:
    """(peak RSS MB, mean CPU %, peak open files+sockets) of *proc* and its children."""
    cpu_start = _cpu_s(proc)
    t0 = time.monotonic()
    peak_rss, peak_fds = 0.0, 0
    while time.monotonic() - t0 < seconds:
        time.sleep(1.0)
        peak_rss = max(peak_rss, _rss_mb(proc))
        fds = 0
        for p in [proc, *proc.children(recursive=True)]:
            try:
                fds += p.num_fds()
            except psutil.Error:
                pass
        peak_fds = max(peak_fds, fds)
    cpu = _cpu_s(proc) - cpu_start
    return peak_rss, 100 * cpu / (time.monotonic() - t0), peak_fds


def _rss_mb(proc: psutil.Process) -> float:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def _wait(predicate, timeout_s: float, on_tick=lambda: None):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        on_tick()
        time.sleep(0.5)
    raise SystemExit("timed out waiting for the server")


def after_airing(home: Path, aired: Path, seconds: float, settle: float) -> tuple[tuple, float, list[str]]:
    """Air two programmes, open the log page and a report, wait for the helpers to exit, sample.

    :return: (idle sample, peak RSS MB while working, heavy libraries mapped in the server).
    """
    prepare(home, 1)  # canbo00 is an admin
    db = connect(home / "radio.db")
    now = datetime.now(STATION_TZ)
    for title in ("Thông báo CCHC", "Lịch tiêm chủng"):
        new_id = add_bulletin(db, title=title, text="UBND xã thông báo lịch tiếp công dân vào sáng thứ Hai. " * 8,
                              now=now, repeat_count=2, actor=OPERATOR)
        approve_bulletin(db, new_id, by="footprint", now=now, actor=OPERATOR, expected_sha256=None)
    db.execute("UPDATE slots SET active = 0")  # the seeded daily slots stay out of the way
    first = now.replace(microsecond=0) + timedelta(seconds=40)
    for when in (first, first + timedelta(seconds=40)):
        add_slot(db, at=when.strftime("%H:%M:%S"), on_date=when.date().isoformat(), now=now, actor=OPERATOR)
    start = to_utc_text(first)
    db.conn.close()
    port = _free_port()
    child = subprocess.Popen([sys.executable, "-m", "radio", "--home", str(home), "serve", "--port", str(port),
                              "--output", f"file:{aired}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc = psutil.Process(child.pid)
        peak = [0.0]

        def tick():
            peak[0] = max(peak[0], _rss_mb(proc))

        def aired_twice():
            db = connect(home / "radio.db")
            try:
                # the seeded year has rows ahead of now too: count the one-off slots' own
                return db.execute("SELECT count(*) FROM occurrences o JOIN slots s ON s.id = o.slot_id "
                                  "WHERE s.date IS NOT NULL AND o.scheduled_at >= ?", [start]).fetchone()[0] >= 2
            finally:
                db.conn.close()

        base = f"http://127.0.0.1:{port}"
        _wait(lambda: _up(base), 120, tick)
        _wait(aired_twice, 300, tick)
        session = login(base, "canbo00")
        page = session.get(f"{base}/log/", timeout=300)
        # a month of the seeded year holds ~8,000 rows, whose DOCX table takes python-docx
        # minutes on a loaded PC; the chart (what this is about) is the same in a quiet month
        report = session.get(f"{base}/log/export.docx", params={"month": "2025-12"}, timeout=300)
        if page.status_code != 200 or report.status_code != 200:
            raise SystemExit(f"log page HTTP {page.status_code}, report HTTP {report.status_code}")
        tick()
        _wait(lambda: not [c for c in proc.children(recursive=True) if "python" in c.name()], 180, tick)
        time.sleep(settle)
        maps = Path(f"/proc/{child.pid}/maps").read_text()
        heavy = [name.strip("/") for name in HEAVY if name in maps]
        return sample(proc, seconds), peak[0], heavy
    finally:
        child.terminate()
        child.wait(timeout=60)


def _up(base: str) -> bool:
    try:
        return requests.get(f"{base}/auth/login", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=10.0, help="seconds to wait after start-up")
    parser.add_argument("--home", type=Path, help="a seeded station to reuse (default: a new temporary one)")
    parser.add_argument("--no-after-airing", dest="after_airing", action="store_false",
                        help="only the idle run on a fresh start")
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
        if args.after_airing:
            work = Path(tmp) / "worked"
            shutil.copytree(home, work)  # the seeded station, not the caller's --home, gets the slots
            idle, peak, heavy = after_airing(work, Path(tmp) / "aired-2", args.seconds, args.settle)
            results["radio serve, idle after airing 2 programmes + log page + DOCX"] = idle
    print(f"idle for {args.seconds:.0f} s after {args.settle:.0f} s to settle")
    print("| process | peak RSS MB | mean CPU % | open fds |")
    print("| --- | --- | --- | --- |")
    for name, (rss, cpu, fds) in results.items():
        print(f"| {name} | {rss:.0f} | {cpu:.2f} | {fds} |")
    held = True
    for name, (rss, cpu, _) in results.items():
        if name.startswith("radio serve"):
            ok = rss <= 120 and cpu <= 1.0
            held = held and ok
            print(f"{name}: {rss:.0f} MB (target ≤ 120), {cpu:.2f} % CPU (target ≤ 1 %): "
                  f"{'held' if ok else 'NOT held'}")
    if args.after_airing:
        print(f"while working: peak {peak:.0f} MB with the helper processes; heavy libraries mapped in the "
              f"server afterwards: {', '.join(heavy) or 'none'}")
        held = held and not heavy
    return 0 if held else 1


if __name__ == "__main__":
    raise SystemExit(main())
