"""A khẩn cấp to all of a province: from ``radio hub send`` to every station's inbox and to
the first sample at the loudspeakers, beside the local emergency button in the same run.

A three-server NATS JetStream cluster (``radio hub init`` and ``radio hub nats-config``),
``--real`` real station daemons (``radio station --output pulse:radio_out``, each with a
private PulseAudio null sink of its own, espeak-ng, no jingles) and ``--stations`` minus
that many link-only stations (the station's real link code, :class:`radio.link.Link`, each
on a migrated station database of its own, 32 to a process, no daemon), all registered by
the hub with their own credentials and joined with them.

Each of ``--sends`` rounds: ``radio hub send --class khan-cap --to all`` (a subprocess, as
an operator runs it); delivered = the station's inbox row (``provincial_bulletins.received_at``,
written by the link before it acknowledges the message), for every station; first sample
= the first sound on each real station's sink monitor. Then, for comparison, the local
button: ``radio play --now`` of an approved bulletin of the same text on the first real
station, to the first sample at its sink.

Printed: per send, the time until all stations had it (p50, p99, max over sends) and per
station copy (p50, p99 over every station and send); the first sample at the real sinks
(p50, p99, max over every sink and send; target p99 ≤ 3 s); the local button's; the load
average.

Run: ``.venv/bin/python benchmarks/province_fanout.py [--sends 10] [--stations 100] [--real 5]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from province_common import (  # noqa: E402
    TEXT,
    LinkFleet,
    Province,
    code_of,
    connected,
    load,
    percentile,
    prepare_link_station,
    query,
    received_at,
    stop_process,
    wait_for,
)
from tests.e2e.station_process import RADIO, quick_station  # noqa: E402
from tests.support.pulse import PulseServer  # noqa: E402

THRESHOLD = 30


class RealStation:
    def __init__(self, root: Path, code: str, creds: Path):
        self.code, self.root = code, root
        self.pulse = PulseServer()
        self.pulse.start()
        self.cli = quick_station(root / f"home-{code}")
        self.cli.env.update(self.pulse.env(self.cli.env))
        self.cli.run("link", "join", "--credentials", str(creds))
        self.proc = None

    def start(self) -> None:
        log = open(self.root / f"station-{self.code}.log", "ab")
        self.proc = subprocess.Popen([*RADIO, "-v", "station", "--output", "pulse:radio_out"], env=self.cli.env,
                                     stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    @property
    def home(self) -> Path:
        return self.cli.home

    def urgent_done(self) -> int:
        return len(query(self.home, "SELECT id FROM occurrences WHERE kind = 'urgent'"))

    def close(self) -> None:
        stop_process(self.proc)
        self.pulse.stop()


def wall(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def heard(recorders, after: float, timeout: float = 60) -> list[float]:
    """Monotonic time of the first sound at each recorder after *after*."""
    found: list[float | None] = [None] * len(recorders)
    deadline = time.monotonic() + timeout
    while None in found and time.monotonic() < deadline:
        for i, rec in enumerate(recorders):
            if found[i] is None:
                found[i] = rec.first_sound_monotonic(after=after, threshold=THRESHOLD)
        time.sleep(0.02)
    if None in found:
        raise TimeoutError(f"no sound at {found.count(None)} sink(s) within {timeout:.0f} s")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=10)
    parser.add_argument("--stations", type=int, default=100)
    parser.add_argument("--real", type=int, default=5, help="how many of them are real daemons with a sink")
    parser.add_argument("--servers", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the folder (printed) for a look afterwards")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="radio-fanout-"))
    codes = [code_of(n) for n in range(args.stations)]
    real_codes, link_codes = codes[:args.real], codes[args.real:]
    province, fleet, reals = Province(folder, servers=args.servers), None, []
    loads = [load()]
    try:
        began = time.monotonic()
        province.start()
        files = province.add_stations(codes)
        print(f"{args.servers} servers and {len(codes)} stations registered in {time.monotonic() - began:.1f} s",
              flush=True)
        for code in link_codes:
            prepare_link_station(folder, code, files[code])
        for code in real_codes:
            reals.append(RealStation(folder, code, files[code]))
        local_id = str(reals[0].cli.add_approved("Cảnh báo bão (xã)", TEXT, repeat="200"))
        for station in reals:
            station.start()
        fleet = LinkFleet(folder, link_codes).start()
        homes = [s.home for s in reals] + fleet.homes()
        wait_for(lambda: all(connected(h) for h in homes), timeout=180, interval=1, what="every link connected")
        print(f"all {len(homes)} links connected {time.monotonic() - began:.1f} s after the start; "
              f"load average {load()}", flush=True)
        time.sleep(5)  # the daemons past their start (first sync, the local bulletin rendered)
        loads.append(load())

        per_send, per_copy, sinks, button, send_cmd, station_side = [], [], [], [], [], []
        for n in range(args.sends):
            done_before = [s.urgent_done() for s in reals]
            recorders = [s.pulse.record() for s in reals]
            try:
                t_mono, t_wall = time.monotonic(), time.time()
                out = province.send(title=f"Cảnh báo bão {n + 1}")
                send_cmd.append(time.monotonic() - t_mono)
                bulletin = out.stdout.strip().splitlines()[-1]
                arrived = wait_for(lambda: (lambda got: got if None not in got else None)(
                    [received_at(h, bulletin) for h in homes]), timeout=120, interval=0.1, what="every inbox row")
                delays = [wall(a) - t_wall for a in arrived]
                per_copy += delays
                per_send.append(max(delays))
                first = heard(recorders, t_mono)
                sinks += [f - t_mono for f in first]
                # at the real stations: from the inbox row to the sound (the daemon's part)
                station_side += [f - t_mono - d for f, d in zip(first, delays[:len(reals)])]
                for i, s in enumerate(reals):
                    wait_for(lambda: s.urgent_done() > done_before[i], timeout=120, what="the emergency logged")
                for rec in recorders:
                    rec.wait_for_silence(0.5, timeout_s=60)
            finally:
                for rec in recorders:
                    rec.stop()
            # the local button on the first real station, for comparison
            with reals[0].pulse.record() as rec:
                t_mono = time.monotonic()
                reals[0].cli.run("play", "--now", local_id, "--by", "chutich")
                (first,) = heard([rec], t_mono)
                button.append(first - t_mono)
                done = reals[0].urgent_done()
                rec.wait_for_silence(0.5, timeout_s=60)
            wait_for(lambda: reals[0].urgent_done() >= done, timeout=60)
            print(f"send {n + 1}: all {len(homes)} inboxes {per_send[-1]:.2f} s, sinks "
                  f"{', '.join(f'{x:.2f}' for x in sinks[-len(reals):])} s; local button {button[-1]:.2f} s; "
                  f"load {load()}", flush=True)
            time.sleep(1)
        loads.append(load())
    finally:
        if fleet is not None:
            fleet.stop()
        for station in reals:
            station.close()
        province.close()
        if not args.keep:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept {folder}")

    def line(name, values):
        return (f"{name:52}{percentile(values, 50):8.2f}{percentile(values, 99):8.2f}{max(values):8.2f}"
                f"{len(values):6d}")

    print()
    print(f"khẩn cấp to all: {args.servers} NATS servers (R{min(3, args.servers)}), {len(codes)} stations "
          f"({len(real_codes)} real daemons with a PulseAudio sink each, {len(link_codes)} link-only), "
          f"{args.sends} sends; {os.cpu_count()} cores; load average {' | '.join(loads)} "
          f"(start | all connected | end)")
    print(f"{'seconds from the start of `radio hub send`':52}{'p50':>8}{'p99':>8}{'max':>8}{'n':>6}")
    print(line("`radio hub send` itself (start to exit)", send_cmd))
    print(line(f"delivered at all {len(codes)} (inbox row), per send", per_send))
    print(line("delivered, per station copy", per_copy))
    print(line(f"first sample at the {len(real_codes)} real sinks", sinks))
    print(line("  of which: real station's inbox row to its sink", station_side))
    if args.sends > 1:
        print(line("  the first send only (each daemon's first emergency)", sinks[:len(real_codes)]))
        print(line("  the later sends", sinks[len(real_codes):]))
    print(line("local button: `radio play --now` to first sample", button))
    p99 = percentile(sinks, 99)
    print(f"first sample p99 {p99:.2f} s: target <= 3 s {'met' if p99 <= 3 else 'NOT met'}; "
          f"ratio to the local button's p99 {p99 / percentile(button, 99):.2f}x")


if __name__ == "__main__":
    main()
