"""Exports of the proof log (CSV now; Excel and Word reports build on the same rows).

Every cell written to a CSV goes through :func:`neutralise`: the file is made
for Excel, and a bulletin title such as ``=HYPERLINK(...)`` must stay text
there (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlite_utils import Database

from .clock import local_text
from .outputs import masked
from .prooflog import STATUS_LABELS, entries

#: shown beside an occurrence that went to a file: nobody heard it on a loudspeaker
FILE_OUTPUT_NOTE = "ra tệp (không phát ra loa)"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = (
    "occurrence_id", "key", "kind", "slot_id", "scheduled_local", "scheduled_utc",
    "started_utc", "ended_utc", "seconds_played", "programme_seconds", "status", "status_vi",
    "reason", "output", "output_kind", "output_note", "loudness_lufs", "programme_sha256", "item_position", "bulletin_id",
    "title", "topic", "priority", "engine", "text_sha256", "audio_sha256", "item_completed", "approved_by", "approved_at_local", "hash",
)


def neutralise(value: object) -> object:
    """A cell Excel will not run as a formula: text starting with ``= + - @``, tab or CR
    gets a leading apostrophe (OWASP). Numbers stay numbers (a negative LUFS is not text)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def log_rows(db: Database, month: str | None = None) -> list[dict]:
    """One row per played item (or per occurrence when it had none), oldest first."""
    rows = []
    for occ in reversed(entries(db, month=month)):
        base = {
            "occurrence_id": occ["id"], "key": occ["key"], "kind": occ["kind"],
            "slot_id": occ["slot_id"], "scheduled_local": local_text(occ["scheduled_at"]),
            "scheduled_utc": occ["scheduled_at"], "started_utc": occ["started_at"],
            "ended_utc": occ["ended_at"], "seconds_played": occ["seconds_played"],
            "programme_seconds": occ["programme_seconds"], "status": occ["status"],
            "status_vi": STATUS_LABELS[occ["status"]], "reason": occ["reason"],
            "output": masked(occ["output"]), "output_kind": occ.get("output_kind"),
            "output_note": FILE_OUTPUT_NOTE if occ.get("output_kind") == "file" else "",
            "loudness_lufs": occ["loudness_lufs"],
            "programme_sha256": occ["programme_sha256"], "hash": occ["hash"],
        }
        for item in occ["items"] or [None]:
            row = dict(base)
            if item:
                row.update(
                    item_position=item["position"], bulletin_id=item["bulletin_id"],
                    title=item["title"], topic=item["topic"], priority=item["priority"],
                    engine=item["engine"], text_sha256=item["text_sha256"],
                    audio_sha256=item["audio_sha256"], item_completed=item["completed"],
                    approved_by=item.get("approved_by"),
                    approved_at_local=local_text(item["approved_at"]) if item.get("approved_at") else None,
                )
            rows.append(row)
    return rows


def write_csv(db: Database, target: Path | io.TextIOBase, month: str | None = None) -> int:
    """Write the log as UTF-8 CSV (with BOM so Excel shows Vietnamese); return row count."""
    rows = log_rows(db, month)
    if isinstance(target, Path):
        tmp = target.with_name(target.name + ".tmp")
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            _write(fh, rows)
        tmp.replace(target)
    else:
        _write(target, rows)
    return len(rows)


def _write(fh, rows: list[dict]) -> None:
    writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
