"""An outside auditor's check of a station's proof log, written from
docs/proof-format.md alone.

It imports nothing of the project: only Python's standard library (sqlite3, json,
hashlib, hmac). It returns the problems it finds, each as ``(what, entry_id)``;
an empty list means the log checks.

Run: ``python standalone_verifier.py DATA_DIR [--key KEYFILE] [--expect N:HASH] [--copy HEADS_COPY]``.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sqlite3
import sys

GENESIS = "0" * 64
ROW_KEYS = ["key", "kind", "slot_id", "scheduled_at", "started_at", "ended_at", "seconds_played",
            "programme_seconds", "status", "reason", "output", "programme_sha256", "loudness_lufs",
            "hooks", "logged_at", "prev_hash"]
ROW_OPTIONAL = ["entered_by", "corrects_id", "output_kind"]
ITEM_KEYS = ["position", "bulletin_id", "title", "topic", "priority", "text_sha256", "audio_sha256",
             "engine", "duration_ms", "completed"]
ITEM_OPTIONAL = ["approved_by", "approved_at"]


def canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(row: dict, items: list[dict]) -> str:
    hashed = {k: row[k] for k in ROW_KEYS}
    hashed.update({k: row[k] for k in ROW_OPTIONAL if row.get(k) is not None})
    listed = []
    for item in items:
        one = {k: item[k] for k in ITEM_KEYS}
        one.update({k: item[k] for k in ITEM_OPTIONAL if item.get(k) is not None})
        listed.append(one)
    text = canonical({"row": hashed, "items": listed})
    return hashlib.sha256((row["prev_hash"] + text).encode("utf-8")).hexdigest()


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()[:8]


def field_digests(row: dict, items: list[dict]) -> tuple[list[str], list[list[str]]]:
    return ([digest(row.get(k)) for k in ROW_KEYS + ROW_OPTIONAL],
            [[digest(i.get(k)) for k in ITEM_KEYS + ITEM_OPTIONAL] for i in items])


def schema_hash(conn: sqlite3.Connection) -> str:
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN "
                        "('occurrences', 'occurrence_items') AND type IN ('table', 'trigger') "
                        "ORDER BY type, name").fetchall()
    return hashlib.sha256(json.dumps([list(r) for r in rows]).encode("utf-8")).hexdigest()


def read_heads(path: str, key: bytes | None, problems: list) -> tuple[list[dict], bool]:
    """The heads file's lines whose signature (with *key*) and chaining check; and
    whether the file exists."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return [], False
    lines, prev = [], ""
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        record = json.loads(raw)
        mac = record.pop("mac")
        body = json.dumps(record, sort_keys=True, separators=(",", ":")).encode("utf-8")
        if key is not None and not hmac.compare_digest(mac, hmac.new(key, body, hashlib.sha256).hexdigest()):
            problems.append(("heads line altered", number))
            continue
        if record["prev"] != prev:
            problems.append(("heads lines removed", number))
        prev = mac
        record["mac"] = mac
        lines.append(record)
    return lines, True


def check(data_dir: str, key: bytes | None = None, expect: str | None = None,
          heads_copy: str | None = None) -> list[tuple[str, int | None]]:
    problems: list[tuple[str, int | None]] = []
    conn = sqlite3.connect(f"{data_dir}/radio.db")
    conn.row_factory = sqlite3.Row
    lines, exists = read_heads(f"{data_dir}/chain-heads.jsonl", key, problems)
    signed, digests = {}, {}
    for line in lines:
        for entry_id, entry_digest, fields, item_fields in line["entries"]:
            signed[entry_id], digests[entry_id] = entry_digest, (fields, item_fields)

    # §4: the line the database says it signed last must still be in the heads file
    note = dict(conn.execute("SELECT name, value FROM station_state WHERE name LIKE 'chain.signed_%'").fetchall())
    if note.get("chain.signed_mac") and note["chain.signed_mac"] not in {line["mac"] for line in lines}:
        problems.append(("heads file missing or shortened" if exists else "heads file missing", None))

    prev, expected_id, last_id, ids = GENESIS, 1, 0, set()
    rows = conn.execute("SELECT * FROM occurrences ORDER BY id").fetchall()
    for row in rows:
        row = dict(row)
        items = [dict(i) for i in conn.execute(
            "SELECT * FROM occurrence_items WHERE occurrence_id = ? ORDER BY position", [row["id"]])]
        if row["id"] > expected_id:
            problems.append(("missing", expected_id))
        if entry_hash(row, items) != row["hash"]:
            problems.append(("altered", row["id"]))
        elif row["id"] in signed and signed[row["id"]] != row["hash"]:
            problems.append(("rewritten", row["id"]))
        elif row["id"] in signed and list(field_digests(row, items)) != list(digests[row["id"]]):
            problems.append(("field digests differ", row["id"]))
        elif row["prev_hash"] != prev and row["id"] == expected_id:
            problems.append(("out of order", row["id"]))
        if row["id"] not in signed:
            problems.append(("not signed", row["id"]))
        ids.add(row["id"])
        prev, expected_id, last_id = row["hash"], row["id"] + 1, row["id"]

    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'occurrences'").fetchone()
    top = max([last_id, seq[0] if seq else 0, lines[-1]["last_id"] if lines else 0, *signed])
    if heads_copy:
        copy_lines, copy_exists = read_heads(heads_copy, key, problems)
        if not copy_exists:
            problems.append(("second copy missing", None))
        elif copy_lines:
            top = max(top, copy_lines[-1]["last_id"])
            if copy_lines[-1]["mac"] not in {line["mac"] for line in lines}:
                problems.append(("heads file behind its copy", copy_lines[-1]["last_id"]))
    if expect:
        count, digest = expect.split(":")
        count = int(count)
        found = conn.execute("SELECT hash FROM occurrences WHERE id = ?", [count]).fetchone()
        if found is None:
            top = max(top, count)
        elif found[0] != digest:
            problems.append(("expected head differs", count))
    if top > last_id:
        problems.append(("missing", last_id + 1))
    if lines and lines[-1]["schema"] != schema_hash(conn):
        problems.append(("schema changed", None))
    conn.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("--key", help="the key file (64 hex digits)")
    parser.add_argument("--expect", help="a head written down earlier, COUNT:HASH")
    parser.add_argument("--copy", help="the second copy of the heads file")
    args = parser.parse_args()
    key = bytes.fromhex(open(args.key).read().strip()) if args.key else None
    problems = check(args.data_dir, key, args.expect, args.copy)
    for what, entry_id in problems:
        print(f"{what}" + (f" (entry {entry_id})" if entry_id else ""))
    print("intact" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
