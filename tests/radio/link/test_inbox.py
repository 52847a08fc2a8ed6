"""Provincial bulletins taken in by class, once, and acknowledged through the outbox."""

from datetime import timedelta

import pytest

from radio.clock import to_utc_text
from radio.errors import StateError
from radio.link import inbox, outbox
from radio.network.messages import ProvincialBulletin
from radio.schedule import commands
from tests.support.actors import OFFICER

CODE = "XA-TAN-AN"


def bulletin(clock, cls, **fields):
    values = dict(id=f"P-{cls}", station=CODE, cls=cls, title="Thông báo của tỉnh",
                  text="Ủy ban nhân dân tỉnh thông báo lịch tiếp công dân.", sent_at=to_utc_text(clock.now()),
                  approved_by="Ban biên tập", approved_at=to_utc_text(clock.now()), province="Tỉnh Lâm Đồng",
                  topic="cchc")
    values.update(fields)
    return ProvincialBulletin(**values)


def acks(db):
    return [(outbox.payload_of(r)["bulletin_id"], outbox.payload_of(r)["state"])
            for r in outbox.pending(db) if r["kind"] == "ack"]


def test_khan_cap_is_approved_in_the_provinces_name_and_asked_on_air_at_once(db, clock):
    taken = inbox.receive(db, bulletin(clock, "khan-cap"), b"{}", now=clock.now())
    assert taken.new and taken.row["state"] == "scheduled"
    local = db["bulletins"].get(taken.row["bulletin_id"])
    assert (local["status"], local["priority"]) == ("approved", "urgent")
    assert local["approved_by"] == "Ban biên tập (Tỉnh Lâm Đồng)"
    (command,) = commands.take_pending(db, clock.now())
    assert command.bulletin_id == local["id"] and command.id == taken.row["command_id"]
    assert acks(db) == [("P-khan-cap", "received"), ("P-khan-cap", "scheduled")]


def test_the_same_message_twice_is_taken_in_once(db, clock):
    first = inbox.receive(db, bulletin(clock, "khan-cap"), b"{}", now=clock.now())
    again = inbox.receive(db, bulletin(clock, "khan-cap"), b"{}", now=clock.now() + timedelta(minutes=1))
    assert first.new and not again.new and again.row == first.row
    assert db["bulletins"].count == 1 and db["commands"].count == 1
    assert len(acks(db)) == 2


def test_an_old_khan_cap_is_kept_expired_and_not_aired(db, clock):
    old = bulletin(clock, "khan-cap", sent_at=to_utc_text(clock.now() - timedelta(hours=3)))
    taken = inbox.receive(db, old, b"{}", now=clock.now())
    assert taken.row["state"] == "expired" and "after it was sent" in taken.row["reason"]
    assert db["bulletins"].count == 0 and db["commands"].count == 0
    assert acks(db) == [("P-khan-cap", "received"), ("P-khan-cap", "expired")]


def test_uu_tien_is_a_priority_bulletin_within_its_window(db, clock):
    taken = inbox.receive(db, bulletin(clock, "uu-tien", valid_from="2026-11-23", valid_until="2026-11-30",
                                       repeat=3), b"{}", now=clock.now())
    local = db["bulletins"].get(taken.row["bulletin_id"])
    assert (local["status"], local["priority"], local["repeat_count"]) == ("approved", "priority", 3)
    assert (local["valid_from"], local["valid_until"]) == ("2026-11-23", "2026-11-30")
    assert db["commands"].count == 0


def test_thuong_waits_for_the_officer(db, clock):
    taken = inbox.receive(db, bulletin(clock, "thuong"), b"{}", now=clock.now())
    assert taken.row["state"] == "received" and taken.row["bulletin_id"] is None
    assert db["bulletins"].count == 0
    row = inbox.accept(db, "P-thuong", actor=OFFICER, now=clock.now())
    local = db["bulletins"].get(row["bulletin_id"])
    assert (row["state"], local["status"], local["priority"]) == ("scheduled", "approved", "normal")
    with pytest.raises(StateError):
        inbox.accept(db, "P-thuong", actor=OFFICER, now=clock.now())
    assert acks(db) == [("P-thuong", "received"), ("P-thuong", "scheduled")]


def test_a_window_already_over_is_not_scheduled(db, clock):
    inbox.receive(db, bulletin(clock, "uu-tien", valid_from="2026-11-01", valid_until="2026-11-10"), b"{}",
                  now=clock.now())
    assert inbox.get(db, "P-uu-tien")["state"] == "expired"
    assert db["bulletins"].count == 0
