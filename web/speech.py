"""Hearing before airing: the editor's live spoken form, "Nghe thử", and a bulletin's audio.

Thin JSON views over :mod:`radio.speech.preview`; audio files are served from the
station's speech cache and recordings folder only. A problem with what was
typed answers 200 with ``{"error": "<Vietnamese message>"}``, as a form page
re-rendered with its message would; 502/503 mean the engine failed or is busy.
A listen needs the officer's ``speech.render``; one over the preview's length is
400, one past the user's previews this minute 429, and a speech cache full of
audio air needs 503 (:mod:`radio.speech.cache`).
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, g, jsonify, send_file, url_for

from content.engines.base import EngineError
from radio.bulletins.spoken import spoken_text_of
from radio.bulletins import lifecycle as radio_bulletins
from radio.speech import preview, cache as speech_cache
from radio.errors import RadioError
from radio.wording.messages import vi

from .auth import requires
from .db import get_db, get_home, get_settings, now
from .forms import json_object, json_text

bp = Blueprint("speech", __name__, url_prefix="/speech")

_CACHE_NAME = re.compile(r"[0-9a-f]{64}\.wav")


def _json_text() -> tuple[str, str]:
    data = json_object()  # a list or a lone surrogate is a 400, not a 500
    return json_text(data, "title"), json_text(data, "text")


def _error(exc: Exception, code: int = 200):
    return jsonify({"error": vi(exc)}), code


@bp.post("/preview")
@requires("read")
def spoken():
    """``{"text": ...}`` → the spoken form and the guessed spans."""
    _, text = _json_text()
    try:
        return jsonify(preview.spoken_preview(get_db(), text, actor=g.actor))
    except RadioError as exc:
        return _error(exc)


@bp.post("/listen")
@requires("speech.render")
def listen():
    """``{"title": ..., "text": ...}`` → ``{"url": ...}`` of the rendered speech (cached)."""
    title, text = _json_text()
    try:
        rendering = preview.listen(get_db(), get_home(), get_settings(),
                                   spoken_text_of(title, text), actor=g.actor, now=now())
    except (preview.StillRenderingError, speech_cache.CacheFullError) as exc:
        return _error(exc, 503)
    except preview.PreviewTooLongError as exc:
        return _error(exc, 400)
    except speech_cache.TooManyRendersError as exc:
        return _error(exc, 429)
    except RadioError as exc:
        return _error(exc)
    except EngineError as exc:
        return jsonify({"error": f"Không tạo được giọng đọc: {exc}"}), 502
    return jsonify({"url": url_for("speech.cached", name=rendering.path.name),
                    "engine": rendering.engine, "duration_ms": rendering.duration_ms})


@bp.get("/cache/<name>")
@requires("read")
def cached(name: str):
    if not _CACHE_NAME.fullmatch(name):
        abort(404)
    path = get_home().speech_cache / name
    if not path.is_file():
        abort(404)
    speech_cache.touch(path, now())  # used: the cache's limit evicts it last
    return send_file(path, mimetype="audio/wav", conditional=True, max_age=3600)


@bp.get("/bulletin/<int:id>")
@requires("read")
def bulletin_audio(id: int):
    """What bulletin *id* will air (its recording, its air render, or a fresh render)."""
    bulletin = radio_bulletins.get_bulletin(get_db(), id)
    try:
        path, _ = preview.bulletin_audio(get_db(), get_home(), get_settings(), bulletin, actor=g.actor,
                                         now=now())
    except preview.StillRenderingError:
        abort(503, "Giọng đọc đang được tạo; hãy bấm nghe lại sau ít giây.")
    except speech_cache.TooManyRendersError as exc:
        abort(429, vi(exc))
    except speech_cache.CacheFullError as exc:
        abort(503, vi(exc))
    except EngineError as exc:
        abort(503, f"Không tạo được giọng đọc: {exc}")
    file = Path(path)
    allowed = (get_home().speech_cache.resolve(), get_home().recordings.resolve())
    if file.resolve().parent not in allowed or not file.is_file():
        abort(404)
    return send_file(file, mimetype="audio/wav", conditional=True)
