"""The province's signature over a bulletin: Ed25519 with the province's signing nkey.

The hub signs a bulletin's *canonical bytes*: its JSON with sorted keys, no spaces,
non-ASCII kept as UTF-8 (``json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False)``). A station checks the signature with the province's public key from
its join file before the bulletin can air. The signature travels as URL-safe base64 without
padding; the public key is an nkey (``A...``, base32 with a CRC16), the form every NATS
tool prints.

The signing key is the province's own, kept by :class:`radio.network.credentials.Authority`
beside (not inside) the NATS account: it issues no NATS users, and a leaked station
credential cannot sign with it.
"""

import base64
import binascii
import json
from collections.abc import Mapping

import nacl.exceptions
import nacl.signing
import nkeys

from radio.errors import ValidationError

SIGNING_PREFIX = nkeys.PREFIX_BYTE_ACCOUNT


def canonical(payload: Mapping | bytes) -> bytes:
    """The bytes that are signed: ``payload`` itself if bytes, else its canonical JSON."""
    if isinstance(payload, (bytes, bytearray)):
        return bytes(payload)
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sign(payload: Mapping | bytes, key: nkeys.KeyPair) -> str:
    """The signature of ``payload``'s canonical bytes by ``key`` (URL-safe base64, no padding)."""
    return base64.urlsafe_b64encode(key.sign(canonical(payload))).rstrip(b"=").decode()


def public_key_bytes(public_key: str, *, prefixes: tuple[int, ...] = (SIGNING_PREFIX,)) -> bytes:
    """The 32 raw bytes of an nkey public key, its role prefix and CRC checked; else :class:`ValidationError`."""
    try:
        text = public_key.strip()
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (AttributeError, binascii.Error, ValueError) as exc:
        raise ValidationError(f"not an nkey public key: {public_key!r}") from exc
    if len(raw) != 35 or raw[0] not in prefixes:
        raise ValidationError(f"not an nkey public key of the expected kind: {public_key!r}")
    if nkeys.crc16(raw[:-2]).to_bytes(2, "little") != raw[-2:]:
        raise ValidationError(f"nkey public key with a bad checksum: {public_key!r}")
    return raw[1:33]


def verify_raw(data: bytes, signature: bytes, key: bytes) -> bool:
    """Whether ``signature`` is ``key``'s Ed25519 signature of ``data``."""
    try:
        nacl.signing.VerifyKey(key).verify(data, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, nacl.exceptions.TypeError):
        return False
    return True


def verify(payload: Mapping | bytes, signature: str, public_key: str) -> bool:
    """Whether ``signature`` is ``public_key``'s over ``payload``'s canonical bytes.

    False for a changed payload, another key's signature, a malformed signature or key:
    every way of not being the province's signature is the same answer, "do not air".
    """
    try:
        key = public_key_bytes(public_key)
        raw = base64.b64decode(signature + "=" * (-len(signature) % 4), altchars=b"-_", validate=True)
    except (ValidationError, binascii.Error, ValueError, TypeError):
        return False
    return verify_raw(canonical(payload), raw, key)
