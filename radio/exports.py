"""Exports of the proof log: a thin shim over :mod:`radio.reports` for older callers."""

from __future__ import annotations

import io
from pathlib import Path

from sqlite_utils import Database

from radio.reports import csv_export, periods
from radio.reports.csv_export import neutralise  # noqa: F401  (the one CSV-injection helper)
from radio.reports.rows import COLUMNS as CSV_COLUMNS  # noqa: F401


def write_csv(db: Database, target: Path | io.TextIOBase, month: str | None = None,
              *, english: bool = True) -> int:
    """Write the log (one local month, or everything) as CSV; return the row count."""
    period = periods.select(month_text=month) if month else None
    return csv_export.write(db, target, period, english=english)
