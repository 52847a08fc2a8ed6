from datetime import UTC, datetime

import pytest

from radio.clock import ManualClock
from radio.store.connection import connect
from radio.errors import NotFoundError
from radio.accounts.users import add_user, get_user
from tests.support.database import seed_database
from web import create_app

#: 22/11/2026 09:00 in Hà Nội
START = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
PASSWORD = "cai-loa-thon-ba"  # passes radio.accounts.passwords (mat-khau-123 is a common one)


@pytest.fixture
def clock():
    return ManualClock(START)


@pytest.fixture
def app(tmp_path, clock):
    seed_database(tmp_path / "home" / "radio.db")
    return create_app({
        "TESTING": True,
        "RADIO_HOME": str(tmp_path / "home"),
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": False,
        "CLOCK": clock,
        "RENDER_ON_APPROVE": False,  # one test below turns it on and waits for the thread
    })


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app):
    """A second connection to the station database, as the daemon or CLI would have."""
    database = connect(app.config["RADIO_HOME"] + "/radio.db")
    yield database
    database.conn.close()


class AuthActions:
    def __init__(self, client, db):
        self._client = client
        self._db = db

    def create(self, username, role):
        add_user(self._db, username=username, password=PASSWORD, role=role, now=START,
                 display_name=username.capitalize())

    def login(self, username="officer", role="officer", password=PASSWORD):
        try:
            get_user(self._db, username)
        except NotFoundError:
            self.create(username, role)
        return self._client.post("/auth/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client, db):
    return AuthActions(client, db)
