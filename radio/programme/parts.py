"""The parts of a programme the station installs itself, with the sha256 recorded then.

- The ident is rendered once per ident text (as normalised) and engine settings, by a
  fresh synthesis (never a file found in the speech cache), copied to
  ``RADIO_HOME/parts/`` and recorded in ``station_parts``. A changed ident setting
  (or lexicon) renders and records the new one: that is the one legitimate path.
- An uploaded jingle is recorded by :func:`radio.programme.jingles.set_jingle`; the shipped
  chimes are checked against :data:`audio.jingles.DEFAULT_SHA256`.

Before assembly every part is read once and checked against the recorded sha256
(:func:`radio.programme.assembly.verified_bytes`); a replaced file never airs.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from content.normalize import normalize
from content.render import Rendering, engines_for, render

from radio.clock import to_utc_text
from radio.settings import ident_text
from radio.store.home import Home
from radio.bulletins.spoken import station_lexicon
from radio.store.connection import write

IDENT = "ident"


def parts_dir(home: Home) -> Path:
    return home.root / "parts"


def get(db: Database, name: str) -> dict | None:
    rows = list(db["station_parts"].rows_where("name = ?", [name]))
    return rows[0] if rows else None


def record_part(db: Database, name: str, path: Path, *, duration_ms: int | None = None,
                source: str | None = None, engine: str | None = None,
                now: datetime | None = None) -> dict:
    """Record the sha256 of the part *name* as installed now at *path*."""
    row = dict(name=name, path=str(path), sha256=hashlib.sha256(Path(path).read_bytes()).hexdigest(),
               duration_ms=duration_ms, source=source, engine=engine,
               installed_at=to_utc_text(now or datetime.now(UTC)))
    with write(db):
        db["station_parts"].upsert(row, pk="name")
    return row


def forget_part(db: Database, name: str) -> None:
    with write(db):
        db.execute("DELETE FROM station_parts WHERE name = ?", [name])


def _ident_source(db: Database, settings: dict, text: str) -> tuple[str, list, str]:
    spoken = normalize(text, lexicon=station_lexicon(db))
    engines = engines_for(settings["engine"], settings)
    source = json.dumps({"spoken": spoken, "engines": [e.cache_identity() for e in engines]},
                        ensure_ascii=False, sort_keys=True)
    return spoken, engines, source


def installed_ident(db: Database, home: Home, settings: dict, text: str) -> Rendering:
    """The installed ident for *text* under the current settings, installing it if needed.

    :raise content.engines.base.EngineError: no engine could speak it.
    """
    spoken, engines, source = _ident_source(db, settings, text)
    row = get(db, IDENT)
    if row is None or row["source"] != source or not Path(row["path"]).is_file():
        row = _install_ident(db, home, spoken, engines, source)
    return Rendering(path=Path(row["path"]), engine=row["engine"] or "", voice="", spoken_text=spoken,
                     cache_key=Path(row["path"]).stem, audio_sha256=row["sha256"],
                     duration_ms=row["duration_ms"])


def _install_ident(db: Database, home: Home, spoken: str, engines: list, source: str) -> dict:
    folder = parts_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    # a fresh synthesis in a folder of its own: a file planted in the speech cache under
    # the ident's cache key is never what gets installed
    with tempfile.TemporaryDirectory(prefix=".ident-", dir=folder) as scratch:
        rendering = render(spoken, Path(scratch), engines)
        target = folder / f"ident-{rendering.audio_sha256[:16]}.wav"
        os.replace(rendering.path, target)
    return record_part(db, IDENT, target, duration_ms=rendering.duration_ms, source=source,
                       engine=rendering.engine)


def discard_ident(db: Database, row_path: Path) -> None:
    """Drop an installed ident found damaged or replaced, so the next use installs it afresh."""
    Path(row_path).unlink(missing_ok=True)
    row = get(db, IDENT)
    if row and Path(row["path"]) == Path(row_path):
        forget_part(db, IDENT)


def render_ident(db: Database, home: Home, settings: dict) -> Rendering | None:
    """Render and install the station ident ahead of air, its sha256 recorded;
    an unchanged ident setting reuses the installed one."""
    text = ident_text(settings)
    return installed_ident(db, home, settings, text) if text else None
