"""The outbox: proof entries copied once, in order, with the acknowledgements of what aired."""

from datetime import timedelta

from radio.clock import to_utc_text
from radio.link import inbox, outbox
from radio.network.messages import ProvincialBulletin
from radio.proof import log as prooflog
from radio.proof.chain import row_hash
from radio.proof.log import LoggedItem

CODE = "XA-TAN-AN"


def aired(db, clock, key, bulletin_id=None, status="aired"):
    items = [] if bulletin_id is None else [LoggedItem(
        position=1, bulletin_id=bulletin_id, title="Tin", topic="cchc", priority="urgent", text_sha256="0" * 64,
        audio_sha256="1" * 64, engine="espeak", duration_ms=3000, completed=True)]
    return prooflog.append(db, prooflog.Entry(
        key=key, scheduled_at=clock.now(), status=status, started_at=clock.now(),
        ended_at=clock.now() + timedelta(seconds=3), seconds_played=3.0, items=items), now=clock.now())


def test_entries_are_copied_once_in_order_with_their_chain(db, clock):
    for n in range(3):
        aired(db, clock, f"slot1@2026-11-23T08:0{n}:00")
    assert outbox.collect(db, now=clock.now()) == 3
    assert outbox.collect(db, now=clock.now()) == 0
    rows = [r for r in outbox.pending(db) if r["kind"] == "proof"]
    entries = [outbox.payload_of(r) for r in rows]
    assert [e["entry"]["id"] for e in entries] == [1, 2, 3]
    previous = "0" * 64
    for e in entries:  # what the hub checks: each links to the one before and hashes to itself
        assert e["entry"]["prev_hash"] == previous
        assert row_hash(e["entry"], e["items"]) == e["entry"]["hash"]
        previous = e["entry"]["hash"]
    aired(db, clock, "slot1@2026-11-23T09:00:00")
    assert outbox.collect(db, now=clock.now()) == 1


def test_published_rows_are_not_pending_again(db, clock):
    aired(db, clock, "slot1@2026-11-23T08:00:00")
    outbox.collect(db, now=clock.now())
    (row,) = outbox.pending(db)
    outbox.published(db, row["id"], now=clock.now())
    assert outbox.pending(db) == []
    assert outbox.counts(db) == {"proof": {"waiting": 0, "published": 1}}


def test_an_airing_of_a_provincial_bulletin_is_acknowledged_with_its_entry(db, clock):
    sent = ProvincialBulletin(id="P-1", station=CODE, cls="khan-cap", title="Bão", text="Bão số 5 đổ bộ.",
                              sent_at=to_utc_text(clock.now()), approved_by="Ban biên tập",
                              approved_at=to_utc_text(clock.now()), province="Tỉnh")
    row = inbox.receive(db, sent, b"{}", now=clock.now()).row
    entry_id = aired(db, clock, f"urgent:{row['command_id']}", bulletin_id=row["bulletin_id"])
    outbox.collect(db, now=clock.now())
    outbox.collect(db, now=clock.now())
    states = [outbox.payload_of(r) for r in outbox.pending(db) if r["kind"] == "ack"]
    assert [(a["state"], a["entry_id"]) for a in states] == [("received", None), ("scheduled", None),
                                                             ("aired", entry_id)]
    entry = db["occurrences"].get(entry_id)
    assert states[-1]["entry_hash"] == entry["hash"]
