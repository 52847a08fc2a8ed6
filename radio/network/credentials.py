"""NATS decentralised authorisation for a province: operator, accounts, users, as signed JWTs.

NATS checks a client without a list of users in its configuration: the server trusts one
*operator* key; the operator signs *account* JWTs, which the servers are given (here
preloaded in the configuration, see :mod:`.cluster`); an account's key signs *user* JWTs,
which the servers have never seen: a client shows its user JWT and proves it holds the
user's key by signing the server's nonce. So adding a station is issuing a user JWT, with
no change to any server.

No maintained Python library issues NATS JWTs (the official ones are Go's and JavaScript's),
so :func:`encode_jwt` writes the documented claims (``jti``, ``iat``, ``iss``, ``sub``,
``name``, ``nats`` with ``type`` and ``version: 2``) and signs ``header.claims`` with the
issuer's nkey (``nkeys``, Ed25519) exactly as ``nats-io/jwt`` v2 does; nats-server verifies
them.

:class:`Authority` keeps the province's keys in a directory of the hub, each in a file of
mode 0600:

==================  ==========================================================
``operator.nk``     the operator's seed; ``operator.jwt`` its self-signed JWT
``system.nk``       the system account (``$SYS``, the servers' own traffic); ``system.jwt``
``province.nk``     the province's account, JetStream enabled; ``province.jwt``
``signing.nk``      the province's bulletin signing key (:mod:`.signing`), no NATS role
``hub.creds``       the hub's user: every right in the province account
==================  ==========================================================

Station users are issued on demand by :meth:`Authority.station_user` and never stored
here: the hub hands the station its join file (:func:`format_join`) and keeps what it needs.
"""

import base64
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import nkeys

from radio.errors import NotFoundError, StateError, ValidationError
from radio.network.signing import public_key_bytes, verify_raw
from radio.network.subjects import inbox_prefix, station_permissions, validate_code

JWT_HEADER = {"typ": "JWT", "alg": "ed25519-nkey"}

#: an account's limits: -1 is unlimited. JetStream is on for an account in operator mode
#: only when its JWT gives it storage (``mem_storage`` or ``disk_storage`` not 0).
UNLIMITED = -1
ACCOUNT_LIMITS = {"subs": UNLIMITED, "data": UNLIMITED, "payload": UNLIMITED, "imports": UNLIMITED,
                  "exports": UNLIMITED, "wildcards": True, "conn": UNLIMITED, "leaf": UNLIMITED}
JETSTREAM_LIMITS = {"mem_storage": UNLIMITED, "disk_storage": UNLIMITED, "streams": UNLIMITED,
                    "consumer": UNLIMITED}
NO_JETSTREAM = {"mem_storage": 0, "disk_storage": 0, "streams": 0, "consumer": 0}
USER_LIMITS = {"subs": UNLIMITED, "data": UNLIMITED, "payload": UNLIMITED}

_ROLE_PREFIX = {"operator": nkeys.PREFIX_BYTE_OPERATOR, "account": nkeys.PREFIX_BYTE_ACCOUNT,
                "user": nkeys.PREFIX_BYTE_USER}


# --- keys and JWTs -----------------------------------------------------------------------

def create_key(role: str) -> nkeys.KeyPair:
    """A new nkey pair for ``role`` (``operator``, ``account`` or ``user``) from 32 random bytes."""
    return nkeys.from_seed(bytearray(nkeys.encode_seed(os.urandom(32), _ROLE_PREFIX[role])))


def public_key(key: nkeys.KeyPair) -> str:
    return key.public_key.decode()


def seed_text(key: nkeys.KeyPair) -> str:
    return bytes(key.seed).decode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_jwt(subject: str, name: str, nats: dict, issuer: nkeys.KeyPair, *,
               issued_at: int | None = None, expires: int | None = None) -> str:
    """A NATS v2 JWT: claims about ``subject`` (a public nkey) signed by ``issuer``.

    ``jti`` is the base32 SHA-512/256 of the claims serialised without it, as nats-io/jwt
    computes it; ``expires`` is a Unix time after which servers refuse the JWT.
    """
    claims = {"iat": int(time.time()) if issued_at is None else issued_at,
              "iss": public_key(issuer), "name": name, "sub": subject, "nats": {**nats, "version": 2}}
    if expires is not None:
        claims["exp"] = int(expires)
    digest = hashlib.new("sha512_256", json.dumps(claims, separators=(",", ":")).encode()).digest()
    claims = {"jti": base64.b32encode(digest).decode().rstrip("="), **claims}
    compact = {"separators": (",", ":")}
    signing_input = f"{_b64(json.dumps(JWT_HEADER, **compact).encode())}.{_b64(json.dumps(claims, **compact).encode())}"
    return f"{signing_input}.{_b64(issuer.sign(signing_input.encode()))}"


