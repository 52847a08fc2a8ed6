import sqlite3

import pytest

from radio.bulletins.lifecycle import (add_bulletin, approve_bulletin, get_bulletin, list_bulletins, update_bulletin,
    withdraw_bulletin)
from radio.accounts import audit
from radio.accounts.roles import PermissionDeniedError
from radio.bulletins.lifecycle import content_sha256, may_edit, return_bulletin
from radio.errors import NotFoundError, StateError, ValidationError
from tests.support.actors import LEADER, OFFICER, OTHER_OFFICER, VIEWER


def test_add_and_approve(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title=" Thông báo ", text="UBND xã thông báo.", now=clock.now(),
                          priority="ưu tiên", repeat_count=2, actor=OFFICER)
    row = get_bulletin(fresh_db, new_id)
    assert (row["title"], row["status"], row["priority"], row["repeat_count"]) == (
        "Thông báo", "draft", "priority", 2)
    approved = approve_bulletin(fresh_db, new_id, by="Chủ tịch", now=clock.now(), actor=LEADER, expected_sha256=None)
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
        add_bulletin(fresh_db, now=clock.now(), **fields, actor=OFFICER)
    assert fresh_db["bulletins"].count == 0


def test_unknown_id(fresh_db, clock):
    with pytest.raises(NotFoundError, match="Bulletin 42 does not exist"):
        approve_bulletin(fresh_db, 42, by="x", now=clock.now(), actor=LEADER, expected_sha256=None)


def test_approved_text_is_frozen_even_in_sql(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="T", text="x", now=clock.now(), actor=OFFICER)
    approve_bulletin(fresh_db, new_id, by="lead", now=clock.now(), actor=LEADER, expected_sha256=None)
    with pytest.raises(StateError):
        update_bulletin(fresh_db, new_id, text="changed", actor=LEADER, now=clock.now())
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):
        fresh_db.execute("UPDATE bulletins SET text = 'y' WHERE id = ?", [new_id])
    with pytest.raises(StateError, match="already approved"):
        approve_bulletin(fresh_db, new_id, by="lead", now=clock.now(), actor=LEADER, expected_sha256=None)


def test_withdrawn_cannot_be_approved(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="T", text="x", now=clock.now(), actor=OFFICER)
    withdraw_bulletin(fresh_db, new_id, actor=LEADER, now=clock.now())
    with pytest.raises(StateError, match="withdrawn"):
        approve_bulletin(fresh_db, new_id, by="lead", now=clock.now(), actor=LEADER, expected_sha256=None)


def test_approve_needs_a_name(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="T", text="x", now=clock.now(), actor=OFFICER)
    with pytest.raises(ValidationError):
        approve_bulletin(fresh_db, new_id, by=" ", now=clock.now(), actor=LEADER, expected_sha256=None)
    assert get_bulletin(fresh_db, new_id)["status"] == "draft"


# -- who may change what, and approval binds what the leader read ----------


def test_exploit_approval_of_a_draft_changed_after_the_leader_read_it(fresh_db, clock):
    """The leader approves what they read: the officer changed text, priority and repeats while the leader read."""
    new_id = add_bulletin(fresh_db, title="Họp dân", text="Họp lúc 8 giờ.", now=clock.now(), actor=OFFICER)
    seen = content_sha256(get_bulletin(fresh_db, new_id))
    update_bulletin(fresh_db, new_id, text="Nội dung khác.", priority="urgent", repeat_count=1000,
                    actor=OFFICER, now=clock.now())
    with pytest.raises(StateError, match="changed after you opened it"):
        approve_bulletin(fresh_db, new_id, actor=LEADER, now=clock.now(), expected_sha256=seen)
    row = get_bulletin(fresh_db, new_id)
    assert row["status"] == "draft" and row["approved_by"] is None
    assert [r["action"] for r in audit.entries(fresh_db)] == ["bulletin.edit", "bulletin.create"]


@pytest.mark.parametrize("field, value", [("title", "Khác"), ("priority", "urgent"), ("repeat_count", 3),
                                          ("valid_from", "2026-12-01"), ("valid_until", "2026-12-31"),
                                          ("topic", "thien-tai")])
def test_content_hash_covers_every_field_an_approval_covers(fresh_db, clock, field, value):
    new_id = add_bulletin(fresh_db, title="Tin", text="x", now=clock.now(), actor=OFFICER)
    before = content_sha256(get_bulletin(fresh_db, new_id))
    update_bulletin(fresh_db, new_id, actor=OFFICER, now=clock.now(), **{field: value})
    assert content_sha256(get_bulletin(fresh_db, new_id)) != before


def test_content_hash_covers_the_recording_bytes(fresh_db, clock, tmp_path):
    new_id = add_bulletin(fresh_db, title="Tin", text="x", now=clock.now(), actor=OFFICER)
    recording = tmp_path / "doc.wav"
    recording.write_bytes(b"one reading")
    update_bulletin(fresh_db, new_id, recording_path=str(recording), actor=OFFICER, now=clock.now())
    before = content_sha256(get_bulletin(fresh_db, new_id))
    recording.write_bytes(b"another reading")
    assert content_sha256(get_bulletin(fresh_db, new_id)) != before


