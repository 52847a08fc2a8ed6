"""The proof log exported to a file, in one of its formats: one function for the CLI's
``radio log export`` and the admin's download alike.

:func:`export` picks the writer for the format and writes the file whole or not at all:
into a hidden file beside the target, renamed onto it only once complete, so a full disk
or an interrupted export never leaves half a report that looks like a whole one (nor
replaces a good older copy). The admin's CSV download streams rows instead
(:func:`radio.reports.csv_export.lines`): there is no file to write.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from radio.errors import ValidationError
from radio.reports import csv_export, rows as log_rows
from radio.reports.periods import Period

#: format → its MIME type (what a download is labelled with)
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@contextmanager
def written_whole(path: Path) -> Iterator[Path]:
    """A temporary file beside *path*, renamed onto it only when the block succeeds."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def export(db: Database, path: Path, fmt: str, period: Period | None, *, now: datetime, settings: dict,
           english: bool = False, progress: Callable[[int], None] | None = None) -> int:
    """Write the log (or, for docx, the report on it) for *period* to *path*; return the
    rows it covers.

    :param english: CSV only: the English columns and status words of earlier versions.
    :param progress: called with each batch of rows done (docx: all at the end).
    :raises ValidationError: an unknown format, or *english* with another than csv;
        nothing is written.
    """
    if fmt not in FORMATS:
        raise ValidationError(f'Unknown export format "{fmt}"; use {", ".join(FORMATS)}.')
    if english and fmt != "csv":
        raise ValidationError("English columns exist for the CSV export only.")
    path = Path(path)
    upto = log_rows.head(db).last_id  # the docx's row count: rows logged meanwhile are not in it
    with written_whole(path) as partial:
        if fmt == "csv":
            return csv_export.write(db, partial, period, english=english, progress=progress,
                                    head_file=path.with_name(path.name + csv_export.HEAD_SUFFIX))
        if fmt == "xlsx":
            from radio.reports import xlsx_export  # loaded on use: every CLI start would pay for it

            return xlsx_export.write(db, partial, period, now=now, progress=progress,
                                     station_name=settings["station_name"])
        from radio.reports import docx_export  # loaded on use: python-docx alone takes 0.1 s to import

        docx_export.write(db, partial, period, now=now, settings=settings)
        count = log_rows.count_rows(db, period, upto)
        if progress:
            progress(count)
        return count