def decode_jwt(token: str) -> dict:
    """The claims of a NATS JWT, its signature checked against its own issuer (``iss``).

    A token that is not three parts, not ed25519-nkey, or whose signature is not its
    issuer's is a :class:`ValidationError`. Who may issue what (the operator an account,
    an account a user) is the caller's to check against ``iss``.
    """
    try:
        header_part, claims_part, signature_part = token.strip().split(".")
        header = json.loads(_unb64(header_part))
        claims = json.loads(_unb64(claims_part))
        signature = _unb64(signature_part)
    except (ValueError, AttributeError) as exc:
        raise ValidationError(f"not a NATS JWT: {exc}") from exc
    if header.get("alg") != JWT_HEADER["alg"]:
        raise ValidationError(f"not a NATS v2 JWT: alg {header.get('alg')!r}")
    issuer = claims.get("iss", "")
    try:
        key = public_key_bytes(issuer, prefixes=tuple(_ROLE_PREFIX.values()))
    except ValidationError as exc:
        raise ValidationError(f"JWT issuer {issuer!r} is not an nkey") from exc
    if not verify_raw(f"{header_part}.{claims_part}".encode(), signature, key):
        raise ValidationError("JWT signature is not its issuer's")
    return claims


def operator_claims(system_account: str) -> dict:
    return {"type": "operator", "system_account": system_account}


def account_claims(*, jetstream: bool) -> dict:
    return {"type": "account",
            "limits": {**ACCOUNT_LIMITS, **(JETSTREAM_LIMITS if jetstream else NO_JETSTREAM)},
            "default_permissions": {"pub": {}, "sub": {}}}


def user_claims(permissions: dict | None = None) -> dict:
    """A user's ``nats`` claims: no permissions (None) is every right in its account.

    Given permissions need a non-empty ``allow`` list on both sides: NATS reads an empty or
    missing allow list as no restriction at all, so a side left empty by mistake would be
    every right, not none (:class:`ValidationError`).
    """
    if permissions is None:
        return {"type": "user", "pub": {}, "sub": {}, **USER_LIMITS}
    for side in ("pub", "sub"):
        if not (permissions.get(side) or {}).get("allow"):
            raise ValidationError(f"a restricted user needs a {side} allow list: an empty one allows everything")
    return {"type": "user", **permissions, **USER_LIMITS}


# --- creds and join files ----------------------------------------------------------------

CREDS_TEMPLATE = """-----BEGIN NATS USER JWT-----
{jwt}
------END NATS USER JWT------

************************* IMPORTANT *************************
NKEY Seed printed below can be used to sign and prove identity.
NKEYs are sensitive and should be treated as secrets.

-----BEGIN USER NKEY SEED-----
{seed}
------END USER NKEY SEED------

*************************************************************
"""
JOIN_BLOCK = "RADIO PROVINCE JOIN"
_BLOCK = re.compile(r"-{3,}BEGIN ([A-Z ]+?)-{3,}\r?\n(.*?)\r?\n-{3,}END \1-{3,}", re.DOTALL)


def format_creds(jwt: str, seed: str) -> str:
    """A standard ``.creds`` file: the user JWT block, then the seed block (``nats.connect(user_credentials=...)``)."""
    return CREDS_TEMPLATE.format(jwt=jwt, seed=seed)


def _blocks(text: str) -> dict[str, str]:
    return {name: body.strip() for name, body in _BLOCK.findall(text)}


def read_creds(text: str) -> tuple[str, str]:
    """``(jwt, seed)`` of a creds (or join) file's text; :class:`ValidationError` if either block is missing."""
    blocks = _blocks(text)
    try:
        return blocks["NATS USER JWT"], blocks["USER NKEY SEED"]
    except KeyError as exc:
        raise ValidationError(f"not a NATS credentials file: no {exc.args[0]} block") from exc


