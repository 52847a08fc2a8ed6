"""Logging in to the province admin, and the guard every view declares.

Accounts, sessions and the login throttle are :mod:`radio.accounts`' on ``hub.db``; the
roles are the hub's (:mod:`radio.hub.accounts`). A view says what it needs with
:func:`requires` or is :func:`public`; one that declares nothing is refused to everyone,
and tests/web_hub/test_hub_route_roles.py walks the url map for every role.
"""

from __future__ import annotations

import functools
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from radio.accounts import logins, sessions
from radio.accounts.roles import Actor
from radio.hub.accounts import HUB_ACTIONS, HUB_ROLES, can

from ..auth import safe_next
from .db import get_hub, now

bp = Blueprint("auth", __name__, url_prefix="/auth")
SESSION_KEY = "hub_sid"


def requires(action: str, *, post: str | None = None):
    """The view needs hub action *action* (on POST: *post*, when given)."""
    for name in (action, post):
        if name is not None and name not in HUB_ACTIONS:
            raise ValueError(f"unknown action {name!r}; add it to radio.hub.accounts.HUB_ACTIONS")

    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            needed = post if (post and request.method == "POST") else action
            if g.user is None:
                return redirect(url_for("auth.login", next=request.path))
            if not can(g.user["role"], needed):
                abort(403, f"Tài khoản {HUB_ROLES.get(g.user['role'], g.user['role'])} không được thực hiện "
                           f"thao tác này; cần vai trò {HUB_ROLES[HUB_ACTIONS[needed]]} trở lên.")
            return view(**kwargs)

        wrapped.required = {"GET": action, "POST": post or action}
        return wrapped

    return decorator


def public(view):
    view.required = None
    return view


def required_action(endpoint: str, method: str) -> str | None:
    """The action *endpoint* needs for *method*, ``None`` if public. :raise LookupError: it declares none."""
    if endpoint == "static":
        return None
    view = current_app.view_functions[endpoint]
    if not hasattr(view, "required"):
        raise LookupError(endpoint)
    return None if view.required is None else view.required.get(method, view.required["GET"])


def _limits() -> dict:
    return dict(idle=timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]),
                lifetime=timedelta(hours=current_app.config["SESSION_MAX_HOURS"]))


@bp.before_app_request
def load_logged_in_user() -> None:
    g.user, g.actor = None, None
    token = session.get(SESSION_KEY)
    if token:
        user = sessions.resume(get_hub().db, token, now=now(), **_limits())
        if user is None:
            session.clear()
        else:
            g.user = user
            g.actor = Actor(user["username"], user["role"], user["display_name"])
    if request.endpoint is not None:
        try:
            required_action(request.endpoint, request.method)
        except LookupError:
            current_app.logger.error("view %s declares no action; refused", request.endpoint)
            abort(403)


def may(action: str) -> bool:
    return g.user is not None and can(g.user["role"], action)


@bp.app_context_processor
def inject():
    return {"may": may, "ROLES": HUB_ROLES}


def _wait_text(seconds: int) -> str:
    return f"{seconds} giây" if seconds < 60 else f"{seconds // 60} phút {seconds % 60} giây"


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập")
    password = PasswordField("Mật khẩu")


@bp.route("/login", methods=("GET", "POST"))
@public
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        db = get_hub().db
        try:
            user = logins.login(db, form.username.data or "", form.password.data or "",
                                address=request.remote_addr or "unknown", now=now(),
                                allow_demo=current_app.config.get("DEMO", False))
        except logins.LoginThrottledError as exc:
            flash(f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {_wait_text(exc.wait_seconds)}.", "error")
            status = 429
        except logins.AccountDisabledError:
            flash("Tài khoản này đã bị vô hiệu hóa. Hãy liên hệ người quản trị.", "error")
        except logins.DemoAccountError:
            flash("Đây là tài khoản thử nghiệm có mật khẩu công khai; chỉ dùng được trong bản chạy thử "
                  "(radio demo --province).", "error")
        except logins.LoginError:
            flash("Sai tên đăng nhập hoặc mật khẩu.", "error")
        else:
            session.clear()
            sessions.prune(db, now=now(), **_limits())
            session[SESSION_KEY] = sessions.start(db, user["username"], now=now(), address=request.remote_addr)
            return redirect(safe_next(request.args.get("next")) or url_for("bulletins.index"))
    return render_template("login.html", form=form), status


@bp.post("/logout")
@public
def logout():
    sessions.end(get_hub().db, session.get(SESSION_KEY))
    session.clear()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
