"""The province admin's pages: Các đài xã, Tin của tỉnh (write, approve and send, follow), Cảnh báo."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_wtf import FlaskForm

from radio.clock import local_text
from radio.errors import NotFoundError, RadioError
from radio.hub import HubUnreachableError, Targets, send, status, write_bulletin
from radio.hub import bulletins as hub_bulletins
from radio.hub.bulletins import MAX_REPEAT, MAX_TITLE, read_file
from radio.hub.sending import approve_and_send
from radio.hub.accounts import list_hub_users
from radio.hub.stations import add_station, list_stations, zones
from radio.network.subjects import normalise_code
from radio.network.messages import CLASSES, MAX_TEXT

from . import db
from .auth import requires
from .db import get_hub, now

stations_bp = Blueprint("stations", __name__, url_prefix="/stations")
bulletins_bp = Blueprint("bulletins", __name__, url_prefix="/bulletins")
alerts_bp = Blueprint("alerts", __name__, url_prefix="/alerts")

CLASS_LABELS = {"khan-cap": "khẩn cấp", "uu-tien": "ưu tiên", "thuong": "thông thường"}
CLASS_BADGES = {"khan-cap": "prio-urgent", "uu-tien": "prio-priority", "thuong": ""}
#: a station's state of a bulletin, as the projection names it
STATE_LABELS = {
    "not delivered": "chưa gửi được", "delivered": "đã gửi", "received": "đã nhận", "scheduled": "đã xếp lịch",
    "aired": "đã phát", "partial": "phát một phần", "failed": "lỗi", "missed": "quá hạn", "expired": "quá hạn",
    "refused": "bị từ chối",
}
STATE_BADGES = {"aired": "log-aired", "partial": "log-partial", "failed": "log-failed", "missed": "log-missed",
                "expired": "log-missed", "refused": "log-failed", "not delivered": "log-failed"}
ALERT_KINDS = {"gap": "thiếu mục", "fork": "rẽ nhánh", "edit": "mục bị sửa", "bad-message": "tin không hợp lệ"}
STATUS_LABELS = {"draft": "bản nháp", "approved": "đã duyệt", "unknown": "không rõ"}
UPLOADS = (".txt", ".docx")


class PostForm(FlaskForm):
    """A POST's CSRF token (the fields are read and checked by the views)."""


def _local(text, fmt: str = "%d/%m/%Y %H:%M") -> str:
    return local_text(text, fmt) if text else ""


def _status() -> dict:
    return status(get_hub(), now=now())


# -- Các đài xã --------------------------------------------------------------------------
@stations_bp.get("/", endpoint="index")
@requires("read")
def stations_index():
    return render_template("stations.html", found=_status(), form=PostForm())


def _join_path(code: str) -> Path:
    return get_hub().home.root / "joins" / f"{code}.creds"


@stations_bp.post("/add")
@requires("station.add")
def add():
    """An admin registers a station; its join file is kept in the hub's ``joins/`` to download."""
    form = PostForm()
    if not form.validate_on_submit():
        abort(400, "Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật. Hãy tải lại trang rồi thử lại.")
    code = request.form.get("code", "").strip().upper()
    name = request.form.get("name", "").strip()
    zone = request.form.get("zone", "").strip()
    if not code or not name:
        flash("Hãy nhập mã đài và tên đài.", "error")
        return redirect(url_for("stations.index"))
    hub = get_hub()
    try:
        normalised = normalise_code(code)
        folder = hub.home.root / "joins"
        folder.mkdir(mode=0o700, exist_ok=True)
        add_station(hub, normalised, name=name, zone=zone, join_path=_join_path(normalised), now=now(), actor=g.actor)
    except RadioError as exc:
        flash(f"Không đăng ký được đài: {exc}", "error")
        return redirect(url_for("stations.index"))
    flash(f"Đã đăng ký đài {normalised}. Tải tệp kết nối và đưa cho đài (lệnh radio link join --credentials "
          f"{normalised}.creds); máy chủ tạo hàng đợi của đài ở lần gửi hoặc radio hub serve tiếp theo.", "success")
    return redirect(url_for("stations.index"))


