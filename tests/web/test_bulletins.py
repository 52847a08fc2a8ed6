import re

import pytest

from radio.bulletins import lifecycle as bulletins
from radio.schedule import commands
from radio.accounts.roles import Actor
from radio.clock import ManualClock
from tests.support.actors import ADMIN, LEADER, OFFICER

from .conftest import START

VIET_TEXT = ("Thực hiện Kế hoạch số 26/KH-UBND ngày 26/01/2022 về cải cách hành chính, "
             "UBND xã thông báo: từ ngày 01/3, người dân có thể nộp hồ sơ trực tuyến mức độ 3, 4.")


def form(**overrides):
    data = dict(title="Thông báo về dịch vụ công trực tuyến", text=VIET_TEXT, topic="cchc",
                new_topic="", priority="normal", repeat_count="2", valid_from="", valid_until="")
    data.update(overrides)
    return data


def add(db, **kw):
    from .conftest import START

    kw.setdefault("title", "Tin cải cách hành chính")
    kw.setdefault("text", VIET_TEXT)
    return bulletins.add_bulletin(db, now=START, created_by="officer", **kw, actor=OFFICER)


def seen_hash(client, bulletin_id):
    """The content hash the detail page hands the leader (the approve form's hidden field)."""
    html = client.get(f"/bulletins/{bulletin_id}").get_data(as_text=True)
    match = re.search(r'name="content_sha256" value="([0-9a-f]{64})"', html)
    assert match, "the approve form carries no content hash"
    return match[1]


def approve(client, bulletin_id, **kw):
    return client.post(f"/bulletins/{bulletin_id}/approve",
                       data={"content_sha256": seen_hash(client, bulletin_id)}, **kw)


def test_add_bulletin(client, auth, db):
    auth.login()
    assert "Thêm bản tin" in client.get("/bulletins/new").get_data(as_text=True)
    response = client.post("/bulletins/new", data=form(valid_from="2026-11-23", valid_until="2026-12-31"))
    assert response.status_code == 302
    (row,) = bulletins.list_bulletins(db)
    assert response.headers["Location"] == f"/bulletins/{row['id']}"
    assert row["title"] == "Thông báo về dịch vụ công trực tuyến"
    assert row["text"] == VIET_TEXT
    assert row["status"] == "draft" and row["repeat_count"] == 2 and row["created_by"] == "officer"
    assert (row["valid_from"], row["valid_until"]) == ("2026-11-23", "2026-12-31")
    html = client.get("/bulletins/").get_data(as_text=True)
    assert "Thông báo về dịch vụ công trực tuyến" in html
    assert "chờ duyệt" in html and "23/11/2026 – 31/12/2026" in html


def test_add_bulletin_with_new_topic_and_urgent_priority(client, auth, db):
    auth.login()
    client.post("/bulletins/new", data=form(new_topic="thien-tai", priority="urgent"))
    (row,) = bulletins.list_bulletins(db)
    assert (row["topic"], row["priority"]) == ("thien-tai", "urgent")
    html = client.get("/bulletins/new").get_data(as_text=True)
    assert '<option value="thien-tai">' in html and "Khẩn cấp" in html


@pytest.mark.parametrize("overrides,message", [
    ({"text": "   "}, "Bản tin chưa có nội dung."),
    ({"title": ""}, "Bản tin cần có tiêu đề."),
    ({"repeat_count": "hai"}, "Số lượt phát &#34;hai&#34; không phải là số."),
    ({"repeat_count": "0"}, "Số lượt phát phải từ 1 đến 1000."),
    ({"valid_from": "2026-12-31", "valid_until": "2026-12-01"}, "Ngày hết hiệu lực đứng trước"),
    ({"valid_from": "31/12/2026"}, "không phải là ngày hợp lệ"),
])
def test_add_bulletin_bad_input_changes_nothing(client, auth, db, overrides, message):
    auth.login()
    response = client.post("/bulletins/new", data=form(**overrides))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert bulletins.list_bulletins(db) == []
    # what the officer typed is kept in the form
    assert "Thông báo về dịch vụ công trực tuyến" in html or overrides.get("title") == ""


