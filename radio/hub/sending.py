"""Sending an approved provincial bulletin: one signed copy per target station, each
acknowledged by JetStream, and what was sent recorded so that sending again sends the rest.

The targets are resolved to stations on the first send and kept (``sends``), each copy
with the time it was made: a copy sent again is the same bytes (the same ``sent_at``, and
Ed25519 signatures are deterministic), so JetStream's dedupe on ``Nats-Msg-Id`` =
``<bulletin id>:<CODE>`` stores it once, and a station's inbox, keyed on the bulletin's
id, takes it once. A copy counts as delivered when its PubAck names RADIO_DOWN; the
projection (``deliveries``) records it as a rebuild would, from the copy itself.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from radio.accounts import audit
from radio.accounts.roles import Actor
from radio.clock import to_utc_text
from radio.errors import RadioError, StateError
from radio.hub import bulletins
from radio.hub.accounts import require
from radio.hub.projection import record_delivered
from radio.hub.servers import NATS_FAILURES, HubUnreachableError, connect, prepare, run, settled, unreachable
from radio.network.messages import ProvincialBulletin, signed_bulletin
from radio.network.subjects import DOWN_STREAM, MSG_ID_HEADER, down_subject
from radio.store.connection import write

SEND_TIMEOUT_S = 60.0
PUBLISH_TIMEOUT_S = 15.0  # a PubAck from a busy R3 cluster (see radio.hub.servers.JS_TIMEOUT_S)
#: copies in flight at once (each waits for its PubAck)
IN_FLIGHT = 32


@dataclass
class SendReport:
    """What one send did: every target, those delivered now, those delivered before, those that failed."""

    bulletin_id: str
    stations: list[str]
    delivered: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def copy_for(hub, row: dict, code: str, sent_at: str) -> bytes:
    """The signed message for station *code* of bulletin *row* (a ``bulletins`` row)."""
    bulletin = ProvincialBulletin(
        id=row["id"], station=code, cls=row["class"], title=row["title"], text=row["text"], sent_at=sent_at,
        approved_by=row["approved_by"], approved_at=row["approved_at"], topic=row["topic"],
        valid_from=row["valid_from"], valid_until=row["valid_until"], repeat=row["repeat_count"],
        province=hub.province)
    return signed_bulletin(bulletin, hub.authority.signing_key())


def msg_id(bulletin_id: str, code: str) -> str:
    """The copy's dedupe id (``Nats-Msg-Id``)."""
    return f"{bulletin_id}:{code}"


def plan(hub, bulletin_id: str) -> tuple[dict, list[tuple[str, str]], list[str]]:
    """The approved bulletin, its copies not delivered yet ``(code, sent_at)``, and every target.

    On the first send the targets are resolved and each copy is given its time.
    :raise StateError: the bulletin is not approved.
    """
    db = hub.db
    with write(db):
        row = bulletins.get(db, bulletin_id)
        if row["status"] != "approved":
            raise StateError(f"Bulletin {row['id']} is not approved; a province leader approves it first.")
        if not db.execute("SELECT 1 FROM sends WHERE bulletin_id = ?", [row["id"]]).fetchone():
            now = to_utc_text(hub.clock.now())
            for code in bulletins.Targets.from_json(row["targets"]).resolve(db):
                db["sends"].insert({"bulletin_id": row["id"], "station": code, "sent_at": now})
        copies = db.execute("SELECT s.station, s.sent_at, d.down_seq FROM sends s LEFT JOIN deliveries d "
                            "ON d.bulletin_id = s.bulletin_id AND d.station = s.station "
                            "WHERE s.bulletin_id = ? ORDER BY s.station", [row["id"]]).fetchall()
    pending = [(code, sent_at) for code, sent_at, seq in copies if seq is None]
    return row, pending, [code for code, _, _ in copies]


def _attempted(hub, bulletin_id: str, code: str, error: str | None) -> None:
    with write(hub.db):
        hub.db.execute("UPDATE sends SET attempts = attempts + 1, last_attempt_at = ?, last_error = ? "
                       "WHERE bulletin_id = ? AND station = ?",
                       [to_utc_text(hub.clock.now()), error, bulletin_id, code])


