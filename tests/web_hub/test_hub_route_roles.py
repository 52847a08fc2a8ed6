"""Every route of the province admin × every role: refused as radio.hub.accounts says.

Generated from the app's url map, so a new route is tested as soon as it exists and fails
here unless its view declares an action (``web.hub.auth.requires``) or is ``public``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from radio.clock import ManualClock
from radio.hub import Targets, write_bulletin
from radio.hub.accounts import HUB_ROLES, can
from radio.hub.stations import add_station
from web.hub import create_hub_app
from web.hub.auth import required_action

from .conftest import START, log_in, make_hub

ROLE_NAMES = [None, *HUB_ROLES]  # None: not logged in

_ROOT = Path(tempfile.mkdtemp(prefix="hub-route-roles-"))
_HUB = make_hub(_ROOT, ManualClock(START))
DRAFT = write_bulletin(_HUB.db, cls="thuong", title="Bản nháp", text="Nội dung bản nháp.", targets=Targets(all=True),
                       now=START, by="Phạm Thị Biên")
(_ROOT / "hub" / "joins").mkdir()
add_station(_HUB, "XA04", name="Xã XA04", join_path=_ROOT / "hub" / "joins" / "XA04.creds", now=START)
_HUB.close()
ARGS = {"bulletin_id": DRAFT, "filename": "style.css", "code": "XA04"}
_MAP_APP = create_hub_app(str(_ROOT / "hub"), {"SECRET_KEY": "x"})
ROUTES = sorted((rule.endpoint, rule.rule, method) for rule in _MAP_APP.url_map.iter_rules()
                for method in sorted(rule.methods & {"GET", "POST"}))


@pytest.fixture(scope="module")
def matrix_app():
    clock = ManualClock(START)
    app = create_hub_app(str(_ROOT / "hub"), {"SECRET_KEY": "x", "CLOCK": clock, "WTF_CSRF_ENABLED": False,
                                              "SEND_TIMEOUT_S": 5.0})
    return app


def _url(app, endpoint):
    from flask import url_for

    with app.test_request_context():
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        return url_for(endpoint, **{a: ARGS[a] for a in rule.arguments})


def test_the_matrix_covers_the_pages():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert {"auth.login", "stations.index", "bulletins.index", "bulletins.new", "bulletins.detail",
            "bulletins.approve_send", "alerts.index", "stations.add", "stations.join_file",
            "stations.accounts"} <= endpoints


def test_every_view_declares_what_it_needs():
    with _MAP_APP.app_context():
        for endpoint, _, method in ROUTES:
            required_action(endpoint, method)  # raises LookupError for a view that declares nothing


@pytest.mark.parametrize("role", ROLE_NAMES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("endpoint,rule,method", ROUTES, ids=lambda v: str(v))
def test_route_refuses_whoever_may_not(matrix_app, endpoint, rule, method, role):
    client = matrix_app.test_client()
    if role is not None:
        from radio.hub import open_hub

        hub = open_hub(_ROOT / "hub", clock=ManualClock(START))
        try:
            log_in(client, hub, role)
        finally:
            hub.close()
    url = _url(matrix_app, endpoint)
    response = client.post(url, data={}) if method == "POST" else client.get(url)
    with matrix_app.app_context():
        needed = required_action(endpoint, method)
    if needed is None:
        assert response.status_code < 500, (url, response.status_code)
    elif role is None:
        assert response.status_code == 302 and "/auth/login" in response.location
    elif can(role, needed):
        assert response.status_code in (200, 302, 400), (url, role, response.status_code)
    else:
        assert response.status_code == 403, (url, role, response.status_code)
        assert "không được thực hiện thao tác này" in response.get_data(as_text=True)


POSTS = sorted({(endpoint, rule) for endpoint, rule, method in ROUTES if method == "POST"})


@pytest.mark.parametrize("endpoint,rule", POSTS, ids=lambda v: str(v))
def test_every_post_needs_its_csrf_token(endpoint, rule):
    from radio.hub import open_hub

    app = create_hub_app(str(_ROOT / "hub"), {"SECRET_KEY": "x", "CLOCK": ManualClock(START)})
    client = app.test_client()
    hub = open_hub(_ROOT / "hub", clock=ManualClock(START))
    try:
        log_in(client, hub, "admin")
        before = hub.db.execute("SELECT (SELECT count(*) FROM bulletins), (SELECT count(*) FROM stations)").fetchone()
    finally:
        hub.close()
    response = client.post(_url(app, endpoint), data={"code": "XA09", "name": "Xã", "title": "T", "text": "X",
                                                      "cls": "thuong", "to": "all", "repeat": "1"})
    assert response.status_code == 400 and "mã bảo mật" in response.get_data(as_text=True)
    hub = open_hub(_ROOT / "hub", clock=ManualClock(START))
    try:
        assert hub.db.execute("SELECT (SELECT count(*) FROM bulletins), "
                              "(SELECT count(*) FROM stations)").fetchone() == before
    finally:
        hub.close()
