"""The province's signature over a bulletin: its canonical bytes, signed and verified; a changed
bulletin or another key's signature is not the province's."""

import json

import pytest

from radio.errors import ValidationError
from radio.network import signing
from radio.network.credentials import create_key, public_key

BULLETIN = {"id": "T-2026-0042", "class": "khan-cap", "title": "Bão số 3", "text": "Người dân vào nơi trú ẩn ngay.",
            "targets": ["XA01", "XA02"], "valid": {"from": "2026-09-01T08:00+07:00", "until": None}}


@pytest.fixture
def key():
    return create_key("account")


def test_the_canonical_bytes_are_sorted_compact_utf8_json():
    payload = {"b": 1, "a": {"d": "Đ", "c": [2, 1]}}
    assert signing.canonical(payload) == '{"a":{"c":[2,1],"d":"Đ"},"b":1}'.encode("utf-8")
    assert signing.canonical(dict(reversed(list(payload.items())))) == signing.canonical(payload)
    assert signing.canonical(b"raw bytes") == b"raw bytes"
    with pytest.raises(ValueError):
        signing.canonical({"x": float("nan")})


def test_a_signed_bulletin_verifies_with_the_signers_public_key(key):
    signature = signing.sign(BULLETIN, key)
    assert signing.verify(BULLETIN, signature, public_key(key))
    # the same bulletin decoded from the wire (other key order) is the same bytes
    assert signing.verify(json.loads(json.dumps(BULLETIN, sort_keys=False)), signature, public_key(key))
    assert signing.verify(signing.canonical(BULLETIN), signature, public_key(key))


@pytest.mark.parametrize("change", [
    lambda b: b.update(text="Người dân ở nhà."),
    lambda b: b.update({"class": "thuong"}),
    lambda b: b["targets"].append("XA03"),
    lambda b: b.update(extra=None),
])
def test_a_changed_bulletin_fails(key, change):
    signature = signing.sign(BULLETIN, key)
    tampered = json.loads(json.dumps(BULLETIN))
    change(tampered)
    assert not signing.verify(tampered, signature, public_key(key))


def test_another_keys_signature_fails(key):
    other = create_key("account")
    assert not signing.verify(BULLETIN, signing.sign(BULLETIN, other), public_key(key))


@pytest.mark.parametrize("signature", ["", "not base64 at all!", "AAAA", "A" * 86 + "==junk"])
def test_a_malformed_signature_fails(key, signature):
    assert not signing.verify(BULLETIN, signature, public_key(key))


def test_a_signature_with_one_character_changed_fails(key):
    signature = signing.sign(BULLETIN, key)
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    assert not signing.verify(BULLETIN, flipped, public_key(key))


def test_a_key_that_is_not_a_signing_nkey_fails(key):
    signature = signing.sign(BULLETIN, key)
    good = public_key(key)
    for bad in ["", "A" * 56, good[:-1] + ("A" if good[-1] != "A" else "B"), public_key(create_key("user"))]:
        assert not signing.verify(BULLETIN, signature, bad)
    with pytest.raises(ValidationError):
        signing.public_key_bytes(good[:-2] + "AA")
