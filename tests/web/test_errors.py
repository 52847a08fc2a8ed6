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


# -- bad input is a 400 or a 404, never a 500 ----------------------------------------
import json

import pytest

from radio.bulletins import lifecycle as radio_bulletins
from tests.support.actors import OFFICER

MANUAL = {"at": "2026-11-22 08:00", "reason": "đọc qua micrô", "titles": "Tin một"}


@pytest.mark.parametrize("method, path, kwargs, codes", [
    ("GET", "/emergency/" + "9" * 30, {}, (404,)),
    ("GET", "/emergency/" + "9" * 30 + ".json", {}, (404,)),
    ("GET", "/bulletins/" + "9" * 5000, {}, (404,)),
    ("GET", "/bulletins/٣", {}, (404,)),  # werkzeug's int took any Unicode digit
    ("POST", "/emergency/", {"data": {"bulletin_id": "²"}}, (200,)),
    ("POST", "/emergency/", {"data": {"bulletin_id": "٣", "confirm": "yes"}}, (200,)),
    ("POST", "/log/manual", {"data": {**MANUAL, "minutes": "nan"}}, (302,)),
    ("POST", "/log/manual", {"data": {**MANUAL, "minutes": "inf"}}, (302,)),
    ("POST", "/log/manual", {"data": {**MANUAL, "minutes": "1e309"}}, (302,)),
    ("POST", "/lexicon/", {"data": {"term": "x" * 100_000, "spoken": "y"}}, (400,)),
    ("GET", "/bulletins/?page=" + "9" * 25, {}, (200,)),
    ("GET", "/log/?page=" + "9" * 25, {}, (200,)),
])
def test_bad_input_is_never_a_500(app, client, auth, db, method, path, kwargs, codes):
    auth.login("quantri", "admin")
    response = client.open(path, method=method, **kwargs)
    assert response.status_code in codes, response.get_data(as_text=True)[:300]
    assert len(response.headers.get("Location", "")) < 200
    assert db.execute("SELECT count(*) FROM occurrences").fetchone()[0] == 0


@pytest.mark.parametrize("path", ["/speech/preview", "/lexicon/add.json", "/speech/listen"])
@pytest.mark.parametrize("body", ["[1, 2]", "7", '"UBND"', "null", '{"term": "\\ud800", "spoken": "x"}',
                                  '{"text": "\\udfff"}', '{"term": ["UBND"], "spoken": {"a": 1}, "text": [1]}'])
def test_json_bodies_that_are_not_an_object_of_text_are_400(client, auth, db, path, body):
    auth.login("quantri", "admin")
    response = client.post(path, data=body, content_type="application/json")
    if body == "null":  # no body: the form's own message, as an empty field
        assert response.status_code in (200, 400) and response.is_json
        return
    assert response.status_code == 400 and response.is_json and set(response.get_json()) == {"error"}
    assert db.execute("SELECT count(*) FROM lexicon").fetchone()[0] == 0


def test_no_id_in_any_route_is_a_500(app, client, auth, db):
    """Every route with an ``<int:…>`` part, given ids int() or SQLite choke on."""
    auth.login("quantri", "admin")
    radio_bulletins.add_bulletin(db, title="Tin", text="Nội dung", now=app.config["CLOCK"].now(), actor=OFFICER)
    rules = [r for r in app.url_map.iter_rules() if "int" in {type(c).__name__ for c in r._converters.values()}
             or any(type(c).__name__ == "IdConverter" for c in r._converters.values())]
    assert len(rules) > 10
    for rule in rules:
        for bad in ("9" * 30, "٣", "²", "0", "-1", "1_0"):
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", bad).replace(f"<{name}>", "x")
                path = path.replace(f"<int(min=0, max=1):{name}>", bad)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method)
                assert response.status_code < 500, (method, path, response.status_code)
                if path.startswith("/api/"):
                    assert response.is_json, path


@pytest.mark.parametrize("typed", ["1_0", "٣", "²", "1e3", "9" * 30])
def test_counts_are_ascii_digits(app, client, auth, db, typed):
    """int() took "1_0" as 10 and "٣" as 3: a repeat count, a target's minimum, a page."""
    auth.login("quantri", "admin")
    client.post("/bulletins/new", data={"title": "Tin", "text": "Nội dung", "repeat_count": typed})
    client.post("/targets/add", data={"topic": "y-te", "period": "month", "minimum": typed})
    assert db.execute("SELECT count(*) FROM bulletins").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM targets WHERE topic = 'y-te'").fetchone()[0] == 0
    if typed.isascii() and typed.isdigit():
        return  # a page past the last is only empty
    assert "không hợp lệ" in client.get(f"/bulletins/?page={typed}").get_data(as_text=True)


def test_no_redirect_carries_a_huge_value(client, auth):
    """A 100,000-character lexicon term redirected with a 64 KB Location; so did any
    long query string on the way to the login page, and a long month on the log's verify."""
    response = client.get("/bulletins/?q=" + "x" * 100_000)
    assert response.status_code == 302 and len(response.headers["Location"]) < 200
    auth.login("quantri", "admin")
    response = client.post("/log/verify", data={"month": "2026-11" * 10_000})
    assert response.status_code == 302 and len(response.headers["Location"]) < 200
