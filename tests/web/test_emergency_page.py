"""The emergency page: type, confirm, sent; only leaders; nothing written before the confirm."""

from radio.bulletins import lifecycle as bulletins

from .test_speech_pages import LEADER, _draft


def test_type_confirm_and_it_is_queued(client, auth, db):
    auth.login("leader", "leader")
    page = client.post("/emergency/", data={"title": "", "text": "Bão số 5 đổ bộ chiều nay."})
    html = page.get_data(as_text=True)
    assert "Xác nhận phát khẩn cấp" in html and "Bão số 5 đổ bộ chiều nay." in html
    assert db["bulletins"].count == 0 and db["commands"].count == 0
    sent = client.post("/emergency/", data={"confirm": "yes", "title": "", "text": "Bão số 5 đổ bộ chiều nay.",
                                             "bulletin_id": ""})
    assert sent.status_code == 302
    (row,) = bulletins.list_bulletins(db)
    assert (row["priority"], row["status"]) == ("urgent", "approved")
    (command,) = db["commands"].rows
    assert command["bulletin_id"] == row["id"]
    status = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Đang chờ trình phát của đài nhận lệnh" in status
    assert client.get(sent.headers["Location"] + ".json").get_json() == {"state": "waiting"}


def test_pick_an_approved_bulletin(client, auth, db):
    from .conftest import START

    bulletin_id = _draft(db, title="Lũ quét")
    bulletins.approve_bulletin(db, bulletin_id, actor=LEADER, now=START, expected_sha256=None)
    auth.login("leader", "leader")
    html = client.post("/emergency/", data={"text": "", "bulletin_id": str(bulletin_id)}).get_data(as_text=True)
    assert "Lũ quét" in html and 'name="confirm" value="yes"' in html
    client.post("/emergency/", data={"confirm": "yes", "text": "", "bulletin_id": str(bulletin_id)})
    assert [c["bulletin_id"] for c in db["commands"].rows] == [bulletin_id]


def test_nothing_typed_nothing_picked(client, auth, db):
    auth.login("leader", "leader")
    html = client.post("/emergency/", data={"text": "  "}).get_data(as_text=True)
    assert "Hãy gõ nội dung cần phát khẩn cấp" in html and db["commands"].count == 0


def test_officers_do_not_get_the_button(client, auth, db):
    auth.login()
    assert client.get("/emergency/").status_code == 403
    assert "Phát khẩn cấp" not in client.get("/bulletins/").get_data(as_text=True)
    assert client.post("/emergency/", data={"confirm": "yes", "text": "Cháy"}).status_code == 403
    assert db["bulletins"].count == 0


def test_an_unknown_broadcast_is_a_message_not_an_error_page(client, auth):
    auth.login("leader", "leader")
    html = client.get("/emergency/99", follow_redirects=True).get_data(as_text=True)
    assert "Không tìm thấy lệnh phát khẩn cấp số 99." in html
    assert client.get("/emergency/99.json").get_json() == {"error": "Không tìm thấy lệnh phát khẩn cấp số 99."}


def test_a_template_fills_the_form_to_complete(client, auth, db):
    auth.login("leader", "leader")
    html = client.get("/emergency/?template=lu").get_data(as_text=True)
    assert 'value="Cảnh báo lũ, sạt lở"' in html and "nguy cơ lũ quét" in html
    assert db["bulletins"].count == 0


def test_a_storm_warning_from_the_page_is_not_filed_as_cchc(client, auth, db):
    """An emergency has its own topic: "Cảnh báo bão" was filed as CCHC and counted toward its target."""
    auth.login("leader", "leader")
    page = client.get("/emergency/?template=bao").get_data(as_text=True)
    assert '<option value="thien-tai" selected>' in page  # the storm opening suggests its topic
    title, text = "Cảnh báo bão", "Bão sắp đổ bộ, bà con chằng chống nhà cửa."
    confirm = client.post("/emergency/", data={"title": title, "text": text, "topic": "thien-tai"})
    assert 'name="topic" value="thien-tai"' in confirm.get_data(as_text=True)
    client.post("/emergency/", data={"confirm": "yes", "title": title, "text": text, "topic": "thien-tai",
                                     "bulletin_id": ""})
    client.post("/emergency/", data={"confirm": "yes", "title": "", "text": "Cháy ở chợ.", "bulletin_id": ""})
    assert [(b["title"], b["topic"]) for b in db["bulletins"].rows_where(order_by="id")] == [
        ("Cảnh báo bão", "thien-tai"), ("Thông báo khẩn cấp", "khan-cap")]
