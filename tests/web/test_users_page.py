"""The admins' accounts page: every change goes through radio.accounts.users as the logged-in admin."""

from radio.accounts import audit, users

from .conftest import PASSWORD

NEW = "loa-moi-cho-thon-2"


def test_admin_manages_accounts(app, client, auth, db):
    auth.login("quantri", "admin")
    html = client.get("/users/").get_data(as_text=True)
    assert "Tài khoản" in html and "quantri" in html and "Thêm tài khoản" in html

    html = client.post("/users/", data={"username": "xem", "display_name": "Người xem", "role": "viewer",
                                        "password": "1234567890"}, follow_redirects=True).get_data(as_text=True)
    assert "mật khẩu phổ biến" in html and users.find_user(db, "xem") is None
    html = client.post("/users/", data={"username": "xem", "display_name": "Người xem", "role": "viewer",
                                        "password": NEW}, follow_redirects=True).get_data(as_text=True)
    assert "Đã thêm tài khoản xem (Người xem)." in html

    viewer = app.test_client()
    assert viewer.post("/auth/login", data={"username": "xem", "password": NEW}).status_code == 302
    html = client.post("/users/xem/role", data={"role": "officer"}, follow_redirects=True).get_data(as_text=True)
    assert "Đã đổi vai trò của xem thành Công chức VH-XH." in html
    assert viewer.get("/bulletins/").status_code == 302  # the new role needs a new login
    html = client.post("/users/xem/password", data={"password": "short"}, follow_redirects=True).get_data(as_text=True)
    assert "ít nhất 10 ký tự" in html
    client.post("/users/xem/password", data={"password": PASSWORD})
    html = client.post("/users/xem/disable", follow_redirects=True).get_data(as_text=True)
    assert "Đã vô hiệu hóa tài khoản xem" in html and "đã vô hiệu hóa" in html
    assert users.get_user(db, "xem")["disabled_at"]
    html = client.post("/users/quantri/disable", follow_redirects=True).get_data(as_text=True)
    assert "người quản trị cuối cùng" in html and not users.get_user(db, "quantri")["disabled_at"]
    client.post("/users/xem/enable")
    assert not users.get_user(db, "xem")["disabled_at"]
    assert client.post("/users/nobody/enable").status_code == 404

    rows = [(r["username"], r["action"], r["target"]) for r in audit.entries(db)]
    assert rows[:5] == [("quantri", "user.enable", "user:xem"), ("quantri", "user.disable", "user:xem"),
                        ("quantri", "user.passwd", "user:xem"), ("quantri", "user.role", "user:xem"),
                        ("quantri", "user.add", "user:xem")]


def test_only_admins_see_the_page(client, auth):
    auth.login("chutich", "leader")
    assert "Tài khoản</a>" not in client.get("/bulletins/").get_data(as_text=True)
    assert client.get("/users/").status_code == 403