async def publish(hub, js, row: dict, pending: list[tuple[str, str]], report: SendReport) -> None:
    """Publish the *pending* copies of *row*, at most :data:`IN_FLIGHT` at once, recording each PubAck."""
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(code: str, sent_at: str) -> None:
        async with gate:
            try:
                data = copy_for(hub, row, code, sent_at)
                ack = await settled(lambda: js.publish(down_subject(code, "bulletin"), data, timeout=PUBLISH_TIMEOUT_S,
                                                       headers={MSG_ID_HEADER: msg_id(row["id"], code)}))
                if ack.stream != DOWN_STREAM:
                    raise StateError(f"stored in {ack.stream}, not {DOWN_STREAM}")
            except (*NATS_FAILURES, StateError) as exc:
                report.failed[code] = str(exc).strip() or type(exc).__name__
                _attempted(hub, row["id"], code, report.failed[code][:300])
                return
            record_delivered(hub.db, row["id"], code, seq=ack.seq, sent_at=sent_at)
            _attempted(hub, row["id"], code, None)
            report.delivered.append(code)

    await asyncio.gather(*(one(code, sent_at) for code, sent_at in pending))
    report.delivered.sort()


def send(hub, bulletin_id: str, *, timeout: float = SEND_TIMEOUT_S) -> SendReport:
    """Send the copies of approved *bulletin_id* not delivered yet; what was done.

    :raise HubUnreachableError: a copy or more was not delivered (no server answered, JetStream
        refused it); the message names them, and sending again sends them.
    """
    row, pending, stations = plan(hub, bulletin_id)
    report = SendReport(row["id"], stations, already=sorted(set(stations) - {code for code, _ in pending}))
    if not pending:
        return report

    async def go():
        nc = await connect(hub)
        try:
            js = nc.jetstream(timeout=PUBLISH_TIMEOUT_S)
            await prepare(hub, js)
            await publish(hub, js, row, pending, report)
        finally:
            await nc.close()

    try:
        run(hub, go(), timeout=timeout)
    except HubUnreachableError as exc:
        left = [code for code, _ in pending if code not in report.delivered]
        for code in left:
            if code not in report.failed:
                _attempted(hub, row["id"], code, (exc.why or str(exc))[:300])
        raise unreachable(hub, exc.why, doing=f"Bulletin {row['id']} is approved but was not sent to {_codes(left)}"
                          f"{f' (sent to {len(report.delivered)} of {len(stations)})' if report.delivered else ''}: ",
                          then=f"send the rest: radio hub resend {row['id']}") from None
    if report.failed:
        left = sorted(report.failed)
        raise HubUnreachableError(
            f"Bulletin {row['id']} was sent to {len(report.delivered) + len(report.already)} of {len(stations)} "
            f"stations; not to {_codes(left)} ({report.failed[left[0]][:120]}). Send the rest: "
            f"radio hub resend {row['id']}", report.failed[left[0]])
    return report


def approve_and_send(hub, bulletin_id: str, *, actor: Actor, timeout: float = SEND_TIMEOUT_S) -> SendReport:
    """The province admin's one step: *actor* (a leader) approves draft *bulletin_id* and sends it.

    If no copy reached the servers (they are down), the approval is undone and the draft
    stays as it was: nothing half-written is left for a later send to pick up unseen.
    :raise PermissionDeniedError: *actor* may not approve and send; nothing is written.
    :raise HubUnreachableError: the servers did not take it (see :func:`send`).
    """
    require(actor, "bulletin.approve")
    require(actor, "bulletin.send")
    bulletins.approve(hub.db, bulletin_id, by=actor.name, now=hub.clock.now())
    try:
        report = send(hub, bulletin_id, timeout=timeout)
    except RadioError:  # the servers down, or a target unregistered since the draft
        if not _undo_if_none_delivered(hub, bulletin_id):
            _audit_sent(hub, actor, bulletin_id, partial=True)
        raise
    _audit_sent(hub, actor, bulletin_id, partial=False)
    return report


def _audit_sent(hub, actor: Actor, bulletin_id: str, *, partial: bool) -> None:
    audit.record(hub.db, actor, "bulletin.approve", now=hub.clock.now(), target=f"bulletin:{bulletin_id}",
                 detail={"sent": "partly" if partial else "all"})


def _undo_if_none_delivered(hub, bulletin_id: str) -> bool:
    """Make the bulletin a draft again if no copy of it was delivered; whether it was."""
    db = hub.db
    with write(db):
        if db.execute("SELECT 1 FROM deliveries WHERE bulletin_id = ? AND down_seq IS NOT NULL",
                      [bulletin_id]).fetchone():
            return False
        db.execute("DELETE FROM sends WHERE bulletin_id = ?", [bulletin_id])
        db.execute("UPDATE bulletins SET status = 'draft', approved_by = NULL, approved_at = NULL WHERE id = ?",
                   [bulletin_id])
    return True


def _codes(codes: list[str], shown: int = 8) -> str:
    return ", ".join(codes[:shown]) + (f" and {len(codes) - shown} more" if len(codes) > shown else "")
