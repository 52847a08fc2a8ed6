"""Log in, log out, first-run setup, password change, and the guard every view declares.

Every view says which :data:`radio.accounts.roles.ACTIONS` action it needs with
:func:`requires` (or is marked :func:`public`); a view that declares nothing is
refused to everyone (deny by default), and tests/web/test_route_roles.py walks
the whole url map for every role. The library checks the same roles again.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import PasswordField, StringField

from radio.accounts import logins, sessions, users
from radio.accounts.roles import ACTIONS, ROLES, Actor, can
from radio.errors import RadioError
from radio.wording.messages import vi

from .db import get_db, get_settings, now

bp = Blueprint("auth", __name__, url_prefix="/auth")

#: the Flask session key holding the server-side session token
SESSION_KEY = "sid"
#: a browser that logged in before: a signed cookie naming its device id and accounts
#: (radio.accounts.logins judges its tries on its own failures, not its address's)
DEVICE_COOKIE = "radio_device"
DEVICE_MAX_AGE = timedelta(days=180)
DEVICE_MAX_ACCOUNTS = 8


# -- declaring what a view needs -----------------------------------------------------
def requires(action: str, *, post: str | None = None):
    """The view needs *action* (on POST: *post*, when given).

    :param action: a :data:`radio.accounts.roles.ACTIONS` name, ``"read"`` for pages
    """
    for name in (action, post):
        if name is not None and name not in ACTIONS:
            raise ValueError(f"unknown action {name!r}; add it to radio.accounts.roles.ACTIONS")

    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            needed = post if (post and request.method == "POST") else action
            if g.user is None:
                wanted = request.full_path.rstrip("?")
                # a huge query string is not carried into a huge Location (safe_next refuses it anyway)
                return redirect(url_for("auth.login", next=wanted if len(wanted) <= 2000 else request.path))
            if not can(g.user["role"], needed):
                abort(403, f"Tài khoản {ROLES.get(g.user['role'], g.user['role'])} không được "
                           f"thực hiện thao tác này; cần vai trò {ROLES[ACTIONS[needed]]} trở lên.")
            return view(**kwargs)

        wrapped.required = {"GET": action, "POST": post or action}
        return wrapped

    return decorator


def public(view):
    """The view is open to everyone, logged in or not (login, health check)."""
    view.required = None
    return view


#: kept for views written before roles: any logged-in user
login_required = requires("read")


def required_action(endpoint: str, method: str) -> str | None:
    """The action an endpoint needs for *method*; ``None`` if public.

    :raise LookupError: the view declares nothing (it is refused to everyone)
    """
    if endpoint == "static":
        return None
    view = current_app.view_functions[endpoint]
    if not hasattr(view, "required"):
        raise LookupError(endpoint)
    return None if view.required is None else view.required.get(method, view.required["GET"])


@bp.before_app_request
def load_logged_in_user() -> None:
    g.user = None
    g.actor = None  # the radio.accounts.roles.Actor every library call is made as
    token = session.get(SESSION_KEY)
    if token:
        user = sessions.resume(get_db(), token, now=now(), **_limits())
        if user is None:
            session.clear()
            if request.method == "GET":
                flash("Phiên làm việc đã hết hạn hoặc đã kết thúc. Hãy đăng nhập lại.", "info")
        else:
            g.user = user
            g.actor = Actor(user["username"], user["role"], user["display_name"])
    if request.endpoint is not None:
        try:
            required_action(request.endpoint, request.method)
        except LookupError:
            current_app.logger.error("view %s declares no action; refused", request.endpoint)
            abort(403)


def can_approve() -> bool:
    return g.user is not None and can(g.user["role"], "bulletin.approve")


def may(action: str) -> bool:
    """For templates: whether the logged-in user may take *action*."""
    return g.user is not None and can(g.user["role"], action)


@bp.app_context_processor
def inject_roles():
    return {"can_approve": can_approve, "may": may}


# -- helpers -------------------------------------------------------------------------
def safe_next(target: str | None) -> str | None:
    """*target* if it is a path on this site, else ``None`` (no open redirect).

    Browsers drop tabs and newlines and read ``\\`` as ``/``, so ``/\\t/evil``
    and ``/\\evil`` mean ``//evil``, another site: any control character or
    backslash is refused, then the path must start with one ``/`` and name no
    scheme or host.
    """
    if not target or len(target) > 2000:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target) or "\\" in target:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def client_address() -> str:
    """The client's address (after ProxyFix when ``trusted_proxies`` is set)."""
    return request.remote_addr or "unknown"


