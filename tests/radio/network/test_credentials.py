"""The province's authority: keys kept private, JWTs that chain operator → account → user with the
claims nats-server reads, station users limited to their own subjects, and the join file."""

import re
import stat

import pytest

from radio.errors import NotFoundError, StateError, ValidationError
from radio.network import credentials
from radio.network.credentials import Authority, decode_jwt, read_creds, read_join
from radio.network.subjects import station_permissions

#: how nats.go / nsc find the two blocks of a creds file (jwt.ParseDecoratedJWT)
GO_CREDS_BLOCK = re.compile(r"\s*(?:(?:[-]{3,}.*[-]{3,}\r?\n)([\w\-.=]+)(?:\r?\n[-]{3,}.*[-]{3,}\r?\n))")


@pytest.fixture
def authority(tmp_path):
    return Authority.create(tmp_path / "nats", name="Tỉnh Thử")


def test_every_file_of_the_authority_is_private(authority):
    assert stat.S_IMODE(authority.directory.stat().st_mode) == 0o700
    for name in Authority.FILES:
        assert stat.S_IMODE((authority.directory / name).stat().st_mode) == 0o600, name
    assert sorted(p.name for p in authority.directory.iterdir()) == sorted(Authority.FILES)


def test_opened_again_it_is_the_same_province(authority):
    again = Authority.open(authority.directory)
    assert (again.operator_public_key, again.account, again.system_account, again.signing_public_key) == (
        authority.operator_public_key, authority.account, authority.system_account, authority.signing_public_key)
    assert again.operator_jwt == authority.operator_jwt and again.account_jwt == authority.account_jwt
    assert again.name == "Tỉnh Thử"
    assert Authority.open_or_create(authority.directory).account == authority.account


def test_creating_over_an_existing_province_is_refused_and_a_missing_one_is_not_found(authority, tmp_path):
    with pytest.raises(StateError):
        Authority.create(authority.directory)
    with pytest.raises(NotFoundError):
        Authority.open(tmp_path / "nothing")


def test_the_operator_signs_itself_and_both_accounts(authority):
    operator = decode_jwt(authority.operator_jwt)
    assert operator["iss"] == operator["sub"] == authority.operator_public_key
    assert operator["nats"] == {"type": "operator", "system_account": authority.system_account, "version": 2}
    for jwt, subject in ((authority.account_jwt, authority.account),
                         (authority.system_account_jwt, authority.system_account)):
        claims = decode_jwt(jwt)
        assert claims["iss"] == authority.operator_public_key and claims["sub"] == subject
        assert claims["nats"]["type"] == "account" and claims["nats"]["version"] == 2
    assert authority.preload() == {authority.system_account: authority.system_account_jwt,
                                   authority.account: authority.account_jwt}


def test_jetstream_is_on_for_the_province_account_only(authority):
    province = decode_jwt(authority.account_jwt)["nats"]["limits"]
    system = decode_jwt(authority.system_account_jwt)["nats"]["limits"]
    assert province["disk_storage"] == -1 and province["mem_storage"] == -1 and province["streams"] == -1
    assert system["disk_storage"] == 0 and system["mem_storage"] == 0


def test_the_jti_is_the_hash_of_the_claims_and_the_header_is_nats_v2(authority):
    import base64
    import hashlib
    import json

    header, body, _ = authority.account_jwt.split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"typ": "JWT", "alg": "ed25519-nkey"}
    claims = decode_jwt(authority.account_jwt)
    rest = {k: v for k, v in claims.items() if k != "jti"}
    digest = hashlib.new("sha512_256", json.dumps(rest, separators=(",", ":")).encode()).digest()
    assert claims["jti"] == base64.b32encode(digest).decode().rstrip("=")


def test_the_hub_user_has_every_right_in_the_province_account(authority):
    jwt, seed = read_creds(authority.hub_creds_path.read_text())
    claims = decode_jwt(jwt)
    assert claims["iss"] == authority.account
    assert claims["nats"]["type"] == "user" and claims["nats"]["pub"] == {} and claims["nats"]["sub"] == {}
    assert seed.startswith("SU")


