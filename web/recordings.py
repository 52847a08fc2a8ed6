"""A draft's human recording: upload a file or record in the browser, or take it off.

The rules (types, size, decoding, loudness, drafts only) are in
:mod:`radio.bulletins.recordings`; this view only hands it the upload's bytes.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, jsonify, redirect, request, url_for

from radio.bulletins import recordings
from radio.errors import NotFoundError, RadioError
from radio.wording.messages import vi

from .auth import requires
from .db import get_db, get_home, get_settings, now

bp = Blueprint("recordings", __name__, url_prefix="/bulletins")


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _answer(id: int, message: str, category: str, code: int = 200):
    if _wants_json():
        return jsonify({"ok": category == "success", "message": message,
                        "url": url_for("bulletins.detail", id=id)}), code
    flash(message, category)
    return redirect(url_for("bulletins.detail", id=id))


@bp.post("/<int:id>/recording")
@requires("bulletin.record")
def upload(id: int):
    upload = request.files.get("recording")
    if upload is None or not upload.filename:
        return _answer(id, "Hãy chọn một tệp ghi âm (mp3, wav, m4a, ogg, opus) hoặc ghi âm trực tiếp.",
                       "error", 400)
    try:
        with recordings.saved_stream(upload.stream, upload.filename) as path:
            recordings.attach_recording(get_db(), get_home(), id, path, filename=upload.filename,
                                        actor=g.actor, now=now(), settings=get_settings(),
                                        language=request.form.get("language"))
    except NotFoundError:
        raise
    except RadioError as exc:
        return _answer(id, vi(exc), "error", 400)
    current_app.logger.info("recording for bulletin %s uploaded by %s", id, g.actor.username)
    return _answer(id, "Đã lưu bản ghi âm. Bản tin sẽ phát bằng bản ghi âm này thay cho giọng máy đọc.",
                   "success")


@bp.post("/<int:id>/recording/remove")
@requires("bulletin.record")
def remove(id: int):
    try:
        recordings.detach_recording(get_db(), get_home(), id, actor=g.actor, now=now())
    except NotFoundError:
        raise
    except RadioError as exc:
        return _answer(id, vi(exc), "error", 400)
    return _answer(id, "Đã bỏ bản ghi âm; bản tin sẽ phát bằng giọng máy đọc.", "success")
