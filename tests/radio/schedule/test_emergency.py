"""The emergency button's library call: one urgent approved bulletin and one play-now request."""

import pytest

from radio.schedule import emergency
from radio.accounts.roles import Actor, PermissionDeniedError
from radio.bulletins.lifecycle import add_bulletin, get_bulletin
from radio.errors import StateError, ValidationError

LEADER = Actor("chutich", "leader")


def test_typed_text_goes_on_air_as_an_urgent_approved_bulletin(fresh_db, clock):
    out = emergency.broadcast(fresh_db, actor=LEADER, now=clock.now(), text="Bão số 5 đổ bộ lúc 14h.")
    row = get_bulletin(fresh_db, out["bulletin_id"])
    assert (row["title"], row["priority"], row["status"], row["approved_by"]) == (
        "Thông báo khẩn cấp", "urgent", "approved", "chutich")
    command = fresh_db["commands"].get(out["command_id"])
    assert (command["kind"], command["bulletin_id"]) == ("play_now", row["id"])
    assert emergency.status(fresh_db, out["command_id"])["state"] == "waiting"


def test_pick_an_approved_bulletin(fresh_db, clock):
    draft = add_bulletin(fresh_db, title="Tin", text="Nội dung.", now=clock.now(), actor=LEADER)
    with pytest.raises(StateError):
        emergency.broadcast(fresh_db, actor=LEADER, now=clock.now(), bulletin_id=draft)
    assert fresh_db["commands"].count == 0


@pytest.mark.parametrize("kwargs, message", [
    (dict(), "one of them"),
    (dict(text="x", bulletin_id=1), "one of them"),
    (dict(text="x" * 2001), "at most 2000"),
])
def test_bad_requests_write_nothing(fresh_db, clock, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        emergency.broadcast(fresh_db, actor=LEADER, now=clock.now(), **kwargs)
    assert fresh_db["bulletins"].count == 0 and fresh_db["commands"].count == 0


def test_officers_may_not(fresh_db, clock):
    with pytest.raises(PermissionDeniedError):
        emergency.broadcast(fresh_db, actor=Actor("canbo", "officer"), now=clock.now(), text="Cháy!")
    assert fresh_db["bulletins"].count == 0
