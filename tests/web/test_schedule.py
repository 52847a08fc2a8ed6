from radio.bulletins import lifecycle as bulletins
from radio.schedule import slots
from tests.support.actors import LEADER, OFFICER


def test_schedule_shows_planned_items_and_deferred(client, auth, db, clock):
    now = clock.now()
    slots.add_slot(db, at="17:00", days="daily", now=now, name="Buổi chiều", cap_minutes=1, actor=OFFICER)
    first = bulletins.add_bulletin(db, title="Tin cải cách hành chính", text="Nội dung ngắn. " * 20,
                                   now=now, repeat_count=1, actor=OFFICER)
    long = bulletins.add_bulletin(db, title="Bài dài về chuyển đổi số", text="Nội dung dài. " * 200,
                                  now=now, repeat_count=1, actor=OFFICER)
    for bulletin_id in (first, long):
        bulletins.approve_bulletin(db, bulletin_id, by="leader", now=now, actor=LEADER, expected_sha256=None)
    auth.login()
    html = client.get("/schedule/").get_data(as_text=True)
    assert "Thứ tự phát 7 ngày tới" in html
    assert "Chủ nhật, 22/11/2026" in html and "17:00" in html and "Buổi chiều" in html
    assert "Tin cải cách hành chính" in html and "(ước tính)" in html
    assert "tối đa 1:00" in html
    assert "Bài dài về chuyển đổi số" in html
    assert "dài hơn thời lượng tối đa của khung giờ" in html
    # the first bulletin airs once, so the next day has nothing planned for it
    assert html.count("Tin cải cách hành chính") == 1


def test_schedule_empty(client, auth):
    auth.login()
    html = client.get("/schedule/").get_data(as_text=True)
    assert "Không có buổi phát nào trong 7 ngày tới." in html
