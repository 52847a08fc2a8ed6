"""The slot edit page: prefilled, checked by the library, warned about quiet hours."""

import re

import pytest

from radio.accounts import audit
from radio.schedule import outputs, slots
from radio.accounts.roles import Actor
from tests.support.actors import ADMIN

#: the officer the web tests log in as (tests/web/conftest.py): the slot is theirs
WEB_OFFICER = Actor("officer", "officer")


@pytest.fixture
def slot_id(db, clock):
    outputs.add_output(db, name="thon2", spec="pulse:thon2", label="Cụm loa thôn 2", actor=ADMIN, now=clock.now())
    return slots.add_slot(db, at="06:00", days="mon,wed,fri", name="Buổi sáng", cap_minutes=15,
                          topics="cchc", now=clock.now(), actor=WEB_OFFICER)


def form(**overrides):
    data = dict(name="Buổi sáng", at="06:00", days=["mon", "wed", "fri"], on_date="", cap_minutes="15",
                topics="cchc", valid_from="", valid_until="", output="")
    data.update(overrides)
    return data


def test_the_form_is_prefilled_and_reachable_from_the_list_and_the_calendar(client, auth, slot_id):
    auth.login()
    page = client.get(f"/slots/{slot_id}/edit").get_data(as_text=True)
    assert "Sửa khung giờ 06:00 · Buổi sáng" in page
    assert 'value="06:00"' in page and 'value="Buổi sáng"' in page and 'value="15"' in page
    checked = re.findall(r'<input checked id="days-\d" name="days" type="checkbox" value="(\w+)"', page)
    assert checked == ["mon", "wed", "fri"]
    assert "Cụm loa thôn 2" in page  # the named outputs are the choices
    edit_link = f'href="/slots/{slot_id}/edit"'
    assert edit_link in client.get("/slots/").get_data(as_text=True)
    assert edit_link in client.get("/calendar/").get_data(as_text=True)


def test_a_valid_edit_is_saved_and_audited(client, auth, db, slot_id):
    auth.login("leader", "leader")  # a move is the leader's (radio.schedule.slot_guard)
    html = client.post(f"/slots/{slot_id}/edit", follow_redirects=True, data=form(
        at="17:30", days=["tue", "thu"], cap_minutes="", topics="", output="thon2")).get_data(as_text=True)
    assert "Đã lưu khung giờ 17:30 (Thứ ba, Thứ năm)." in html and "Lưu ý" not in html
    slot = slots.get_slot(db, slot_id)
    assert (slot["at_time"], slot["days"], slot["cap_minutes"], slot["topics"], slot["output"]) == (
        "17:30:00", "tue,thu", None, None, "thon2")
    assert [r["action"] for r in audit.entries(db, target=f"slot:{slot_id}")][0] == "slot.edit"


def test_all_seven_days_stay_daily_and_one_off_switch(client, auth, db, slot_id):
    auth.login()
    client.post(f"/slots/{slot_id}/edit", data=form(days=list(slots.WEEKDAYS)))
    assert slots.get_slot(db, slot_id)["days"] == "daily"
    auth.login("leader", "leader")  # a move to a date is the leader's (radio.schedule.slot_guard)
    client.post(f"/slots/{slot_id}/edit", data=form(days=[], on_date="2026-12-24"))
    slot = slots.get_slot(db, slot_id)
    assert (slot["days"], slot["date"]) == (None, "2026-12-24")
    assert 'value="2026-12-24"' in client.get(f"/slots/{slot_id}/edit").get_data(as_text=True)


def test_quiet_hours_warning_on_the_page_and_after_saving(client, auth, slot_id):
    auth.login("leader", "leader")  # a move is the leader's (radio.schedule.slot_guard)
    html = client.post(f"/slots/{slot_id}/edit", data=form(at="04:30"), follow_redirects=True).get_data(
        as_text=True)
    assert "Đã lưu khung giờ 04:30" in html and "Lưu ý" in html
    assert "Lưu ý" in client.get(f"/slots/{slot_id}/edit").get_data(as_text=True)


