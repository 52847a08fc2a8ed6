"""Bulletins: list, add, import from Word/text, detail, approve, return, withdraw, play now.

Every action passes ``g.actor``; the library checks the role and ownership.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField

from content.sections import split_sections
from radio.bulletins import lifecycle as radio_bulletins
from radio.bulletins.importing import DocumentError, import_bulletin
from radio.schedule import commands
from radio.accounts.roles import can, require
from radio.errors import NotFoundError, RadioError, ValidationError
from radio.wording.messages import vi
from radio.store.paging import page_number
from radio.bulletins.topics import TOPICS, topic_label

from .auth import requires
from .db import get_db, get_settings, now
from .uploads import UploadError, saved_upload
from .forms import choices
from .review import approve_from_form, return_from_form

bp = Blueprint("bulletins", __name__, url_prefix="/bulletins")

DEFAULT_TOPIC = "cchc"
PRIORITY_CHOICES = choices((value, label.capitalize()) for value, label in radio_bulletins.PRIORITIES.items())


def topic_choices(rows: list[dict]) -> list[tuple[str, str]]:
    topics = list(TOPICS) + sorted({r["topic"] for r in rows} - set(TOPICS))
    return choices((t, topic_label(t)) for t in topics)


class BulletinForm(FlaskForm):
    title = StringField("Tiêu đề")
    text = TextAreaField("Nội dung")
    topic = SelectField("Chủ đề", default=DEFAULT_TOPIC, validate_choice=False)
    new_topic = StringField("hoặc chủ đề mới")
    priority = SelectField("Mức ưu tiên", choices=PRIORITY_CHOICES, default="normal")
    repeat_count = StringField("Số lượt phát", default="1", render_kw={"type": "number", "min": 1})
    valid_from = StringField("Hiệu lực từ ngày", render_kw={"type": "date"})
    valid_until = StringField("đến ngày", render_kw={"type": "date"})

    def fields_for_library(self) -> dict:
        """What the officer typed, as the library's keyword arguments (no rules here)."""
        return dict(
            title=self.title.data or "",
            text=self.text.data or "",
            topic=(self.new_topic.data or "").strip() or self.topic.data or DEFAULT_TOPIC,
            priority=self.priority.data or "normal",
            repeat_count=(self.repeat_count.data or "1").strip(),
            valid_from=(self.valid_from.data or "").strip() or None,
            valid_until=(self.valid_until.data or "").strip() or None,
        )


class ImportForm(FlaskForm):
    document = FileField("Tệp văn bản (.docx, .txt)")
    topic = SelectField("Chủ đề", default=DEFAULT_TOPIC, validate_choice=False)
    priority = SelectField("Mức ưu tiên", choices=PRIORITY_CHOICES, default="normal")


@bp.app_context_processor
def inject_permissions():
    """``may("bulletin.approve")`` and ``may_edit(bulletin)`` for templates (display only:
    the library enforces the same rules)."""
    return {"may": lambda action: g.get("actor") is not None and can(g.actor.role, action),
            "may_edit": lambda bulletin: radio_bulletins.may_edit(g.get("actor"), bulletin),
            "content_sha256": radio_bulletins.content_sha256}


def _bulletin_with_render(bulletin_id: int) -> dict:
    bulletin = radio_bulletins.get_bulletin(get_db(), bulletin_id)  # NotFoundError → 404 page
    bulletin["render"] = radio_bulletins.get_render(get_db(), bulletin["id"])
    return bulletin


@bp.get("/")
@requires("read")
def index():
    status = request.args.get("status") or None
    if status not in (None, *radio_bulletins.STATUS_LABELS):
        status = None
    try:
        number = page_number(request.args.get("page"))
    except ValidationError as exc:
        flash(vi(exc), "error")
        number = 1
    page = radio_bulletins.bulletin_page(get_db(), status=status, page=number)
    return render_template("bulletins/index.html", bulletins=page, page=page, status=status,
                           pager_args={"status": status} if status else {})


@bp.route("/new", methods=("GET", "POST"))
@requires("bulletin.create")
def create():
    form = BulletinForm()
    form.topic.choices = topic_choices(radio_bulletins.list_bulletins(get_db()))
    if form.validate_on_submit():
        try:
            bulletin_id = radio_bulletins.add_bulletin(
                get_db(), now=now(), actor=g.actor, **form.fields_for_library())
        except RadioError as exc:
            flash(vi(exc), "error")
        else:
            current_app.logger.info("bulletin %s added by %s", bulletin_id, g.user["username"])
            flash("Đã thêm bản tin. Bản tin chờ lãnh đạo duyệt.", "success")
            return redirect(url_for("bulletins.detail", id=bulletin_id))
    return render_template("bulletins/form.html", form=form, bulletin=None)