def test_a_station_user_is_signed_by_the_account_and_allowed_its_own_subjects_only(authority):
    user = authority.station_user("XA01")
    claims = decode_jwt(user.jwt)
    assert claims["iss"] == authority.account and claims["sub"] == user.public_key
    assert claims["name"] == "station-XA01"
    nats = claims["nats"]
    assert nats["type"] == "user" and nats["version"] == 2
    assert {"pub": nats["pub"], "sub": nats["sub"]} == station_permissions("XA01")
    assert "exp" not in claims
    assert user.seed.startswith("SU") and user.public_key.startswith("U")


def test_each_issue_is_a_new_key_and_an_expiry_is_carried(authority):
    first, second = authority.station_user("XA01"), authority.station_user("XA01", expires=2_000_000_000)
    assert first.public_key != second.public_key
    assert decode_jwt(second.jwt)["exp"] == 2_000_000_000
    with pytest.raises(ValidationError):
        authority.station_user("xa.01")


def test_a_jwt_with_changed_claims_or_another_signature_is_refused(authority):
    header, body, signature = authority.station_user("XA01").jwt.split(".")
    other = authority.station_user("XA02").jwt.split(".")
    for token in (f"{header}.{other[1]}.{signature}", f"{header}.{body}.{other[2]}", "a.b", "", f"{header}.{body}"):
        with pytest.raises(ValidationError):
            decode_jwt(token)


def test_a_creds_file_has_the_two_blocks_nats_clients_read(authority):
    user = authority.station_user("XA01")
    text = user.creds
    assert GO_CREDS_BLOCK.findall(text)[:2] == [user.jwt, user.seed]
    assert read_creds(text) == (user.jwt, user.seed)
    with pytest.raises(ValidationError):
        read_creds("-----BEGIN NATS USER JWT-----\nabc\n------END NATS USER JWT------\n")


def test_the_join_file_is_a_creds_file_that_also_names_the_servers_and_the_signing_key(authority, tmp_path):
    servers = ["nats://10.0.0.1:4222", "tls://hub.example:4222"]
    text = authority.join_file("XA01", servers)
    path = tmp_path / "XA01.creds"
    path.write_text(text)
    join = read_join(path)
    assert (join.code, join.servers, join.signing_key, join.province) == (
        "XA01", tuple(servers), authority.signing_public_key, "Tỉnh Thử")
    assert join.inbox_prefix == "_INBOX_XA01"
    # nats clients see exactly a creds file: its first two blocks are this station's JWT and seed
    assert GO_CREDS_BLOCK.findall(text)[:2] == [join.jwt, join.seed]
    assert read_creds(text) == (join.jwt, join.seed)
    assert decode_jwt(join.jwt)["name"] == "station-XA01"
    assert read_join(text) == join


@pytest.mark.parametrize("broken", [
    lambda t: t.split("\n-----BEGIN RADIO")[0],
    lambda t: t.replace('"servers": [', '"elsewhere": ['),
    lambda t: t.replace('"code": "XA01"', '"code": "xa01"'),
    lambda t: t.replace("-----BEGIN USER NKEY SEED-----", "-----BEGIN SOMETHING-----"),
])
def test_a_join_file_missing_a_part_is_refused(authority, broken):
    with pytest.raises(ValidationError):
        read_join(broken(authority.join_file("XA01", ["nats://127.0.0.1:4222"])))
    with pytest.raises(ValidationError):
        credentials.format_join("XA01", "jwt", "seed", servers=[], signing_key="A")


def test_the_bulletin_signing_key_is_not_the_accounts(authority):
    assert authority.signing_public_key not in {authority.account, authority.system_account,
                                                authority.operator_public_key}
    assert authority.signing_key().public_key.decode() == authority.signing_public_key


def test_permissions_with_an_empty_allow_list_are_refused_since_nats_reads_it_as_every_right():
    assert credentials.user_claims(None)["pub"] == {}
    for permissions in ({"pub": {"allow": ["a.b"]}, "sub": {"allow": []}}, {"pub": {"allow": ["a.b"]}},
                        {"pub": {}, "sub": {"allow": ["c.>"]}}):
        with pytest.raises(ValidationError):
            credentials.user_claims(permissions)
