"""Named outputs (admin): the sound devices, zones and streams slots may air to."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField

from radio.schedule import outputs as radio_outputs
from radio.accounts.roles import require
from radio.errors import RadioError, ValidationError
from radio.wording.messages import vi

from .auth import requires
from .db import get_db, now

bp = Blueprint("outputs", __name__, url_prefix="/outputs")
#: whether an output feeds loudspeakers: by its kind (a file does not), or the admin's word
LOUDSPEAKER_CHOICES = [("auto", "theo loại (ra tệp thì không)"), ("yes", "có, nối với loa"),
                       ("no", "không nối với loa (không tính vào chỉ tiêu)")]
_FEEDS = {"auto": None, "yes": True, "no": False}


class OutputForm(FlaskForm):
    name = StringField("Tên (không dấu)", render_kw={"placeholder": "thon2"})
    label = StringField("Mô tả", render_kw={"placeholder": "Cụm loa thôn 2"})
    zone = StringField("Cụm loa / vùng phủ sóng")
    spec = StringField("Cấu hình", render_kw={"placeholder": "pulse:thon2"})
    # kept apart from the spec so it is never echoed back into a page
    password = PasswordField("Mật khẩu Icecast (nếu có)")
    loudspeakers = SelectField("Phát ra loa", choices=LOUDSPEAKER_CHOICES, default="auto")


def _spec_with_password(spec: str, password: str) -> str:
    if not password or not spec.startswith("icecast://") or "@" in spec:
        return spec
    from urllib.parse import quote

    rest = spec.removeprefix("icecast://")
    return f"icecast://source:{quote(password, safe='')}@{rest}"


@bp.route("/", methods=("GET", "POST"))
@requires("output.manage")
def index():
    require(g.actor, "output.manage")  # the library checks again on every change
    form = OutputForm()
    if form.validate_on_submit():
        try:
            row = radio_outputs.add_output(
                get_db(), name=form.name.data or "", label=form.label.data or "", zone=form.zone.data or "",
                spec=_spec_with_password((form.spec.data or "").strip(), form.password.data or ""),
                actor=g.actor, now=now(), loudspeakers=_FEEDS.get(form.loudspeakers.data))
        except RadioError as exc:
            flash(vi(exc), "error")
        else:
            current_app.logger.info("output %s (%s) added by %s", row["name"], row["spec"], g.actor.username)
            flash(f"Đã thêm đầu ra {row['name']}.", "success")
            if row["kind"] == "file" and not radio_outputs.feeds_loudspeakers(row):
                flash("Đầu ra này ghi ra tệp, không phát ra loa; nhật ký sẽ ghi rõ “ra tệp (không phát ra loa)”.",
                      "warning")
            elif not radio_outputs.feeds_loudspeakers(row):
                flash("Đầu ra này không nối với loa: các buổi phát ra đây được ghi rõ “không phát ra loa” "
                      "và không được tính vào chỉ tiêu.", "warning")
            return redirect(url_for("outputs.index"))
    return render_template("outputs/index.html", form=form, outputs=radio_outputs.list_outputs(get_db()),
                           kinds=radio_outputs.KINDS, feeds=radio_outputs.feeds_loudspeakers)


@bp.post("/<name>/loudspeakers")
@requires("output.manage")
def loudspeakers(name: str):
    """Say whether a named output feeds loudspeakers (past entries keep what they reached)."""
    choice = request.form.get("loudspeakers", "")
    try:
        if choice not in _FEEDS:
            raise ValidationError("Choose auto, yes or no.")
        radio_outputs.set_loudspeakers(get_db(), name, _FEEDS[choice], actor=g.actor, now=now())
    except RadioError as exc:
        if not isinstance(exc, ValidationError):
            raise  # not found → 404, not allowed → 403
        flash(vi(exc), "error")
    else:
        flash(f"Đã lưu: đầu ra {name} {'theo loại' if choice == 'auto' else 'có' if choice == 'yes' else 'không'} "
              "phát ra loa.", "success")
    return redirect(url_for("outputs.index"))


@bp.post("/<name>/remove")
@requires("output.manage")
def remove(name: str):
    try:
        radio_outputs.remove_output(get_db(), name, actor=g.actor, now=now())
    except RadioError as exc:
        if not isinstance(exc, ValidationError):
            raise  # not found → 404, not allowed → 403
        flash(vi(exc), "error")
    else:
        flash(f"Đã xóa đầu ra {name}.", "success")
    return redirect(url_for("outputs.index"))