@bp.route("/<int:id>/edit", methods=("GET", "POST"))
@requires("bulletin.edit")
def edit(id: int):
    bulletin = _bulletin_with_render(id)
    if bulletin["status"] != "draft":
        flash(f"Bản tin số {id} {radio_bulletins.STATUS_LABELS[bulletin['status']]}; "
              "nội dung đã khóa, không sửa được.", "error")
        return redirect(url_for("bulletins.detail", id=id))
    radio_bulletins.require_edit(g.actor, bulletin)  # before showing the form; the save checks again
    form = BulletinForm(data=None if request.method == "POST" else bulletin)
    form.topic.choices = topic_choices(radio_bulletins.list_bulletins(get_db()))
    if form.validate_on_submit():
        try:
            radio_bulletins.update_bulletin(get_db(), id, actor=g.actor, now=now(), **form.fields_for_library())
        except RadioError as exc:
            flash(vi(exc), "error")
        else:
            flash("Đã lưu thay đổi.", "success")
            return redirect(url_for("bulletins.detail", id=id))
    sections = split_sections(bulletin["text"])
    return render_template("bulletins/form.html", form=form, bulletin=bulletin,
                           sections=[s.to_dict() for s in sections] if len(sections) >= 2 else None)


@bp.route("/import", methods=("GET", "POST"))
@requires("bulletin.import")
def import_document():
    require(g.actor, "bulletin.import")  # before any upload is read or parsed
    form = ImportForm()
    form.topic.choices = topic_choices(radio_bulletins.list_bulletins(get_db()))
    if form.validate_on_submit():
        upload = form.document.data
        if not upload or not upload.filename:
            flash("Hãy chọn một tệp .docx hoặc .txt để nhập.", "error")
            return render_template("bulletins/import.html", form=form)
        try:
            with saved_upload(upload) as path:
                imported = import_bulletin(
                    get_db(), path, filename=upload.filename, now=now(), actor=g.actor,
                    topic=form.topic.data or DEFAULT_TOPIC, priority=form.priority.data or "normal")
        except (UploadError, DocumentError) as exc:
            detail = str(exc).removeprefix(f"{path.name}: ") if isinstance(exc, DocumentError) else str(exc)
            flash(f"Không đọc được tệp {_shown(upload.filename)}: {vi(detail)}", "error")
            return render_template("bulletins/import.html", form=form)
        except RadioError as exc:
            flash(vi(exc), "error")
            return render_template("bulletins/import.html", form=form)
        bulletin_id, text = imported.id, imported.text
        current_app.logger.info("bulletin %s imported from %r", bulletin_id, _shown(upload.filename))
        if imported.encoding_note:
            flash(vi(imported.encoding_note), "warning")
        parts = len(split_sections(text))
        if parts >= 2:
            flash(f"Đã nhập bản tin từ tệp {_shown(upload.filename)}. Tệp có {parts} phần: chọn phần cần phát "
                  "(hoặc giữ cả văn bản), đọc lại rồi lưu.", "success")
            return redirect(url_for("bulletins.edit", id=bulletin_id))
        flash(f"Đã nhập bản tin từ tệp {_shown(upload.filename)}. Hãy đọc lại nội dung trước khi gửi lãnh đạo duyệt.",
              "success")
        return redirect(url_for("bulletins.detail", id=bulletin_id))
    return render_template("bulletins/import.html", form=form)


@bp.get("/<int:id>")
@requires("read")
def detail(id: int):
    bulletin = _bulletin_with_render(id)
    return render_template("bulletins/detail.html", bulletin=bulletin)


def _shown(filename: str | None) -> str:
    """An uploaded file's name, cut short for messages (names may be 300+ characters)."""
    name = filename or ""
    return name if len(name) <= 80 else name[:60] + "…" + name[-15:]


@bp.post("/<int:id>/approve")
@requires("bulletin.approve")
def approve(id: int):
    approve_from_form(id, done="Đã duyệt bản tin. Nội dung đã được khóa; giọng đọc đang được tạo.",
                      where="on its page")
    return redirect(url_for("bulletins.detail", id=id))


@bp.post("/<int:id>/return")
@requires("bulletin.return")
def return_to_officer(id: int):
    return_from_form(id, done="Đã trả lại bản tin cho người soạn kèm lý do.", where="on its page")
    return redirect(url_for("bulletins.detail", id=id))


@bp.post("/<int:id>/withdraw")
@requires("bulletin.withdraw")
def withdraw(id: int):
    radio_bulletins.withdraw_bulletin(get_db(), id, actor=g.actor, now=now())  # refusals → 403 page
    current_app.logger.info("bulletin %s withdrawn by %s", id, g.actor.username)
    flash("Đã rút bản tin; bản tin sẽ không được phát nữa.", "success")
    return redirect(url_for("bulletins.detail", id=id))


@bp.post("/<int:id>/play-now")
@requires("bulletin.urgent")
def play_now(id: int):
    expiry_s = get_settings()["urgent_expiry_s"]
    try:
        command_id = commands.request_play_now(get_db(), id, actor=g.actor, now=now(),
                                               expires_in_s=expiry_s)
    except NotFoundError:
        raise
    except RadioError as exc:
        flash(vi(exc), "error")
        return redirect(url_for("bulletins.detail", id=id))
    current_app.logger.warning("play-now command %s for bulletin %s by %s",
                               command_id, id, g.user["username"])
    # the same outcome as `radio play --now`: taken by the daemon, or expired
    outcome = commands.await_outcome(get_db(), command_id, current_app.config["CLOCK"])
    if outcome.state == commands.TAKEN:
        flash("Đã gửi lệnh phát ngay và đài đã nhận lệnh. Đài sẽ ngắt chương trình đang phát (nếu có) "
              "để phát bản tin này.", "success")
    else:
        flash(vi(commands.expired_message(expiry_s)), "error")
    return redirect(url_for("bulletins.detail", id=id))
