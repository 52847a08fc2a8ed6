"""A year of a busy station (100,000 proof-log entries) exported to XLSX and DOCX.

Each export runs in its own process so its peak RSS is its own. Baseline: the
same rows written by openpyxl's write-only mode straight from one SQL query
(no summary, no conversion), i.e. the least any XLSX export of these rows costs.
Target: radio's XLSX ≤ 3 s, memory bounded (flat in the number of rows).

    .venv/bin/python benchmarks/report_exports.py [--entries 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)


def seed(path: Path, entries: int) -> None:
    """Entries over 2026 written with the proof log's own row hash, in one transaction (valid chain)."""
    from radio.proof import chain, log as prooflog
    from radio.clock import to_utc_text
    from radio.store.connection import connect

    db = connect(path)
    rng = random.Random(9)
    start = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    step = timedelta(days=365) / entries
    prev = chain.GENESIS
    statuses = ["aired"] * 90 + ["partial"] * 4 + ["failed"] * 2 + ["missed"] * 3 + ["cancelled"]
    db.conn.execute("BEGIN IMMEDIATE")
    for n in range(1, entries + 1):
        when = start + step * n
        status = rng.choice(statuses)
        played = 600.0 if status in ("aired", "partial") else 0.0
        row = {
            "key": f"slot{n % 20}@{to_utc_text(when)}", "kind": "slot", "slot_id": n % 20,
            "scheduled_at": to_utc_text(when), "started_at": to_utc_text(when) if played else None,
            "ended_at": to_utc_text(when + timedelta(seconds=played)) if played else None,
            "seconds_played": played, "programme_seconds": 600.0, "status": status,
            "reason": None if status == "aired" else "nothing played", "output": "pulse:loa",
            "programme_sha256": f"{n:064x}" if played else None, "loudness_lufs": -16.0 if played else None,
            "hooks": None, "logged_at": to_utc_text(when + timedelta(seconds=played + 1)), "prev_hash": prev,
        }
        items = [{"position": 0, "bulletin_id": n % 400, "title": f"Tin bài số {n % 400} về cải cách hành chính",
                  "topic": "cchc" if n % 3 else "thongbao", "priority": "normal", "text_sha256": f"{n:064x}",
                  "audio_sha256": f"{n:064x}", "engine": "espeak", "duration_ms": 60000,
                  "completed": int(status == "aired")}]
        row["hash"] = chain.row_hash(row, items)
        prev = row["hash"]
        # one entry, then its items: the log's triggers take items for the newest entry only
        cols = ",".join(["id", *row.keys()])
        db.conn.execute(f"INSERT INTO occurrences ({cols}) VALUES ({','.join('?' * (len(row) + 1))})",
                        (n, *row.values()))
        icols = ",".join(["occurrence_id", *items[0].keys()])
        db.conn.executemany(f"INSERT INTO occurrence_items ({icols}) VALUES ({','.join('?' * (len(items[0]) + 1))})",
                            [(n, *i.values()) for i in items])
    chain.advance(db)
    db.conn.execute("COMMIT")
    assert prooflog.verify_chain(db) == (True, None)
    db.conn.close()


def phase(name: str, path: Path, out: Path) -> dict:
    from radio import settings as radio_settings
    from radio.reports import docx_export, periods, xlsx_export
    from radio.store.connection import connect

    db = connect(path)
    t0 = time.perf_counter()
    if name == "radio-xlsx":
        rows = xlsx_export.write(db, out, periods.parse("2026"), now=NOW)
    elif name == "radio-docx":
        settings = {s.name: s.default for s in radio_settings.SETTINGS}
        docx_export.write(db, out, periods.parse("2026"), now=NOW, settings=settings)
        rows = None
    elif name == "baseline-xlsx":
        from openpyxl import Workbook
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("rows")
        rows = 0
        for values in db.conn.execute(
                "SELECT o.id, o.scheduled_at, o.started_at, o.ended_at, o.kind, o.status, o.seconds_played, "
                "o.programme_seconds, o.reason, o.output, o.loudness_lufs, i.position, i.bulletin_id, i.title, "
                "i.topic, i.completed, i.engine, o.programme_sha256, o.hash FROM occurrences o "
                "LEFT JOIN occurrence_items i ON i.occurrence_id = o.id ORDER BY o.scheduled_at, o.id, i.position"):
            ws.append(values)
            rows += 1
        wb.save(out)
    else:
        raise SystemExit(f"unknown phase {name}")
    seconds = time.perf_counter() - t0
    return {"phase": name, "seconds": seconds, "rows": rows, "size_mb": out.stat().st_size / 2**20,
            "peak_rss_mib": _peak_rss_mib()}


def _peak_rss_mib() -> float:
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's peak across fork+exec
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, Path(args.db), Path(args.out))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "radio.db"
        t0 = time.perf_counter()
        seed(db, args.entries)
        print(f"seeded {args.entries} entries (valid chain) in {time.perf_counter() - t0:.1f} s")
        results = {}
        for name, ext in (("baseline-xlsx", "xlsx"), ("radio-xlsx", "xlsx"), ("radio-docx", "docx")):
            out = Path(tmp) / f"{name}.{ext}"
            proc = subprocess.run([sys.executable, __file__, "--phase", name, "--db", str(db), "--out", str(out)],
                                  capture_output=True, text=True, check=True)
            results[name] = r = json.loads(proc.stdout)
            print(f"{name:<14} {r['seconds']:6.2f} s  peak RSS {r['peak_rss_mib']:6.1f} MiB  "
                  f"{r['size_mb']:5.1f} MB" + (f"  {r['rows']} rows" if r["rows"] else ""))
        ratio = results["radio-xlsx"]["seconds"] / results["baseline-xlsx"]["seconds"]
        print(f"radio XLSX / baseline: {ratio:.2f}x time; target ≤ 3 s: "
              f"{'met' if results['radio-xlsx']['seconds'] <= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
