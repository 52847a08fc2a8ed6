"""Tin từ tỉnh: the provincial bulletins received, by class, and an officer taking a thông
thường one into the schedule."""

from radio.clock import to_utc_text
from radio.link import inbox, join
from radio.network import Authority
from radio.network.messages import ProvincialBulletin
from radio.store.home import open_home

from .conftest import START


def joined(app, tmp_path):
    authority = Authority.create(tmp_path / "hub", name="Tỉnh Lâm Đồng")
    creds = tmp_path / "XA.creds"
    creds.write_text(authority.join_file("XA-TAN-AN", ["nats://127.0.0.1:4222"]), encoding="utf-8")
    join(open_home(app.config["RADIO_HOME"]), creds)


def received(db, cls, title):
    now = to_utc_text(START)
    return inbox.receive(db, ProvincialBulletin(id=f"P-{cls}", station="XA-TAN-AN", cls=cls, title=title,
                                                text="Ủy ban nhân dân tỉnh thông báo.", sent_at=now,
                                                approved_by="Ban biên tập", approved_at=now,
                                                province="Tỉnh Lâm Đồng", topic="cchc"),
                         b'{"signature": "x"}', now=START).row


def test_a_station_not_joined_says_so_and_shows_no_menu_entry(client, auth):
    auth.login()
    assert "Tin từ tỉnh" not in client.get("/bulletins/").get_data(as_text=True)
    html = client.get("/tin-tu-tinh/").get_data(as_text=True)
    assert "chưa tham gia mạng truyền thanh của tỉnh" in html


def test_the_inbox_shows_each_class_and_an_officer_takes_a_thuong_one_in(app, client, auth, db, tmp_path):
    joined(app, tmp_path)
    received(db, "khan-cap", "Cảnh báo bão số 9")
    received(db, "thuong", "Lịch tiếp công dân của tỉnh")
    auth.login()
    assert "Tin từ tỉnh" in client.get("/bulletins/").get_data(as_text=True)
    html = client.get("/tin-tu-tinh/").get_data(as_text=True)
    assert "Đài <strong>XA-TAN-AN</strong> của Tỉnh Lâm Đồng" in html and "Đài chưa chạy" in html
    assert "khẩn cấp" in html and "Cảnh báo bão số 9" in html and "đã đưa vào lịch" in html
    assert "thông thường" in html and "chờ đưa vào lịch" in html and "Đưa vào lịch phát" in html
    done = client.post("/tin-tu-tinh/P-thuong/dua-vao-lich", follow_redirects=True).get_data(as_text=True)
    assert "Đã đưa tin “Lịch tiếp công dân của tỉnh” của tỉnh vào lịch phát" in done
    assert inbox.get(db, "P-thuong")["state"] == "scheduled"
    again = client.post("/tin-tu-tinh/P-thuong/dua-vao-lich", follow_redirects=True).get_data(as_text=True)
    assert "Traceback" not in again and inbox.get(db, "P-thuong")["state"] == "scheduled"