@pytest.mark.parametrize("overrides,message", [
    # clock: 22/11/2026 09:00 local
    ({"days": [], "on_date": "2026-11-22", "at": "08:00"}, "đã qua"),
    ({"days": []}, "Chọn ít nhất một ngày trong tuần"),
    ({"on_date": "2026-12-01"}, "không chọn cả hai"),
    ({"at": "25:00"}, "không phải là giờ trong ngày"),
    ({"cap_minutes": "0"}, "Thời lượng tối đa phải ít nhất 1 phút."),
    ({"cap_minutes": "9" * 30}, "Thời lượng tối đa nhiều nhất 1440 phút"),
    ({"valid_from": "2026-12-10", "valid_until": "2026-12-01"}, "Khung giờ có ngày hết hiệu lực đứng trước ngày bắt đầu."),
    ({"output": "file:/tmp/x"}, "không phải đầu ra của đài"),
])
def test_bad_edit_changes_nothing(client, auth, db, slot_id, overrides, message):
    auth.login()
    before = slots.get_slot(db, slot_id), db["audit"].count
    response = client.post(f"/slots/{slot_id}/edit", data=form(name="Tên mới", **overrides))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and "Traceback" not in html
    assert 'value="Tên mới"' in html  # what was typed stays in the form
    assert (slots.get_slot(db, slot_id), db["audit"].count) == before


def test_roles_and_unknown_slots(client, auth, db, slot_id):
    auth.login("viewer", "viewer")
    assert client.get(f"/slots/{slot_id}/edit").status_code == 403
    assert client.post(f"/slots/{slot_id}/edit", data=form(at="07:00")).status_code == 403
    assert "Sửa" not in client.get("/slots/").get_data(as_text=True).split("<h1>")[1].split("</table>")[0]
    assert slots.get_slot(db, slot_id)["at_time"] == "06:00:00"
    auth.login()
    assert client.get("/slots/99/edit").status_code == 404
    assert client.get("/slots/" + "1" * 23 + "/edit").status_code == 404


def test_topics_are_chosen_and_shown_by_their_labels(client, auth, db, slot_id):
    auth.login()
    page = client.get(f"/slots/{slot_id}/edit").get_data(as_text=True)
    checked = re.findall(r'<input checked id="topics-\d" name="topics" type="checkbox" value="([\w-]+)"', page)
    assert checked == ["cchc"] and "Phòng, chống thiên tai" in page
    client.post(f"/slots/{slot_id}/edit", data=form(topics=["cchc", "thien-tai"]))
    assert slots.get_slot(db, slot_id)["topics"] == "cchc,thien-tai"
    listing = client.get("/slots/").get_data(as_text=True)
    assert "Cải cách hành chính (CCHC), Phòng, chống thiên tai" in listing
    assert "cchc,thien-tai" not in listing


def test_an_officer_cannot_silence_the_admins_slot_from_the_page(client, auth, db, clock):
    """An officer cannot move the admin's slot: a move to 03:00 of the admin's slot, said in Vietnamese, nothing changed."""
    admins = slots.add_slot(db, at="06:00", days="daily", name="Buổi sáng", now=clock.now(), actor=ADMIN)
    auth.login()
    before = slots.get_slot(db, admins), db["audit"].count
    response = client.post(f"/slots/{admins}/edit", data=form(at="03:00", days=list(slots.WEEKDAYS), topics=""))
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "công chức chỉ sửa được khung giờ do mình tạo" in html and "Traceback" not in html
    assert (slots.get_slot(db, admins), db["audit"].count) == before


def test_an_officer_cannot_move_their_own_slot_to_the_night(client, auth, db, slot_id):
    auth.login()
    response = client.post(f"/slots/{slot_id}/edit", data=form(at="03:00"))
    assert response.status_code == 403
    assert "Chỉ lãnh đạo UBND mới được sửa khung giờ số" in response.get_data(as_text=True)
    assert slots.get_slot(db, slot_id)["at_time"] == "06:00:00"
    response = client.post(f"/slots/{slot_id}/output", data={"output": "thon2"}, follow_redirects=True)
    assert "chuyển sang đầu ra thon2" in response.get_data(as_text=True)
    assert slots.get_slot(db, slot_id)["output"] is None
