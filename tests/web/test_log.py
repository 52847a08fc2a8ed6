import csv
import io
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from radio.proof import log as prooflog


def append(db, when, status="aired", reason=None, items=True):
    key = f"slot1@{when.isoformat()}"
    entry = prooflog.Entry(
        key=key, scheduled_at=when, status=status, slot_id=1,
        started_at=when + timedelta(seconds=2) if status != "missed" else None,
        ended_at=when + timedelta(seconds=95) if status != "missed" else None,
        seconds_played=93.0 if status != "missed" else 0.0, reason=reason,
        items=[prooflog.LoggedItem(position=1, bulletin_id=1, title="Tin cải cách hành chính",
                                   topic="cchc", priority="normal", engine="gtts", duration_ms=80_000,
                                   completed=True)] if items else [],
    )
    return prooflog.append(db, entry, now=when + timedelta(seconds=96))


def test_log_lists_rows(client, auth, db):
    append(db, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))           # 17:00 local
    append(db, datetime(2026, 11, 21, 10, 0, tzinfo=UTC), status="missed",
           reason="station was off", items=False)
    append(db, datetime(2026, 10, 31, 18, 0, tzinfo=UTC))           # 01:00 on 1/11 local
    auth.login()
    html = client.get("/log/").get_data(as_text=True)                # this month by default
    assert "20/11/2026 17:00" in html and "17:00:02" in html and "17:01:35" in html
    assert "đã phát" in html and "log-aired" in html
    assert "bị lỡ" in html and "log-missed" in html and "station was off" in html  # untranslated as-is
    assert "Tin cải cách hành chính" in html and "(gTTS)" in html
    assert "01/11/2026 01:00" in html                                # local month, not UTC month
    assert "✔ Nhật ký toàn vẹn" in html
    october = client.get("/log/?month=2026-10").get_data(as_text=True)
    assert "Chưa có buổi phát nào được ghi trong tháng 10/2026." in october
    everything = client.get("/log/?month=all").get_data(as_text=True)
    assert everything.count("<tr>") == 4


def test_log_bad_month(client, auth):
    auth.login()
    html = client.get("/log/?month=tháng-mười").get_data(as_text=True)
    assert "không hợp lệ" in html


