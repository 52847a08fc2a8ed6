"""The editor's spoken form, "Nghe thử", the lexicon page and draft recordings."""

import io
from pathlib import Path

from radio.bulletins import lifecycle as bulletins
from radio import settings
from radio.accounts.roles import Actor
from radio.speech.lexicon import entries
from tests.support.recordings import tone_file

from .conftest import START

OFFICER = Actor("officer", "officer")  # the auth fixture's default login
ADMIN = Actor("admin", "admin")
LEADER = Actor("leader", "leader")


def _draft(db, **kw):
    kw.setdefault("title", "Thông báo")
    kw.setdefault("text", "Ban XKLĐ xã họp lúc 14h.")
    return bulletins.add_bulletin(db, now=START, actor=OFFICER, **kw)


def test_preview_gives_the_spoken_form_and_the_guesses(client, auth):
    auth.login()
    data = client.post("/speech/preview", json={"text": "Ban XKLĐ xã họp"}).get_json()
    assert data["spoken"] == "Ban ích ca e lờ đê xã họp"
    (span,) = data["unsure"]
    assert (span["original"], span["kind"], span["label"]) == (
        "XKLĐ", "unknown_abbreviation", "chữ viết tắt lạ, đang đánh vần")


def test_a_lexicon_entry_from_the_editor_settles_the_guess(client, auth, db):
    auth.login()
    saved = client.post("/lexicon/add.json", json={"term": "XKLĐ", "spoken": "xuất khẩu lao động"})
    assert saved.status_code == 200
    data = client.post("/speech/preview", json={"text": "Ban XKLĐ xã họp"}).get_json()
    assert data == {"spoken": "Ban xuất khẩu lao động xã họp", "unsure": []}
    refused = client.post("/lexicon/add.json", json={"term": "XKLĐ", "spoken": "  "})
    assert refused.status_code == 200 and refused.get_json()["error"] == 'Hãy nhập cách đọc của "XKLĐ".'
    assert [e["term"] for e in entries(db)] == ["XKLĐ"]


def test_preview_needs_a_login(client):
    assert client.post("/speech/preview", json={"text": "x"}).status_code == 302


def test_listen_renders_and_serves_the_audio(client, auth, db):
    settings.save(db, "engine", "espeak", actor=ADMIN, now=START)
    auth.login()
    response = client.post("/speech/listen", json={"title": "Thông báo", "text": "Xã họp lúc 14h."})
    data = response.get_json()
    assert response.status_code == 200 and data["engine"] == "espeak" and data["duration_ms"] > 500
    audio = client.get(data["url"])
    assert audio.status_code == 200 and audio.data[:4] == b"RIFF"
    again = client.post("/speech/listen", json={"title": "Thông báo", "text": "Xã họp lúc 14h."}).get_json()
    assert again["url"] == data["url"]  # cached
    assert client.post("/speech/listen", json={"text": "  "}).get_json() == {
        "error": "Chưa có nội dung để nghe thử."}
    assert client.get("/speech/cache/../radio.db").status_code == 404


def test_a_drafts_audio_is_what_will_air(client, auth, db, app):
    settings.save(db, "engine", "espeak", actor=ADMIN, now=START)
    bulletin_id = _draft(db)
    auth.login("leader", "leader")
    audio = client.get(f"/speech/bulletin/{bulletin_id}")
    assert audio.status_code == 200 and audio.data[:4] == b"RIFF"
    from radio.store.home import open_home
    from radio.speech.rendering import render_bulletin

    bulletins.approve_bulletin(db, bulletin_id, actor=LEADER, now=START, expected_sha256=None)
    home = open_home(app.config["RADIO_HOME"])
    render = render_bulletin(db, home, settings.load(home, db), bulletin_id, START)
    # the listen and the air render are the same cached file
    assert Path(render["path"]).read_bytes() == audio.data


