"""Who may fill the speech cache with previews, how fast, and how big it may grow.

A viewer's ``POST /speech/listen`` with 3,000 words rendered 749 s of speech
(33 MB) in 2.9 s, and eleven of them grew ``speech/`` to 203 MB in 10 s. Now:

- a preview render (a listen in the editor, or a draft's audio that is not
  rendered yet) needs the ``speech.render`` permission (officers and up);
- each user may start :func:`per_minute` fresh preview renders a minute
  (``preview_renders_per_minute``; a listen the cache already holds is free);
- the cache has a size limit (``speech_cache_max_mb``). Every preview render is
  marked in ``speech_previews``; past the limit, marked previews are deleted,
  the least recently used first, until the cache fits again. What air needs is
  never deleted (:func:`protected`): the render of every bulletin with a
  ``renders`` row (approved and urgent ones, so every slot of the coming days),
  the station ident as the settings say it, the parts of a programme whose
  replay copies are not kept yet, and anything written in the last
  :data:`GRACE` (a render finishing). Files that were never marked as previews
  are not touched. When what is protected alone fills the limit, a new preview
  is refused instead.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from radio.accounts.roles import Actor
from radio.clock import to_utc_text
from radio.errors import ValidationError
from radio.store.home import Home
from radio.store.connection import write
from radio.bulletins.spoken import station_lexicon
from radio.settings import ident_text

log = logging.getLogger("radio.speech.cache")

#: a file this recent is never evicted: a render may be about to be recorded as an air render
GRACE = timedelta(minutes=10)
#: how long a fresh render counts against its user's rate
WINDOW = timedelta(minutes=1)


class TooManyRendersError(ValidationError):
    """The user started their share of preview renders this minute."""


class CacheFullError(ValidationError):
    """The speech cache is at its limit with audio air needs; no preview is made."""


def per_minute(settings: dict) -> int:
    return int(settings.get("preview_renders_per_minute") or 6)


def limit_bytes(settings: dict) -> int:
    return int(settings.get("speech_cache_max_mb") or 1000) * 1024 * 1024


def _files(home: Home) -> list[Path]:
    folder = home.speech_cache
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]


def usage_bytes(home: Home) -> int:
    """What the cache holds, in bytes (temporary files of renders in progress included)."""
    folder = home.speech_cache
    if not folder.is_dir():
        return 0
    total = 0
    for path in folder.iterdir():
        try:
            total += path.stat().st_size if path.is_file() else 0
        except FileNotFoundError:
            continue
    return total


def _ident_paths(db: Database, home: Home, settings: dict) -> set[Path]:
    """Where the station ident's rendering lives for each engine the settings may use."""
    from content.engines.base import EngineError
    from content.normalize import normalize
    from content.render import cache_path, engines_for


    text = ident_text(settings)
    if not text:
        return set()
    spoken = normalize(text, lexicon=station_lexicon(db))
    paths = set()
    for name in (settings.get("engine") or "auto", "espeak"):
        try:
            engines = engines_for(name, settings)
        except (EngineError, ValueError):
            continue
        paths |= {cache_path(spoken, home.speech_cache, engine).resolve() for engine in engines}
    return paths


def protected(db: Database, home: Home, settings: dict) -> set[Path]:
    """The files of the cache that air needs: never evicted."""
    import json

    paths = {Path(r[0]).resolve() for r in db.execute(
        "SELECT path FROM renders WHERE path IS NOT NULL").fetchall()}
    paths |= _ident_paths(db, home, settings)
    if db["programme_recipes"].exists():
        for (recipe,) in db.execute("SELECT recipe FROM programme_recipes WHERE complete = 0").fetchall():
            paths |= {Path(p["source"]).resolve() for p in json.loads(recipe).get("parts", [])
                      if p.get("source") and "file" not in p}
    return paths


def touch(path: Path, now: datetime) -> None:
    """Note that *path* was just used (eviction takes the least recently used first)."""
    try:
        stamp = now.timestamp()
        os.utime(path, (stamp, stamp))
    except OSError:
        pass


def mark_preview(db: Database, path: Path, *, actor: Actor, now: datetime) -> None:
    """Record that *path* was rendered as a preview (so it may be evicted)."""
    with write(db):
        db.execute("INSERT OR IGNORE INTO speech_previews (name, made_by, made_at) VALUES (?, ?, ?)",
                   [Path(path).name, actor.username, to_utc_text(now)])


def evict(db: Database, home: Home, settings: dict, *, now: datetime,
          keep: set[Path] | frozenset = frozenset()) -> list[Path]:
    """Delete marked previews, least recently used first, until the cache fits its limit.

    :param keep: files not to delete either (the preview being answered).
    :return: what was deleted.
    """
    limit = limit_bytes(settings)
    used = usage_bytes(home)
    if used <= limit:
        return []
    marked = {r[0] for r in db.execute("SELECT name FROM speech_previews").fetchall()}
    safe = protected(db, home, settings) | {Path(p).resolve() for p in keep}
    young = now.timestamp() - GRACE.total_seconds()
    candidates = []
    for path in _files(home):
        if path.name not in marked or path.resolve() in safe:
            continue
        try:
            info = path.stat()
        except FileNotFoundError:
            continue
        if info.st_mtime > young:
            continue
        candidates.append((info.st_mtime, path.name, path, info.st_size))
    evicted = []
    for _, _, path, size in sorted(candidates):
        if used <= limit:
            break
        path.unlink(missing_ok=True)
        used -= size
        evicted.append(path)
    if evicted:
        with write(db):
            db.conn.executemany("DELETE FROM speech_previews WHERE name = ?", [[p.name] for p in evicted])
        log.info("Speech cache over %d MB: %d previews evicted", limit // (1024 * 1024), len(evicted))
    return evicted


def admit(db: Database, home: Home, settings: dict, *, actor: Actor, now: datetime) -> None:
    """Let *actor* start a fresh preview render now, or refuse; counts it if admitted.

    :raise TooManyRendersError: the actor's renders this minute are used up.
    :raise CacheFullError: the cache is at its limit with audio air needs.
    """
    allowed = per_minute(settings)
    with write(db):
        db.execute("DELETE FROM preview_quota WHERE at < ?", [to_utc_text(now - WINDOW)])
        started = db.execute("SELECT count(*) FROM preview_quota WHERE username = ? AND at >= ?",
                             [actor.username, to_utc_text(now - WINDOW)]).fetchone()[0]
        if started >= allowed:
            raise TooManyRendersError(f"{actor.username} started {started} previews in the last minute; "
                                      f"the limit is {allowed} a minute.")
    evict(db, home, settings, now=now)
    if usage_bytes(home) > limit_bytes(settings):
        raise CacheFullError(f"The speech cache is full ({limit_bytes(settings) // (1024 * 1024)} MB) with "
                             "audio the coming broadcasts need; no preview can be made.")
    with write(db):
        db.execute("INSERT INTO preview_quota (username, at) VALUES (?, ?)", [actor.username, to_utc_text(now)])
