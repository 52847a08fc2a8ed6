"""How soon a daemon killed with an owed slot airs it once started again, on a loaded machine.

A station (espeak-ng, jingles on) has one bulletin cut from ``data/bulletin_1500.txt`` and a
one-off slot ~25 s ahead. ``radio station --output pulse:radio_out`` (a subprocess, in a
session of its own) runs until the programme is built, is killed with SIGKILL (its whole
process group: the assembly helper too), and stays down past the slot's instant, so the slot
is owed. Then ``--busy`` processes spin (a load of 4 on two cores by default) and the daemon is
started again. Measured from that start: when it logs "Station starting" (imports and
opening the database), when the proof row's ``started_at`` is (the first sample handed
to the output) and when the first sound reaches a private PulseAudio null sink's monitor.

Side by side, the baseline: the same restart with the built programme's note removed,
so the programme is assembled again (what every restart did before it was reused).

Run: ``.venv/bin/python benchmarks/station_restart_catchup.py [--runs 3] [--busy 4]``.
Target: the owed slot at the sink within 2 s of the start, under a load of 4 on two cores.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from radio.clock import STATION_TZ, from_utc_text  # noqa: E402
from radio.store.connection import connect  # noqa: E402
from tests.support.pulse import RATE, PulseServer  # noqa: E402

TEXT = (Path(__file__).parent / "data" / "bulletin_1500.txt").read_text(encoding="utf-8")
THRESHOLD = 200  # int16 amplitude that counts as sound
LEAD_S = 25  # the slot is this far ahead when the daemon first starts


def radio(env, *args) -> str:
    return subprocess.run([sys.executable, "-m", "radio", *args], env=env, check=True,
                          capture_output=True, text=True).stdout


def start_daemon(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "radio", "-v", "station", "--output", "pulse:radio_out"],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(log, "ab"), start_new_session=True)


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def first_sound_after(recorder, after_wall: float) -> float | None:
    offset = time.time() - time.monotonic()
    for arrived, chunk in recorder.chunks():
        times = arrived + offset - (len(chunk) - np.arange(len(chunk))) / RATE
        loud = np.flatnonzero((np.abs(chunk.astype(np.int32)) > THRESHOLD) & (times >= after_wall))
        if loud.size:
            return float(times[loud[0]])
    return None


def logged_at(log: Path, text: str, after_wall: float) -> float | None:
    """Wall time of the first log line holding *text* written after *after_wall*."""
    for line in log.read_text(errors="replace").splitlines():
        found = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ", line)
        if found and text in line:
            at = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
            if at >= after_wall - 0.001:
                return at
    return None


def one_restart(pulse: PulseServer, work: Path, *, reuse: bool, busy: int) -> dict[str, float | None]:
    home = work / "home"
    env = {**pulse.env(), "RADIO_HOME": str(home), "NO_PROXY": "*"}
    for name, value in (("engine", "espeak"), ("use_jingles", "true"), ("ident_text", "")):
        radio(env, "settings", "set", name, value)
    new_id = radio(env, "bulletin", "add", "--title", "Thông báo", "--text", TEXT).strip()
    radio(env, "bulletin", "approve", new_id, "--by", "bench")
    when = datetime.now(STATION_TZ).replace(microsecond=0) + timedelta(seconds=LEAD_S)
    radio(env, "slot", "add", "--at", when.strftime("%H:%M:%S"), "--date", when.date().isoformat())
    log = work / "station.log"
    first = start_daemon(env, log)
    note = None
    deadline = time.time() + LEAD_S + 60
    while note is None and time.time() < deadline:
        note = next(iter((home / "programmes").glob(".*.built.json")), None) if (home / "programmes").is_dir() else None
        time.sleep(0.05)
    kill_group(first)
    if note is None:
        sys.exit("the programme was not built in time")
    killed_before = when.timestamp() - time.time()
    if not reuse:
        note.unlink()
    time.sleep(max(0.0, when.timestamp() - time.time()) + 1.0)  # the slot is owed now
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
    try:
        time.sleep(3)
        with pulse.record() as rec:
            started = time.time()
            again = start_daemon(env, log)
            sound = None
            while sound is None and time.time() < started + 90:
                time.sleep(0.2)
                sound = first_sound_after(rec, started)
            load = os.getloadavg()[0]
            time.sleep(0.5)
            kill_group(again)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    db = connect(home / "radio.db")
    row = db.execute("SELECT started_at FROM occurrences WHERE key LIKE 'slot%' UNION ALL "
                     "SELECT started_at FROM claims WHERE key LIKE 'slot%'").fetchone()
    db.conn.close()
    marked = from_utc_text(row[0]).timestamp() if row and row[0] else None
    up = logged_at(log, "Station starting", started)
    return {"killed_before_s": killed_before, "load": load,
            "up_s": up - started if up else None,
            "marked_s": marked - started if marked else None,
            "sound_s": sound - started if sound else None}


def fmt(value: float | None) -> str:
    return f"{value:6.2f}" if value is not None else "     -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--busy", type=int, default=4, help="spinning processes during the restart")
    args = parser.parse_args()
    results: dict[str, list[dict]] = {"baseline (assembled again)": [], "radio station (reused)": []}
    with PulseServer() as pulse:
        for _ in range(args.runs):  # interleaved, so the machine's other work hits both alike
            for name, reuse in (("baseline (assembled again)", False), ("radio station (reused)", True)):
                with tempfile.TemporaryDirectory() as folder:
                    results[name].append(one_restart(pulse, Path(folder), reuse=reuse, busy=args.busy))
    print(f"restart with an owed slot, {args.busy} busy processes on {os.cpu_count()} cores; "
          "seconds from the start")
    print(f"{'':28}{'up':>7}{'marked':>7}{'sound':>7}{'load':>6}")
    for name, runs in results.items():
        for r in runs:
            print(f"{name:28}{fmt(r['up_s'])} {fmt(r['marked_s'])}{fmt(r['sound_s'])}{r['load']:6.1f}")
    for name, runs in results.items():
        sounds = [r["sound_s"] for r in runs if r["sound_s"] is not None]
        if sounds:
            print(f"{name}: sound after p50 {np.median(sounds):.2f} s, max {max(sounds):.2f} s "
                  f"({len(sounds)} of {len(runs)} heard)")
    print("target: the reused one at the sink within 2 s of the start")


if __name__ == "__main__":
    main()
