"""Editing an existing slot (radio.schedule.slot_edits.update_slot): checked like add_slot, atomic,
audited, and followed by the occurrences not yet decided."""

import threading
from datetime import timedelta

import pytest

from radio.schedule import slot_edits
from radio.accounts import audit
from radio.proof import log as prooflog
from radio import settings as settings_mod
from radio.accounts.roles import Actor, PermissionDeniedError
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin
from radio.clock import STATION_TZ, to_utc_text
from radio.errors import NotFoundError, ValidationError
from radio.schedule.outputs import add_output
from radio.schedule.plan import plan
from radio.schedule.slots import add_slot, get_slot, list_slots, occurrences_between, owed_from
from radio.schedule.slot_edits import update_slot
from radio.station import Station
from radio.station.decide import NO_LONGER_SCHEDULED, cutoff, decide, fix
from radio.store.connection import connect, revision, write
from tests.support.actors import ADMIN, LEADER, OFFICER

VIEWER = Actor("xem", "viewer")


def snapshot(db, slot_id):
    return get_slot(db, slot_id), db["audit"].count, revision(db)


@pytest.fixture
def slot_id(fresh_db, clock):
    add_output(fresh_db, name="thon2", spec="pulse:thon2", label="Thôn 2", actor=ADMIN, now=clock.now())
    return add_slot(fresh_db, at="06:00", days="daily", name="Buổi sáng", cap_minutes=15, now=clock.now(),
                    actor=OFFICER)


def test_a_valid_edit_changes_the_fields_and_writes_one_audit_row(fresh_db, clock, slot_id):
    before_rev = revision(fresh_db)
    slot = update_slot(fresh_db, slot_id, actor=LEADER, now=clock.now(), at="17:30", days="mon,wed",
                       cap_minutes=20, topics="CCHC, thien-tai", output="thon2", name="Buổi chiều",
                       valid_until="2026-12-31")
    assert (slot["at_time"], slot["days"], slot["date"], slot["cap_minutes"], slot["topics"], slot["output"],
            slot["name"], slot["valid_until"]) == (
        "17:30:00", "mon,wed", None, 20, "cchc,thien-tai", "thon2", "Buổi chiều", "2026-12-31")
    assert revision(fresh_db) == before_rev + 1
    (row,) = [r for r in audit.entries(fresh_db, target=f"slot:{slot_id}") if r["action"] == "slot.edit"]
    assert row["username"] == LEADER.username
    assert row["detail"]["at_time"] == "06:00:00 → 17:30:00" and row["detail"]["output"] == "– → thon2"
    assert "owed_from" not in row["detail"]


def test_keys_left_out_keep_their_value_and_empty_clears(fresh_db, clock, slot_id):
    update_slot(fresh_db, slot_id, actor=OFFICER, now=clock.now(), topics="cchc")
    slot = update_slot(fresh_db, slot_id, actor=OFFICER, now=clock.now(), cap_minutes="", topics="")
    assert (slot["at_time"], slot["days"], slot["cap_minutes"], slot["topics"], slot["name"]) == (
        "06:00:00", "daily", None, None, "Buổi sáng")


def test_an_edit_that_changes_nothing_writes_nothing(fresh_db, clock, slot_id):
    before = snapshot(fresh_db, slot_id)
    update_slot(fresh_db, slot_id, actor=OFFICER, now=clock.now(), at="06:00", days="daily")
    assert snapshot(fresh_db, slot_id) == before


def test_recurring_becomes_one_off_and_back(fresh_db, clock, slot_id):
    slot = update_slot(fresh_db, slot_id, actor=LEADER, now=clock.now(), on_date="2026-12-01")
    assert (slot["days"], slot["date"]) == (None, "2026-12-01")
    slot = update_slot(fresh_db, slot_id, actor=LEADER, now=clock.now(), days="weekdays")
    assert (slot["days"], slot["date"]) == ("mon,tue,wed,thu,fri", None)


@pytest.mark.parametrize("changes,message", [
    ({"at": "25:00"}, "is not a time of day"),
    ({"at": ""}, 'Time "" is not HH:MM'),
    ({"days": "mon,xyz"}, 'Unknown day "xyz"'),
    # clock: Monday 23/11/2026 08:00 local
    ({"on_date": "2026-11-23", "at": "07:00"}, "is in the past"),
    ({"on_date": "2026-11-31"}, "is not a date"),
    ({"days": "daily", "on_date": "2026-12-01"}, "not both"),
    ({"valid_from": "2026-12-10", "valid_until": "2026-12-01"}, "valid window ends before it starts"),
    ({"valid_from": "mai"}, "is not a date"),
    ({"cap_minutes": 0}, "at least 1 minute"),
    ({"cap_minutes": "9" * 30}, "at most 1440 minutes"),
    ({"cap_minutes": "mười"}, "cap"),
    ({"output": "file:/tmp/x"}, "is not one of the station's outputs"),
    ({"output": "thon9"}, "is not one of the station's outputs"),
])
def test_each_bad_field_is_refused_and_nothing_changes(fresh_db, clock, slot_id, changes, message):
    before = snapshot(fresh_db, slot_id)
    with pytest.raises(ValidationError, match=message):
        # a good change alongside the bad one is not half-applied either
        update_slot(fresh_db, slot_id, actor=OFFICER, now=clock.now(), name="Đổi tên", **changes)
    assert snapshot(fresh_db, slot_id) == before