def _from_loopback() -> bool:
    # a proxy on the same PC makes every request look local: not when it says it forwards
    if request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded"):
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _limits() -> dict:
    settings = get_settings()
    return dict(idle=timedelta(minutes=settings["session_idle_minutes"]),
                lifetime=timedelta(hours=settings["session_max_hours"]))


def _start_session(user: dict) -> None:
    session.clear()  # no fixation: a fresh Flask session and a fresh server-side token
    sessions.prune(get_db(), now=now(), **_limits())
    session[SESSION_KEY] = sessions.start(get_db(), user["username"], now=now(), address=client_address())


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="radio.known-device")


def _device_cookie() -> dict | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or len(raw) > 2000:
        return None
    try:
        data = _device_serializer().loads(raw, max_age=int(DEVICE_MAX_AGE.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("id"), str) and isinstance(data.get("users"), list)):
        return None
    return data


def known_device(username: str) -> str | None:
    """The device id of this browser if it logged in to *username* before, else ``None``."""
    data = _device_cookie()
    username = (username or "").strip().lower()
    return data["id"] if data and username in data["users"] else None


def _remember_device(response, username: str):
    data = _device_cookie() or {"id": secrets.token_urlsafe(16), "users": []}
    accounts = [u for u in data["users"] if u != username][-(DEVICE_MAX_ACCOUNTS - 1):] + [username]
    response.set_cookie(DEVICE_COOKIE, _device_serializer().dumps({"id": data["id"], "users": accounts}),
                        max_age=int(DEVICE_MAX_AGE.total_seconds()), path=url_for("auth.login").rsplit("/", 1)[0],
                        httponly=True, samesite="Lax",
                        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]) or request.is_secure)
    return response


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} giây"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} phút {rest} giây" if rest else f"{minutes} phút"


def _no_accounts() -> bool:
    return get_db().execute("SELECT 1 FROM users LIMIT 1").fetchone() is None


# -- views ---------------------------------------------------------------------------
class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập")
    password = PasswordField("Mật khẩu")


class SetupForm(FlaskForm):
    setup_code = StringField("Mã cài đặt")
    username = StringField("Tên đăng nhập của người quản trị", default="quantri")
    display_name = StringField("Họ và tên")
    password = PasswordField("Mật khẩu")
    confirm = PasswordField("Nhập lại mật khẩu")


class PasswordForm(FlaskForm):
    current = PasswordField("Mật khẩu hiện tại")
    password = PasswordField("Mật khẩu mới")
    confirm = PasswordField("Nhập lại mật khẩu mới")


