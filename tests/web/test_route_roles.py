"""Every route × every role: the web layer refuses whoever radio.accounts.roles says may not act.

Generated from ``app.url_map``: a new route is tested as soon as it exists, and
fails here unless its view declares an action with ``web.auth.requires`` (or is
``public``). Requests are real POSTs with a valid CSRF token; sessions are
opened directly in the store so no password hashing slows the matrix down.
"""

import shutil
import tempfile
from pathlib import Path

import pytest
from flask import session
from flask_wtf.csrf import generate_csrf

from radio.bulletins import lifecycle as bulletins
from radio.schedule import outputs, slots
from radio.accounts import sessions
from radio.accounts.roles import ACTIONS, ROLES, Actor, can
from radio.store.connection import connect
from radio.accounts.users import add_user
from web import create_app
from web.auth import required_action
from tests.support.actors import ADMIN, LEADER, OFFICER

from .conftest import START

ROLE_NAMES = [None, *ROLES]  # None: not logged in
#: routes any reader may use whose library call needs more for some resources: endpoint → that action
#: (a draft's audio not made yet is rendered only for speech.render: it fills the disk)
RENDERS = {"speech.bulletin_audio": "speech.render"}
ARGS = {"filename": "style.css", "username": "viewer", "name": "thon1"}


def _template_home() -> Path:
    """A station with one user per role, a draft (id 1), an approved bulletin and a slot."""
    root = Path(tempfile.mkdtemp(prefix="route-roles-"))
    db = connect(root / "radio.db")
    for role in ROLES:
        add_user(db, username=role, password="mat-khau-du-dai-1", role=role, now=START)
    # written by the matrix's own officer, who may edit it (officers edit only their own drafts)
    bulletins.add_bulletin(db, title="Bản nháp", text="Nội dung bản nháp.", now=START,
                           actor=Actor("officer", "officer"))
    approved = bulletins.add_bulletin(db, title="Đã duyệt", text="Nội dung đã duyệt.", now=START,
                                      priority="urgent", actor=OFFICER)
    bulletins.approve_bulletin(db, approved, by="leader", now=START, actor=LEADER, expected_sha256=None)
    slots.add_slot(db, at="17:00", days="daily", now=START, actor=OFFICER)
    outputs.add_output(db, name="thon1", spec="pulse:thon1", actor=ADMIN, now=START)
    db.conn.close()
    return root


TEMPLATE = _template_home()
_MAP_APP = create_app({"RADIO_HOME": str(TEMPLATE / "map"), "SECRET_KEY": "x"})
ROUTES = sorted(
    (rule.endpoint, rule.rule, method)
    for rule in _MAP_APP.url_map.iter_rules()
    for method in sorted(rule.methods & {"GET", "POST"})
    # the JSON API answers to bearer tokens, never to the session: tests/web/test_api.py
    if not hasattr(_MAP_APP.view_functions[rule.endpoint], "token_action")
)


def _snapshot(db) -> tuple:
    return tuple(list(db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall())
                 for table in ("bulletins", "slots", "commands", "users", "audit"))


@pytest.fixture
def station(tmp_path, clock):
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    shutil.copy(TEMPLATE / "radio.db", home / "radio.db")
    app = create_app({"RADIO_HOME": str(home), "SECRET_KEY": "matrix", "CLOCK": clock,
                      "RENDER_ON_APPROVE": False})  # CSRF on, as in production
    db = connect(home / "radio.db")
    yield app, db
    db.conn.close()


def test_every_route_declares_an_action():
    with _MAP_APP.test_request_context():
        for endpoint, path, method in ROUTES:
            try:
                action = required_action(endpoint, method)
            except LookupError:
                pytest.fail(f"{method} {path} ({endpoint}) declares no action: add @requires(...)")
            assert action is None or action in ACTIONS, (endpoint, action)


def test_public_routes_are_only_the_expected_ones():
    with _MAP_APP.test_request_context():
        public = {endpoint for endpoint, _, method in ROUTES if required_action(endpoint, method) is None}
    assert public == {"static", "healthz", "auth.login", "auth.logout", "auth.setup", "api.openapi"}


@pytest.mark.parametrize("role", ROLE_NAMES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("endpoint,path,method", ROUTES, ids=lambda v: v if isinstance(v, str) else None)
def test_route_refuses_every_role_that_may_not_use_it(station, endpoint, path, method, role):
    app, db = station
    client = app.test_client()
    with app.test_request_context():
        csrf = generate_csrf()
        raw_csrf = session["csrf_token"]
        (rule,) = [r for r in app.url_map.iter_rules(endpoint) if r.rule == path]
        url = app.url_map.bind("localhost").build(endpoint, {arg: ARGS.get(arg, 1) for arg in rule.arguments})
        action = required_action(endpoint, method)
    with client.session_transaction() as cookie:
        cookie["csrf_token"] = raw_csrf
        if role:
            cookie["sid"] = sessions.start(db, role, now=START)
    before = _snapshot(db)
    if method == "POST":
        response = client.post(url, data={"csrf_token": csrf})
    else:
        response = client.get(url)
    to_login = response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    if action is None:  # public: login and setup redirect among themselves, never refuse
        assert response.status_code in (200, 302), response.status_code
    elif endpoint in RENDERS and can(role, action) and not can(role, RENDERS[endpoint]):
        # let through to hear what is made; draft 1 has no audio yet, and making it is an officer's
        assert response.status_code == 403, response.status_code
        assert _snapshot(db) == before, "a refused request changed the station"
    elif can(role, action):
        # let through: 404 is the resource's own answer (no aired audio for entry 1 in the template)
        assert response.status_code in (200, 302, 404) and not to_login, (response.status_code, url)
    else:
        if role is None:
            assert to_login, response.status_code
        else:
            assert response.status_code == 403, response.status_code
        assert _snapshot(db) == before, "a refused request changed the station"


@pytest.mark.parametrize("role", list(ROLES))
def test_pages_offer_only_what_the_role_may_do(station, role):
    app, db = station
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["sid"] = sessions.start(db, role, now=START)
    pages = "".join(client.get(path).get_data(as_text=True)
                    for path in ("/bulletins/", "/bulletins/1", "/bulletins/2", "/slots/"))
    offers = {
        "bulletin.create": "+ Thêm bản tin", "bulletin.import": "Nhập từ tệp",
        "bulletin.edit": ">Sửa<", "bulletin.approve": "Duyệt bản tin", "bulletin.urgent": "Phát ngay",
        "bulletin.withdraw": "Rút bản tin", "slot.pause": "Tạm dừng", "slot.create": "Thêm khung giờ",
    }
    for action, label in offers.items():
        if action == "bulletin.withdraw":
            # an officer may withdraw their own draft (bulletin 1); the role is about approved ones
            page = client.get("/bulletins/2").get_data(as_text=True)
            assert (label in page) == can(role, action), (role, action)
            continue
        assert (label in pages) == can(role, action), (role, action)