def test_a_one_off_in_the_past_can_still_be_renamed_but_not_moved_into_the_past(fresh_db, clock):
    one = add_slot(fresh_db, at="09:00", on_date="2026-11-23", now=clock.now(), actor=OFFICER)
    clock.advance(2 * 3600)  # it aired at 09:00; now 10:00
    assert update_slot(fresh_db, one, actor=OFFICER, now=clock.now(), name="Đã phát")["name"] == "Đã phát"
    with pytest.raises(ValidationError, match="in the past"):
        update_slot(fresh_db, one, actor=OFFICER, now=clock.now(), at="09:30")


def test_roles(fresh_db, clock, slot_id):
    for actor in (VIEWER, None):
        before = snapshot(fresh_db, slot_id)
        with pytest.raises(PermissionDeniedError):
            update_slot(fresh_db, slot_id, actor=actor, now=clock.now(), at="07:00")
        assert snapshot(fresh_db, slot_id) == before
    # an officer renames their own slot; moving it is the leader's (radio.schedule.slot_guard)
    assert update_slot(fresh_db, slot_id, actor=OFFICER, now=clock.now(), name="Sáng")["name"] == "Sáng"
    for actor, at in ((LEADER, "07:10"), (ADMIN, "07:20")):
        assert update_slot(fresh_db, slot_id, actor=actor, now=clock.now(), at=at)["at_time"] == f"{at}:00"


def test_unknown_slot_and_unknown_field(fresh_db, clock, slot_id):
    with pytest.raises(NotFoundError, match="Slot 99 does not exist"):
        update_slot(fresh_db, 99, actor=OFFICER, now=clock.now(), at="07:00")
    with pytest.raises(TypeError, match="active"):
        update_slot(fresh_db, slot_id, actor=OFFICER, now=clock.now(), active=0)


def test_only_a_change_of_when_it_airs_moves_owed_from(fresh_db, clock, slot_id):
    created = owed_from(get_slot(fresh_db, slot_id))
    clock.advance(600)
    update_slot(fresh_db, slot_id, actor=LEADER, now=clock.now(), cap_minutes=30, topics="cchc")
    assert owed_from(get_slot(fresh_db, slot_id)) == created
    update_slot(fresh_db, slot_id, actor=LEADER, now=clock.now(), at="07:30")
    assert owed_from(get_slot(fresh_db, slot_id)) == clock.now()


def test_a_restart_does_not_log_a_moved_slots_new_instant_before_the_edit_as_missed(home, db, clock):
    # the station stops at 07:00; at 08:00 the web admin moves a daily slot from 09:00
    # to 07:30 (already past today); the station starts again at 11:00
    new_id = add_slot(db, at="09:00", days="daily", now=clock.now() - timedelta(days=1), actor=OFFICER)
    db["station_state"].insert({"name": "heartbeat", "value": to_utc_text(clock.now() - timedelta(hours=1))})
    update_slot(db, new_id, actor=LEADER, now=clock.now(), at="07:30")
    clock.advance(3 * 3600)
    Station(home, output=f"file:{home.outputs}", clock=clock).reconciler.reconcile(clock.now())
    # 07:30 today was never owed; the 09:00 it no longer has is not either
    assert list(connect(home.database)["occurrences"].rows) == []


# -- an edit and the decision of an occurrence -------------------------------------------
def approved(db, clock, topic="cchc"):
    new_id = add_bulletin(db, actor=OFFICER, title="Tin", text="UBND xã thông báo.", topic=topic,
                          now=clock.now())
    approve_bulletin(db, new_id, actor=LEADER, expected_sha256=None, by="lead", now=clock.now())
    db["renders"].update(new_id, {"state": "done", "duration_ms": 3000})
    return new_id


def occurrence_in(db, clock, seconds):
    when = clock.now() + timedelta(seconds=seconds)
    (occ,) = occurrences_between(list_slots(db), when - timedelta(seconds=1), when)
    return occ


