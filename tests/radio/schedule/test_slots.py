from datetime import UTC, datetime, timedelta

import pytest

from radio.clock import STATION_TZ
from radio.accounts import audit
from radio.accounts.roles import PermissionDeniedError
from radio.errors import NotFoundError, ValidationError
from radio.schedule.outputs import add_output
from radio.schedule.slots import (add_slot, list_slots, occurrence_key, occurrences_between, parse_days,
    quiet_hours_warning)

from radio.schedule.slots import get_slot, set_slot_active
from radio.schedule.slot_edits import set_slot_output
from tests.support.actors import ADMIN, LEADER, OFFICER

def local(*args):
    return datetime(*args, tzinfo=STATION_TZ)


def test_daily_slot_expands_in_station_time(fresh_db, clock):
    add_slot(fresh_db, at="05:30", days="daily", now=clock.now(), actor=OFFICER)
    occ = occurrences_between(list_slots(fresh_db), local(2026, 11, 23, 0, 0), local(2026, 11, 26, 0, 0))
    assert [o.local.strftime("%d %H:%M") for o in occ] == ["23 05:30", "24 05:30", "25 05:30"]
    assert occ[0].scheduled_at == datetime(2026, 11, 22, 22, 30, tzinfo=UTC)
    assert occ[0].key == "slot1@2026-11-23T05:30:00"


def test_weekdays_and_validity(fresh_db, clock):
    add_slot(fresh_db, at="17:00", days="mon,wed", now=clock.now(), valid_until="2026-12-02", actor=OFFICER)
    occ = occurrences_between(list_slots(fresh_db), local(2026, 11, 23), local(2026, 12, 10))
    assert [o.local.strftime("%a %d/%m") for o in occ] == ["Mon 23/11", "Wed 25/11", "Mon 30/11", "Wed 02/12"]


def test_window_is_half_open(fresh_db, clock):
    add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), actor=OFFICER)
    t = local(2026, 11, 23, 17, 0)
    assert occurrences_between(list_slots(fresh_db), t, t + timedelta(hours=1)) == []
    assert len(occurrences_between(list_slots(fresh_db), t - timedelta(seconds=1), t)) == 1


def test_one_off_slot_in_the_past_is_refused(fresh_db, clock):
    with pytest.raises(ValidationError, match="in the past"):
        add_slot(fresh_db, at="07:59", on_date="2026-11-23", now=clock.now(), actor=OFFICER)
    assert fresh_db["slots"].count == 0
    new_id = add_slot(fresh_db, at="08:00:20", on_date="2026-11-23", now=clock.now(), actor=OFFICER)
    occ = occurrences_between(list_slots(fresh_db), clock.now(), clock.now() + timedelta(days=30))
    assert [o.key for o in occ] == [occurrence_key(new_id, clock.now() + timedelta(seconds=20))]


@pytest.mark.parametrize("kwargs, message", [
    (dict(at="25:00", days="daily"), "not a time of day"),
    (dict(at="5h30", days="daily"), "not HH:MM"),
    (dict(at="05:30", days="funday"), "Unknown day"),
    (dict(at="05:30"), "either --days"),
    (dict(at="05:30", days="daily", on_date="2026-12-01"), "either --days"),
    (dict(at="05:30", days="daily", cap_minutes=0), "at least 1 minute"),
])
def test_bad_slots(fresh_db, clock, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        add_slot(fresh_db, now=clock.now(), **kwargs, actor=OFFICER)
    assert fresh_db["slots"].count == 0


def test_parse_days_accepts_vietnamese_short_names():
    assert parse_days("T2,T4,CN") == "mon,wed,sun"
    assert parse_days("weekdays") == "mon,tue,wed,thu,fri"


def test_quiet_hours():
    assert quiet_hours_warning("05:00:00", "05:30", "21:00")
    assert quiet_hours_warning("21:30:00", "05:30", "21:00")
    assert quiet_hours_warning("05:30:00", "05:30", "21:00") is None


def test_slot_output_must_be_a_named_output(fresh_db, clock):
    add_output(fresh_db, name="thon1-2", spec="pulse:thon1,thon2", actor=ADMIN, now=clock.now())
    with pytest.raises(ValidationError, match="not one of the station's outputs"):
        add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), output="pulse:thon1", actor=OFFICER)
    new_id = add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), output=" thon1-2 ", actor=OFFICER)
    assert list_slots(fresh_db)[0]["output"] == "thon1-2" and new_id == 1


def test_exploit_officer_cannot_reroute_a_slot_to_a_file(fresh_db, clock):
    """A slot takes a named output only: an officer typed file:/some/dir and the log said "aired"."""
    new_id = add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), actor=OFFICER)
    with pytest.raises(ValidationError):
        add_slot(fresh_db, at="18:00", days="daily", now=clock.now(), output="file:/tmp/x", actor=OFFICER)
    with pytest.raises(ValidationError):
        set_slot_output(fresh_db, new_id, "file:/tmp/x", actor=OFFICER, now=clock.now())
    with pytest.raises(PermissionDeniedError):
        add_output(fresh_db, name="x", spec="file:/tmp/x", actor=OFFICER, now=clock.now())
    assert [s["output"] for s in list_slots(fresh_db)] == [None]
    assert fresh_db["outputs"].count == 0


@pytest.mark.parametrize("cap, message", [("²", "not a whole number"), ("9" * 30, "at most"),
                                          ("0", "at least 1"), ("-5", "at least 1")])
def test_caps_that_used_to_crash_are_refused(fresh_db, clock, cap, message):
    with pytest.raises(ValidationError, match=message):
        add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), cap_minutes=cap, actor=OFFICER)
    assert fresh_db["slots"].count == 0


def test_pausing_needs_a_leader_and_is_audited(fresh_db, clock):
    new_id = add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), actor=OFFICER)
    with pytest.raises(PermissionDeniedError):
        set_slot_active(fresh_db, new_id, False, actor=OFFICER, now=clock.now())
    assert list_slots(fresh_db)[0]["active"] == 1
    set_slot_active(fresh_db, new_id, False, actor=LEADER, now=clock.now())
    actions = [(r["username"], r["action"], r["target"]) for r in audit.entries(fresh_db)]
    assert actions == [("lanhdao", "slot.pause", "slot:1"), ("canbo", "slot.create", "slot:1")]


@pytest.mark.parametrize("slot_id", ["1" * 23, "-1", "0", "abc", "²"])
def test_out_of_range_slot_ids_are_not_found(fresh_db, slot_id):
    with pytest.raises(NotFoundError):
        get_slot(fresh_db, slot_id)


