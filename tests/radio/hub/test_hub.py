"""Making and opening a hub: its own directory, database and keys; the servers' addresses; one applier."""

import stat

import pytest

from radio.errors import NotFoundError, StateError, ValidationError
from radio.hub import HubLockedError, init_hub, open_hub, parse_servers
from radio.hub.home import default_hub_home

pytestmark = pytest.mark.timeout(30)


def test_a_new_hub_has_its_database_and_the_provinces_keys_privately(tmp_path, hub_clock):
    made, created = init_hub(tmp_path / "hub", clock=hub_clock, name="Tỉnh Thử")
    assert created and made.province == "Tỉnh Thử" and made.servers == []
    assert made.home.database.exists() and made.authority.hub_creds_path.is_file()
    assert stat.S_IMODE(made.home.database.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.home.authority.stat().st_mode) == 0o700
    assert made.db.execute("SELECT name FROM _sqlite_migrations").fetchall() == [("m001_hub",), ("m002_accounts",)]
    made.close()


def test_init_again_keeps_the_keys_and_records_new_servers(tmp_path, hub_clock):
    first, _ = init_hub(tmp_path / "hub", clock=hub_clock, name="Tỉnh Thử")
    key = first.authority.signing_public_key
    first.close()
    again, created = init_hub(tmp_path / "hub", clock=hub_clock, servers=["nats://10.0.0.1:4222"])
    assert not created and again.authority.signing_public_key == key and again.servers == ["nats://10.0.0.1:4222"]
    with pytest.raises(StateError, match="cannot change"):
        init_hub(tmp_path / "hub", clock=hub_clock, name="Tỉnh Khác")
    again.close()


def test_opening_where_there_is_no_hub_says_how_to_make_one(tmp_path, hub_clock):
    with pytest.raises(NotFoundError, match="radio hub init"):
        open_hub(tmp_path / "none", clock=hub_clock)
    assert not (tmp_path / "none").exists()


def test_the_default_directory_is_radio_hub_home_or_beside_the_stations(monkeypatch, tmp_path):
    monkeypatch.setenv("RADIO_HUB_HOME", str(tmp_path / "h"))
    assert default_hub_home() == tmp_path / "h"
    monkeypatch.delenv("RADIO_HUB_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_hub_home() == tmp_path / "data" / "radio-hub"


@pytest.mark.parametrize("text, servers", [
    ("nats://10.0.0.1:4222", ["nats://10.0.0.1:4222"]),
    ("10.0.0.1:4333, nats://hub.tinh.gov.vn", ["nats://10.0.0.1:4333", "nats://hub.tinh.gov.vn:4222"]),
    ("tls://hub.tinh.gov.vn:4443,tls://hub.tinh.gov.vn:4443", ["tls://hub.tinh.gov.vn:4443"]),
    ("nats://[::1]:4222", ["nats://[::1]:4222"]),
])
def test_servers_are_read_as_nats_urls(text, servers):
    assert parse_servers(text) == servers


@pytest.mark.parametrize("text", ["", ",", "hub.tinh.gov.vn", "http://x:4222", "nats://x:0", "nats://x:99999",
                                  "nats://u:p@x:4222", "nats://x:4222/path", "nats://bad host:4222", "08:00x"])
def test_anything_else_is_refused(text):
    with pytest.raises(ValidationError):
        parse_servers(text)


def test_one_process_applies_the_streams_at_a_time(hub, hub_clock):
    other = open_hub(hub.home.root, clock=hub_clock)
    hub.lock()
    with pytest.raises(HubLockedError, match="stop it first"):
        other.lock()
    hub.unlock()
    other.lock()
    other.close()