@pytest.fixture
def soon(db, clock):
    """A slot two minutes ahead and an approved bulletin ready for it."""
    local = (clock.now() + timedelta(minutes=2)).astimezone(STATION_TZ)
    slot = add_slot(db, at=local.strftime("%H:%M:%S"), days="daily", now=clock.now() - timedelta(days=1),
                    actor=OFFICER)
    return slot, approved(db, clock), occurrence_in(db, clock, 120)


def test_an_edit_right_before_the_cut_off_is_followed(home, db, clock, soon):
    slot, _, occ = soon
    settings = settings_mod.load(home, db)
    cut = cutoff(occ, settings, 3000)
    clock.set(cut - timedelta(seconds=1))
    # the topics change a second before the cut-off: the bulletin no longer fits the slot
    update_slot(db, slot, actor=LEADER, now=clock.now(), topics="thien-tai")
    clock.set(cut)
    decision = fix(db, occ, settings, clock.now(), cut, verify=False)
    assert decision.items == [] and decision.planned is not None


def test_a_time_edit_before_the_cut_off_drops_the_old_instant_with_its_reason(home, db, clock, soon):
    slot, bulletin, occ = soon
    settings = settings_mod.load(home, db)
    moved = (occ.scheduled_at + timedelta(minutes=5)).astimezone(STATION_TZ)
    update_slot(db, slot, actor=LEADER, now=clock.now(), at=moved.strftime("%H:%M:%S"))
    decision = decide(db, home, settings, occ, clock, threading.Event(), start_render=lambda *a: None,
                      start_ident=lambda home: None)
    assert decision.items == [] and decision.cancel_reason == NO_LONGER_SCHEDULED
    # the new instant is owed and carries the bulletin
    (planned,) = plan(db, start=clock.now(), end=clock.now() + timedelta(minutes=10), settings=settings)
    assert planned.occurrence.key == f"slot{slot}@{moved:%Y-%m-%dT%H:%M:%S}"
    assert [i.id for i in planned.items] == [bulletin]


def test_an_edit_after_the_cut_off_or_the_claim_neither_doubles_nor_loses_it(home, db, clock, soon):
    slot, bulletin, occ = soon
    settings = settings_mod.load(home, db)
    cut = cutoff(occ, settings, 3000)
    clock.set(cut)
    decision = fix(db, occ, settings, clock.now(), cut, verify=False)
    assert [i.id for i in decision.items] == [bulletin]
    # after the cut-off the running order is reserved: a change of topics does not undo it
    update_slot(db, slot, actor=LEADER, now=clock.now(), topics="thien-tai", cap_minutes=5)
    reserved = list(db["reservations"].rows_where("key = ?", [occ.key]))
    assert [r["bulletin_id"] for r in reserved] == [bulletin]
    assert prooflog.claim(db, key=occ.key, slot_id=slot, scheduled_at=occ.scheduled_at, now=clock.now(),
                          output="file:/tmp", items=[])
    # on air, the slot is moved five minutes later: the claimed one is not planned again
    # (not doubled), its claim stays (not lost), the new instant is a separate occurrence
    moved = (occ.scheduled_at + timedelta(minutes=5)).astimezone(STATION_TZ)
    update_slot(db, slot, actor=LEADER, now=clock.now(), at=moved.strftime("%H:%M:%S"), topics="")
    keys = [p.occurrence.key for p in plan(db, start=clock.now() - timedelta(minutes=1),
                                           end=clock.now() + timedelta(minutes=10), settings=settings)]
    assert occ.key not in keys and len(keys) == 1
    assert [c["key"] for c in db["claims"].rows] == [occ.key]


def test_edits_are_atomic_under_the_write_lock(home, db, clock):
    """A failing edit inside another transaction rolls back with it, nothing half-written."""
    new_id = add_slot(db, at="06:00", days="daily", now=clock.now(), actor=OFFICER)
    with pytest.raises(ValidationError):
        with write(db):
            update_slot(db, new_id, actor=OFFICER, now=clock.now(), name="Mới")
            update_slot(db, new_id, actor=OFFICER, now=clock.now(), at="99:00")
    assert get_slot(db, new_id)["name"] == ""


def test_empty_days_or_date_are_refused_like_add_slot(fresh_db, clock, slot_id):
    before = snapshot(fresh_db, slot_id)
    with pytest.raises(ValidationError, match="Give --days daily"):
        update_slot(fresh_db, slot_id, actor=OFFICER, now=clock.now(), days="")
    with pytest.raises(ValidationError, match="Give either --days"):
        add_slot(fresh_db, at="07:00", on_date="", now=clock.now(), actor=OFFICER)
    assert update_slot(fresh_db, slot_id, actor=OFFICER, now=clock.now(), on_date="")["days"] == "daily"
    assert snapshot(fresh_db, slot_id) == before
