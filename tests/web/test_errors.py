from web import create_app
from web.auth import public


def test_unknown_page_is_friendly_404(client, auth):
    auth.login()
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Không tìm thấy" in html and "Traceback" not in html


def test_csrf_enforced(tmp_path, clock):
    app = create_app({"TESTING": True, "RADIO_HOME": str(tmp_path), "CLOCK": clock})
    client = app.test_client()
    response = client.post("/auth/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "mã bảo mật" in html and "CSRF" not in html
    # the first-run form carries a token
    page = client.get("/auth/login", follow_redirects=True).get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_internal_error_is_friendly(tmp_path, clock):
    app = create_app({"RADIO_HOME": str(tmp_path), "CLOCK": clock})

    @app.get("/boom")
    @public
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Lỗi hệ thống" in html and "secret internals" not in html


def test_create_app_with_only_radio_home(tmp_path):
    app = create_app({"RADIO_HOME": str(tmp_path / "h")})
    assert app.test_client().get("/healthz").get_json() == {"ok": True}
    from radio.clock import SystemClock

    assert isinstance(app.config["CLOCK"], SystemClock)