def test_approval_with_the_hash_the_leader_saw(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="Tin", text="x", now=clock.now(), actor=OFFICER)
    seen = content_sha256(get_bulletin(fresh_db, new_id))
    row = approve_bulletin(fresh_db, new_id, actor=LEADER, now=clock.now(), expected_sha256=seen)
    assert row["approved_by"] == LEADER.username
    (entry, *_) = audit.entries(fresh_db)
    assert entry["action"] == "bulletin.approve" and entry["detail"]["content_sha256"] == seen


def test_exploit_officer_edits_another_officers_draft(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="Tin", text="x", now=clock.now(), actor=OFFICER)
    with pytest.raises(PermissionDeniedError, match="only their own drafts"):
        update_bulletin(fresh_db, new_id, text="y", actor=OTHER_OFFICER, now=clock.now())
    with pytest.raises(PermissionDeniedError):
        withdraw_bulletin(fresh_db, new_id, actor=OTHER_OFFICER, now=clock.now())
    assert get_bulletin(fresh_db, new_id)["text"] == "x"
    assert not may_edit(OTHER_OFFICER, get_bulletin(fresh_db, new_id))
    assert may_edit(OFFICER, get_bulletin(fresh_db, new_id)) and may_edit(LEADER, get_bulletin(fresh_db, new_id))
    update_bulletin(fresh_db, new_id, text="y", actor=LEADER, now=clock.now())


def test_exploit_officer_withdraws_an_approved_bulletin(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="Tin", text="x", now=clock.now(), actor=OFFICER)
    approve_bulletin(fresh_db, new_id, actor=LEADER, now=clock.now(), expected_sha256=None)
    with pytest.raises(PermissionDeniedError):
        withdraw_bulletin(fresh_db, new_id, actor=OFFICER, now=clock.now())
    assert get_bulletin(fresh_db, new_id)["status"] == "approved"
    withdraw_bulletin(fresh_db, new_id, actor=LEADER, now=clock.now())
    assert get_bulletin(fresh_db, new_id)["status"] == "withdrawn"


def test_officer_withdraws_own_draft(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="Tin", text="x", now=clock.now(), actor=OFFICER)
    assert withdraw_bulletin(fresh_db, new_id, actor=OFFICER, now=clock.now())["status"] == "withdrawn"


def test_approved_priority_and_repeats_are_frozen_too(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="Tin", text="x", now=clock.now(), actor=OFFICER)
    approve_bulletin(fresh_db, new_id, actor=LEADER, now=clock.now(), expected_sha256=None)
    with pytest.raises(StateError, match="frozen"):
        update_bulletin(fresh_db, new_id, priority="urgent", repeat_count=1000, actor=LEADER, now=clock.now())
    assert get_bulletin(fresh_db, new_id)["repeat_count"] == 1


def test_return_a_draft_with_a_reason(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="Tin", text="x", now=clock.now(), actor=OFFICER)
    with pytest.raises(ValidationError, match="Say why"):
        return_bulletin(fresh_db, new_id, actor=LEADER, reason=" ", now=clock.now())
    with pytest.raises(PermissionDeniedError):
        return_bulletin(fresh_db, new_id, actor=OFFICER, reason="tự trả", now=clock.now())
    row = return_bulletin(fresh_db, new_id, actor=LEADER, reason="Ghi rõ thời hạn", now=clock.now())
    assert (row["status"], row["returned_by"], row["return_reason"]) == ("draft", LEADER.username, "Ghi rõ thời hạn")
    # the officer's next edit answers the return
    row = update_bulletin(fresh_db, new_id, text="Hạn cuối 15/12.", actor=OFFICER, now=clock.now())
    assert row["return_reason"] is None
    approve_bulletin(fresh_db, new_id, actor=LEADER, now=clock.now(), expected_sha256=None)
    with pytest.raises(StateError, match="not a draft"):
        return_bulletin(fresh_db, new_id, actor=LEADER, reason="muộn", now=clock.now())


def test_viewer_writes_nothing(fresh_db, clock):
    with pytest.raises(PermissionDeniedError):
        add_bulletin(fresh_db, title="Tin", text="x", now=clock.now(), actor=VIEWER)
    assert fresh_db["bulletins"].count == fresh_db["audit"].count == 0


@pytest.mark.parametrize("bulletin_id", ["1" * 23, "9" * 30, "-3", "0", "²", "1e3"])
def test_ids_that_used_to_overflow_are_not_found(fresh_db, bulletin_id):
    with pytest.raises(NotFoundError):
        get_bulletin(fresh_db, bulletin_id)


def test_control_characters_are_dropped_and_a_title_of_them_is_refused(fresh_db, clock):
    new_id = add_bulletin(fresh_db, title="Tin\x00 mới\x1b", text="Dòng một\x07\n\tDòng hai",
                          now=clock.now(), actor=OFFICER)
    row = get_bulletin(fresh_db, new_id)
    assert row["title"] == "Tin mới" and row["text"] == "Dòng một\n\tDòng hai"
    with pytest.raises(ValidationError, match="needs a title"):
        add_bulletin(fresh_db, title="\x00\x01", text="Nội dung", now=clock.now(), actor=OFFICER)
