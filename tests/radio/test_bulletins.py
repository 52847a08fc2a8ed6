import sqlite3

import pytest

from radio.bulletins import (add_bulletin, approve_bulletin, get_bulletin, list_bulletins,
                             update_bulletin, withdraw_bulletin)
from radio.errors import NotFoundError, StateError, ValidationError


def test_add_and_approve(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title=" Thông báo ", text="UBND xã thông báo.", now=clock.now(),
                          priority="ưu tiên", repeat_count=2)
    row = get_bulletin(fresh_db, new_id)
    assert (row["title"], row["status"], row["priority"], row["repeat_count"]) == (
        "Thông báo", "draft", "priority", 2)
    approved = approve_bulletin(fresh_db, new_id, by="Chủ tịch", now=clock.now())
    assert approved["status"] == "approved" and approved["approved_by"] == "Chủ tịch"
    assert fresh_db["renders"].get(new_id)["state"] == "pending"
    assert list_bulletins(fresh_db)[0]["render"]["state"] == "pending"


@pytest.mark.parametrize("fields, message", [
    (dict(title="T", text="   "), "empty"),
    (dict(title="", text="x"), "title"),
    (dict(title="T", text="x", priority="cao"), "Unknown priority"),
    (dict(title="T", text="x", repeat_count=0), "between 1 and 1000"),
    (dict(title="T", text="x", valid_from="2026-13-01"), "not a date"),
    (dict(title="T", text="x", valid_from="2026-12-02", valid_until="2026-12-01"), "ends before"),
])
def test_bad_input_writes_nothing(fresh_db, clock, fields, message):
    with pytest.raises(ValidationError, match=message):
        add_bulletin(fresh_db, now=clock.now(), **fields)
    assert fresh_db["bulletins"].count == 0


def test_unknown_id(fresh_db, clock):
    with pytest.raises(NotFoundError, match="Bulletin 42 does not exist"):
        approve_bulletin(fresh_db, 42, by="x", now=clock.now())


def test_approved_text_is_frozen_even_in_sql(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="T", text="x", now=clock.now())
    approve_bulletin(fresh_db, new_id, by="lead", now=clock.now())
    with pytest.raises(StateError):
        update_bulletin(fresh_db, new_id, text="changed")
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):
        fresh_db.execute("UPDATE bulletins SET text = 'y' WHERE id = ?", [new_id])
    with pytest.raises(StateError, match="already approved"):
        approve_bulletin(fresh_db, new_id, by="lead", now=clock.now())


def test_withdrawn_cannot_be_approved(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="T", text="x", now=clock.now())
    withdraw_bulletin(fresh_db, new_id)
    with pytest.raises(StateError, match="withdrawn"):
        approve_bulletin(fresh_db, new_id, by="lead", now=clock.now())


def test_approve_needs_a_name(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="T", text="x", now=clock.now())
    with pytest.raises(ValidationError):
        approve_bulletin(fresh_db, new_id, by=" ", now=clock.now())
    assert get_bulletin(fresh_db, new_id)["status"] == "draft"


def test_control_characters_are_dropped_and_a_title_of_them_is_refused(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="Tin\x00 mới\x1b", text="Dòng một\x07\n\tDòng hai",
                                    now=clock.now())
    row = get_bulletin(fresh_db, new_id)
    assert row["title"] == "Tin mới" and row["text"] == "Dòng một\n\tDòng hai"
    with pytest.raises(ValidationError, match="needs a title"):
        add_bulletin(fresh_db, title="\x00\x01", text="Nội dung", now=clock.now())