@stations_bp.get("/<code>/join")
@requires("station.add")
def join_file(code: str):
    try:
        normalised = normalise_code(code)
    except RadioError:
        abort(404)
    path = _join_path(normalised)
    if not path.is_file():
        abort(404, "Không có tệp kết nối của đài này trong máy chủ (đài được đăng ký bằng dòng lệnh?).")
    return send_file(path, mimetype="text/plain", as_attachment=True, download_name=f"{normalised}.creds")


@stations_bp.get("/accounts")
@requires("user.manage")
def accounts():
    return render_template("accounts.html", users=list_hub_users(get_hub().db))


# -- Cảnh báo ----------------------------------------------------------------------------
@alerts_bp.get("/", endpoint="index")
@requires("read")
def alerts_index():
    return render_template("alerts.html", alerts=_status()["alerts"])


# -- Tin của tỉnh ------------------------------------------------------------------------
@bulletins_bp.get("/", endpoint="index")
@requires("read")
def bulletins_index():
    found = _status()
    return render_template("bulletins.html", bulletins=list(reversed(found["bulletins"])), form=PostForm())


def _form_values() -> dict:
    form = request.form
    return {"title": form.get("title", ""), "text": form.get("text", ""), "cls": form.get("cls", "thuong"),
            "topic": form.get("topic", ""), "valid_from": form.get("valid_from", ""),
            "valid_until": form.get("valid_until", ""), "repeat": form.get("repeat", "1"),
            "to": form.get("to", "all"), "stations": form.getlist("stations"), "zones": form.getlist("zones")}


def _check(values: dict) -> tuple[list[str], Targets | None, int]:
    """Vietnamese messages for what the form breaks, the targets, the repeat count."""
    problems = []
    if values["cls"] not in CLASSES:
        problems.append("Hãy chọn loại tin: khẩn cấp, ưu tiên hoặc thông thường.")
    if len(values["title"]) > MAX_TITLE:
        problems.append(f"Tiêu đề dài tối đa {MAX_TITLE} ký tự.")
    if len(values["text"]) > MAX_TEXT:
        problems.append(f"Nội dung dài tối đa {MAX_TEXT} ký tự.")
    days = {}
    for name, label in (("valid_from", "Ngày bắt đầu"), ("valid_until", "Ngày kết thúc")):
        if values[name].strip():
            try:
                days[name] = date.fromisoformat(values[name].strip())
            except ValueError:
                problems.append(f"{label} không phải là một ngày (năm-tháng-ngày).")
    if len(days) == 2 and days["valid_until"] < days["valid_from"]:
        problems.append("Ngày kết thúc ở trước ngày bắt đầu.")
    try:
        repeat = int(values["repeat"])
    except ValueError:
        repeat = 0
    if not 1 <= repeat <= MAX_REPEAT:
        problems.append(f"Số lần phát là một số từ 1 đến {MAX_REPEAT}.")
    targets = None
    if values["to"] == "all":
        targets = Targets(all=True)
    elif values["to"] == "stations" and values["stations"]:
        targets = Targets(stations=tuple(values["stations"]))
    elif values["to"] == "zones" and values["zones"]:
        targets = Targets(zones=tuple(values["zones"]))
    else:
        problems.append("Hãy chọn nơi nhận: tất cả các đài, một số đài hoặc một số cụm.")
    return problems, targets, repeat


