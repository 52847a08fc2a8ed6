import pytest

from .conftest import PASSWORD


def test_healthz_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True}


@pytest.mark.parametrize("path", ["/bulletins/", "/bulletins/new", "/slots/", "/schedule/", "/log/",
                                  "/log/export.csv", "/bulletins/1"])
def test_login_required(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_login_page_is_vietnamese(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert "Đăng nhập" in html and "Mật khẩu" in html
    assert "Chưa có tài khoản nào" in html


def test_login_and_logout(client, auth):
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/bulletins/"
    html = client.get("/bulletins/").get_data(as_text=True)
    assert "Officer" in html and "Đăng xuất" in html
    assert "Đài truyền thanh xã Minh Đức" in html  # station name from settings
    response = auth.logout()
    assert response.headers["Location"] == "/auth/login"
    assert client.get("/bulletins/").status_code == 302


def test_login_follows_next_but_only_locally(client, auth):
    auth.create("officer", "officer")
    response = client.post("/auth/login?next=/slots/", data={"username": "officer", "password": PASSWORD})
    assert response.headers["Location"] == "/slots/"
    client.post("/auth/logout")
    response = client.post("/auth/login?next=//evil.example/", data={"username": "officer", "password": PASSWORD})
    assert response.headers["Location"] == "/bulletins/"


@pytest.mark.parametrize("username,password", [("officer", "wrong-password"), ("nobody", PASSWORD)])
def test_wrong_password(client, auth, username, password):
    auth.create("officer", "officer")
    response = client.post("/auth/login", data={"username": username, "password": password})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.get_data(as_text=True)
    assert client.get("/bulletins/").status_code == 302


def test_secret_key_is_generated_and_persisted(tmp_path):
    from web import create_app

    home = tmp_path / "station"
    first = create_app({"RADIO_HOME": str(home)})
    second = create_app({"RADIO_HOME": str(home)})
    assert first.config["SECRET_KEY"] and first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (home / "secret_key").stat().st_mode & 0o077 == 0
