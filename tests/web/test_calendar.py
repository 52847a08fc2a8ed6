"""The week calendar: seven days from today, each occurrence with its running order and length."""

from radio.bulletins import lifecycle as bulletins
from radio.schedule import slots

from .conftest import START
from .test_speech_pages import LEADER, OFFICER


def test_week_shows_each_days_occurrences_with_their_items(client, auth, db):
    slots.add_slot(db, at="17:00", days="mon,wed", now=START, actor=OFFICER)  # START is Sunday 22/11/2026
    new_id = bulletins.add_bulletin(db, title="Tiêm chủng mở rộng", text="Trạm y tế xã tiêm chủng.",
                                    now=START, actor=OFFICER)
    bulletins.approve_bulletin(db, new_id, actor=LEADER, now=START, expected_sha256=None)
    auth.login()
    html = client.get("/calendar/").get_data(as_text=True)
    assert "Chủ nhật 22/11" in html and "(hôm nay)" in html and "Thứ bảy 28/11" in html
    assert html.count('<span class="time">17:00</span>') == 2  # Monday and Wednesday
    assert html.count("Tiêm chủng mở rộng") == 1  # one airing: the second has nothing left
    assert "2 buổi phát" in html
