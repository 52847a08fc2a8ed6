"""Accounts page for admins: list, add, set a password, change the role, disable, enable.

Each action is one call to :mod:`radio.accounts.users`, made as the logged-in admin
(the library checks the role again and writes the audit row).
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField

from radio.accounts import users as radio_users
from radio.accounts.roles import ROLES
from radio.errors import NotFoundError, RadioError
from radio.wording.messages import vi

from .auth import requires
from .db import get_db, get_settings, now
from .forms import choices

bp = Blueprint("users", __name__, url_prefix="/users")

ROLE_CHOICES = choices(ROLES.items())


class AddUserForm(FlaskForm):
    username = StringField("Tên đăng nhập", render_kw={"maxlength": 32})
    display_name = StringField("Họ và tên", render_kw={"maxlength": 100})
    role = SelectField("Vai trò", choices=ROLE_CHOICES, default="officer")
    password = PasswordField("Mật khẩu", render_kw={"maxlength": 200, "autocomplete": "new-password"})


def _done(message: str):
    flash(message, "success")
    return redirect(url_for("users.index"))


@bp.route("/", methods=("GET", "POST"))
@requires("user.manage")
def index():
    form = AddUserForm()
    if form.validate_on_submit():
        try:
            user = radio_users.add_user(
                get_db(), username=form.username.data or "", password=form.password.data or "",
                role=form.role.data or "", display_name=form.display_name.data or "", now=now(),
                actor=g.actor, station_name=get_settings()["station_name"])
        except RadioError as exc:
            flash(vi(exc), "error")
        else:
            return _done(f"Đã thêm tài khoản {user['username']} ({ROLES[user['role']]}).")
    return render_template("auth/users.html", form=form, users=radio_users.list_users(get_db()),
                           role_choices=ROLE_CHOICES)


def _act(action, message: str, **kwargs):
    try:
        action(get_db(), g.actor, now=now(), **kwargs)
    except NotFoundError:
        raise  # the 404 page
    except RadioError as exc:
        flash(vi(exc), "error")
        return redirect(url_for("users.index"))
    return _done(message)


@bp.post("/<username>/disable")
@requires("user.manage")
def disable(username: str):
    return _act(radio_users.disable_user, f"Đã vô hiệu hóa tài khoản {username}; các phiên đăng nhập "
                "của tài khoản đã kết thúc.", username=username)


@bp.post("/<username>/enable")
@requires("user.manage")
def enable(username: str):
    return _act(radio_users.enable_user, f"Đã mở lại tài khoản {username}.", username=username)


@bp.post("/<username>/role")
@requires("user.manage")
def set_role(username: str):
    role = request.form.get("role", "")
    return _act(radio_users.set_role, f"Đã đổi vai trò của {username} thành {ROLES.get(role, role)}.",
                username=username, role=role)


@bp.post("/<username>/password")
@requires("user.manage")
def set_password(username: str):
    return _act(radio_users.set_password, f"Đã đặt mật khẩu mới cho {username}; các phiên đăng nhập "
                "của tài khoản đã kết thúc.", username=username, password=request.form.get("password", ""),
                station_name=get_settings()["station_name"])
