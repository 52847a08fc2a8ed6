"""Registering a station: its row and its join file together, the file private and complete."""

import stat

import pytest

from radio.errors import StateError, ValidationError
from radio.hub import add_station, list_stations
from radio.network.credentials import read_join

pytestmark = pytest.mark.timeout(30)


def test_a_station_gets_a_private_join_file_naming_its_code_the_servers_and_the_key(hub, tmp_path, hub_clock):
    path = tmp_path / "XA01.creds"
    row = add_station(hub, " xa01 ", name="Xã Một", zone="bac", join_path=path, now=hub_clock.now())
    assert (row["code"], row["name"], row["zone"]) == ("XA01", "Xã Một", "bac")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    join = read_join(path)
    assert (join.code, join.servers, join.province) == ("XA01", ("nats://127.0.0.1:1",), "Tỉnh Thử")
    assert join.signing_key == hub.authority.signing_public_key
    assert [s["code"] for s in list_stations(hub.db)] == ["XA01"]


def test_a_station_registered_twice_is_refused_and_its_file_kept(hub, tmp_path, hub_clock):
    add_station(hub, "XA01", name="Xã Một", join_path=tmp_path / "a.creds", now=hub_clock.now())
    with pytest.raises(StateError, match="registered already"):
        add_station(hub, "XA01", name="Xã Một", join_path=tmp_path / "b.creds", now=hub_clock.now())
    assert not (tmp_path / "b.creds").exists()


def test_a_join_file_that_cannot_be_written_registers_nothing(hub, tmp_path, hub_clock):
    with pytest.raises(OSError):
        add_station(hub, "XA01", name="Xã Một", join_path=tmp_path / "no" / "such" / "XA01.creds", now=hub_clock.now())
    assert list_stations(hub.db) == []


@pytest.mark.parametrize("code, name", [("X", "Xã"), ("XA.01", "Xã"), ("XA01", " "), ("XA01", "a\x00b")])
def test_a_bad_code_or_name_is_refused(hub, tmp_path, hub_clock, code, name):
    with pytest.raises(ValidationError):
        add_station(hub, code, name=name, join_path=tmp_path / "x.creds", now=hub_clock.now())
    assert list_stations(hub.db) == [] and not (tmp_path / "x.creds").exists()


def test_without_servers_there_is_no_join_file_to_write(hub, tmp_path, hub_clock):
    hub.set_servers([])
    with pytest.raises(ValidationError, match="nats-config"):
        add_station(hub, "XA01", name="Xã Một", join_path=tmp_path / "x.creds", now=hub_clock.now())
