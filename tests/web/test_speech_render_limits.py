"""The disk-filling attack on "Nghe thử" through the admin: refused in time and in space."""

from pathlib import Path

from radio.bulletins import lifecycle as bulletins
from radio import settings
from radio.accounts.roles import Actor

from .conftest import START

OFFICER = Actor("officer", "officer")  # the auth fixture's default login
ADMIN = Actor("admin", "admin")
WORDS_3000 = " ".join(["Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ."] * 250)


def _speech(app):
    folder = Path(app.config["RADIO_HOME"]) / "speech"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_a_viewer_cannot_render(client, auth, db, app):
    settings.save(db, "engine", "espeak", actor=ADMIN, now=START)
    draft = bulletins.add_bulletin(db, title="Tin", text="Nội dung bản nháp.", now=START, actor=OFFICER)
    auth.login("xem", "viewer")
    assert client.post("/speech/listen", json={"title": "Tin", "text": "Xã họp lúc 14h."}).status_code == 403
    refused = client.get(f"/speech/bulletin/{draft}")
    assert refused.status_code == 403 and "tạo giọng đọc nghe thử" in refused.get_data(as_text=True)
    assert _speech(app) == []


def test_three_thousand_words_answer_400_in_vietnamese(client, auth, db, app):
    settings.save(db, "engine", "espeak", actor=ADMIN, now=START)
    auth.login()
    response = client.post("/speech/listen", json={"title": "Tin", "text": WORDS_3000})
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("Nghe thử tối đa 5.000 ký tự")
    assert _speech(app) == []


def test_eleven_listens_in_a_minute_stop_at_the_limit(client, auth, db, app):
    settings.save(db, "engine", "espeak", actor=ADMIN, now=START)
    settings.save(db, "preview_renders_per_minute", "3", actor=ADMIN, now=START)
    auth.login()
    codes = [client.post("/speech/listen", json={"text": f"Thông báo số {n}."}).status_code for n in range(11)]
    assert codes == [200] * 3 + [429] * 8
    refused = client.post("/speech/listen", json={"text": "Thông báo số 10."})
    assert "tối đa 3 lần mỗi phút" in refused.get_json()["error"]
    assert len(_speech(app)) == 3
