"""An officer cannot silence a slot by editing it.

Pausing is the leader's; each edit below had the same effect for an officer:
a validity ending yesterday, a topic filter no bulletin has, a 1-minute cap
under a 3-minute running order, a move to 03:00, another output. Each is
refused (on the admin's slot and on the officer's own), and changes nothing;
the leader and the admin may make them; an officer edits only their own slots.
"""

import pytest

from radio.schedule import slot_edits
from radio.schedule import slots
from radio.accounts.roles import PermissionDeniedError
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin
from radio.wording.messages import vi
from radio.schedule.outputs import add_output
from radio.schedule.slot_guard import SlotEditRefusedError
from radio.store.connection import revision
from tests.support.actors import ADMIN, LEADER, OFFICER, OTHER_OFFICER

# clock: Monday 23/11/2026 08:00 local
SILENCING = {
    "validity ending yesterday": dict(valid_until="2026-11-22"),
    "a topic no bulletin has": dict(topics="khong-co-ai"),
    "a 1-minute cap": dict(cap_minutes=1),
    "a move to 03:00": dict(at="03:00"),
    "another output": dict(output="thon2"),
}


@pytest.fixture
def station(fresh_db, clock):
    """A daily 06:00 slot and an approved 3-minute bulletin it carries every day."""
    add_output(fresh_db, name="thon2", spec="pulse:thon2", label="Thôn 2", actor=ADMIN, now=clock.now())
    bulletin = add_bulletin(fresh_db, title="Tin", text="UBND xã thông báo.", topic="cchc", repeat_count=50,
                            now=clock.now(), actor=OFFICER)
    approve_bulletin(fresh_db, bulletin, actor=LEADER, expected_sha256=None, by="lanhdao", now=clock.now())
    fresh_db["renders"].update(bulletin, {"state": "done", "duration_ms": 180_000})
    return fresh_db


def _slot(db, clock, owner):
    return slots.add_slot(db, at="06:00", days="daily", name="Buổi sáng", cap_minutes=15, now=clock.now(),
                          actor=owner)


def _state(db, slot_id):
    return slots.get_slot(db, slot_id), db["audit"].count, revision(db)


@pytest.mark.parametrize("owner", [ADMIN, OFFICER], ids=["the admin's slot", "the officer's own slot"])
@pytest.mark.parametrize("attack", SILENCING)
def test_an_officer_edit_that_silences_a_slot_is_refused(station, clock, owner, attack):
    slot_id = _slot(station, clock, owner)
    before = _state(station, slot_id)
    with pytest.raises(SlotEditRefusedError) as info:
        slot_edits.update_slot(station, slot_id, actor=OFFICER, now=clock.now(), **SILENCING[attack])
    assert _state(station, slot_id) == before
    worded = vi(info.value)
    assert worded.startswith(("Chỉ lãnh đạo UBND", "Khung giờ số")) and "slot" not in worded


@pytest.mark.parametrize("attack", SILENCING)
def test_the_reason_names_what_the_edit_does(station, clock, attack):
    slot_id = _slot(station, clock, OFFICER)
    with pytest.raises(SlotEditRefusedError) as info:
        slot_edits.update_slot(station, slot_id, actor=OFFICER, now=clock.now(), **SILENCING[attack])
    expected = {"validity ending yesterday": "validity ends in the past (2026-11-22)",
                "a topic no bulletin has": "no bulletin has its topics (khong-co-ai)",
                "a 1-minute cap": "cap of 1 min is shorter than its running order",
                "a move to 03:00": "moves from 06:00 daily to 03:00 daily",
                "another output": "goes to output thon2"}[attack]
    assert expected in str(info.value)
    assert "ngừng phát (" in vi(info.value) and "Hãy nhờ lãnh đạo" in vi(info.value)


def test_the_output_form_is_refused_to_an_officer_too(station, clock):
    slot_id = _slot(station, clock, OFFICER)
    before = _state(station, slot_id)
    with pytest.raises(SlotEditRefusedError, match="goes to output thon2"):
        slot_edits.set_slot_output(station, slot_id, "thon2", actor=OFFICER, now=clock.now())
    assert _state(station, slot_id) == before


@pytest.mark.parametrize("actor", [LEADER, ADMIN])
@pytest.mark.parametrize("attack", SILENCING)
def test_the_leader_and_the_admin_may_make_each_edit(station, clock, actor, attack):
    slot_id = _slot(station, clock, ADMIN)
    slot = slot_edits.update_slot(station, slot_id, actor=actor, now=clock.now(), **SILENCING[attack])
    column, value = {"validity ending yesterday": ("valid_until", "2026-11-22"),
                     "a topic no bulletin has": ("topics", "khong-co-ai"), "a 1-minute cap": ("cap_minutes", 1),
                     "a move to 03:00": ("at_time", "03:00:00"), "another output": ("output", "thon2")}[attack]
    assert slot[column] == value
    assert station["audit"].count_where("action = 'slot.edit' AND username = ?", [actor.username]) == 1


def test_an_officer_edits_only_their_own_slots(station, clock):
    theirs = _slot(station, clock, OTHER_OFFICER)
    before = _state(station, theirs)
    with pytest.raises(SlotEditRefusedError, match="created by canbo2") as info:
        slot_edits.update_slot(station, theirs, actor=OFFICER, now=clock.now(), name="Đổi tên")
    assert isinstance(info.value, PermissionDeniedError)
    assert vi(info.value).startswith("Khung giờ số") and "do canbo2 tạo" in vi(info.value)
    assert _state(station, theirs) == before
    assert slots.get_slot(station, theirs)["created_by"] == OTHER_OFFICER.username


def test_an_officer_still_widens_and_renames_their_own_slot(station, clock):
    slot_id = _slot(station, clock, OFFICER)
    slot_edits.update_slot(station, slot_id, actor=OFFICER, now=clock.now(), topics="cchc")  # still carries it
    slot = slot_edits.update_slot(station, slot_id, actor=OFFICER, now=clock.now(), name="Sáng sớm",
                             cap_minutes=20, topics="cchc,thien-tai", valid_until="2027-12-31")
    assert (slot["name"], slot["cap_minutes"], slot["topics"], slot["valid_until"]) == (
        "Sáng sớm", 20, "cchc,thien-tai", "2027-12-31")
    # a cap still above the running order is no silence either
    assert slot_edits.update_slot(station, slot_id, actor=OFFICER, now=clock.now(), cap_minutes=5)["cap_minutes"] == 5


def test_an_edit_that_airs_fewer_bulletins_is_the_leaders(station, clock):
    """The backstop: what the slot carries in the next week must not shrink (here: fewer days)."""
    slot_id = _slot(station, clock, OFFICER)
    with pytest.raises(SlotEditRefusedError, match="no longer airs on"):
        slot_edits.update_slot(station, slot_id, actor=OFFICER, now=clock.now(), days="mon")
    assert slots.get_slot(station, slot_id)["days"] == "daily"