@bp.route("/login", methods=("GET", "POST"))
@public
def login():
    if _no_accounts():
        return redirect(url_for("auth.setup"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = form.username.data or ""
        try:
            user = logins.login(get_db(), username, form.password.data or "",
                                address=client_address(), now=now(), device=known_device(username),
                                allow_demo=current_app.config.get("DEMO", False))
        except logins.LoginThrottledError as exc:
            flash(f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {_wait_text(exc.wait_seconds)} "
                  "(mỗi lần thử trong lúc chờ làm thời gian chờ dài thêm).", "error")
            status = 429
        except logins.WrongPasswordError:
            flash("Sai tên đăng nhập hoặc mật khẩu.", "error")
        except logins.AccountDisabledError:
            flash("Tài khoản này đã bị vô hiệu hóa. Hãy liên hệ người quản trị.", "error")
        except logins.DemoAccountError:
            flash("Đây là tài khoản thử nghiệm có mật khẩu công khai. Người quản trị cần đặt mật khẩu "
                  "mới cho tài khoản này (lệnh radio user passwd) trước khi dùng.", "error")
        else:
            _start_session(user)
            return _remember_device(redirect(safe_next(request.args.get("next")) or url_for("bulletins.index")),
                                    user["username"])
    return render_template("auth/login.html", form=form), status


@bp.route("/setup", methods=("GET", "POST"))
@public
def setup():
    """First run: no account exists yet; create the admin with a chosen password.

    Allowed from the station PC itself (loopback), or from elsewhere with the
    one-time code ``radio serve`` prints while the station has no account.
    """
    if not _no_accounts():
        return redirect(url_for("auth.login"))
    local = _from_loopback()
    form = SetupForm()
    status = 200
    if form.validate_on_submit():
        db = get_db()
        code = current_app.config.get("SETUP_CODE") or ""
        wait = logins.retry_after(db, "#setup", client_address(), now=now())
        if wait:
            logins.record_refused(db, "#setup", client_address(), now())
            wait = logins.retry_after(db, "#setup", client_address(), now=now())
            flash(f"Nhập sai mã cài đặt quá nhiều lần. Hãy thử lại sau {_wait_text(wait)}.", "error")
            status = 429
        elif not local and not (code and hmac.compare_digest(
                (form.setup_code.data or "").strip().encode(), code.encode())):
            logins.record_failure(db, "#setup", client_address(), now())
            flash("Mã cài đặt không đúng. Mã được in ra khi chạy lệnh radio serve trên máy của đài.",
                  "error")
            status = 403
        elif (form.password.data or "") != (form.confirm.data or ""):
            flash("Hai lần nhập mật khẩu không khớp.", "error")
        else:
            try:
                user = users.create_first_admin(
                    db, username=form.username.data or "", password=form.password.data or "",
                    display_name=form.display_name.data or "", now=now(),
                    station_name=get_settings()["station_name"])
            except RadioError as exc:
                flash(vi(exc), "error")
            else:
                current_app.config["SETUP_CODE"] = None  # one time only
                _start_session(user)
                flash("Đã tạo tài khoản quản trị. Hãy thêm tài khoản cho cán bộ và lãnh đạo bằng lệnh "
                      "radio user add.", "success")
                return redirect(url_for("bulletins.index"))
    return render_template("auth/setup.html", form=form, local=local), status


@bp.route("/password", methods=("GET", "POST"))
@requires("read")
def password():
    """The logged-in user changes their own password (every other session ends)."""
    form = PasswordForm()
    if form.validate_on_submit():
        db = get_db()
        try:
            logins.login(db, g.user["username"], form.current.data or "", address=client_address(),
                         now=now(), device=known_device(g.user["username"]), allow_demo=True)
        except logins.LoginThrottledError as exc:
            flash(f"Nhập sai quá nhiều lần. Hãy thử lại sau {_wait_text(exc.wait_seconds)}.", "error")
        except logins.LoginError:
            flash("Mật khẩu hiện tại không đúng.", "error")
        else:
            if (form.password.data or "") != (form.confirm.data or ""):
                flash("Hai lần nhập mật khẩu mới không khớp.", "error")
            else:
                try:
                    user = users.set_password(db, g.actor, g.user["username"], form.password.data or "",
                                              now=now(), station_name=get_settings()["station_name"])
                except RadioError as exc:
                    flash(vi(exc), "error")
                else:
                    _start_session(user)
                    flash("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.", "success")
                    return redirect(url_for("bulletins.index"))
    return render_template("auth/password.html", form=form)


@bp.post("/logout")
@public
def logout():
    sessions.end(get_db(), session.get(SESSION_KEY))
    session.clear()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
