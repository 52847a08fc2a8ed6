"""Control characters, odd numbers and weak passwords through the admin: what an officer or an admin types is refused
with a Vietnamese message, nothing is stored, and the exports keep working."""

from radio.accounts.users import find_user

from .conftest import PASSWORD

VIET_TEXT = "Ủy ban nhân dân xã thông báo lịch tiếp công dân tháng 12."


def test_a_nul_in_a_new_topic_is_refused_and_the_exports_keep_working(client, auth, db):
    """Before: the topic was stored, and every CSV export (labels built into its SQL as
    literals) failed with sqlite3.ProgrammingError, for every month."""
    auth.login("canbo", "officer")
    html = client.post("/bulletins/new", data={"title": "Tin", "text": VIET_TEXT, "topic": "cchc",
                                               "new_topic": "thôn\x00một", "priority": "normal",
                                               "repeat_count": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Chủ đề chứa ký tự điều khiển không in được (U+0000)" in html
    assert db.execute("SELECT count(*) FROM bulletins").fetchone()[0] == 0
    for fmt in ("csv", "xlsx", "docx"):
        assert client.get(f"/log/export.{fmt}?month=2026-11").status_code == 200


def test_a_control_character_in_a_targets_topic_is_refused(client, auth, db):
    auth.login("chutich", "leader")
    html = client.post("/targets/add", data={"topic": "y-te\x1b", "period": "month", "minimum": "1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "ký tự điều khiển" in html
    assert not db.execute("SELECT 1 FROM targets WHERE topic LIKE 'y-te%'").fetchone()
    assert client.get("/log/export.docx?month=2026-11").status_code == 200


def test_guessable_passwords_are_refused_in_vietnamese(client, auth, db):
    auth.login("quantri", "admin")
    db.execute("INSERT OR REPLACE INTO settings (name, value) VALUES ('station_name', 'Đài truyền thanh xã Minh Đức')")
    for password, message in (("Aa1234567890", "quá dễ đoán"), ("1111111111", "quá dễ đoán"),
                              ("abcdefghij", "quá dễ đoán"), ("MinhDuc2026", "tên đài"),
                              ("Minh-Đức-2026", "tên đài")):
        html = client.post("/users/", data={"username": "lanhdao", "display_name": "Lãnh đạo", "role": "leader",
                                            "password": password}, follow_redirects=True).get_data(as_text=True)
        assert message in html, password
        assert find_user(db, "lanhdao") is None
    client.post("/users/", data={"username": "lanhdao", "display_name": "Lãnh đạo", "role": "leader",
                                 "password": PASSWORD})
    assert find_user(db, "lanhdao") is not None
