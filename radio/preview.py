"""What a draft will sound like, before anyone approves it.

The editor shows the spoken form beside the text with the normaliser's
guesses marked (:func:`spoken_preview`); "Nghe thử" renders it with the
station's engine and lexicon (:func:`listen`). Renders go to the same cache
as air renders, so what the leader hears in the approval queue is the file
that will air, and a second listen costs nothing.
"""

from __future__ import annotations

import threading
from datetime import datetime

from sqlite_utils import Database

from content.normalize import analyse
from content.render import Rendering

from .accounts import Actor, require
from .errors import ValidationError
from .home import Home
from .lexicon import station_lexicon
from .rendering import render_speech

#: longest text the live preview analyses (the bulletin limit)
MAX_PREVIEW_CHARS = 20_000
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


def spoken_text_of(title: str, text: str) -> str:
    """The text a bulletin's speech is made from (the title is read first, once)."""
    return f"{title.strip()}.\n{text}" if title.strip() else text


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


def listen(db: Database, home: Home, settings: dict, text: str, *, actor: Actor,
           timeout_s: float = LISTEN_TIMEOUT_S) -> Rendering:
    """Render *text* (normalised with the station lexicon) for a listen in the browser.

    The engine runs on a thread with its own database connection; after
    *timeout_s* the call gives up waiting but the render carries on into the
    cache, so asking again soon plays at once.

    :raise ValidationError: empty or over-long text.
    :raise StillRenderingError: not finished within *timeout_s*.
    :raise content.engines.base.EngineError: no engine could speak it.
    """
    require(actor, "read")
    text = (text or "").strip()
    if not text:
        raise ValidationError("There is no text to listen to.")
    if len(text) > MAX_PREVIEW_CHARS:
        raise ValidationError(f"Text is {len(text)} characters; the limit is {MAX_PREVIEW_CHARS}.")
    lexicon_db_path = home.database
    outcome: dict = {}

    def work() -> None:
        from .store import connect

        own = connect(lexicon_db_path)
        try:
            outcome["rendering"] = render_speech(text, home, settings, own)
        except Exception as exc:  # handed to the caller below
            outcome["error"] = exc
        finally:
            own.conn.close()

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
                       actor=actor, timeout_s=timeout_s)
    return str(rendering.path), "preview"