def test_unknown_bulletin_is_404(client, auth):
    auth.login()
    for path in ("/bulletins/999", "/bulletins/999/edit"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Không tìm thấy bản tin số 999." in response.get_data(as_text=True)
    auth.logout()
    auth.login("leader", "leader")
    assert client.post("/bulletins/999/approve").status_code == 404
    assert client.post("/bulletins/999/play-now").status_code == 404
    assert client.post("/bulletins/999/withdraw").status_code == 404


def test_officer_cannot_approve(client, auth, db):
    bulletin_id = add(db)
    auth.login()
    html = client.get(f"/bulletins/{bulletin_id}").get_data(as_text=True)
    assert "Duyệt bản tin" not in html and "Chờ lãnh đạo UBND duyệt." in html
    response = client.post(f"/bulletins/{bulletin_id}/approve")
    assert response.status_code == 403
    assert "Không có quyền" in response.get_data(as_text=True)
    assert bulletins.get_bulletin(db, bulletin_id)["status"] == "draft"


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_approver_approves_and_text_is_frozen(client, auth, db, role):
    bulletin_id = add(db)
    auth.login("chutich", role)
    html = client.get(f"/bulletins/{bulletin_id}").get_data(as_text=True)
    assert "Duyệt bản tin" in html
    response = approve(client, bulletin_id, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Đã duyệt bản tin." in html
    row = bulletins.get_bulletin(db, bulletin_id)
    assert row["status"] == "approved" and row["approved_by"] == "chutich"
    # approved text is read-only: no edit link, the edit page refuses, the text is unchanged
    assert "đã khóa" in html and f"/bulletins/{bulletin_id}/edit" not in html
    assert "Phát ngay" in html
    response = client.post(f"/bulletins/{bulletin_id}/edit", data=form(text="Đổi nội dung"),
                           follow_redirects=True)
    assert "nội dung đã khóa, không sửa được" in response.get_data(as_text=True)
    assert bulletins.get_bulletin(db, bulletin_id)["text"] == VIET_TEXT
    # approving twice says so in Vietnamese
    html = client.post(f"/bulletins/{bulletin_id}/approve", follow_redirects=True).get_data(as_text=True)
    assert f"Bản tin số {bulletin_id} đã được duyệt (bởi chutich)." in html


def test_edit_draft(client, auth, db):
    bulletin_id = add(db)
    auth.login()
    html = client.get(f"/bulletins/{bulletin_id}/edit").get_data(as_text=True)
    assert "Tin cải cách hành chính" in html
    client.post(f"/bulletins/{bulletin_id}/edit", data=form(title="Tiêu đề mới", repeat_count="3"))
    row = bulletins.get_bulletin(db, bulletin_id)
    assert (row["title"], row["repeat_count"]) == ("Tiêu đề mới", 3)


def test_withdraw(client, auth, db):
    bulletin_id = add(db)
    auth.login()  # an officer may not undo the leaders
    assert client.post(f"/bulletins/{bulletin_id}/withdraw").status_code == 403
    assert bulletins.get_bulletin(db, bulletin_id)["status"] == "draft"
    auth.logout()
    auth.login("leader", "leader")
    html = client.post(f"/bulletins/{bulletin_id}/withdraw", follow_redirects=True).get_data(as_text=True)
    assert "Đã rút bản tin" in html and "đã rút" in html
    assert bulletins.get_bulletin(db, bulletin_id)["status"] == "withdrawn"
    assert "Rút bản tin" not in html.split("Đã rút bản tin", 1)[1]


class DaemonClock(ManualClock):
    """A manual clock whose every sleep lets the station daemon take its commands,
    as the real daemon does once a second while the admin waits."""

    def __init__(self, start, database):
        super().__init__(start)
        self._database = database

    def sleep(self, seconds):
        super().sleep(seconds)
        commands.take_pending(self._database, self.now())


def test_play_now_taken_by_the_daemon(app, client, auth, db):
    from .conftest import START

    app.config["CLOCK"] = DaemonClock(START, db)
    bulletin_id = add(db, priority="urgent")
    bulletins.approve_bulletin(db, bulletin_id, by="leader", now=START, actor=LEADER, expected_sha256=None)
    auth.login("leader", "leader")
    html = client.get(f"/bulletins/{bulletin_id}").get_data(as_text=True)
    assert "data-confirm=" in html
    response = client.post(f"/bulletins/{bulletin_id}/play-now", follow_redirects=True)
    assert "Đã gửi lệnh phát ngay và đài đã nhận lệnh." in response.get_data(as_text=True)
    (command,) = list(db["commands"].rows)
    assert (command["kind"], command["bulletin_id"], command["requested_by"]) == ("play_now", bulletin_id, "leader")
    assert command["requested_at"] == "2026-11-22T02:00:00.000+00:00"
    assert command["result"] == "taken"


def test_play_now_with_no_daemon_expires_and_says_so(client, auth, db, clock):
    bulletin_id = add(db, priority="urgent")
    bulletins.approve_bulletin(db, bulletin_id, actor=LEADER, expected_sha256=None, by="leader", now=clock.now())
    auth.login("leader", "leader")
    response = client.post(f"/bulletins/{bulletin_id}/play-now", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "lệnh phát ngay đã hết hạn và sẽ không được phát" in html
    assert "Đã gửi lệnh phát ngay" not in html
    (command,) = list(db["commands"].rows)
    assert command["result"] == "expired"
    assert command["handled_at"] == "2026-11-22T02:00:30.000+00:00"  # after urgent_expiry_s, by the app's clock
    assert commands.take_pending(db, clock.now()) == []  # a daemon starting later never airs it


def test_play_now_refused_for_draft_and_for_officer(client, auth, db):
    bulletin_id = add(db)
    auth.login("leader", "leader")
    html = client.post(f"/bulletins/{bulletin_id}/play-now", follow_redirects=True).get_data(as_text=True)
    assert f"Bản tin số {bulletin_id} chưa được duyệt" in html
    auth.logout()
    auth.login()
    assert client.post(f"/bulletins/{bulletin_id}/play-now").status_code == 403
    assert db["commands"].count == 0


def test_render_state_shown(client, auth, db, clock):
    bulletin_id = add(db)
    bulletins.approve_bulletin(db, bulletin_id, by="leader", now=clock.now(), actor=LEADER, expected_sha256=None)
    auth.login()
    assert "Chờ tạo giọng đọc" in client.get("/bulletins/").get_data(as_text=True)
    db["renders"].update(bulletin_id, {"state": "rendering"})
    assert "Đang tạo giọng đọc…" in client.get("/bulletins/").get_data(as_text=True)
    db["renders"].update(bulletin_id, {"state": "done", "engine": "gtts", "duration_ms": 65_000})
    assert "Đã tạo giọng đọc (gTTS)" in client.get("/bulletins/").get_data(as_text=True)
    assert "dài 1:05" in client.get(f"/bulletins/{bulletin_id}").get_data(as_text=True)


def test_approval_in_the_admin_starts_rendering_at_once(app, client, auth, db):
    import time

    from radio import settings as radio_settings

    app.config["RENDER_ON_APPROVE"] = True
    radio_settings.save(db, "engine", "espeak", actor=ADMIN, now=START)
    auth.login(role="leader", username="leader")
    client.post("/bulletins/new", data={"title": "Thông báo", "text": "UBND xã thông báo.", "topic": "cchc",
                                        "priority": "normal", "repeat_count": "1"})
    approve(client, 1)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (db["renders"].get(1)["state"] != "done"):
        time.sleep(0.1)
    assert db["renders"].get(1)["engine"] == "espeak"
    assert "espeak" in client.get("/bulletins/").get_data(as_text=True)


# -- who may change what --------------------------------------------------------------
def test_exploit_leader_approves_a_draft_changed_while_reading(client, auth, db):
    """The officer raised priority and repeats after the leader opened the draft."""
    bulletin_id = add(db)
    auth.login("chutich", "leader")
    seen = seen_hash(client, bulletin_id)
    author = Actor("officer", "officer")  # the draft's own officer, from another browser
    bulletins.update_bulletin(db, bulletin_id, text="Nội dung đã bị đổi.", priority="urgent", repeat_count=1000,
                              actor=author, now=START)
    html = client.post(f"/bulletins/{bulletin_id}/approve", data={"content_sha256": seen},
                       follow_redirects=True).get_data(as_text=True)
    assert f"Bản tin số {bulletin_id} đã bị sửa sau khi bạn mở ra xem" in html
    row = bulletins.get_bulletin(db, bulletin_id)
    assert row["status"] == "draft" and row["approved_by"] is None
    # without any hash (a hand-made POST) it is refused too
    client.post(f"/bulletins/{bulletin_id}/approve")
    assert bulletins.get_bulletin(db, bulletin_id)["status"] == "draft"
    # reading it again gives the new hash, which approves
    approve(client, bulletin_id)
    assert bulletins.get_bulletin(db, bulletin_id)["status"] == "approved"


def test_exploit_officer_withdraws_an_approved_bulletin(client, auth, db):
    bulletin_id = add(db)
    bulletins.approve_bulletin(db, bulletin_id, actor=LEADER, now=START, expected_sha256=None)
    auth.login()
    assert "Rút bản tin" not in client.get(f"/bulletins/{bulletin_id}").get_data(as_text=True)
    assert client.post(f"/bulletins/{bulletin_id}/withdraw").status_code == 403
    assert bulletins.get_bulletin(db, bulletin_id)["status"] == "approved"


def test_exploit_officer_edits_another_officers_draft(client, auth, db):
    bulletin_id = add(db)  # written by "officer"
    auth.login("canbo2", "officer")
    assert f"/bulletins/{bulletin_id}/edit" not in client.get(f"/bulletins/{bulletin_id}").get_data(as_text=True)
    response = client.post(f"/bulletins/{bulletin_id}/edit", data=form(text="Đổi"))
    assert response.status_code == 403 and "chỉ được sửa hoặc rút bản nháp của mình" in response.get_data(as_text=True)
    assert bulletins.get_bulletin(db, bulletin_id)["text"] == VIET_TEXT


def test_leader_returns_a_draft_with_a_reason(client, auth, db):
    bulletin_id = add(db)
    auth.login("chutich", "leader")
    html = client.post(f"/bulletins/{bulletin_id}/return", data={"reason": "Ghi rõ thời hạn nộp hồ sơ"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã trả lại bản tin cho người soạn" in html and "Ghi rõ thời hạn nộp hồ sơ" in html
    html = client.post(f"/bulletins/{bulletin_id}/return", data={"reason": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "Hãy ghi lý do trả lại" in html
    auth.logout()
    auth.login()
    assert "Đã trả lại bởi chutich" in client.get(f"/bulletins/{bulletin_id}").get_data(as_text=True)
    assert "đã trả lại" in client.get("/bulletins/").get_data(as_text=True)
    assert client.post(f"/bulletins/{bulletin_id}/return", data={"reason": "x"}).status_code == 403


@pytest.mark.parametrize("suffix", ["", "/edit"])
def test_exploit_23_digit_ids_in_urls(client, auth, suffix):
    auth.login()
    response = client.get(f"/bulletins/{'1' * 23}{suffix}")
    assert response.status_code == 404  # by the route's converter, before the view
    assert "Không tìm thấy" in response.get_data(as_text=True)


@pytest.mark.parametrize("action", ["approve", "withdraw", "play-now", "return"])
def test_exploit_23_digit_ids_in_post_urls(client, auth, action):
    auth.login("chutich", "leader")
    response = client.post(f"/bulletins/{'9' * 23}/{action}", data={"reason": "x"})
    assert response.status_code == 404 and "Không tìm thấy" in response.get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [("repeat_count", "²", "không phải là số"),
                                                   ("repeat_count", "9" * 30, "từ 1 đến 1000")])
def test_exploit_numbers_that_answered_500(client, auth, db, field, value, message):
    auth.login()
    response = client.post("/bulletins/new", data=form(**{field: value}))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert bulletins.list_bulletins(db) == []
