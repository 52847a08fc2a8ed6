"""`radio log verify` over a year of a very busy station: 100,000 proof-log entries.

Seeds a station database with N entries (two items each, hashed with the
project's own function, inserted in one transaction) and its signed heads file,
then times, side by side:

- baseline: a bare loop reading the same rows and hashing each with sha256;
- ``radio.proof.chain.verify``: the full check (hash chain, id gaps, signed heads with
  their HMACs, field digests compared only where a hash differs);
- ``radio.proof.chain.chain_state``: what a page view costs (incremental).

Peak Python memory (tracemalloc) is measured for the full check at N/10 and at
N entries: a streaming check stays flat.

Run: ``.venv/bin/python benchmarks/chain_verify.py [--entries 100000]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from radio.proof import chain  # noqa: E402
from radio.clock import to_utc_text  # noqa: E402
from radio.store.home import open_home  # noqa: E402
from radio.store.connection import connect, write  # noqa: E402

START = datetime(2025, 1, 1, tzinfo=UTC)


def seed(db, entries: int) -> None:
    prev = chain.GENESIS
    with write(db):
        for n in range(1, entries + 1):
            when = START + timedelta(minutes=5 * n)
            row = {"key": f"slot{n % 10}@{when.isoformat()}", "kind": "slot", "slot_id": n % 10,
                   "scheduled_at": to_utc_text(when), "started_at": to_utc_text(when),
                   "ended_at": to_utc_text(when + timedelta(minutes=15)), "seconds_played": 900.0,
                   "programme_seconds": 900.0, "status": "aired", "reason": None, "output": "pulse:thon1",
                   "programme_sha256": hashlib.sha256(str(n).encode()).hexdigest(), "loudness_lufs": -16.0,
                   "hooks": None, "logged_at": to_utc_text(when + timedelta(minutes=16)), "prev_hash": prev,
                   "entered_by": None, "corrects_id": None}
            items = [{"position": p, "bulletin_id": n % 500 + p, "title": f"Tin cải cách hành chính {n}.{p}",
                      "topic": "cchc", "priority": "normal", "text_sha256": "a" * 64, "audio_sha256": "b" * 64,
                      "engine": "gtts", "duration_ms": 60_000, "completed": 1} for p in (1, 2)]
            row["hash"] = prev = chain.row_hash(row, items)
            cur = db.conn.execute(
                f"INSERT INTO occurrences ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()))
            for item in items:
                db.conn.execute(
                    f"INSERT INTO occurrence_items (occurrence_id, {', '.join(item)}) "
                    f"VALUES (?, {', '.join('?' * len(item))})", [cur.lastrowid, *item.values()])
        chain.advance(db)


def baseline(db) -> float:
    """Read every row and its items, sha256 each: the floor any check pays."""
    t0 = time.perf_counter()
    digest = None
    for values in db.conn.execute("SELECT * FROM occurrences ORDER BY id"):
        digest = hashlib.sha256(json.dumps(values).encode()).hexdigest()
    for values in db.conn.execute("SELECT * FROM occurrence_items ORDER BY occurrence_id, position"):
        digest = hashlib.sha256(json.dumps(values).encode()).hexdigest()
    assert digest
    return time.perf_counter() - t0


def timed_verify(db):
    t0 = time.perf_counter()
    report = chain.verify(db, settings={}, now=START)
    return time.perf_counter() - t0, report


def peak_of_verify(db) -> int:
    tracemalloc.start()
    chain.verify(db, settings={}, now=START)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def station(root: Path, entries: int):
    home = open_home(root)
    db = connect(home.database)
    seed(db, entries)
    t0 = time.perf_counter()
    chain.witness(db, START + timedelta(days=400), settings={})
    return db, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, _ = station(Path(tmp) / "small", args.entries // 10)
        db, witness_s = station(Path(tmp) / "big", args.entries)
        base = min(baseline(db) for _ in range(3))
        full, report = min((timed_verify(db) for _ in range(3)), key=lambda r: r[0])
        assert report.ok and report.count == args.entries, report.problems
        t0 = time.perf_counter()
        for _ in range(20):
            state = chain.chain_state(db)
        state_s = (time.perf_counter() - t0) / 20
        assert state.ok
        peak_small, peak_big = peak_of_verify(small), peak_of_verify(db)
        heads = (Path(tmp) / "big" / chain.HEADS_FILE).stat().st_size
    print(f"entries: {args.entries:,} (two items each)")
    print(f"baseline (read + sha256 every row):  {base:7.3f} s")
    print(f"radio log verify (chain + heads):    {full:7.3f} s   ratio {full / base:5.2f}x")
    print(f"chain_state (a page view):           {state_s * 1000:7.2f} ms  ratio {state_s / full:.5f}x of a full check")
    print(f"signing the heads of all entries:    {witness_s:7.3f} s   heads file {heads / 1e6:.1f} MB")
    print(f"peak Python memory of verify: {peak_small / 1e6:.2f} MB at {args.entries // 10:,} entries, "
          f"{peak_big / 1e6:.2f} MB at {args.entries:,} (ratio {peak_big / peak_small:.2f}x for 10x the rows)")


if __name__ == "__main__":
    main()
