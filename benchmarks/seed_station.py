"""Seed a station with a year of a busy commune: 10,000 bulletins and 100,000 proof-log rows.

Reusable by the other benchmarks (``seed(db, ...)``) and from the shell:

    .venv/bin/python benchmarks/seed_station.py HOME [--bulletins 10000] [--entries 100000]

The rows are inserted in bulk inside one transaction, but every proof-log row's
hash is computed by the library's own chain function, so ``radio log verify``
holds on the result. Users, lexicon entries and audit rows are seeded too, so
every admin list has pages to turn.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from radio.proof import chain
from radio.bulletins.lifecycle import text_sha256
from radio.clock import to_utc_text
from radio.store.connection import connect, write

#: 2026-01-01 00:00 local: the seeded year starts here
START = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
STATUSES = ("aired",) * 16 + ("partial", "failed", "missed", "cancelled")
TOPICS = ("cchc", "nông nghiệp", "y tế", "thời tiết", "an ninh")
TEXT = ("UBND xã thông báo: từ ngày {d}/{m}/2026 bộ phận một cửa tiếp nhận hồ sơ cấp đổi "
        "giấy chứng nhận quyền sử dụng đất, đề nghị bà con mang theo căn cước công dân. Bản tin số {i}.")


def seed_bulletins(db: Database, count: int) -> None:
    rows = []
    for i in range(count):
        day = START + timedelta(days=i * 365 / max(count, 1))
        title = f"Thông báo số {i + 1}/TB-UBND về {TOPICS[i % len(TOPICS)]}"
        text = TEXT.format(d=day.day, m=day.month, i=i + 1)
        approved = i % 4 != 0
        rows.append(dict(
            title=title, text=text, topic=TOPICS[i % len(TOPICS)],
            priority=("normal", "normal", "priority", "urgent")[i % 4], repeat_count=1 + i % 3,
            status="approved" if approved else ("draft", "withdrawn")[i % 8 == 0],
            text_sha256=text_sha256(title, text), created_at=to_utc_text(day), created_by="canbo",
            approved_at=to_utc_text(day + timedelta(hours=1)) if approved else None,
            approved_by="lanhdao" if approved else None,
        ))
    db["bulletins"].insert_all(rows, batch_size=1000)


def seed_log(db: Database, count: int, *, slots: int = 10, bulletins: int = 10000) -> None:
    """*count* chained rows spread over the year, each with three played items."""
    step = timedelta(days=365) / max(count, 1)
    prev = db.execute("SELECT hash FROM occurrences ORDER BY id DESC LIMIT 1").fetchone()
    prev = prev[0] if prev else chain.GENESIS
    next_id = (db.execute("SELECT max(id) FROM occurrences").fetchone()[0] or 0) + 1
    occ_cols = (*chain.FIELDS, "hash")
    occ_sql = f"INSERT INTO occurrences (id, {', '.join(occ_cols)}) VALUES ({', '.join('?' * (len(occ_cols) + 1))})"
    item_cols = ("position", "bulletin_id", "title", "topic", "priority", "text_sha256",
                 "audio_sha256", "engine", "duration_ms", "completed")
    item_sql = (f"INSERT INTO occurrence_items (occurrence_id, {', '.join(item_cols)}) "
                f"VALUES ({', '.join('?' * (len(item_cols) + 1))})")
    conn = db.conn
    for i in range(count):
        when = START + step * i
        status = STATUSES[i % len(STATUSES)]
        played = status in ("aired", "partial")
        items = [dict(position=n, bulletin_id=1 + (i * 3 + n) % bulletins,
                      title=f"Thông báo số {1 + (i * 3 + n) % bulletins}/TB-UBND",
                      topic=TOPICS[n], priority="normal", text_sha256=f"{n:064x}",
                      audio_sha256=f"{i * 3 + n:064x}", engine="gtts", duration_ms=30000,
                      completed=int(played and (status == "aired" or n == 0)))
                 for n in range(3)] if status != "missed" else []
        row = dict(
            key=f"slot:{i % slots}@{to_utc_text(when)}", kind="slot", slot_id=1 + i % slots,
            scheduled_at=to_utc_text(when),
            started_at=to_utc_text(when) if played else None,
            ended_at=to_utc_text(when + timedelta(seconds=95)) if played else None,
            seconds_played=95.0 if status == "aired" else (31.5 if played else 0.0),
            programme_seconds=95.0, status=status,
            reason=None if status == "aired" else f"seeded {status} occurrence",
            output="device", programme_sha256=f"{i:064x}", loudness_lufs=-16.0, hooks=None,
            logged_at=to_utc_text(when + timedelta(minutes=2)), prev_hash=prev,
        )
        row["hash"] = prev = chain.row_hash(row, items)  # the library's chain, not a copy of it
        # one entry, then its items: the log's triggers take items for the newest entry only
        conn.execute(occ_sql, [next_id, *(row[c] for c in occ_cols)])
        conn.executemany(item_sql, [[next_id, *(item[c] for c in item_cols)] for item in items])
        next_id += 1


def seed_people(db: Database, *, users: int = 60, lexicon: int = 500, audit: int = 20000) -> None:
    password = generate_password_hash("matkhau-demo-1")
    db["users"].insert_all([dict(username=f"canbo{i:02d}", display_name=f"Cán bộ {i}", password_hash=password,
                                 role=("viewer", "officer", "leader", "admin")[i % 4],
                                 created_at=to_utc_text(START)) for i in range(users)], alter=False)
    db["lexicon"].insert_all([dict(term=f"TB{i:04d}", spoken=f"thông báo {i}", updated_at=to_utc_text(START))
                              for i in range(lexicon)], alter=False)
    step = timedelta(days=365) / max(audit, 1)
    db["audit"].insert_all([dict(at=to_utc_text(START + step * i), username=f"canbo{i % users:02d}",
                                 role="officer", action="bulletin.add", target=f"bulletin:{1 + i % 10000}",
                                 detail=None) for i in range(audit)], batch_size=2000)


def seed(db: Database, *, bulletins: int = 10000, entries: int = 100000) -> None:
    """Fill an empty, migrated station database in one transaction, then verify the new
    rows into the chain's incremental state and sign its head (as the daemon does)."""
    with write(db):
        seed_bulletins(db, bulletins)
        seed_log(db, entries, bulletins=bulletins)
        seed_people(db)
        chain.advance(db)
    chain.witness(db, START + timedelta(days=366))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path, help="station data directory (created; must hold no database)")
    parser.add_argument("--bulletins", type=int, default=10000)
    parser.add_argument("--entries", type=int, default=100000)
    args = parser.parse_args()
    args.home.mkdir(parents=True, exist_ok=True)
    if (args.home / "radio.db").exists():
        parser.error(f"{args.home / 'radio.db'} exists; seed an empty data directory")
    t0 = time.perf_counter()
    db = connect(args.home / "radio.db")
    seed(db, bulletins=args.bulletins, entries=args.entries)
    db.conn.close()
    print(f"seeded {args.bulletins} bulletins and {args.entries} log entries in "
          f"{time.perf_counter() - t0:.1f} s into {args.home}")


if __name__ == "__main__":
    main()
