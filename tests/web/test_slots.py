import pytest

from radio.schedule import outputs, slots
from tests.support.actors import ADMIN, OFFICER


def form(**overrides):
    data = dict(name="Buổi sáng", at="06:00", days=["mon", "wed", "fri"], on_date="", cap_minutes="15",
                topics="", valid_from="", valid_until="")
    data.update(overrides)
    return data


def test_add_recurring_slot(client, auth, db):
    auth.login()
    response = client.post("/slots/", data=form(), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Đã thêm khung giờ 06:00 (Thứ hai, Thứ tư, Thứ sáu)." in html
    assert "Lưu ý" not in html
    (slot,) = slots.list_slots(db)
    assert (slot["at_time"], slot["days"], slot["cap_minutes"], slot["name"]) == (
        "06:00:00", "mon,wed,fri", 15, "Buổi sáng")
    assert "15 phút" in html


def test_add_one_off_slot(client, auth, db):
    auth.login()
    client.post("/slots/", data=form(days=[], on_date="2026-11-25", cap_minutes="", topics="cchc, thien-tai"))
    (slot,) = slots.list_slots(db)
    assert (slot["date"], slot["days"], slot["cap_minutes"], slot["topics"]) == (
        "2026-11-25", None, None, "cchc,thien-tai")
    html = client.get("/slots/").get_data(as_text=True)
    assert "ngày 25/11/2026" in html and "(mặc định)" in html


@pytest.mark.parametrize("overrides,message", [
    # clock: 22/11/2026 09:00 local
    ({"days": [], "on_date": "2026-11-22", "at": "08:00"},
     "Thời điểm 22/11/2026 08:00 đã qua (giờ của đài hiện là 22/11/2026 09:00)."),
    ({"days": [], "on_date": "2025-01-01"}, "đã qua"),
    ({"days": []}, "Chọn ít nhất một ngày trong tuần"),
    ({"on_date": "2026-12-01"}, "không chọn cả hai"),
    ({"at": "25:00"}, "không phải là giờ trong ngày"),
    ({"at": ""}, "Giờ phát &#34;&#34; không hợp lệ"),
    ({"cap_minutes": "mười"}, "phải là một số phút"),
    ({"cap_minutes": "0"}, "Thời lượng tối đa phải ít nhất 1 phút."),
    # these two used to answer 500
    ({"cap_minutes": "²"}, "phải là một số phút"),
    ({"cap_minutes": "9" * 30}, "Thời lượng tối đa nhiều nhất 1440 phút"),
])
def test_bad_slot_changes_nothing(client, auth, db, overrides, message):
    auth.login()
    response = client.post("/slots/", data=form(**overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert slots.list_slots(db) == []


def test_quiet_hours_warning(client, auth, db):
    auth.login()
    html = client.post("/slots/", data=form(at="04:45"), follow_redirects=True).get_data(as_text=True)
    assert "Lưu ý: khung giờ 04:45 nằm ngoài khoảng 05:30–21:00" in html
    assert 'class="flash flash-warning"' in html
    assert "ngoài giờ" in html  # the list marks it too
    assert len(slots.list_slots(db)) == 1


def test_pause_and_resume_slot(client, auth, db, clock):
    slot_id = slots.add_slot(db, at="17:00", days="daily", now=clock.now(), actor=OFFICER)
    auth.login()  # an officer may not silence the station
    assert client.post(f"/slots/{slot_id}/active/0").status_code == 403
    assert slots.get_slot(db, slot_id)["active"] == 1
    auth.logout()
    auth.login("leader", "leader")
    html = client.post(f"/slots/{slot_id}/active/0", follow_redirects=True).get_data(as_text=True)
    assert "Đã tạm dừng khung giờ 17:00." in html
    assert slots.get_slot(db, slot_id)["active"] == 0
    client.post(f"/slots/{slot_id}/active/1")
    assert slots.get_slot(db, slot_id)["active"] == 1
    response = client.post("/slots/999/active/0")
    assert response.status_code == 404
    assert "Không tìm thấy khung giờ số 999." in response.get_data(as_text=True)


def test_exploit_officer_pauses_every_slot(client, auth, db, clock):
    """An officer cannot pause the slots and so silence the station."""
    slot_id = slots.add_slot(db, at="17:00", days="daily", now=clock.now(), actor=OFFICER)
    auth.login()
    assert "Tạm dừng" not in client.get("/slots/").get_data(as_text=True)
    response = client.post(f"/slots/{slot_id}/active/0")
    assert response.status_code == 403
    assert "Lãnh đạo UBND" in response.get_data(as_text=True)
    assert slots.get_slot(db, slot_id)["active"] == 1
    assert db["audit"].count_where("target LIKE 'slot:%'") == 1  # the creation only


@pytest.mark.parametrize("url", ["/slots/" + "1" * 23 + "/active/0", "/slots/1/active/" + "1" * 23])
def test_exploit_huge_ids_in_urls(client, auth, url):
    auth.login("leader", "leader")
    response = client.post(url)
    assert response.status_code == 404 and "Không tìm thấy" in response.get_data(as_text=True)


def test_slot_airs_to_a_named_output_only(client, auth, db, clock):
    outputs.add_output(db, name="thon1-2", spec="pulse:thon1,thon2", label="Cụm loa thôn 1, 2",
                       actor=ADMIN, now=clock.now())
    outputs.add_output(db, name="tep", spec="file:/tmp/radio-test", actor=ADMIN, now=clock.now())
    auth.login()
    page = client.get("/slots/").get_data(as_text=True)
    assert "Cụm loa thôn 1, 2" in page and "ra tệp, không phát ra loa" in page
    client.post("/slots/", data={"at": "17:00", "days": ["mon"], "output": "thon1-2"})
    assert db["slots"].get(1)["output"] == "thon1-2"
    assert "Cụm loa thôn 1, 2" in client.get("/slots/").get_data(as_text=True)


@pytest.mark.parametrize("spec", ["file:/tmp/x", "icecast://source:x@evil.example:8000/x", "pulse:thon9"])
def test_exploit_officer_types_an_output_spec(client, auth, db, spec):
    """An output spec typed into a slot is refused: with file:/some/dir the station wrote
    the WAV there and logged it aired."""
    auth.login()
    page = client.post("/slots/", data={"at": "18:00", "days": ["mon"], "output": spec},
                       follow_redirects=True).get_data(as_text=True)
    assert "không phải đầu ra của đài" in page
    assert db["slots"].count == 0 and db["outputs"].count == 0


def test_change_a_slots_output_among_named_ones_only(client, auth, db, clock):
    outputs.add_output(db, name="thon2", spec="pulse:thon2", label="Thôn 2", actor=ADMIN, now=clock.now())
    slot_id = slots.add_slot(db, at="17:00", days="daily", now=clock.now(), actor=OFFICER)
    auth.login("leader", "leader")  # another output is the leader's (radio.schedule.slot_guard)
    assert 'action="/slots/1/output"' in client.get("/slots/").get_data(as_text=True)
    html = client.post(f"/slots/{slot_id}/output", data={"output": "thon2"}, follow_redirects=True).get_data(
        as_text=True)
    assert "Đã đổi đầu ra của khung giờ 17:00." in html and slots.get_slot(db, slot_id)["output"] == "thon2"
    html = client.post(f"/slots/{slot_id}/output", data={"output": "file:/tmp/x"},
                       follow_redirects=True).get_data(as_text=True)
    assert "không phải đầu ra của đài" in html and slots.get_slot(db, slot_id)["output"] == "thon2"
    client.post(f"/slots/{slot_id}/output", data={"output": ""})
    assert slots.get_slot(db, slot_id)["output"] is None
    assert client.post(f"/slots/{'1' * 23}/output", data={"output": ""}).status_code == 404