def test_upload_a_recording_then_remove_it(client, auth, db, app, tmp_path):
    bulletin_id = _draft(db)
    auth.login()
    reading = tone_file(tmp_path / "doc.m4a").read_bytes()
    response = client.post(f"/bulletins/{bulletin_id}/recording", follow_redirects=True, data={
        "recording": (io.BytesIO(reading), "doc.m4a"), "language": "Tiếng Thái"})
    assert "Đã lưu bản ghi âm" in response.get_data(as_text=True)
    row = bulletins.get_bulletin(db, bulletin_id)
    assert row["recording_language"] == "Tiếng Thái"
    assert client.get(f"/speech/bulletin/{bulletin_id}").data[:4] == b"RIFF"
    client.post(f"/bulletins/{bulletin_id}/recording/remove")
    assert bulletins.get_bulletin(db, bulletin_id)["recording_path"] is None
    assert list((Path(app.config["RADIO_HOME"]) / "recordings").iterdir()) == []


def test_a_non_audio_upload_is_refused_and_leaves_nothing(client, auth, db, app):
    bulletin_id = _draft(db)
    auth.login()
    response = client.post(f"/bulletins/{bulletin_id}/recording", follow_redirects=True, data={
        "recording": (io.BytesIO(b"%PDF-1.4 not audio" * 100), "bao-cao.mp3")})
    html = response.get_data(as_text=True)
    assert "Tệp này không phải bản ghi âm" in html
    assert bulletins.get_bulletin(db, bulletin_id)["recording_path"] is None
    assert list((Path(app.config["RADIO_HOME"]) / "recordings").iterdir()) == []
    response = client.post(f"/bulletins/{bulletin_id}/recording", headers={"Accept": "application/json"},
                           data={"recording": (io.BytesIO(b"x"), "ghi-am.docx")})
    assert response.status_code == 400 and "không dùng được" in response.get_json()["message"]


def test_an_upload_over_the_limit_is_refused_and_leaves_nothing(client, auth, db, app, monkeypatch):
    from radio.bulletins import recordings

    monkeypatch.setattr(recordings, "MAX_RECORDING_BYTES", 51_200)
    bulletin_id = _draft(db)
    auth.login()
    response = client.post(f"/bulletins/{bulletin_id}/recording", follow_redirects=True, data={
        "recording": (io.BytesIO(b"\0" * 60_000), "dai.wav")})
    assert "Bản ghi âm quá lớn (tối đa 50 KB)" in response.get_data(as_text=True)
    assert bulletins.get_bulletin(db, bulletin_id)["recording_path"] is None
    assert list((Path(app.config["RADIO_HOME"]) / "recordings").iterdir()) == []


def test_lexicon_page_add_search_edit_remove(client, auth, db):
    auth.login()
    client.post("/lexicon/", data={"term": "Na Sang", "spoken": "Na Xang"})
    client.post("/lexicon/", data={"term": "HTX", "spoken": "hợp tác xã"})
    html = client.get("/lexicon/?q=xang").get_data(as_text=True)
    assert "<strong>Na Sang</strong>" in html and "<strong>HTX</strong>" not in html
    assert 'value="Na Xang"' in client.get("/lexicon/?edit=Na Sang").get_data(as_text=True)
    client.post("/lexicon/", data={"term": "Na Sang", "spoken": "Na Xăng"})
    client.post("/lexicon/remove", data={"term": "HTX"})
    assert [(e["term"], e["spoken"]) for e in entries(db)] == [("Na Sang", "Na Xăng")]
    html = client.post("/lexicon/", data={"term": "", "spoken": "x"}, follow_redirects=True).get_data(as_text=True)
    assert "flash-error" in html


def test_lexicon_search_also_shows_the_shipped_readings(client, auth):
    auth.login()
    html = client.get("/lexicon/?q=UBND").get_data(as_text=True)
    assert "Cách đọc có sẵn của phần mềm" in html and "<strong>UBND</strong>" in html
    assert 'value="Ủy ban nhân dân"' in client.get("/lexicon/?edit=UBND&q=UBND").get_data(as_text=True)
