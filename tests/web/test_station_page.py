"""The admin's station page: a status panel read from the station, settings saved all or nothing."""

from radio import settings

from .conftest import START


def test_status_panel(client, auth, db):
    from radio.schedule import slots

    from .test_speech_pages import OFFICER

    slots.add_slot(db, at="17:00", days="daily", now=START, actor=OFFICER)
    auth.login("admin", "admin")
    html = client.get("/station/").get_data(as_text=True)
    assert "Không chạy" in html  # no daemon in this test
    assert "17:00 22/11/2026" in html
    assert "Toàn vẹn" in html and "0 buổi đã ghi" in html and "Còn trống" in html


def test_settings_saved(client, auth, db, app):
    auth.login("admin", "admin")
    client.post("/station/", data={"station_name": "Đài xã Na Sang", "engine": "espeak", "use_jingles": ""})
    from radio.store.home import open_home

    values = settings.load(open_home(app.config["RADIO_HOME"]), db)
    assert (values["station_name"], values["engine"], values["use_jingles"]) == ("Đài xã Na Sang", "espeak", False)


def test_a_bad_value_saves_nothing(client, auth, db, app):
    auth.login("admin", "admin")
    html = client.post("/station/", data={"station_name": "Khác", "engine": "loa-to"},
                       follow_redirects=True).get_data(as_text=True)
    assert "không hợp lệ cho cài đặt" in html and "một trong auto, gtts, espeak, piper" in html
    assert db.execute("SELECT count(*) FROM settings").fetchone()[0] == 0


def test_only_admins(client, auth):
    auth.login("leader", "leader")
    assert client.get("/station/").status_code == 403
    assert client.post("/station/", data={"engine": "espeak"}).status_code == 403


def test_a_jingle_of_the_stations_own_then_back_to_the_default(client, auth, db, app, tmp_path):
    import io

    from audio.jingles import default_jingle
    from radio.store.home import open_home
    from radio.programme.jingles import station_jingle
    from tests.support.recordings import tone_file

    home = open_home(app.config["RADIO_HOME"])
    auth.login("admin", "admin")
    too_long = tone_file(tmp_path / "dai.ogg", seconds=31).read_bytes()
    html = client.post("/station/jingle/intro", follow_redirects=True,
                       data={"jingle": (io.BytesIO(too_long), "dai.ogg")}).get_data(as_text=True)
    assert "Nhạc hiệu dài tối đa 30 giây; tệp này dài 31 giây." in html
    assert station_jingle(home, "intro") == default_jingle("intro")
    chime = tone_file(tmp_path / "chuong.mp3", seconds=2).read_bytes()
    html = client.post("/station/jingle/intro", follow_redirects=True,
                       data={"jingle": (io.BytesIO(chime), "chuong.mp3")}).get_data(as_text=True)
    assert "Đã lưu nhạc hiệu của đài" in html and "(của đài;" in html
    assert station_jingle(home, "intro") == home.root / "jingles" / "intro.wav"
    client.post("/station/jingle/intro", data={"reset": "1"})
    assert station_jingle(home, "intro") == default_jingle("intro")


def test_status_panel_reads_the_chain_state_and_never_walks_the_log(client, auth, db, monkeypatch):
    import pytest

    from radio.proof import chain
    from radio.store.connection import write

    monkeypatch.setattr(chain, "verify", lambda *a, **k: pytest.fail("a page view walked the whole log"))
    with write(db):  # what the daemon's daily full check leaves when it finds entry 7 altered
        db.execute("INSERT OR REPLACE INTO station_state (name, value) VALUES ('chain.full_ok', '0'), "
                   "('chain.full_broken', '7'), ('chain.full_problem', 'entry 7: hash does not match')")
    auth.login("admin", "admin")
    assert "Bị sửa ở mục số 7" in client.get("/station/").get_data(as_text=True)


def test_the_status_panel_shows_the_output_the_daemon_really_plays_to(client, auth, db):
    """The page names the output the daemon plays to: it showed the setting's "device" while the daemon played to a file."""
    db["station_state"].upsert({"name": "output", "value": "file:/srv/ghi-am"}, pk="name")
    db["station_state"].upsert({"name": "output.loudspeakers", "value": "0"}, pk="name")
    auth.login("admin", "admin")
    html = client.get("/station/").get_data(as_text=True)
    assert "<code>file:/srv/ghi-am</code>" in html and "không phát ra loa" in html
