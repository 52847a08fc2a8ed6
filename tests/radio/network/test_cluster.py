"""The servers' configuration files: one JetStream cluster in operator mode, every port and store
of its own, and nothing in them that changes when a station is added."""

import re
import shutil

import pytest

from radio.errors import ValidationError
from radio.network import cluster
from radio.network.credentials import Authority


@pytest.fixture
def authority(tmp_path):
    return Authority.create(tmp_path / "keys")


def test_three_servers_get_their_own_ports_stores_and_routes_to_the_others(authority, tmp_path):
    layout = cluster.write_nats_configs(authority, servers=3, base_port=14222, dir=tmp_path / "nats")
    assert [s.path.name for s in layout] == ["nats-1.conf", "nats-2.conf", "nats-3.conf"]
    assert [(s.client_port, s.cluster_port, s.monitor_port) for s in layout] == [
        (14222, 16222, 18222), (14223, 16223, 18223), (14224, 16224, 18224)]
    assert [s.url for s in layout] == ["nats://127.0.0.1:14222", "nats://127.0.0.1:14223", "nats://127.0.0.1:14224"]
    for server in layout:
        text = server.path.read_text()
        assert f'server_name: "{server.name}"' in text
        assert f"port: {server.client_port}" in text and f"port: {server.cluster_port}" in text
        assert f'http: "127.0.0.1:{server.monitor_port}"' in text
        assert f'store_dir: "{tmp_path / "nats" / server.store_dir.name}"' in text
        assert 'name: "radio-province"' in text
        others = {f"nats-route://127.0.0.1:{o.cluster_port}" for o in layout if o is not server}
        assert {r for r in others if r in text} == others
        assert f"nats-route://127.0.0.1:{server.cluster_port}" not in text
        assert f'operator: "{authority.operator_jwt}"' in text
        assert f"system_account: {authority.system_account}" in text
        assert "resolver: MEMORY" in text
        assert f'{authority.account}: "{authority.account_jwt}"' in text
        assert f'{authority.system_account}: "{authority.system_account_jwt}"' in text


def test_no_user_is_in_the_configuration_so_adding_stations_changes_nothing(authority, tmp_path):
    layout = cluster.write_nats_configs(authority, servers=3, base_port=14222, dir=tmp_path / "nats")
    before = [s.path.read_bytes() for s in layout]
    users = [authority.station_user(code) for code in ("XA01", "XA02")]
    again = cluster.write_nats_configs(Authority.open(authority.directory), servers=3, base_port=14222,
                                       dir=tmp_path / "nats")
    assert [s.path.read_bytes() for s in again] == before
    for text in before:
        assert not re.search(rb"^\s*(authorization|users|accounts|nkey|user)\s*[:{=]", text, re.MULTILINE)
        assert not any(u.jwt.encode() in text or u.public_key.encode() in text for u in users)


def test_one_server_has_no_cluster_block(authority, tmp_path):
    (server,) = cluster.write_nats_configs(authority, servers=1, base_port=4222, dir=tmp_path)
    text = server.path.read_text()
    assert "cluster {" not in text and "jetstream {" in text and server.url == "nats://127.0.0.1:4222"


def test_a_layout_that_cannot_exist_is_refused(authority, tmp_path):
    with pytest.raises(ValidationError):
        cluster.write_nats_configs(authority, servers=0, dir=tmp_path)
    with pytest.raises(ValidationError):
        cluster.write_nats_configs(authority, servers=3, base_port=62000, dir=tmp_path)


def test_a_disk_cap_is_written_when_given(authority, tmp_path):
    (server,) = cluster.write_nats_configs(authority, servers=1, dir=tmp_path, max_file_store="20G")
    assert "max_file_store: 20G" in server.path.read_text()


@pytest.mark.skipif(cluster.nats_server_binary() is None, reason="nats-server is not installed")
def test_nats_server_accepts_every_file(authority, tmp_path):
    import subprocess

    for server in cluster.write_nats_configs(authority, servers=3, base_port=14222, dir=tmp_path):
        done = subprocess.run([cluster.nats_server_binary(), "-t", "-c", str(server.path)],
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stdout + done.stderr


def self_signed(directory):
    """A certificate for 127.0.0.1 and its key, made by openssl."""
    import subprocess

    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    return cert, key


def test_tls_needs_a_certificate_and_its_key(authority, tmp_path):
    with pytest.raises(ValidationError):
        cluster.write_nats_configs(authority, servers=1, dir=tmp_path, tls_cert=tmp_path / "cert.pem")


@pytest.mark.skipif(cluster.nats_server_binary() is None or not shutil.which("openssl"),
                    reason="nats-server or openssl is not installed")
def test_with_a_certificate_every_client_connection_is_tls(authority, tmp_path):
    import subprocess

    cert, key = self_signed(tmp_path)
    layout = cluster.write_nats_configs(authority, servers=3, base_port=14222, dir=tmp_path / "nats",
                                        tls_cert=cert, tls_key=key)
    assert [s.url for s in layout][0] == "tls://127.0.0.1:14222"
    for server in layout:
        text = server.path.read_text()
        assert f'cert_file: "{cert}"' in text and f'key_file: "{key}"' in text
        done = subprocess.run([cluster.nats_server_binary(), "-t", "-c", str(server.path)],
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stdout + done.stderr
