"""The station's link and the hub agree on the wire, without a network between them: a copy the
hub signs is what a station's inbox takes in, and what the station's outbox queues (its real
proof log, acknowledgements, a heartbeat) is what the hub's projection applies, chain verified."""

import pytest

from radio.hub import Message, Targets, apply_down, apply_up, approve, status, write_bulletin
from radio.hub.bulletins import get
from radio.hub.sending import copy_for, msg_id as copy_id, plan
from radio.link import inbox, outbox
from radio.network.messages import msg_id, read_bulletin
from radio.network.subjects import down_subject, up_subject
from radio.proof import log as prooflog
from radio.proof.log import LoggedItem

pytestmark = pytest.mark.timeout(60)


def logged(db, clock, key, bulletin_id=None):
    items = [] if bulletin_id is None else [LoggedItem(
        position=1, bulletin_id=bulletin_id, title="Bão", topic="thien-tai", priority="urgent", text_sha256="0" * 64,
        audio_sha256="1" * 64, engine="espeak", duration_ms=3000, completed=True)]
    entry_id = prooflog.append(db, prooflog.Entry(key=key, scheduled_at=clock.now(), status="aired",
                                                  started_at=clock.now(), seconds_played=3.0, items=items),
                               now=clock.now())
    clock.advance(60)
    return entry_id


def test_what_a_stations_outbox_sends_is_what_the_hub_applies(hub, stations, hub_clock, db, clock):
    bulletin_id = write_bulletin(hub.db, cls="khan-cap", title="Bão số 9", text="Bão số 9 đổ bộ chiều nay.",
                                 targets=Targets.parse("XA01"), now=hub_clock.now())
    approve(hub.db, bulletin_id, by="Nguyễn Văn A", now=hub_clock.now())
    _, [(code, sent_at)], _ = plan(hub, bulletin_id)
    copy = copy_for(hub, get(hub.db, bulletin_id), code, sent_at)
    apply_down(hub.db, Message(down_subject(code, "bulletin"), copy, seq=1, msg_id=copy_id(bulletin_id, code)))

    # the station: the copy checked and taken in, its own slot and the emergency logged, a heartbeat
    taken = inbox.receive(db, read_bulletin(copy, public_key=hub.authority.signing_public_key, station=code), copy,
                          now=clock.now()).row
    logged(db, clock, "slot:1@2026-11-23T06:00")
    urgent_entry = logged(db, clock, f"urgent:{taken['command_id']}", bulletin_id=taken["bulletin_id"])
    outbox.heartbeat(db, {"next": None}, now=clock.now())
    outbox.collect(db, now=clock.now())
    for seq, row in enumerate(outbox.pending(db), start=1):
        message = Message(up_subject(code, row["kind"]), row["payload"].encode("utf-8"), seq=seq,
                          at=row["created_at"], msg_id=msg_id(code, row["kind"], row["id"]))
        assert apply_up(hub.db, message) == "applied", row

    found = status(hub, now=clock.now())
    assert found["alerts"] == []
    station = next(s for s in found["stations"] if s["code"] == code)
    head = db.execute("SELECT count(*), max(hash) FILTER (WHERE id = (SELECT max(id) FROM occurrences)) "
                      "FROM occurrences").fetchone()
    assert station["chain"] == {"entries": head[0], "last_id": head[0], "head_hash": head[1], "alerts": 0,
                                "verified": True}
    assert station["online"] and station["heartbeat"]["next"] is None
    (bulletin,) = found["bulletins"]
    (at_station,) = bulletin["stations"]
    assert at_station["delivered"] and at_station["received_at"] and at_station["scheduled_at"]
    (outcome,) = at_station["outcomes"]
    assert (outcome["state"], outcome["entry_id"], outcome["entry_hash"], outcome["verified"]) == (
        "aired", urgent_entry, db["occurrences"].get(urgent_entry)["hash"], True)