def test_log_chain_warning(client, auth, db, app):
    append(db, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    append(db, datetime(2026, 11, 21, 10, 0, tzinfo=UTC))
    attacker = sqlite3.connect(app.config["RADIO_HOME"] + "/radio.db", isolation_level=None)
    attacker.execute("DROP TRIGGER occurrences_no_update")
    attacker.execute("UPDATE occurrences SET seconds_played = 900 WHERE id = 1")
    attacker.close()
    auth.login()
    html = client.get("/log/").get_data(as_text=True)
    assert "Nhật ký toàn vẹn" in html  # a page view does not walk the log ...
    html = client.post("/log/verify", follow_redirects=True).get_data(as_text=True)  # ... on demand it does
    assert "dòng 1 đã bị sửa: trường seconds_played" in html
    assert "Cảnh báo: nhật ký đã bị sửa đổi (từ dòng số 1)" in html and "Nhật ký toàn vẹn" not in html


def test_log_shows_the_chain_head(client, auth, db):
    append(db, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    count, head = prooflog.chain_head(db)
    auth.login()
    html = client.get("/log/").get_data(as_text=True)
    assert f"{count}:{head}" in html
    html = client.post("/log/verify", follow_redirects=True).get_data(as_text=True)
    assert "Đã kiểm tra toàn bộ 1 dòng nhật ký" in html


def test_manual_entry_and_correction_by_a_leader(client, auth, db):
    auth.login("lanhdao", "leader")
    html = client.post("/log/manual", follow_redirects=True, data={
        "at": "2026-11-21 17:00", "minutes": "12", "status": "aired",
        "titles": "Thông báo tiêm chủng\nLịch thu thuế", "reason": "Mất điện, đọc qua micrô"}).get_data(as_text=True)
    assert "Đã ghi buổi phát ngoài hệ thống" in html
    assert "(nhập tay)" in html and "người nhập: lanhdao" in html and "Lịch thu thuế" in html
    html = client.post("/log/correct", follow_redirects=True,
                       data={"entry": "1", "status": "partial", "reason": "Chỉ đọc được một bản tin"}).get_data(as_text=True)
    assert "Đã ghi đính chính cho dòng số 1" in html and "đính chính dòng số 1" in html
    rows = prooflog.entries(db)
    assert [(r["kind"], r["corrects_id"], r["entered_by"]) for r in rows] == [
        ("correction", 1, "lanhdao"), ("manual", None, "lanhdao")]
    html = client.post("/log/correct", follow_redirects=True,
                       data={"entry": "77", "reason": "x"}).get_data(as_text=True)
    assert "Không có dòng nhật ký số 77." in html
    html = client.post("/log/manual", follow_redirects=True, data={
        "at": "21/11/2026", "minutes": "12", "titles": "A", "reason": "B"}).get_data(as_text=True)
    assert "không đúng dạng YYYY-MM-DD HH:MM" in html
    assert len(prooflog.entries(db)) == 2  # nothing written by the bad ones


def test_manual_entry_needs_a_leader(client, auth, db):
    auth.login()  # an officer
    html = client.get("/log/").get_data(as_text=True)
    assert "Ghi buổi phát ngoài hệ thống" not in html
    html = client.post("/log/manual", follow_redirects=True, data={
        "at": "2026-11-21 17:00", "minutes": "12", "titles": "A", "reason": "B"}).get_data(as_text=True)
    assert "không được thực hiện thao tác này" in html
    assert prooflog.entries(db) == []


def test_csv_download(client, auth, db):
    append(db, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    auth.login()
    response = client.get("/log/export.csv?month=2026-11")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="nhat-ky-phat-2026-11.csv"' in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1  # the occurrence; the chain head is a response header, not a CSV row
    assert rows[0]["Giờ theo lịch (giờ Việt Nam)"] == "20/11/2026 17:00:00"
    assert rows[0]["Trạng thái"] == "đã phát" and rows[0]["Tiêu đề"] == "Tin cải cách hành chính"
    assert rows[0]["Giọng đọc"] == "gtts"
    count, last = prooflog.chain_head(db)
    assert response.headers["X-Chain-Head"] == f"{count}:{last}"
    html = client.get("/log/?month=2026-11").get_data(as_text=True)
    assert "/log/export.csv?month=2026-11" in html


def test_log_page_says_when_the_output_was_a_file(client, auth, db):
    when = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    prooflog.append(db, prooflog.Entry(
        key="slot1@x", scheduled_at=when, status="aired", output="file:/srv/aired",
        items=[prooflog.LoggedItem(1, 1, "Tin", approved_by="chutich", approved_at="2026-11-19T02:00:00.000+00:00",
                                   completed=True)]), now=when)
    auth.login()
    html = client.get("/log/").get_data(as_text=True)
    assert "<th>Đầu ra</th>" in html and "file:/srv/aired" in html
    assert "ra tệp (không phát ra loa)" in html
    assert "duyệt: chutich, 19/11/2026 09:00" in html
    csv_text = client.get("/log/export.csv").get_data(as_text=True)
    assert "ra tệp (không phát ra loa)" in csv_text


@pytest.mark.parametrize("url", ["/log/?month=9999-12", "/log/export.csv?month=9999-12",
                                 "/log/?month=" + "9" * 40, "/log/export.csv?month=2026-1²"])
def test_exploit_months_that_answered_500(client, auth, url):
    auth.login()
    response = client.get(url)
    assert response.status_code == 200
    assert "không hợp lệ" in response.get_data(as_text=True)


def test_log_and_bulletin_lists_are_paged(client, auth, db):
    from radio.bulletins import lifecycle as bulletins
    from tests.support.actors import OFFICER
    for i in range(120):
        append(db, datetime(2026, 11, 20, 2, 0, tzinfo=UTC) + timedelta(minutes=i))
    for i in range(60):
        bulletins.add_bulletin(db, title=f"Tin số {i}", text="Nội dung", now=datetime(2026, 11, 20, tzinfo=UTC),
                               actor=OFFICER)
    auth.login()
    html = client.get("/log/").get_data(as_text=True)
    assert html.count("<tr>") == 51 and "Trang 1/3 · 120 dòng" in html and "Trang sau" in html
    last = client.get("/log/?month=2026-11&page=3").get_data(as_text=True)
    assert last.count("<tr>") == 21 and "Trang trước" in last and "Trang sau" not in last
    bad = client.get("/log/?page=abc").get_data(as_text=True)
    assert "abc&#34; không hợp lệ; đang xem trang đầu" in bad and "Trang 1/3" in bad
    page2 = client.get("/bulletins/?page=2").get_data(as_text=True)
    assert "Trang 2/2 · 60 dòng" in page2 and "Tin số 9<" in page2 and "Tin số 10<" not in page2


def test_the_log_summary_follows_every_new_entry(client, auth, db):
    """The page's summary is cached per chain head: a new row shows at once."""
    auth.login()
    append(db, datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    first = client.get("/log/").get_data(as_text=True)
    append(db, datetime(2026, 11, 20, 3, 0, tzinfo=UTC), status="missed", reason="x", items=False)
    second = client.get("/log/").get_data(as_text=True)
    assert first != second and second.count("<tr>") == first.count("<tr>") + 1


def test_a_manual_entry_takes_a_topic_and_counts_toward_its_target(client, auth, db):
    """A manual entry takes a topic: a live reading could not count toward a topic target."""
    from radio.accounts import audit
    from radio.reports import periods, targets

    auth.login("lanhdao", "leader")
    page = client.get("/log/").get_data(as_text=True)
    assert '<select id="mtopic" name="topic">' in page and '<option value="cchc">' in page
    client.post("/log/manual", data={"at": "2026-11-21 17:00", "minutes": "12", "status": "aired",
                                     "titles": "Thông báo dịch vụ công", "topic": "cchc",
                                     "reason": "Mất điện, đọc qua micrô"})
    (entry,) = prooflog.entries(db)
    assert [i["topic"] for i in entry["items"]] == ["cchc"]
    assert targets.count(db, "cchc", periods.parse("2026-11")) == 1
    assert [r["action"] for r in audit.entries(db, target=f"log:{entry['id']}")] == ["log.manual"]


def test_the_log_page_names_emergencies_and_outputs_that_feed_no_loudspeaker(client, auth, db):
    """The log names emergencies and outputs without loudspeakers: an emergency was "theo lịch"; only a file output was flagged."""
    when = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    prooflog.append(db, prooflog.Entry(
        key="urgent:1", kind="urgent", scheduled_at=when, status="aired", output="device:default",
        items=[prooflog.LoggedItem(1, 1, "Cảnh báo bão", topic="thien-tai", completed=True)]), now=when)
    prooflog.append(db, prooflog.Entry(
        key="slot1@y", scheduled_at=when + timedelta(hours=1), status="aired", output="pulse:nghe-thu",
        loudspeakers=False, output_name="nghe-thu",
        items=[prooflog.LoggedItem(1, 2, "Tin", topic="cchc", completed=True)]), now=when + timedelta(hours=1))
    auth.login()
    html = client.get("/log/").get_data(as_text=True)
    assert "(phát khẩn cấp)" in html and "buổi phát theo lịch:" not in html
    assert "1 buổi phát khẩn cấp" in html
    assert 'pulse:nghe-thu <span class="badge warn">không phát ra loa</span>' in html
    assert "trên hệ thống loa truyền thanh, qua các đầu ra: device:default (1 buổi)" in html
