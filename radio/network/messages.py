"""What travels on the province network: a provincial bulletin going down, and a station's
proof entries, heartbeats and acknowledgements going up. Each is one JSON message.

A bulletin is sent as one copy per target station, and the province signs each copy with
the station's code inside (:func:`signed_bulletin`): a copy cannot be moved to another
station, and changing a word breaks the signature. A station reads it with
:func:`read_bulletin`, which refuses anything the province did not sign.

Upward messages carry a dedupe id (:func:`msg_id`) that JetStream uses as ``Nats-Msg-Id``:
the station's code, the kind and the number of the station's outbox row, so a message
published again after a lost acknowledgement is stored once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from radio.errors import ValidationError
from radio.network.signing import sign, verify
from radio.network.subjects import validate_code

#: the three classes a province sends (Nghị định 49/2024): the commune chooses when to air
#: it; it airs with priority in the next programme; it airs at once
CLASSES = ("thuong", "uu-tien", "khan-cap")
CLASS_NAMES = {"thuong": "thông thường", "uu-tien": "ưu tiên", "khan-cap": "khẩn cấp"}
#: what a station says of a provincial bulletin, in the order they happen
ACK_STATES = ("received", "scheduled", "aired", "partial", "failed", "missed", "refused", "expired")
#: the largest bulletin text a message carries (a bulletin of an hour read aloud is ~60 kB)
MAX_TEXT = 200_000


class BadMessage(ValidationError):
    """A message that is not what the protocol says, or not signed by the province."""


@dataclass(frozen=True)
class ProvincialBulletin:
    """One provincial bulletin as one station receives it."""

    id: str
    station: str
    cls: str
    title: str
    text: str
    sent_at: str
    approved_by: str
    approved_at: str
    topic: str = ""
    valid_from: str | None = None  # ISO dates, station time, inclusive
    valid_until: str | None = None
    repeat: int = 1
    province: str = ""

    def payload(self) -> dict:
        data = asdict(self)
        data["class"] = data.pop("cls")
        return data

    @classmethod
    def from_payload(cls, data: dict) -> "ProvincialBulletin":
        try:
            values = {name: data[name] for name in ("id", "station", "title", "text", "sent_at",
                                                    "approved_by", "approved_at")}
            values.update(cls=data["class"], topic=data.get("topic", ""), valid_from=data.get("valid_from"),
                          valid_until=data.get("valid_until"), repeat=int(data.get("repeat", 1)),
                          province=data.get("province", ""))
        except (KeyError, TypeError, ValueError) as exc:
            raise BadMessage(f"not a provincial bulletin: {exc}") from None
        bulletin = cls(**values)
        bulletin.check()
        return bulletin

    def check(self) -> None:
        """:raise BadMessage: a field out of its range."""
        if self.cls not in CLASSES:
            raise BadMessage(f"unknown class {self.cls!r}: one of {', '.join(CLASSES)}")
        if not all(isinstance(v, str) for v in (self.id, self.title, self.text, self.sent_at)):
            raise BadMessage("not a provincial bulletin: id, title, text and sent_at are text")
        if not self.id or not self.title.strip() or not self.text.strip():
            raise BadMessage("a provincial bulletin needs an id, a title and a text")
        if len(self.text) > MAX_TEXT:
            raise BadMessage(f"the text is longer than {MAX_TEXT} characters")
        if not 1 <= self.repeat <= 50:
            raise BadMessage("repeat is 1 to 50")
        try:
            validate_code(self.station)
            datetime.fromisoformat(self.sent_at)
            for day in (self.valid_from, self.valid_until):
                if day is not None:
                    date.fromisoformat(day)
        except (ValueError, TypeError) as exc:
            raise BadMessage(f"not a provincial bulletin: {exc}") from None


def signed_bulletin(bulletin: ProvincialBulletin, key) -> bytes:
    """The message for one station: the bulletin and the province's signature over it."""
    bulletin.check()
    payload = bulletin.payload()
    return json.dumps({"bulletin": payload, "signature": sign(payload, key)}, ensure_ascii=False).encode()


def read_bulletin(data: bytes, *, public_key: str, station: str) -> ProvincialBulletin:
    """The bulletin in a message for *station*, its signature checked against *public_key*.

    :raise BadMessage: not JSON, not a bulletin, not signed by that key, or for another station.
    """
    try:
        message = json.loads(data)
        payload, signature = message["bulletin"], message["signature"]
    except (ValueError, KeyError, TypeError):
        raise BadMessage("not a provincial bulletin message") from None
    if not isinstance(payload, dict) or not isinstance(signature, str) or not verify(payload, signature, public_key):
        raise BadMessage("the province's signature does not match this bulletin")
    bulletin = ProvincialBulletin.from_payload(payload)
    if bulletin.station != station:
        raise BadMessage(f"this bulletin was sent to station {bulletin.station}, not {station}")
    return bulletin


def msg_id(code: str, kind: str, number: int) -> str:
    """The dedupe id of a station's upward message (``Nats-Msg-Id``)."""
    return f"{validate_code(code)}.{kind}.{number}"


@dataclass(frozen=True)
class Ack:
    """What a station says of a provincial bulletin (one of :data:`ACK_STATES`)."""

    bulletin_id: str
    state: str
    at: str
    reason: str = ""
    scheduled_for: str | None = None  # when it is to air (scheduled)
    entry_id: int | None = None  # the proof entry (aired, partial, failed, missed)
    entry_hash: str | None = None
    extra: dict = field(default_factory=dict)

    def payload(self) -> dict:
        if self.state not in ACK_STATES:
            raise ValueError(f"unknown state {self.state!r}")
        return asdict(self)

    @classmethod
    def from_payload(cls, data: dict) -> "Ack":
        try:
            ack = cls(bulletin_id=str(data["bulletin_id"]), state=data["state"], at=data["at"],
                      reason=data.get("reason") or "", scheduled_for=data.get("scheduled_for"),
                      entry_id=data.get("entry_id"), entry_hash=data.get("entry_hash"),
                      extra=data.get("extra") or {})
        except (KeyError, TypeError) as exc:
            raise BadMessage(f"not an acknowledgement: {exc}") from None
        if ack.state not in ACK_STATES:
            raise BadMessage(f"unknown state {ack.state!r}")
        return ack


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")


def decode(data: bytes) -> dict:
    try:
        value = json.loads(data)
    except ValueError:
        raise BadMessage("not JSON") from None
    if not isinstance(value, dict):
        raise BadMessage("not a JSON object")
    return value
