"""``radio log export --format csv`` of a year (100,000 entries) against ``sqlite3 -csv`` of the same join.

Both run as subprocesses on the same seeded station (``seed_station.seed``);
wall time, CPU time (user + system) and peak RSS come from ``os.wait4`` of each
child. On a machine other work shares, the CPU ratio moves less than the wall one. The baseline
selects the same columns of ``occurrences LEFT JOIN occurrence_items`` in the
same order, so the ratio shows what the export's streaming, formatting and
chain-head line cost. Both write a new file in the same temporary directory
(``sqlite3``'s standard output redirected to it), since writing 150 MB is part of
the job. Targets: time ≤ 2× the baseline, RSS ≤ 100 MB.

    .venv/bin/python benchmarks/export_csv.py [--home DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed_station import seed  # noqa: E402

from radio.store.connection import connect  # noqa: E402

JOIN = ("SELECT o.id, o.key, o.kind, o.slot_id, o.scheduled_at, o.started_at, o.ended_at, o.seconds_played, "
        "o.programme_seconds, o.status, o.reason, o.output, o.loudness_lufs, o.programme_sha256, i.position, "
        "i.bulletin_id, i.title, i.topic, i.priority, i.engine, i.text_sha256, i.audio_sha256, i.completed, o.hash "
        "FROM occurrences o LEFT JOIN occurrence_items i ON i.occurrence_id = o.id "
        "ORDER BY o.scheduled_at, o.id, i.position")


def timed(argv: list[str], stdout) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[0]} failed: {proc.stderr.read().decode(errors='replace')}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def ensure_seeded(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    db = connect(home / "radio.db")
    if not db.execute("SELECT 1 FROM occurrences LIMIT 1").fetchone():
        seed(db)
    db.conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a seeded station to reuse (default: a new temporary one)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp) / "station"
        ensure_seeded(home)
        out, base_out = Path(tmp) / "export.csv", Path(tmp) / "baseline.csv"
        radio_runs, base_runs = [], []
        for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
            # both write a new file in the same directory (neither pays for removing the last one)
            out.unlink(missing_ok=True)
            base_out.unlink(missing_ok=True)
            with open(base_out, "wb") as sink:
                base_runs.append(timed(["sqlite3", "-csv", "-header", str(home / "radio.db"), JOIN], sink))
            radio_runs.append(timed([sys.executable, "-m", "radio", "--home", str(home), "log", "export",
                                     "--format", "csv", "-o", str(out)], subprocess.DEVNULL))
        lines = sum(1 for _ in open(out, encoding="utf-8-sig"))
    r_s, b_s = (statistics.median(s for s, _, _ in runs) for runs in (radio_runs, base_runs))
    r_cpu, b_cpu = (statistics.median(c for _, c, _ in runs) for runs in (radio_runs, base_runs))
    r_mb, b_mb = (max(m for _, _, m in runs) for runs in (radio_runs, base_runs))
    print(f"{lines} lines exported, median of {args.runs}, load average {os.getloadavg()[0]:.1f}")
    print("| | seconds | CPU seconds | peak RSS MB |")
    print("| --- | --- | --- | --- |")
    print(f"| baseline: sqlite3 -csv, same join | {b_s:.2f} | {b_cpu:.2f} | {b_mb:.0f} |")
    print(f"| radio log export --format csv | {r_s:.2f} | {r_cpu:.2f} | {r_mb:.0f} |")
    print(f"time ratio {r_s / b_s:.2f}× (target ≤ 2×; CPU {r_cpu / b_cpu:.2f}×), "
          f"RSS {r_mb:.0f} MB (target ≤ 100 MB)")
    return 0 if r_s <= 2 * b_s and r_mb <= 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
