from datetime import UTC, datetime, timedelta

import pytest

from radio.clock import STATION_TZ
from radio.errors import ValidationError
from radio.slots import (add_slot, list_slots, occurrence_key, occurrences_between, parse_days,
                         quiet_hours_warning)


def local(*args):
    return datetime(*args, tzinfo=STATION_TZ)


def test_daily_slot_expands_in_station_time(fresh_db, clock):
    add_slot(fresh_db, at="05:30", days="daily", now=clock.now())
    occ = occurrences_between(list_slots(fresh_db), local(2026, 11, 23, 0, 0), local(2026, 11, 26, 0, 0))
    assert [o.local.strftime("%d %H:%M") for o in occ] == ["23 05:30", "24 05:30", "25 05:30"]
    assert occ[0].scheduled_at == datetime(2026, 11, 22, 22, 30, tzinfo=UTC)
    assert occ[0].key == "slot1@2026-11-23T05:30:00"


def test_weekdays_and_validity(fresh_db, clock):
    add_slot(fresh_db, at="17:00", days="mon,wed", now=clock.now(), valid_until="2026-12-02")
    occ = occurrences_between(list_slots(fresh_db), local(2026, 11, 23), local(2026, 12, 10))
    assert [o.local.strftime("%a %d/%m") for o in occ] == ["Mon 23/11", "Wed 25/11", "Mon 30/11", "Wed 02/12"]


def test_window_is_half_open(fresh_db, clock):
    add_slot(fresh_db, at="17:00", days="daily", now=clock.now())
    t = local(2026, 11, 23, 17, 0)
    assert occurrences_between(list_slots(fresh_db), t, t + timedelta(hours=1)) == []
    assert len(occurrences_between(list_slots(fresh_db), t - timedelta(seconds=1), t)) == 1


def test_one_off_slot_in_the_past_is_refused(fresh_db, clock):
    with pytest.raises(ValidationError, match="in the past"):
        add_slot(fresh_db, at="07:59", on_date="2026-11-23", now=clock.now())
    assert fresh_db["slots"].count == 0
    new_id = add_slot(fresh_db, at="08:00:20", on_date="2026-11-23", now=clock.now())
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
        add_slot(fresh_db, now=clock.now(), **kwargs)
    assert fresh_db["slots"].count == 0


def test_parse_days_accepts_vietnamese_short_names():
    assert parse_days("T2,T4,CN") == "mon,wed,sun"
    assert parse_days("weekdays") == "mon,tue,wed,thu,fri"


def test_quiet_hours():
    assert quiet_hours_warning("05:00:00", "05:30", "21:00")
    assert quiet_hours_warning("21:30:00", "05:30", "21:00")
    assert quiet_hours_warning("05:30:00", "05:30", "21:00") is None


def test_slot_output_is_validated(fresh_db, clock):
    with pytest.raises(ValidationError, match="accepted forms"):
        add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), output="loa:thon1")
    new_id = add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), output=" pulse:thon1,thon2 ")
    assert list_slots(fresh_db)[0]["output"] == "pulse:thon1,thon2" and new_id == 1
