"""Run the scale, load, footprint, soak and fault figures and write them into the README.

Each benchmark runs as its own process on one seeded station (a year: 10,000
bulletins, 100,000 log entries); its printed table goes, as printed, between
the ``<!-- figures:start -->`` and ``<!-- figures:end -->`` markers of
README.md, so the table there is always the last run's. ``benchmarks/run-all``
calls this.

    benchmarks/run-all [--quick] [--faults N] [--soak-minutes 30] [--no-readme]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def run(title: str, argv: list[str], env: dict | None = None) -> str:
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    took = time.perf_counter() - t0
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    # some benchmarks exit 0 and say "NOT met" / "NOT held" themselves
    held = done.returncode == 0 and not any("NOT met" in line or "NOT held" in line for line in lines)
    verdict = "held" if held else "**not held**"
    shown = " ".join(a for a in argv[1:] if not a.startswith(str(ROOT)))
    body = "\n".join(lines[-40:]) or done.stderr.strip().splitlines()[-1:][0]
    print(f"{title}: {verdict} ({took:.0f} s)", file=sys.stderr)
    return f"#### {title}: {verdict}\n\n`{shown}` ({took:.0f} s)\n\n{body}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter load and soak phases")
    parser.add_argument("--faults", type=int, default=0, help="also run the fault suite with N kill -9 cycles")
    parser.add_argument("--soak-minutes", type=float, default=None, help="real-time soak (default 30, quick 3)")
    parser.add_argument("--no-readme", action="store_true", help="print the section instead of writing README.md")
    args = parser.parse_args()
    py = sys.executable
    bench = ROOT / "benchmarks"
    soak_minutes = args.soak_minutes if args.soak_minutes is not None else (3 if args.quick else 30)
    sections = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "station"
        subprocess.run([py, str(bench / "seed_station.py"), str(home)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        sections.append(run("Admin under load (50 logged-in clients, p95 ≤ 50 ms)",
                            [py, str(bench / "admin_load.py"), "--home", str(home),
                             "--seconds", "20" if args.quick else "60"]))
        sections.append(run("CSV export of a year (≤ 2× sqlite3 -csv, ≤ 100 MB)",
                            [py, str(bench / "export_csv.py"), "--home", str(home), "--runs", "1" if args.quick else "3"]))
        if (bench / "report_exports.py").exists():
            sections.append(run("XLSX export of a year (≤ 3 s)",
                                [py, str(bench / "report_exports.py")]))
        sections.append(run("Idle footprint of radio serve (≤ 120 MB, ≤ 1 % CPU)",
                            [py, str(bench / "footprint.py"), "--home", str(home),
                             "--seconds", "20" if args.quick else "60"]))
    sections.append(run("Soak: a simulated day and a real-time run",
                        [py, str(bench / "soak.py"), "--simulated-hours", "24", "--minutes", str(soak_minutes)]))
    if args.faults:
        sections.append(run(f"Fault suite ({args.faults} kill -9 cycles)",
                            [py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "faults", "-s",
                             "tests/faults"], env={"RADIO_FAULT_CYCLES": str(args.faults)}))
    stamp = (f"Last run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.node()}, "
             f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end"
             f"{' (--quick)' if args.quick else ''}.")
    section = f"{START}\n{stamp}\n\n" + "\n".join(sections) + f"{END}"
    if args.no_readme:
        print(section)
        return 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if START not in readme or END not in readme:
        raise SystemExit(f"README.md has no {START} … {END} markers")
    head, rest = readme.split(START, 1)
    (ROOT / "README.md").write_text(head + section + rest.split(END, 1)[1], encoding="utf-8")
    print("README.md figures updated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