def _upload(values: dict) -> str | None:
    """Fill the title and text from an uploaded .txt / .docx; a Vietnamese problem, or ``None``."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in UPLOADS:
        return "Chỉ nhận tệp .txt hoặc .docx."
    with tempfile.TemporaryDirectory(prefix="hub-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        upload.save(path)
        try:
            title, text, _ = read_file(path, values["title"].strip() or None)
        except (ValueError, RadioError):
            return "Không đọc được tệp này thành một bản tin (tệp .txt hoặc .docx có nội dung)."
    values["title"], values["text"] = title, text
    values["imported_from"] = Path(upload.filename).name[:200]
    return None


@bulletins_bp.route("/new", methods=("GET", "POST"))
@requires("read", post="bulletin.write")
def new():
    hub = get_hub()
    form = PostForm()
    values = {"cls": "thuong", "repeat": "1", "to": "all", "stations": [], "zones": []}
    status_code = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400, "Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật. Hãy tải lại trang rồi thử lại.")
        values = _form_values()
        problem = _upload(values)
        problems, targets, repeat = _check(values)
        if problem:
            problems.insert(0, problem)
        if not values["title"].strip() or not values["text"].strip():
            problems.append("Bản tin cần có tiêu đề và nội dung (hoặc một tệp .txt, .docx).")
        if not problems:
            try:
                new_id = write_bulletin(hub.db, cls=values["cls"], title=values["title"], text=values["text"],
                                        targets=targets, now=now(), topic=values["topic"],
                                        valid_from=values["valid_from"] or None,
                                        valid_until=values["valid_until"] or None, repeat=repeat,
                                        imported_from=values.get("imported_from"), actor=g.actor)
            except RadioError as exc:
                problems.append(f"Không lưu được bản tin: {exc}")
            else:
                flash(f"Đã lưu bản nháp {new_id}. Ban biên tập thẩm định duyệt và gửi bản tin.", "success")
                return redirect(url_for("bulletins.detail", bulletin_id=new_id))
        for text in problems:
            flash(text, "error")
        status_code = 400
    return render_template("bulletin_new.html", form=form, values=values, classes=CLASS_LABELS,
                           stations=list_stations(hub.db), zones=sorted(zones(hub.db))), status_code


def _find(bulletin_id: str) -> dict:
    for bulletin in _status()["bulletins"]:
        if bulletin["id"] == bulletin_id:
            return bulletin
    abort(404, f"Không có tin của tỉnh {bulletin_id[:40]}.")


@bulletins_bp.get("/<bulletin_id>")
@requires("read")
def detail(bulletin_id: str):
    bulletin = _find(bulletin_id)
    try:
        row = hub_bulletins.get(get_hub().db, bulletin_id)
    except NotFoundError:
        row = None
    targets = Targets.from_json(row["targets"]) if row else None
    return render_template("bulletin.html", bulletin=bulletin, row=row, targets=targets, form=PostForm())


@bulletins_bp.post("/<bulletin_id>/send")
@requires("bulletin.send")
def approve_send(bulletin_id: str):
    hub = get_hub()
    form = PostForm()
    if not form.validate_on_submit():
        abort(400, "Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật. Hãy tải lại trang rồi thử lại.")
    row = hub_bulletins.get(hub.db, bulletin_id)
    try:
        if row["status"] == "draft":
            report = approve_and_send(hub, row["id"], actor=g.actor,
                                      timeout=current_app.config["SEND_TIMEOUT_S"])
        else:
            report = send(hub, row["id"], timeout=current_app.config["SEND_TIMEOUT_S"])
    except HubUnreachableError:
        still_draft = hub_bulletins.get(hub.db, row["id"])["status"] == "draft"
        flash("Không gửi được: không kết nối được máy chủ NATS của tỉnh. Bản tin vẫn là bản nháp, chưa gửi cho đài "
              "nào; hãy thử lại khi máy chủ hoạt động." if still_draft else
              "Không gửi được hết: không kết nối được máy chủ NATS của tỉnh. Bản tin đã duyệt; hãy bấm gửi lại cho "
              "các đài chưa nhận khi máy chủ hoạt động.", "error")
    except RadioError as exc:
        flash(f"Không duyệt và gửi được: {exc}", "error")
    else:
        flash(f"Đã duyệt và gửi bản tin {report.bulletin_id} tới {len(report.delivered) + len(report.already)} "
              f"trên {len(report.stations)} đài.", "success")
    return redirect(url_for("bulletins.detail", bulletin_id=row["id"]))


def init_app(app) -> None:
    db.init_app(app)
    app.jinja_env.filters["localtime"] = _local
    app.jinja_env.globals.update(CLASS_LABELS=CLASS_LABELS, CLASS_BADGES=CLASS_BADGES, STATE_LABELS=STATE_LABELS,
                                 STATE_BADGES=STATE_BADGES, ALERT_KINDS=ALERT_KINDS, STATUS_LABELS=STATUS_LABELS)
