"""The admin's station page: a status panel, and the settings a helper changes."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from radio.programme import jingles
from radio.bulletins import recordings
from radio import settings as radio_settings
from radio.errors import RadioError
from radio.wording.messages import vi
from radio.settings import CHOICES, save_settings
from radio.station.status import station_status

from .auth import requires
from .db import get_db, get_home, get_settings, now
from .schedule import upcoming

bp = Blueprint("station", __name__, url_prefix="/station")

#: (group, [(setting, label)]) in the order the form shows them
FORM = [
    ("Đài", [("station_name", "Tên đài"), ("ident_text", "Lời giới thiệu đài (đọc sau nhạc hiệu)"),
             ("use_jingles", "Phát nhạc hiệu đầu và cuối chương trình")]),
    ("Giọng đọc", [("engine", "Máy đọc"), ("espeak_voice", "Giọng espeak-ng"),
                   ("espeak_rate", "Tốc độ đọc espeak-ng (từ/phút)"), ("gtts_tld", "Máy chủ Google (gTTS)")]),
    ("Phát sóng", [("output", "Đầu ra âm thanh mặc định"), ("grace_minutes", "Được phát bù muộn tối đa (phút)"),
                   ("default_cap_minutes", "Thời lượng tối đa mặc định của một buổi (phút)"),
                   ("quiet_before", "Cảnh báo khung giờ sớm hơn"), ("quiet_after", "Cảnh báo khung giờ muộn hơn")]),
    ("Bật/tắt âm ly", [("hook_before", "Lệnh chạy trước mỗi buổi phát (bật âm ly)"),
                       ("hook_after", "Lệnh chạy sau mỗi buổi phát (tắt âm ly)"),
                       ("hook_warmup_s", "Chờ âm ly khởi động (giây)"), ("hook_timeout_s", "Thời gian tối đa của lệnh (giây)")]),
    ("Báo cáo", [("report_issuer", "Cơ quan ban hành báo cáo"), ("report_signer_title", "Chức vụ người ký"),
                 ("report_signer", "Người ký báo cáo")]),
]
ENGINE_LABELS = {"auto": "Tự động (gTTS, mất mạng thì espeak-ng)", "gtts": "gTTS (cần Internet)",
                 "espeak": "espeak-ng (không cần Internet)", "piper": "Piper (giọng cài sẵn)"}
_DEFAULTS = {s.name: s.default for s in radio_settings.SETTINGS}


@bp.get("/")
@requires("settings.edit")
def index():
    status = station_status(get_db(), get_home(), get_settings(), now(), coming=upcoming(7))
    custom = {kind: jingles.is_custom(get_home(), kind) for kind in jingles.KINDS}
    return render_template("station/index.html", status=status, form=FORM, values=get_settings(),
                           defaults=_DEFAULTS, choices=CHOICES, engine_labels=ENGINE_LABELS, custom=custom)


@bp.post("/jingle/<kind>")
@requires("settings.edit")
def jingle(kind: str):
    try:
        if request.form.get("reset"):
            jingles.reset_jingle(get_db(), get_home(), kind, actor=g.actor, now=now())
            flash("Đã dùng lại nhạc hiệu mặc định.", "success")
        else:
            upload = request.files.get("jingle")
            if upload is None or not upload.filename:
                flash("Hãy chọn một tệp nhạc hiệu (mp3, wav, m4a, ogg, opus).", "error")
                return redirect(url_for("station.index"))
            with recordings.saved_stream(upload.stream, upload.filename) as path:
                jingles.set_jingle(get_db(), get_home(), kind, path, filename=upload.filename, actor=g.actor,
                                   now=now(), settings=get_settings())
            flash("Đã lưu nhạc hiệu của đài; các chương trình sau sẽ dùng nhạc hiệu này.", "success")
    except RadioError as exc:
        flash(vi(exc), "error")
    return redirect(url_for("station.index"))


@bp.post("/")
@requires("settings.edit")
def save():
    changes = {}
    for _, fields in FORM:
        for name, _ in fields:
            if isinstance(_DEFAULTS[name], bool):
                changes[name] = "true" if request.form.get(name) else "false"
            elif name in request.form:
                changes[name] = request.form[name]
    try:
        changed = save_settings(get_db(), changes, get_settings(), actor=g.actor, now=now())
    except RadioError as exc:
        flash(vi(exc), "error")
    else:
        flash(f"Đã lưu {len(changed)} thiết lập." if changed else "Không có thiết lập nào thay đổi.", "success")
    return redirect(url_for("station.index"))
