"""A migrated station database, built once per test process and copied per test.

Migrating a new database runs every migration (about 50-80 ms); a test that only needs
an empty, current station gets a byte copy of one migrated at the start instead. The
copy is what the first ``connect`` of a new station leaves: the same schema, seeds and
``PRAGMA user_version``; tests of the migrations themselves open files of their own.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from radio.store.connection import connect

_template: Path | None = None


def _migrated_template() -> Path:
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="radio-db-template-"))
        connect(folder / "built.db").conn.close()
        # one self-contained file (no -wal beside it) to copy; a plain connection, as the
        # station's own refuses statements that could rewrite the proof log
        plain = sqlite3.connect(folder / "built.db")
        try:
            plain.execute("VACUUM INTO ?", [str(folder / "template.db")])
        finally:
            plain.close()
        _template = folder / "template.db"
    return _template


def seed_database(path: Path) -> Path:
    """Put a migrated, empty station database at *path* (which must not exist yet).

    :return: *path*
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private, like radio.store.connection
    with os.fdopen(fd, "wb") as out, open(_migrated_template(), "rb") as src:
        shutil.copyfileobj(src, out)
    return path
