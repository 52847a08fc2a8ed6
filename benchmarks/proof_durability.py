"""What making proof rows durable costs on the air path.

Every airing writes three proof-log statements that must survive a lost
``radio.db-wal``: its claim marked on air (:func:`radio.proof.log.mark_started`),
and its final row (:func:`radio.proof.log.append`, which also marks the row as the
station's and signs the new head). Both now end with a passive WAL checkpoint
(:func:`radio.store.connection.checkpoint`), so the rows are in ``radio.db`` itself.

Times N airings' claim, mark and append on a station database on disk, with the
checkpoint and with it replaced by a no-op (the setting before), and prints the
ratio. ``synchronous = FULL`` is not measured as an alternative: it makes the WAL
durable, not the database file, so it does not survive losing the WAL.

Run: ``.venv/bin/python benchmarks/proof_durability.py [--airings 200]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from radio.proof import log as prooflog
from radio.store import connection as store  # noqa: E402
from radio.store.home import open_home  # noqa: E402
from radio.proof.log import Entry, LoggedItem  # noqa: E402

START = datetime(2026, 11, 1, tzinfo=UTC)


def air(db, n: int) -> None:
    when = START + timedelta(minutes=n)
    key = f"slot1@{when:%Y-%m-%dT%H:%M:%S}"
    items = [LoggedItem(1, 1, "Bản tin", topic="cchc", text_sha256="a" * 64, audio_sha256="b" * 64,
                        engine="espeak", duration_ms=60_000, completed=True)]
    prooflog.claim(db, key=key, slot_id=1, scheduled_at=when, now=when, output="file:/x", items=items)
    prooflog.mark_started(db, key, when)
    prooflog.append(db, Entry(key=key, scheduled_at=when, status="aired", slot_id=1, started_at=when,
                              ended_at=when + timedelta(minutes=1), seconds_played=60.0, output="file:/x",
                              items=items), now=when + timedelta(minutes=1))


def run(airings: int, durable: bool) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        home = open_home(Path(tmp) / "station")
        db = store.connect(home.database)
        air(db, 0)  # the key and the heads file exist before timing
        patch = mock.patch.object(prooflog, "checkpoint", (lambda db: True) if not durable else store.checkpoint)
        with patch:
            started = time.perf_counter()
            for n in range(1, airings + 1):
                air(db, n)
            elapsed = time.perf_counter() - started
        db.conn.close()
        return elapsed / airings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--airings", type=int, default=200)
    args = parser.parse_args()
    before = min(run(args.airings, durable=False) for _ in range(3))
    after = min(run(args.airings, durable=True) for _ in range(3))
    print(f"claim + on-air mark + append per airing, best of 3 runs of {args.airings}:")
    print(f"  without checkpoint (before): {before * 1000:.2f} ms")
    print(f"  with checkpoint (durable):   {after * 1000:.2f} ms")
    print(f"  ratio {after / before:.2f}x")


if __name__ == "__main__":
    main()
