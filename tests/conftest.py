"""Fixtures shared by the test packages: a station in a temporary data directory,
an injected clock, and the CLI runner."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from radio.clock import ManualClock
from radio.store.home import open_home
from radio.store.connection import connect
from tests.support.database import seed_database


@pytest.fixture(autouse=True, scope="session")
def _chain_keys_in_a_temporary_config(tmp_path_factory):
    """The chain's signing keys live in ``$XDG_CONFIG_HOME/radio/keys``: never the
    tester's own; end-to-end tests' daemons inherit the variable."""
    import os

    before = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))
    yield
    if before is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = before


@pytest.fixture
def fresh_db():
    return connect(":memory:")


@pytest.fixture
def clock():
    # 2026-11-23 08:00 in Hanoi (a Monday)
    return ManualClock(datetime(2026, 11, 23, 1, 0, 0, tzinfo=UTC))


@pytest.fixture
def home(tmp_path):
    return open_home(tmp_path / "station")


@pytest.fixture
def db(home):
    if not home.database.exists():
        seed_database(home.database)
    database = connect(home.database)
    yield database
    database.conn.close()


@pytest.fixture
def runner(home, monkeypatch):
    monkeypatch.setenv("RADIO_HOME", str(home.root))
    return CliRunner()


def pytest_collection_modifyitems(items):
    # pytest-xdist hands tests out in collection order: the long ones first, one to each
    # worker, so the short ones fill in around them instead of after them
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
