"""The JSON API listing a month of a busy station's log, against the bare SQL + JSON of the same rows.

A busy station logs about 100,000 occurrences a year, some 8,400 a month. The
benchmark seeds that month (through the library, so the chain is real), pages
through it with ``/api/v1/log?month=...&limit=500`` as a district collector
would, and runs side by side the baseline: one ``sqlite3`` query of the same
rows and items, serialised with ``json.dumps``. Prints seconds and the ratio.

    .venv/bin/python benchmarks/api_log_month.py [--entries 8400] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from radio.proof import log as prooflog
from radio.accounts import tokens
from radio.accounts.roles import Actor
from radio.store.connection import connect, write
from web import create_app

START = datetime(2026, 10, 31, 17, 0, tzinfo=UTC)  # 2026-11-01 00:00 local


def seed(database: Path, entries: int) -> None:
    db = connect(database)
    step = timedelta(days=29) / entries
    with write(db):
        for i in range(entries):
            when = START + step * i
            prooflog.append(db, prooflog.Entry(
                key=f"slot:{i % 5}@{when.isoformat()}", slot_id=i % 5, scheduled_at=when, status="aired",
                started_at=when, ended_at=when + timedelta(seconds=95), seconds_played=95.0,
                programme_seconds=95.0, programme_sha256=f"{i:064x}", loudness_lufs=-16.0, output="device",
                items=[prooflog.LoggedItem(n, n + 1, f"Bản tin {n}", "cchc", "normal", f"{n:064x}",
                                           f"{n + i:064x}", "gtts", 30000, True) for n in range(3)]),
                now=when + timedelta(minutes=2))
    db.conn.close()


def through_api(client, secret: str) -> int:
    count, url = 0, "/api/v1/log?month=2026-11&limit=500"
    while url:
        body = client.get(url, headers={"Authorization": f"Bearer {secret}"}).get_json()
        count += len(body["entries"])
        url = body["next"]
    return count


def baseline(database: Path) -> int:
    conn = sqlite3.connect(database)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM occurrences WHERE scheduled_at >= ? ORDER BY id",
                                          [START.isoformat(timespec="milliseconds")])]
    items: dict[int, list] = {}
    for item in conn.execute("SELECT * FROM occurrence_items ORDER BY occurrence_id, position"):
        items.setdefault(item["occurrence_id"], []).append(dict(item))
    body = json.dumps([{**r, "items": items.get(r["id"], [])} for r in rows])
    conn.close()
    return len(rows) if body else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=8400)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "station"
        app = create_app({"TESTING": True, "RADIO_HOME": str(home), "SECRET_KEY": "bench"})
        seed(home / "radio.db", args.entries)
        db = connect(home / "radio.db")
        secret = tokens.create_token(db, Actor("bench", "admin"), "bench", now=START)[1]
        client = app.test_client()
        api_s, base_s = [], []
        for _ in range(args.runs):  # side by side, alternating
            t = time.perf_counter()
            assert through_api(client, secret) == args.entries
            api_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            assert baseline(home / "radio.db") == args.entries
            base_s.append(time.perf_counter() - t)
        api, base = statistics.median(api_s), statistics.median(base_s)
        print(f"{args.entries} entries, median of {args.runs}: API {api:.3f} s "
              f"({args.entries / api:,.0f} entries/s), sqlite3 + json {base:.3f} s; ratio {api / base:.2f}×")


if __name__ == "__main__":
    main()