@dataclass(frozen=True)
class Join:
    """What a station's join file says: who it is, where the province's servers are, whose signature to trust."""

    code: str
    servers: tuple[str, ...]
    signing_key: str
    jwt: str
    seed: str
    province: str = ""

    @property
    def inbox_prefix(self) -> str:
        return inbox_prefix(self.code)

    @property
    def creds(self) -> str:
        """The standard creds text alone (JWT and seed), e.g. for a file of its own."""
        return format_creds(self.jwt, self.seed)


def format_join(code: str, jwt: str, seed: str, *, servers: list[str] | tuple[str, ...],
                signing_key: str, province: str = "") -> str:
    """The file a station joins with (``CODE.creds``): a standard creds file with one more block.

    The JWT and seed blocks come first, exactly as ``nsc`` writes them, so nats-py (and the
    ``nats`` CLI, nats.go) read the whole file as ``user_credentials``: each looks only for
    its two blocks and ignores the rest. After them a ``RADIO PROVINCE JOIN`` block holds
    one line of JSON, ``{"code", "province", "servers", "signing_key"}``: the station's
    code, the province's name, the servers' URLs and the province's public bulletin
    signing key. :func:`read_join` reads all of it back.
    """
    if not servers:
        raise ValidationError("a join file needs at least one server address")
    facts = {"code": validate_code(code), "province": province, "servers": list(servers),
             "signing_key": signing_key}
    return (format_creds(jwt, seed)
            + f"\n-----BEGIN {JOIN_BLOCK}-----\n{json.dumps(facts, ensure_ascii=False, sort_keys=True)}\n"
            + f"------END {JOIN_BLOCK}------\n")


def read_join(source: str | os.PathLike) -> Join:
    """The :class:`Join` in a join file (a path, or the file's text)."""
    text = Path(source).read_text(encoding="utf-8") if isinstance(source, os.PathLike) else source
    jwt, seed = read_creds(text)
    try:
        facts = json.loads(_blocks(text)[JOIN_BLOCK])
        join = Join(code=validate_code(facts["code"]), servers=tuple(facts["servers"]),
                    signing_key=facts["signing_key"], jwt=jwt, seed=seed, province=facts.get("province", ""))
    except KeyError as exc:
        raise ValidationError(f"not a station join file: no {exc.args[0]}") from exc
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"not a station join file: {exc}") from exc
    if not join.servers:
        raise ValidationError("the join file names no server")
    return join


