"""Hypothesis over every form of the admin, logged in as each role.

Whatever is posted: never a 500 or a traceback, and a refused request (an error
message on the page it leads to, or a 4xx) leaves every table as it was.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radio.bulletins import lifecycle as bulletins
from radio.schedule import slots
from radio.clock import ManualClock, to_utc_text
from radio.store.connection import connect
from radio.accounts.users import add_user
from tests.support.actors import ADMIN, OFFICER
from web import create_app

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
PASSWORD = "cai-loa-thon-ba"
ROLES = ("viewer", "officer", "leader", "admin")
#: tables a refused request must not touch (sessions, login failures and the audit trail may move)
WATCHED = ("bulletins", "renders", "slots", "users", "lexicon", "settings", "occurrences",
           "reservations", "api_tokens", "commands")

VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "0", "1", "-1", "3", "1001", "9" * 25, "nan", "1e309", "05:30", "25:61",
                     "2026-11-30", "2026-02-30", "2020-01-01", "urgent", "priority", "normal", "admin",
                     "viewer", "mon", "daily", "cchc", "pulse:", "file:/x", "<script>", "' OR 1=1 --",
                     "\x00", "x" * 5000, "Thông báo khẩn", PASSWORD,
                     # each made a 500 somewhere once
                     "²", "٣", "1_0", "inf", "-inf", "NaN", "9" * 5000, "x" * 100_000, "Tin\x00một", "a\x1bb",
                     "2026-11-22 08:00", "0001-01-01", "9999-12-31"]),
)
FORMS = {
    "/bulletins/new": ("title", "text", "topic", "new_topic", "priority", "repeat_count", "valid_from",
                       "valid_until"),
    "/bulletins/1/edit": ("title", "text", "topic", "new_topic", "priority", "repeat_count", "valid_from",
                          "valid_until"),
    "/bulletins/1/approve": (),
    "/bulletins/2/approve": (),
    "/bulletins/1/withdraw": (),
    "/bulletins/1/play-now": (),
    "/slots/": ("name", "at", "days", "on_date", "cap_minutes", "topics", "valid_from", "valid_until", "output"),
    "/slots/1/active/0": (),
    "/users/": ("username", "display_name", "role", "password"),
    "/users/nguoixem/role": ("role",),
    "/users/nguoixem/password": ("password",),
    "/users/nguoixem/disable": (),
    "/auth/password": ("current", "password", "confirm"),
    # forms whose fields each made a 500 once
    "/emergency/": ("text", "title", "bulletin_id", "confirm"),
    "/log/manual": ("at", "minutes", "reason", "titles", "status"),
    "/log/correct": ("entry", "reason", "status"),
    "/lexicon/": ("term", "spoken"),
    "/lexicon/remove": ("term",),
}
#: JSON views and what they read
JSON_VIEWS = {"/speech/preview": ("text",), "/lexicon/add.json": ("term", "spoken")}
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
                    | st.sampled_from(["\ud800", "\udfff", "UBND", "x" * 5000]),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                 max_size=3), max_leaves=6)


def _snapshot(db) -> dict:
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in WATCHED if db[t].exists()}


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    home = tmp_path_factory.mktemp("fuzz") / "home"
    app = create_app({"TESTING": True, "RADIO_HOME": str(home), "SECRET_KEY": "fuzz", "WTF_CSRF_ENABLED": False,
                      "CLOCK": ManualClock(NOW), "RENDER_ON_APPROVE": False})
    db = connect(home / "radio.db")
    for role in ROLES:
        add_user(db, username=f"nguoi{role}", password=PASSWORD, role=role, now=NOW, display_name=role)
    add_user(db, username="nguoixem", password=PASSWORD, role="viewer", now=NOW, display_name="Xem")
    bulletins.add_bulletin(db, title="Tin một", text="Nội dung một", now=NOW, actor=OFFICER)
    bulletins.add_bulletin(db, title="Tin hai", text="Nội dung hai", now=NOW, actor=OFFICER)
    slots.add_slot(db, at="05:30", days="daily", now=NOW, actor=ADMIN)
    # a running daemon, so the only error on a page is the one the request caused
    db["station_state"].insert({"name": "heartbeat", "value": to_utc_text(NOW)}, replace=True)
    clients = {}
    for role in ROLES:
        client = app.test_client()
        assert client.post("/auth/login", data={"username": f"nguoi{role}", "password": PASSWORD}).status_code == 302
        clients[role] = client
    yield clients, db
    db.conn.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(role=st.sampled_from(ROLES), url=st.sampled_from(sorted(FORMS)), data=st.data())
def test_no_form_input_breaks_the_admin_or_half_writes(station, role, url, data):
    clients, db = station
    fields = {name: data.draw(VALUES if name != "days" else st.lists(VALUES, max_size=3), label=name)
              for name in FORMS[url] if data.draw(st.booleans(), label=f"send {name}")}
    if url == "/bulletins/import":
        fields["document"] = (io.BytesIO(data.draw(st.binary(max_size=300))), "tin.txt")
    before = _snapshot(db)
    reply = clients[role].post(url, data=fields, follow_redirects=True)
    body = reply.get_data(as_text=True)
    assert reply.status_code != 500 and "Traceback" not in body, (url, fields, body[:500])
    refused = reply.status_code >= 400 or "flash-error" in body
    if refused:
        assert _snapshot(db) == before, (role, url, fields)
    # a play-now the daemon did not take in time is closed with its reason, never left pending
    assert not db.execute("SELECT id FROM commands WHERE handled_at IS NULL").fetchall()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(role=st.sampled_from(("officer", "admin")), raw=st.binary(max_size=600),
       name=st.sampled_from(["tin.txt", "tin.docx", "tin.pdf", "tin", "../../etc/passwd.txt", "tin.TXT"]))
def test_any_uploaded_file_is_imported_or_refused_cleanly(station, role, raw, name):
    clients, db = station
    before = _snapshot(db)
    reply = clients[role].post("/bulletins/import", data={"document": (io.BytesIO(raw), name)},
                               follow_redirects=True, content_type="multipart/form-data")
    body = reply.get_data(as_text=True)
    assert reply.status_code != 500 and "Traceback" not in body
    if reply.status_code >= 400 or "flash-error" in body:
        assert _snapshot(db) == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(role=st.sampled_from(ROLES), url=st.sampled_from(sorted(JSON_VIEWS)), data=st.data())
def test_no_json_body_breaks_the_admin(station, role, url, data):
    """A JSON list, a lone surrogate or an object where text goes made a 500."""
    clients, db = station
    body = data.draw(st.one_of(JSON, st.fixed_dictionaries(
        {}, optional={name: JSON for name in JSON_VIEWS[url]})), label="body")
    before = _snapshot(db)
    # json.dumps escapes a lone surrogate as \\ud800, as a browser or curl would send it
    reply = clients[role].post(url, data=json.dumps(body), content_type="application/json")
    assert reply.status_code in (200, 400, 403), (url, body, reply.get_data(as_text=True)[:300])
    assert reply.is_json or reply.status_code == 403  # the role check's page
    if reply.status_code >= 400 or "error" in reply.get_json():
        assert _snapshot(db) == before, (role, url, body)
