"""Login, logout, sessions, first run and password change in the admin, written as the attacks
they answer (each once succeeded against the admin)."""

from datetime import timedelta

import pytest

from radio.accounts import logins, users
from radio.accounts.users import OPERATOR

from .conftest import PASSWORD
from tests.support.actors import ADMIN, OFFICER

NEW_PASSWORD = "loa-phuong-moi-2027"


def test_healthz_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True}


@pytest.mark.parametrize("path", ["/bulletins/", "/bulletins/new", "/slots/", "/schedule/", "/log/",
                                  "/log/export.csv", "/bulletins/1", "/auth/password", "/"])
def test_login_required(client, auth, path):
    auth.create("officer", "officer")
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_login_page_is_vietnamese(client, auth):
    auth.create("officer", "officer")
    html = client.get("/auth/login").get_data(as_text=True)
    assert "Đăng nhập" in html and "Mật khẩu" in html


def test_login_and_logout(client, auth):
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/bulletins/"
    html = client.get("/bulletins/").get_data(as_text=True)
    assert "Officer" in html and "Đăng xuất" in html and "Đổi mật khẩu" in html
    assert "Đài truyền thanh xã Minh Đức" in html  # station name from settings
    response = auth.logout()
    assert response.headers["Location"] == "/auth/login"
    assert client.get("/bulletins/").status_code == 302


def test_replaying_the_cookie_after_logout_is_refused(app, client, auth):
    auth.login()
    stolen = client.get_cookie("session").value
    assert client.get("/bulletins/").status_code == 200
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/bulletins/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_password_change_and_disable_end_other_sessions(app, client, auth, db, clock):
    auth.login()
    other = app.test_client()
    assert other.post("/auth/login", data={"username": "officer", "password": PASSWORD}).status_code == 302
    users.set_password(db, OPERATOR, "officer", NEW_PASSWORD, now=clock.now())
    assert client.get("/bulletins/").status_code == 302
    assert other.get("/bulletins/").status_code == 302
    assert other.post("/auth/login", data={"username": "officer", "password": NEW_PASSWORD}).status_code == 302
    users.set_role(db, OPERATOR, "officer", "viewer", now=clock.now())
    assert other.get("/bulletins/").status_code == 302  # a new role needs a new login
    assert other.post("/auth/login", data={"username": "officer", "password": NEW_PASSWORD}).status_code == 302
    users.disable_user(db, OPERATOR, "officer", now=clock.now())
    assert other.get("/bulletins/").status_code == 302
    html = other.post("/auth/login", data={"username": "officer", "password": NEW_PASSWORD}).get_data(as_text=True)
    assert "đã bị vô hiệu hóa" in html


def test_idle_timeout_and_absolute_lifetime(client, auth, clock):
    auth.login()
    clock.advance(29 * 60)
    assert client.get("/bulletins/").status_code == 200
    clock.advance(31 * 60)  # 31 minutes without a request: the default idle limit is 30
    response = client.get("/bulletins/")
    assert response.status_code == 302
    assert "Phiên làm việc đã hết hạn" in client.get("/auth/login").get_data(as_text=True)

    auth.login()
    for _ in range(12 * 3):  # busy all day, but 12 h after login the session ends anyway
        assert client.get("/schedule/").status_code == 200
        clock.advance(20 * 60)
    assert client.get("/schedule/").status_code == 302


def test_session_settings_are_honoured(client, auth, db, clock):
    db["settings"].insert({"name": "session_idle_minutes", "value": "5"})
    auth.login()
    clock.advance(6 * 60)
    assert client.get("/bulletins/").status_code == 302


def test_the_cookie_holds_only_a_session_id(client, auth, db):
    auth.login()
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure
    from flask.sessions import SecureCookieSessionInterface

    data = SecureCookieSessionInterface().get_signing_serializer(client.application).loads(cookie.value)
    assert set(data) == {"sid"}
    (row,) = db["sessions"].rows
    assert row["username"] == "officer" and row["id"] != data["sid"]  # stored hashed


