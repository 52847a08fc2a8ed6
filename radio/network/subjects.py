"""The province network's layout: every stream, subject, consumer and inbox name, in one place.

Two streams carry everything that must not be lost::

    RADIO_DOWN  radio.down.>   hub → station, one message per target station
                               at radio.down.<CODE>.<kind>
    RADIO_UP    radio.up.>     station → hub at radio.up.<CODE>.<kind>,
                               kind one of proof, heartbeat, ack

A station reads its own down messages through one durable pull consumer on RADIO_DOWN,
``station-<CODE>``, filtered on ``radio.down.<CODE>.>``. The hub creates it when the station
is added; a station cannot create consumers at all. A station's replies (JetStream's publish
acknowledgements, the messages a fetch delivers) come to its own inbox prefix
``_INBOX_<CODE>``, so its credentials never need the shared ``_INBOX.>``.

:func:`station_permissions` is the whole of what a station's credentials allow, built from
these names; every subject in it is explained beside it.
"""

import re

from radio.errors import ValidationError

DOWN_STREAM = "RADIO_DOWN"
UP_STREAM = "RADIO_UP"
DOWN_PREFIX = "radio.down"
UP_PREFIX = "radio.up"
#: what each stream captures
DOWN_SUBJECTS = f"{DOWN_PREFIX}.>"
UP_SUBJECTS = f"{UP_PREFIX}.>"

#: what a station sends up: a proof-log entry, a heartbeat, an acknowledgement of a bulletin
UP_KINDS = ("proof", "heartbeat", "ack")

#: the header JetStream dedupes on, inside the stream's duplicate window
MSG_ID_HEADER = "Nats-Msg-Id"

#: the JetStream API's subjects (no domain: the province is one JetStream domain)
JS_API = "$JS.API"
JS_ACK = "$JS.ACK"

CODE_PATTERN = re.compile(r"[A-Z0-9_-]{2,32}")
#: a down kind is the hub's to choose; it is one lower-case subject token
KIND_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,31}")


def validate_code(code: str) -> str:
    """``code`` if it is a station code: 2 to 32 of ``A-Z 0-9 _ -``, upper case; else :class:`ValidationError`.

    A code is a subject token, a consumer name's tail and an inbox prefix's tail, so it has
    no dots, wildcards, spaces or lower case that would make two spellings of one station.
    """
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
        raise ValidationError(f"station code {code!r}: use 2 to 32 of A-Z, 0-9, '_' and '-', in upper case")
    return code


def normalise_code(text: str) -> str:
    """A code typed by a person (spaces around it, lower case) as the one spelling, validated."""
    return validate_code(str(text).strip().upper())


def is_code(code: str) -> bool:
    try:
        validate_code(code)
    except ValidationError:
        return False
    return True


def _validate_kind(kind: str) -> str:
    if not isinstance(kind, str) or not KIND_PATTERN.fullmatch(kind):
        raise ValidationError(f"message kind {kind!r}: one lower-case token of a-z, 0-9, '_' and '-'")
    return kind


def down_subject(code: str, kind: str) -> str:
    """Where the hub publishes one message of ``kind`` for station ``code``: ``radio.down.<CODE>.<kind>``."""
    return f"{DOWN_PREFIX}.{validate_code(code)}.{_validate_kind(kind)}"


def up_subject(code: str, kind: str) -> str:
    """Where station ``code`` publishes a ``kind`` (one of :data:`UP_KINDS`): ``radio.up.<CODE>.<kind>``."""
    if kind not in UP_KINDS:
        raise ValidationError(f"up kind {kind!r}: one of {', '.join(UP_KINDS)}")
    return f"{UP_PREFIX}.{validate_code(code)}.{kind}"


def station_down_filter(code: str) -> str:
    """The station consumer's filter: every down message for ``code`` and for no one else."""
    return f"{DOWN_PREFIX}.{validate_code(code)}.>"


def station_up_filter(code: str) -> str:
    """Every up subject of ``code``: what its credentials may publish to."""
    return f"{UP_PREFIX}.{validate_code(code)}.>"


def consumer_name(code: str) -> str:
    """The durable pull consumer on :data:`DOWN_STREAM` that station ``code`` reads: ``station-<CODE>``."""
    return f"station-{validate_code(code)}"


def inbox_prefix(code: str) -> str:
    """The inbox prefix station ``code`` connects with (``nats.connect(inbox_prefix=...)``): ``_INBOX_<CODE>``."""
    return f"_INBOX_{validate_code(code)}"


def parse_subject(subject: str) -> tuple[str, str, str]:
    """``(direction, code, kind)`` of a down or up subject, direction ``"down"`` or ``"up"``.

    A subject outside the layout (another prefix, a bad code, more or fewer tokens) is a
    :class:`ValidationError`, so a message on a subject nobody built is never taken for a station's.
    """
    parts = subject.split(".") if isinstance(subject, str) else []
    if len(parts) == 4 and parts[0] == "radio" and parts[1] in ("down", "up"):
        direction, code, kind = parts[1], parts[2], parts[3]
        if is_code(code) and (kind in UP_KINDS if direction == "up" else KIND_PATTERN.fullmatch(kind)):
            return direction, code, kind
    raise ValidationError(f"subject {subject!r} is not a province network subject")


def station_permissions(code: str) -> dict[str, dict[str, list[str]]]:
    """What station ``code``'s user JWT allows, as the JWT's ``pub`` and ``sub`` claims (allow lists only).

    Publish:

    - ``radio.up.<CODE>.>``: its proof entries, heartbeats and acknowledgements (a JetStream
      publish is a plain publish with a reply inbox; RADIO_UP's acknowledgement comes back on it);
    - ``$JS.API.CONSUMER.MSG.NEXT.RADIO_DOWN.station-<CODE>``: a fetch from its own consumer;
    - ``$JS.API.CONSUMER.INFO.RADIO_DOWN.station-<CODE>``: its own consumer's info (nats-py's
      ``pull_subscribe`` asks for it before binding; the link can see how much is pending);
    - ``$JS.ACK.RADIO_DOWN.station-<CODE>.>``: acknowledging (ack, nak, in progress, term) what
      its own consumer delivered.

    Subscribe:

    - ``_INBOX_<CODE>.>``: its own inbox, where every reply to it arrives (publish acks, fetched
      messages, API responses).

    Each is needed, and only for what it says: against nats-server 2.9.10 with nats-py, a
    user without one of them finds exactly that operation unanswered (a timeout) and the
    others working. Nothing else: no other station's subjects, no ``_INBOX.>``, no consumer or stream
    management, no ``$JS.API.STREAM.MSG.GET`` or direct get, no subscription to ``radio.>``.
    """
    consumer = consumer_name(code)
    return {
        "pub": {"allow": [
            station_up_filter(code),
            f"{JS_API}.CONSUMER.MSG.NEXT.{DOWN_STREAM}.{consumer}",
            f"{JS_API}.CONSUMER.INFO.{DOWN_STREAM}.{consumer}",
            f"{JS_ACK}.{DOWN_STREAM}.{consumer}.>",
        ]},
        "sub": {"allow": [f"{inbox_prefix(code)}.>"]},
    }
