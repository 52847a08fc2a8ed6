"""Assembly time of realistic programmes: what the decision cut-off must leave room for.

A station in a temporary data directory (engine espeak-ng, jingles and ident on)
gets bulletins cut from ``data/bulletin_1500.txt``, rendered ahead as the daemon
does; then :func:`radio.programme.assembly.build` (verify every part, load, trim, level,
join, write the WAV) is timed for programmes of 1, 3 and 8 items, N runs each.
Printed per size: programme length, p50/p99/max assembly time, and the budget
:func:`radio.station.decide.assembly_budget_s` allows, with the ratio p99 / budget
(must stay below 1; the cut-off adds ``MARGIN_S`` on top).

Run: ``.venv/bin/python benchmarks/programme_assembly.py [--runs 20]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from radio import settings as settings_mod  # noqa: E402
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin  # noqa: E402
from radio.store.home import open_home  # noqa: E402
from radio.programme.assembly import build  # noqa: E402
from radio.programme.parts import render_ident  # noqa: E402
from radio.speech.rendering import render_pending  # noqa: E402
from radio.schedule.plan import PlannedItem  # noqa: E402
from radio.station.decide import assembly_budget_s  # noqa: E402
from radio.store.connection import connect  # noqa: E402
from tests.support.actors import LEADER, OFFICER

TEXT = (Path(__file__).parent / "data" / "bulletin_1500.txt").read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        home = open_home(Path(folder) / "station")
        db = connect(home.database)
        db["settings"].upsert({"name": "engine", "value": "espeak"}, pk="name")
        settings = settings_mod.load(home, db)
        sentences = [s.strip() for s in TEXT.split(".") if len(s.strip()) > 40]
        ids = []
        for n in range(8):
            # about 300 characters each: a typical 20-25 s bulletin
            text = ". ".join(sentences[(2 * n) % len(sentences):(2 * n) % len(sentences) + 2]) + "."
            new_id = add_bulletin(db, actor=OFFICER, title=f"Tin {n + 1}", text=text, now=now)
            approve_bulletin(db, new_id, actor=LEADER, expected_sha256=None, by="bench", now=now)
            ids.append(new_id)
        render_pending(db, home, settings, now)
        render_ident(db, home, settings)
        bulletins = [db["bulletins"].get(i) for i in ids]
        print(f"{'items':>5} {'programme s':>11} {'p50 s':>7} {'p99 s':>7} {'max s':>7} "
              f"{'budget s':>8} {'p99/budget':>10}")
        for count in (1, 3, 8):
            items = [PlannedItem(b, 0, False) for b in bulletins[:count]]
            times, seconds = [], 0.0
            for run in range(args.runs):
                started = time.perf_counter()
                built = build(db, home, settings, f"bench-{count}-{run}", items)
                times.append(time.perf_counter() - started)
                seconds = built.seconds
            p50, p99, worst = np.percentile(times, 50), np.percentile(times, 99), max(times)
            budget = assembly_budget_s(int(seconds * 1000))
            print(f"{count:>5} {seconds:>11.1f} {p50:>7.3f} {p99:>7.3f} {worst:>7.3f} "
                  f"{budget:>8.2f} {p99 / budget:>10.2f}")
        db.conn.close()


if __name__ == "__main__":
    main()
