"""Log in, log out, and the guards every other view uses."""

from __future__ import annotations

import functools

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from radio import users
from radio.accounts import Actor
from radio.errors import NotFoundError

from .db import get_db

bp = Blueprint("auth", __name__, url_prefix="/auth")


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập")
    password = PasswordField("Mật khẩu")


def _safe_next(target: str | None) -> str | None:
    # only local paths, never another site
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@bp.before_app_request
def load_logged_in_user() -> None:
    username = session.get("username")
    g.user = None
    g.actor = None  # the radio.accounts.Actor every library call is made as
    if username:
        try:
            g.user = users.get_user(get_db(), username)
        except NotFoundError:
            session.clear()
        else:
            g.actor = Actor(g.user["username"], g.user["role"], g.user["display_name"])


def login_required(view):
    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped


def role_required(*roles: str):
    """Only users with one of *roles* (e.g. the approvers, ``"leader", "admin"``)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            if g.user is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if g.user["role"] not in roles:
                labels = ", ".join(users.ROLES.get(r, r) for r in roles)
                abort(403, f"Chỉ {labels} mới được thực hiện thao tác này.")
            return view(**kwargs)

        return wrapped

    return decorator


def can_approve() -> bool:
    return g.user is not None and g.user["role"] in users.APPROVERS


@bp.app_context_processor
def inject_roles():
    return {"can_approve": can_approve}


@bp.route("/login", methods=("GET", "POST"))
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(get_db(), form.username.data or "", form.password.data or "")
        if user is None:
            flash("Sai tên đăng nhập hoặc mật khẩu.", "error")
        else:
            session.clear()
            session["username"] = user["username"]
            return redirect(_safe_next(request.args.get("next")) or url_for("bulletins.index"))
    no_users = not users.list_users(get_db())
    return render_template("auth/login.html", form=form, no_users=no_users)


@bp.post("/logout")
def logout():
    session.clear()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
