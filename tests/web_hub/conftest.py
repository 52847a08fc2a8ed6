"""A hub in a temporary directory (servers recorded, nothing listening), three stations, one
account per province role, and the province admin on it with a manual clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radio.accounts import sessions
from radio.clock import ManualClock
from radio.hub import init_hub
from radio.hub.accounts import HUB_ROLES, add_hub_user
from radio.hub.stations import add_station
from web.hub import create_hub_app
from web.hub.auth import SESSION_KEY

#: port 1: nothing listens there, so a connection is refused at once
NOWHERE = ["nats://127.0.0.1:1"]
START = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # 08:00 in Hanoi
PASSWORD = "bien-tap-tinh-2026-x"
NAMES = {"viewer": "Lê Văn Xem", "editor": "Phạm Thị Biên", "leader": "Trần Văn Thẩm", "admin": "Ngô Quản Trị"}


@pytest.fixture
def clock():
    return ManualClock(START)


def make_hub(root, clock, servers=NOWHERE, *, users=True):
    hub, _ = init_hub(root / "hub", clock=clock, name="Tỉnh Thử", servers=servers)
    for code, zone in (("XA01", "bac"), ("XA02", "bac"), ("XA03", "nam")):
        add_station(hub, code, name=f"Xã {code}", zone=zone, join_path=root / f"{code}.creds", now=clock.now())
    if users:
        for role in HUB_ROLES:
            add_hub_user(hub.db, username=role, password=PASSWORD, role=role, now=clock.now(),
                         display_name=NAMES[role], province=hub.province)
    return hub


@pytest.fixture
def hub(tmp_path, clock):
    made = make_hub(tmp_path, clock)
    yield made
    made.close()


@pytest.fixture
def app(hub, clock):
    return create_hub_app(str(hub.home.root), {"SECRET_KEY": "test", "CLOCK": clock, "SEND_TIMEOUT_S": 10.0})


def log_in(client, hub, username: str, now=START) -> None:
    """Open a session in the store (no password hashing) and give the client its cookie."""
    token = sessions.start(hub.db, username, now=now)
    with client.session_transaction() as session:
        session[SESSION_KEY] = token


@pytest.fixture
def as_role(app, hub):
    """``as_role("editor")``: a test client logged in with that role (without CSRF checks)."""
    app.config["WTF_CSRF_ENABLED"] = False

    def make(role: str):
        client = app.test_client()
        log_in(client, hub, role)
        return client

    return make