def test_cookie_is_secure_over_https(client, auth):
    auth.create("officer", "officer")
    response = client.post("/auth/login", base_url="https://radio.example",
                           data={"username": "officer", "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]


def test_cookie_is_secure_behind_a_trusted_proxy(tmp_path, clock):
    from radio.settings import save
    from radio.store.connection import connect
    from web import create_app

    home = tmp_path / "home"
    app = create_app({"TESTING": True, "RADIO_HOME": str(home), "SECRET_KEY": "t",
                      "WTF_CSRF_ENABLED": False, "CLOCK": clock})
    station = connect(home / "radio.db")
    save(station, "trusted_proxies", "1", actor=ADMIN, now=clock.now())
    users.add_user(station, username="officer", password=PASSWORD, role="officer", now=clock.now())
    station.conn.close()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    # without the setting the header is not believed
    response = app.test_client().post("/auth/login", headers=forwarded,
                                      data={"username": "officer", "password": PASSWORD})
    assert "Secure" not in response.headers["Set-Cookie"]
    proxied = create_app({"TESTING": True, "RADIO_HOME": str(home), "SECRET_KEY": "t",
                          "WTF_CSRF_ENABLED": False, "CLOCK": clock})
    response = proxied.test_client().post("/auth/login", headers=forwarded,
                                          data={"username": "officer", "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_login_follows_next_but_only_locally(client, auth):
    auth.create("officer", "officer")
    response = client.post("/auth/login?next=/slots/", data={"username": "officer", "password": PASSWORD})
    assert response.headers["Location"] == "/slots/"


@pytest.mark.parametrize("target", [
    "/%09/evil.example/steal",   # the finding: a tab the browser drops, leaving //evil.example
    "/%0a/evil.example", "/%0d/evil.example", "/%00/evil.example", "/%7f/evil.example",
    "//evil.example/", "///evil.example/", "/\\evil.example", "/%5Cevil.example",
    "https://evil.example/", "https:evil.example", "javascript:alert(1)", "evil.example",
    "%2F%2Fevil.example", " //evil.example",
])
def test_open_redirect_after_login_is_refused(client, auth, target):
    auth.create("officer", "officer")
    response = client.post(f"/auth/login?next={target}", data={"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/bulletins/"


@pytest.mark.parametrize("username,password", [("officer", "wrong-password"), ("nobody", PASSWORD)])
def test_wrong_password(client, auth, username, password):
    auth.create("officer", "officer")
    response = client.post("/auth/login", data={"username": username, "password": password})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.get_data(as_text=True)
    assert client.get("/bulletins/").status_code == 302


def test_brute_force_is_locked_out(client, auth, clock):
    auth.create("officer", "officer")
    for _ in range(30):
        response = client.post("/auth/login", data={"username": "officer", "password": "doan-mat-khau"})
        if response.status_code == 429:
            break
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    # the refused try counts: the wait it is told includes it
    assert "Đăng nhập sai quá nhiều lần. Hãy thử lại sau 1 phút" in html
    clock.advance(60)
    # the right password is not even checked while locked
    response = client.post("/auth/login", data={"username": "officer", "password": PASSWORD})
    assert response.status_code == 302 and client.get("/bulletins/").status_code == 200


def test_an_attacker_on_the_leaders_name_does_not_lock_the_leader_out(app, auth, db, clock):
    """Lockout by a guesser: 5 wrong passwords from one address, then one try a second, kept the
    leader's right password refused from another address for 7 minutes."""
    auth.create("lanhdao", "leader")
    attacker, leader = app.test_client(), app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    leader.environ_base["REMOTE_ADDR"] = "192.168.1.30"
    codes = set()
    for second in range(7 * 60):
        codes.add(attacker.post("/auth/login", data={"username": "lanhdao", "password": f"doan-{second}"}
                                ).status_code)
        clock.advance(1)
    assert codes == {200, 429}
    response = leader.post("/auth/login", data={"username": "lanhdao", "password": PASSWORD})
    assert response.status_code == 302 and leader.get("/approvals/").status_code == 200
    # the admin is warned on every page, refused tries counted
    auth.create("quantri", "admin")
    admin = app.test_client()
    admin.post("/auth/login", data={"username": "quantri", "password": PASSWORD})
    html = admin.get("/bulletins/").get_data(as_text=True)
    assert "Tài khoản <strong>lanhdao</strong> bị đăng nhập sai" in html and "203.0.113.9" in html
    assert "bị đăng nhập sai" not in leader.get("/bulletins/").get_data(as_text=True)  # admins only


def test_a_known_browser_gets_in_from_the_attackers_address(app, auth, clock):
    """Behind one office connection (or a proxy) the attacker and the leader share an
    address: the leader's browser, known by its signed cookie, still gets in."""
    auth.create("lanhdao", "leader")
    leader, attacker = app.test_client(), app.test_client()
    assert leader.post("/auth/login", data={"username": "lanhdao", "password": PASSWORD}).status_code == 302
    cookie = leader.get_cookie("radio_device", path="/auth")
    assert cookie.http_only and cookie.same_site == "Lax"
    leader.post("/auth/logout")
    for _ in range(20):
        attacker.post("/auth/login", data={"username": "lanhdao", "password": "doan-mat-khau"})
    assert attacker.post("/auth/login", data={"username": "lanhdao", "password": PASSWORD}).status_code == 429
    assert leader.post("/auth/login", data={"username": "lanhdao", "password": PASSWORD}).status_code == 302
    # a forged or another account's cookie is no key
    attacker.set_cookie("radio_device", cookie.value[:-2] + "xx", path="/auth")
    assert attacker.post("/auth/login", data={"username": "lanhdao", "password": PASSWORD}).status_code == 429


def test_demo_account_is_refused_outside_radio_demo(app, client, db, clock):
    users.add_user(db, username="canbo", password="Demo-VHXH-2026", role="officer", now=clock.now(), demo=True)
    html = client.post("/auth/login", data={"username": "canbo", "password": "Demo-VHXH-2026"}).get_data(as_text=True)
    assert "tài khoản thử nghiệm" in html and client.get("/bulletins/").status_code == 302
    app.config["DEMO"] = True
    assert client.post("/auth/login", data={"username": "canbo", "password": "Demo-VHXH-2026"}).status_code == 302
    client.post("/auth/logout")
    app.config["DEMO"] = False
    users.set_password(db, OPERATOR, "canbo", NEW_PASSWORD, now=clock.now())
    assert client.post("/auth/login", data={"username": "canbo", "password": NEW_PASSWORD}).status_code == 302


# -- first run -----------------------------------------------------------------------
SETUP = {"username": "quantri", "display_name": "Quản trị viên", "password": NEW_PASSWORD,
         "confirm": NEW_PASSWORD}


def test_first_run_from_the_station_pc_creates_the_admin(client, db):
    response = client.get("/auth/login")
    assert response.headers["Location"] == "/auth/setup"
    html = client.get("/auth/setup").get_data(as_text=True)
    assert "Cài đặt lần đầu" in html and "Mã cài đặt" not in html
    response = client.post("/auth/setup", data=SETUP)
    assert response.headers["Location"] == "/bulletins/"
    assert client.get("/bulletins/").status_code == 200  # logged in as the new admin
    assert users.get_user(db, "quantri")["role"] == "admin"
    # once an account exists the page is gone
    assert client.get("/auth/setup").headers["Location"] == "/auth/login"
    assert client.post("/auth/setup", data={**SETUP, "username": "second"}).status_code == 302
    assert users.find_user(db, "second") is None


def test_first_run_refuses_a_weak_password(client, db):
    html = client.post("/auth/setup", data={**SETUP, "password": "1234567890", "confirm": "1234567890"}
                       ).get_data(as_text=True)
    assert "mật khẩu phổ biến" in html and users.list_users(db) == []


def test_first_run_from_another_computer_needs_the_setup_code(app, db):
    app.config["SETUP_CODE"] = "a1b2c3d4e5f6"
    remote = app.test_client()
    remote.environ_base["REMOTE_ADDR"] = "192.168.1.50"
    assert "Mã cài đặt" in remote.get("/auth/setup").get_data(as_text=True)
    response = remote.post("/auth/setup", data={**SETUP, "setup_code": "000000000000"})
    assert response.status_code == 403 and users.list_users(db) == []
    # a proxy on the station PC does not make a remote browser local
    proxied = app.test_client()
    response = proxied.post("/auth/setup", data=SETUP, headers={"X-Forwarded-For": "192.168.1.50"})
    assert response.status_code == 403 and users.list_users(db) == []
    response = remote.post("/auth/setup", data={**SETUP, "setup_code": "a1b2c3d4e5f6"})
    assert response.status_code == 302 and users.get_user(db, "quantri")["role"] == "admin"
    assert app.config["SETUP_CODE"] is None


def test_setup_code_guessing_is_locked_out(app, db):
    app.config["SETUP_CODE"] = "a1b2c3d4e5f6"
    remote = app.test_client()
    remote.environ_base["REMOTE_ADDR"] = "192.168.1.50"
    codes = [remote.post("/auth/setup", data={**SETUP, "setup_code": f"guess{n}"}).status_code
             for n in range(logins.FREE_PER_PAIR + 1)]
    assert codes[-1] == 429
    response = remote.post("/auth/setup", data={**SETUP, "setup_code": "a1b2c3d4e5f6"})
    assert response.status_code == 429 and users.list_users(db) == []


# -- own password --------------------------------------------------------------------
def test_change_own_password(app, client, auth, db):
    auth.login("chutich", "leader")
    other = app.test_client()
    other.post("/auth/login", data={"username": "chutich", "password": PASSWORD})
    html = client.get("/auth/password").get_data(as_text=True)
    assert "Đổi mật khẩu" in html and "Mật khẩu hiện tại" in html
    html = client.post("/auth/password", data={"current": "sai-mat-khau", "password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD}).get_data(as_text=True)
    assert "Mật khẩu hiện tại không đúng." in html
    html = client.post("/auth/password", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                               "confirm": "khac-hoan-toan"}).get_data(as_text=True)
    assert "không khớp" in html
    html = client.post("/auth/password", data={"current": PASSWORD, "password": "chutich-2026-abc",
                                               "confirm": "chutich-2026-abc"}).get_data(as_text=True)
    assert "tên đăng nhập hoặc tên đài" in html
    response = client.post("/auth/password", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/bulletins/"
    assert client.get("/bulletins/").status_code == 200   # this browser goes on
    assert other.get("/bulletins/").status_code == 302    # the other session ended
    assert users.get_user(db, "chutich")["password_changed_at"]
    (row,) = [r for r in db["audit"].rows if r["action"] == "user.passwd"]
    assert row["username"] == "chutich" and row["target"] == "user:chutich"


# -- server --------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/auth/login", "/healthz", "/no-such-page", "/static/style.css"])
def test_security_headers_on_every_response(client, auth, path):
    auth.create("officer", "officer")
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client, auth, db, clock):
    from radio.bulletins import lifecycle as bulletins

    bulletin_id = bulletins.add_bulletin(db, actor=OFFICER, title="Thông báo", text="Nội dung thông báo.", now=clock.now())
    auth.login("chutich", "leader")
    for path in ("/bulletins/", f"/bulletins/{bulletin_id}", "/slots/", "/schedule/", "/log/",
                 "/auth/password"):
        html = client.get(path).get_data(as_text=True).lower()
        assert " onsubmit=" not in html and " onclick=" not in html and "<script>" not in html
        assert " style=" not in html


def test_instance_config_is_honoured(tmp_path):
    from web import create_app

    home = tmp_path / "station"
    home.mkdir()
    (home / "config.py").write_text("SESSION_COOKIE_SECURE = True\nSCHEDULE_DAYS = 3\n")
    app = create_app(radio_home=str(home))
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["SCHEDULE_DAYS"] == 3


def test_secret_key_is_generated_and_persisted(tmp_path):
    from web import create_app

    home = tmp_path / "station"
    first = create_app({"RADIO_HOME": str(home)})
    second = create_app({"RADIO_HOME": str(home)})
    assert first.config["SECRET_KEY"] and first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (home / "secret_key").stat().st_mode & 0o077 == 0


def test_data_directory_and_database_are_private(tmp_path):
    from web import create_app

    home = tmp_path / "station"
    create_app({"RADIO_HOME": str(home)})
    assert home.stat().st_mode & 0o777 == 0o700
    for name in ("radio.db", "radio.db-wal", "radio.db-shm"):
        path = home / name
        if path.exists():
            assert path.stat().st_mode & 0o077 == 0, name
    assert (home / "radio.db").exists()


def test_idle_session_touch_is_throttled(client, auth, db, clock):
    auth.login()
    (before,) = [r["last_seen_at"] for r in db["sessions"].rows]
    clock.advance(10)
    client.get("/bulletins/")
    assert [r["last_seen_at"] for r in db["sessions"].rows] == [before]
    clock.advance(timedelta(minutes=2).total_seconds())
    client.get("/bulletins/")
    assert [r["last_seen_at"] for r in db["sessions"].rows] != [before]


def test_a_library_refusal_is_a_vietnamese_403(app, client, auth):
    from flask import g

    from radio.accounts.roles import require
    from web.auth import requires

    @app.post("/try-settings")
    @requires("read")
    def try_settings():
        require(g.actor, "settings.edit")  # the library says no even if a view forgot to
        return "changed"

    auth.login()
    response = client.post("/try-settings")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "không được" in html and "settings.edit" not in html


def test_login_replaces_a_planted_session(app, client, auth, db, clock):
    from radio.accounts import sessions

    auth.create("officer", "officer")
    auth.create("attacker", "viewer")
    planted = sessions.start(db, "attacker", now=clock.now())
    with client.session_transaction() as cookie:
        cookie["sid"] = planted
    client.post("/auth/login", data={"username": "officer", "password": PASSWORD})
    with client.session_transaction() as cookie:
        assert cookie["sid"] != planted
    assert "Officer" in client.get("/bulletins/").get_data(as_text=True)
    assert sessions.resume(db, planted, now=clock.now(), idle=timedelta(minutes=30),
                           lifetime=timedelta(hours=12))["username"] == "attacker"
