"""Every page warns when the daemon is down or airings failed."""

from datetime import timedelta

from radio.proof import log as prooflog
from radio.clock import to_utc_text


def test_daemon_not_running_is_shown(client, auth):
    auth.login()
    page = client.get("/bulletins/").get_data(as_text=True)
    assert "Trình phát của đài không chạy" in page


def test_fresh_heartbeat_and_failures(client, auth, app):
    auth.login()
    clock = app.config["CLOCK"]
    with app.app_context():
        from web.db import get_db

        db = get_db()
        db["station_state"].upsert({"name": "heartbeat", "value": to_utc_text(clock.now() - timedelta(seconds=2))},
                                   pk="name")
        prooflog.append(db, prooflog.Entry(key="slot1@x", scheduled_at=clock.now(), status="failed",
                                           reason="no sound device"), now=clock.now())
    page = client.get("/bulletins/").get_data(as_text=True)
    assert "Trình phát của đài không chạy" not in page
    assert "1 buổi phát gặp sự cố" in page


def test_a_cancellation_with_approved_bulletins_left_out_is_an_alert(client, auth, app):
    auth.login()
    clock = app.config["CLOCK"]
    with app.app_context():
        from web.db import get_db

        db = get_db()
        for key, reason in (("slot1@a", "no approved bulletin for this slot"),
                            ("slot1@b", "approved bulletins left out; #2: speech still rendering at the cut-off")):
            prooflog.append(db, prooflog.Entry(key=key, scheduled_at=clock.now(), status="cancelled",
                                               reason=reason), now=clock.now())
    page = client.get("/bulletins/").get_data(as_text=True)
    assert "1 buổi phát gặp sự cố" in page  # the empty slot is not a problem; the left-out bulletin is


def test_a_part_kept_off_air_as_not_approved_is_an_alert_on_every_page(client, auth, db, app):
    from radio.bulletins import approval

    auth.login()
    assert "không khớp với bản đã duyệt" not in client.get("/bulletins/").get_data(as_text=True)
    approval.raise_alert(db, app.config["CLOCK"].now(), "bulletin:7", approval.CONTENT_CHANGED)
    page = client.get("/bulletins/").get_data(as_text=True)
    assert "1 phần âm thanh không khớp với bản đã duyệt hoặc đã cài đặt nên không được phát" in page
    assert "bản tin số 7" in page and "nội dung đã bị sửa sau khi duyệt" in page
