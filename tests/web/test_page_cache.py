"""The header's alerts, target warnings and settings are cached between requests:
every change still shows on the very next page, whoever made it."""

from radio.proof import log as prooflog
from radio import settings as radio_settings
from radio.clock import to_utc_text
from radio.store.home import open_home
from radio.store.connection import write

WARNING = "Chỉ tiêu chưa đạt"
PROBLEM = "buổi phát gặp sự cố"


def _aired_cchc(db, clock, key):
    prooflog.append(db, prooflog.Entry(
        key=key, scheduled_at=clock.now(), status="aired", started_at=clock.now(), ended_at=clock.now(),
        seconds_played=60, items=[prooflog.LoggedItem(1, None, "Tin CCHC", topic="cchc", completed=True)]),
        now=clock.now())


def test_a_failure_logged_after_a_page_view_shows_on_the_next(client, auth, db, clock):
    auth.login()
    assert PROBLEM not in client.get("/bulletins/").get_data(as_text=True)  # cached: no problem
    prooflog.append(db, prooflog.Entry(key="slot1@x", scheduled_at=clock.now(), status="failed",
                                       reason="no sound device"), now=clock.now())
    assert "1 " + PROBLEM in client.get("/bulletins/").get_data(as_text=True)
    clock.advance(25 * 3600)  # out of the 24-hour window, nothing appended
    assert PROBLEM not in client.get("/bulletins/").get_data(as_text=True)


def test_the_heartbeat_is_read_on_every_request(client, auth, db, clock):
    auth.login()
    assert "Trình phát của đài không chạy" in client.get("/bulletins/").get_data(as_text=True)
    with write(db):
        db["station_state"].upsert({"name": "heartbeat", "value": to_utc_text(clock.now())}, pk="name")
    assert "Trình phát của đài không chạy" not in client.get("/bulletins/").get_data(as_text=True)
    clock.advance(31)
    assert "Trình phát của đài không chạy" in client.get("/bulletins/").get_data(as_text=True)


def test_target_warning_follows_the_log_the_targets_and_the_date(client, auth, db, clock):
    clock.advance(4 * 86400)  # 26/11: the month's CCHC target has 4 days left, nothing aired
    auth.login("chutich", "leader")
    assert WARNING in client.get("/bulletins/").get_data(as_text=True)
    _aired_cchc(db, clock, "slot1@a")
    assert WARNING not in client.get("/bulletins/").get_data(as_text=True)
    client.post("/targets/add", data={"topic": "cchc", "period": "month", "minimum": "2"})
    assert "1/2" in client.get("/bulletins/").get_data(as_text=True)
    clock.advance(5 * 86400)  # 1/12: a new month, 0 of 1 and 0 of 2, but 30 days left
    auth.login("chutich", "leader")
    assert WARNING not in client.get("/bulletins/").get_data(as_text=True)


def test_a_setting_saved_elsewhere_or_in_radio_toml_takes_effect_at_once(client, auth, db, app, clock):
    clock.advance(2 * 86400)  # 24/11: 6 days left, inside the default 7
    auth.login("chutich", "leader")
    assert WARNING in client.get("/bulletins/").get_data(as_text=True)
    with write(db):
        db["settings"].upsert({"name": "target_warning_days", "value": "3"}, pk="name")
    assert WARNING not in client.get("/bulletins/").get_data(as_text=True)
    with write(db):
        db.execute("DELETE FROM settings WHERE name = 'target_warning_days'")
    home = open_home(app.config["RADIO_HOME"])
    home.settings_file.write_text('target_warning_days = 2\n', encoding="utf-8")
    assert WARNING not in client.get("/bulletins/").get_data(as_text=True)
    home.settings_file.write_text('target_warning_days = 10\n', encoding="utf-8")
    assert WARNING in client.get("/bulletins/").get_data(as_text=True)
    assert radio_settings.load(home, db)["target_warning_days"] == 10


def test_a_request_ending_mid_transaction_gives_back_a_clean_connection(app):
    from web.db import get_db

    with app.test_request_context():
        conn = get_db().conn
        conn.execute("BEGIN IMMEDIATE")
    with app.test_request_context():
        assert get_db().conn is conn  # pooled
        assert not conn.in_transaction


def test_the_schedule_shows_a_change_on_the_next_view(client, auth, db, clock):
    from radio.bulletins import lifecycle as bulletins
    from radio.schedule import slots
    from tests.support.actors import LEADER, OFFICER

    auth.login()
    assert "Không có buổi phát nào trong 7 ngày tới." in client.get("/schedule/").get_data(as_text=True)
    slot = slots.add_slot(db, at="17:00", days="daily", now=clock.now(), name="Buổi chiều", actor=OFFICER)
    assert "Buổi chiều" in client.get("/schedule/").get_data(as_text=True)
    bulletin = bulletins.add_bulletin(db, title="Tin phòng chống bão", text="Nội dung ngắn.", now=clock.now(),
                                      repeat_count=1, actor=OFFICER)
    assert "Tin phòng chống bão" not in client.get("/schedule/").get_data(as_text=True)  # a draft
    bulletins.approve_bulletin(db, bulletin, by="leader", now=clock.now(), actor=LEADER, expected_sha256=None)
    assert "Tin phòng chống bão" in client.get("/schedule/").get_data(as_text=True)
    slots.set_slot_active(db, slot, False, now=clock.now(), actor=LEADER)
    assert "Tin phòng chống bão" not in client.get("/schedule/").get_data(as_text=True)