def write_private(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` with mode 0600 from its first byte (a temporary file renamed over it)."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    return path


# --- the province's authority ------------------------------------------------------------

@dataclass(frozen=True)
class StationUser:
    """A station's user: its JWT (signed by the province account) and its seed."""

    code: str
    jwt: str
    seed: str

    @property
    def public_key(self) -> str:
        return public_key(nkeys.from_seed(bytearray(self.seed.encode())))

    @property
    def creds(self) -> str:
        return format_creds(self.jwt, self.seed)


class Authority:
    """The province's operator, accounts, hub user and bulletin signing key, kept in ``directory``.

    ``Authority.create(directory)`` makes them once; ``Authority.open(directory)`` reads them
    back. The JWTs are written once too, so the servers' configuration made from them
    (:func:`radio.network.cluster.write_nats_configs`) stays the same for the province's life.
    """

    FILES = ("operator.nk", "operator.jwt", "system.nk", "system.jwt", "province.nk", "province.jwt",
             "signing.nk", "hub.creds")

    def __init__(self, directory: Path, *, name: str, operator: nkeys.KeyPair, operator_jwt: str,
                 system: nkeys.KeyPair, system_jwt: str, account: nkeys.KeyPair, account_jwt: str,
                 signing: nkeys.KeyPair, hub_creds: str):
        self.directory = Path(directory)
        self.name = name
        self._operator, self.operator_jwt = operator, operator_jwt
        self._system, self.system_account_jwt = system, system_jwt
        self._account, self.account_jwt = account, account_jwt
        self._signing = signing
        self.hub_creds = hub_creds

    # -- making and reading

    @classmethod
    def create(cls, directory: str | os.PathLike, *, name: str = "province") -> "Authority":
        """New keys for a province in ``directory`` (made 0700); :class:`StateError` if one is already there."""
        directory = Path(directory)
        if (directory / "operator.nk").exists():
            raise StateError(f"{directory} already holds a province's keys")
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory.chmod(0o700)
        operator, system, account, signing = (create_key(role) for role in ("operator", "account", "account", "account"))
        operator_jwt = encode_jwt(public_key(operator), name, operator_claims(public_key(system)), operator)
        system_jwt = encode_jwt(public_key(system), "SYS", account_claims(jetstream=False), operator)
        account_jwt = encode_jwt(public_key(account), name, account_claims(jetstream=True), operator)
        hub = create_key("user")
        hub_creds = format_creds(encode_jwt(public_key(hub), "hub", user_claims(), account), seed_text(hub))
        contents = {"operator.nk": seed_text(operator), "operator.jwt": operator_jwt,
                    "system.nk": seed_text(system), "system.jwt": system_jwt,
                    "province.nk": seed_text(account), "province.jwt": account_jwt,
                    "signing.nk": seed_text(signing), "hub.creds": hub_creds}
        # the operator's seed last: its presence is what says the set is whole
        for file in sorted(contents, key=lambda f: f == "operator.nk"):
            write_private(directory / file, contents[file] + ("" if contents[file].endswith("\n") else "\n"))
        return cls.open(directory)

    @classmethod
    def open(cls, directory: str | os.PathLike) -> "Authority":
        """The province's keys in ``directory``; :class:`NotFoundError` if there are none."""
        directory = Path(directory)
        missing = [f for f in cls.FILES if not (directory / f).is_file()]
        if missing:
            raise NotFoundError(f"{directory} holds no province keys (missing {', '.join(missing)})")
        read = {f: (directory / f).read_text(encoding="utf-8").strip() for f in cls.FILES}
        keys = {f: nkeys.from_seed(bytearray(read[f].encode())) for f in cls.FILES if f.endswith(".nk")}
        operator_jwt = read["operator.jwt"]
        return cls(directory, name=decode_jwt(operator_jwt).get("name", ""),
                   operator=keys["operator.nk"], operator_jwt=operator_jwt,
                   system=keys["system.nk"], system_jwt=read["system.jwt"],
                   account=keys["province.nk"], account_jwt=read["province.jwt"],
                   signing=keys["signing.nk"], hub_creds=read["hub.creds"] + "\n")

    @classmethod
    def open_or_create(cls, directory: str | os.PathLike, *, name: str = "province") -> "Authority":
        return cls.open(directory) if (Path(directory) / "operator.nk").exists() else cls.create(directory, name=name)

    # -- public faces

    @property
    def operator_public_key(self) -> str:
        return public_key(self._operator)

    @property
    def system_account(self) -> str:
        """The system account's public key (``system_account`` in the servers' configuration)."""
        return public_key(self._system)

    @property
    def account(self) -> str:
        """The province account's public key: every station and the hub are its users."""
        return public_key(self._account)

    @property
    def signing_public_key(self) -> str:
        """The public key stations verify bulletins with (:func:`radio.network.signing.verify`)."""
        return public_key(self._signing)

    @property
    def hub_creds_path(self) -> Path:
        """The hub user's creds file, for ``nats.connect(user_credentials=...)``."""
        return self.directory / "hub.creds"

    def preload(self) -> dict[str, str]:
        """``{account public key: account JWT}`` for the servers' ``resolver_preload``."""
        return {self.system_account: self.system_account_jwt, self.account: self.account_jwt}

    # -- issuing

    def station_user(self, code: str, *, expires: int | None = None) -> StationUser:
        """A new user for station ``code``: its own subjects only (:func:`.subjects.station_permissions`).

        Each call makes a new key; the servers accept any of them, since they trust the
        account's signature, not a list. ``expires`` (Unix time) bounds the JWT's life.
        """
        code = validate_code(code)
        user = create_key("user")
        jwt = encode_jwt(public_key(user), f"station-{code}", user_claims(station_permissions(code)),
                         self._account, expires=expires)
        return StationUser(code=code, jwt=jwt, seed=seed_text(user))

    def join_file(self, code: str, servers: list[str] | tuple[str, ...], *, expires: int | None = None) -> str:
        """The text of station ``code``'s join file, with a new user (:func:`format_join`)."""
        user = self.station_user(code, expires=expires)
        return format_join(user.code, user.jwt, user.seed, servers=servers,
                           signing_key=self.signing_public_key, province=self.name)

    def signing_key(self) -> nkeys.KeyPair:
        """The province's bulletin signing key pair (for :func:`radio.network.signing.sign`)."""
        return self._signing
