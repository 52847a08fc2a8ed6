"""What a draft will sound like, before anyone approves it.

The editor shows the spoken form beside the text with the normaliser's
guesses marked (:func:`spoken_preview`); "Nghe thử" renders it with the
station's engine and lexicon (:func:`listen`). Renders go to the same cache
as air renders, so what the leader hears in the approval queue is the file
that will air, and a second listen costs nothing.

Rendering a preview is an officer's (``speech.render``): a viewer hears audio
that is already made. A listen is at most :data:`MAX_LISTEN_CHARS` characters,
each user starts a few fresh renders a minute, and previews are marked so the
cache's size limit evicts them first (:mod:`radio.speech.cache`).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from content.normalize import analyse, normalize
from content.render import Rendering

from radio.accounts.roles import Actor, require
from radio.errors import ValidationError
from radio.store.home import Home
from radio.bulletins.spoken import spoken_text_of, station_lexicon
from radio.speech.rendering import render_speech
from radio.speech import cache as speech_cache
from radio.store.connection import connect

log = logging.getLogger("radio.speech.preview")

#: longest text the live preview analyses (the bulletin limit)
MAX_PREVIEW_CHARS = 20_000
#: longest text "Nghe thử" renders (about 6 minutes of speech); a longer draft is heard on its page
MAX_LISTEN_CHARS = 5_000
#: how long a listen request waits for the engine before answering "still rendering"
LISTEN_TIMEOUT_S = 45.0

#: unsure kind → what the editor tells the officer
UNSURE_LABELS = {
    "unknown_abbreviation": "chữ viết tắt lạ, đang đánh vần",
    "spelled": "đọc từng chữ cái",
    "code": "mã số, đọc theo phỏng đoán",
    "foreign": "từ nước ngoài, máy đọc theo phỏng đoán",
}


class StillRenderingError(ValidationError):
    """The engine has not finished yet; the render goes on and lands in the cache."""


class PreviewTooLongError(ValidationError):
    """The text of a listen is over :data:`MAX_LISTEN_CHARS`."""


def spoken_preview(db: Database, text: str, *, actor: Actor) -> dict:
    """Spoken form of *text* and the spans the normaliser guessed.

    :return: ``{"spoken": str, "unsure": [{start, end, original, spoken, kind, label}]}``;
        offsets index the given text.
    :raise ValidationError: text over :data:`MAX_PREVIEW_CHARS`.
    """
    require(actor, "read")
    text = text or ""
    if len(text) > MAX_PREVIEW_CHARS:
        raise ValidationError(f"Text is {len(text)} characters; the limit is {MAX_PREVIEW_CHARS}.")
    result = analyse(text, lexicon=station_lexicon(db)).to_dict()
    for span in result["unsure"]:
        span["label"] = UNSURE_LABELS.get(span["kind"], span["kind"])
    return result


def _cached(db: Database, home: Home, settings: dict, text: str) -> Path | None:
    """The cache file that already holds *text*'s speech, if any (a listen of it is free)."""
    from content.engines.base import EngineError
    from content.render import cache_path, engines_for

    try:
        engines = engines_for(settings["engine"], settings)
    except (EngineError, ValueError):
        return None
    spoken = normalize(text, lexicon=station_lexicon(db))
    for engine in engines:
        path = cache_path(spoken, home.speech_cache, engine)
        if path.is_file():
            return path
    return None


def listen(db: Database, home: Home, settings: dict, text: str, *, actor: Actor,
           now: datetime | None = None, timeout_s: float = LISTEN_TIMEOUT_S,
           max_chars: int | None = MAX_LISTEN_CHARS) -> Rendering:
    """Render *text* (normalised with the station lexicon) for a listen in the browser.

    The engine runs on a thread with its own database connection; after
    *timeout_s* the call gives up waiting but the render carries on into the
    cache, so asking again soon plays at once. A fresh render counts against the
    actor's previews per minute and is marked as a preview; a listen the cache
    already holds is free.

    :param now: the station clock's time (rate and cache use); default: the system's.
    :param max_chars: the longest text (``None``: the bulletin limit, for a stored draft).
    :raise PermissionDeniedError: a role below officer.
    :raise ValidationError: empty text.
    :raise PreviewTooLongError: over *max_chars*.
    :raise radio.speech.cache.TooManyRendersError: the actor's previews this minute are used up.
    :raise radio.speech.cache.CacheFullError: the cache is full of audio air needs.
    :raise StillRenderingError: not finished within *timeout_s*.
    :raise content.engines.base.EngineError: no engine could speak it.
    """
    require(actor, "speech.render")
    text = (text or "").strip()
    if not text:
        raise ValidationError("There is no text to listen to.")
    limit = max_chars or MAX_PREVIEW_CHARS
    if len(text) > limit:
        raise PreviewTooLongError(f"A preview is at most {limit} characters; this text has {len(text)}. "
                                  "Save the draft and listen to it on its page.")
    now = now or datetime.now(UTC)
    cached = _cached(db, home, settings, text)
    if cached is None:
        speech_cache.admit(db, home, settings, actor=actor, now=now)
    lexicon_db_path = home.database
    outcome: dict = {}

    def work() -> None:
        own = connect(lexicon_db_path)
        try:
            rendering = render_speech(text, home, settings, own)
        except Exception as exc:  # handed to the caller below
            outcome["error"] = exc
            own.conn.close()
            return
        try:
            speech_cache.touch(rendering.path, now)
            if cached is None:
                speech_cache.mark_preview(own, rendering.path, actor=actor, now=now)
                speech_cache.evict(own, home, settings, now=now, keep={rendering.path})
        except Exception:  # the preview is made; the cache's limit is kept at the next one
            log.exception("Could not keep the speech cache within its limit")
        finally:
            own.conn.close()
        outcome["rendering"] = rendering

    thread = threading.Thread(target=work, name="listen", daemon=True)
    thread.start()
    thread.join(timeout_s)
    if thread.is_alive():
        raise StillRenderingError(f"The speech is still being made after {timeout_s:.0f} s; "
                                  "try again in a moment.")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["rendering"]


def bulletin_audio(db: Database, home: Home, settings: dict, bulletin: dict, *, actor: Actor,
                   now: datetime | None = None,
                   timeout_s: float = LISTEN_TIMEOUT_S) -> tuple[str, str]:
    """The audio a bulletin will air, for a listen: its recording, its air render, or a fresh render.

    A recording or an air render is there to hear for anyone who may read; a fresh
    render is :func:`listen`'s (an officer's, counted, of the whole stored draft).

    :return: ``(path, kind)`` with kind ``"recording"``, ``"render"`` or ``"preview"``.
    """
    require(actor, "read")
    if bulletin.get("recording_path"):
        return bulletin["recording_path"], "recording"
    render = db["renders"].get(bulletin["id"]) if db["renders"].count_where(
        "bulletin_id = ?", [bulletin["id"]]) else None
    if render and render["state"] == "done" and render["path"]:
        return render["path"], "render"
    rendering = listen(db, home, settings, spoken_text_of(bulletin["title"], bulletin["text"]),
                       actor=actor, now=now, timeout_s=timeout_s, max_chars=None)
    return str(rendering.path), "preview"
