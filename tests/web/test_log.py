import csv
import io
from datetime import UTC, datetime, timedelta

from radio import prooflog


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


def test_log_chain_warning(client, auth, db):
    append(db, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    db.execute("DROP TRIGGER occurrences_no_update")
    db.execute("UPDATE occurrences SET seconds_played = 900")
    auth.login()
    html = client.get("/log/").get_data(as_text=True)
    assert "Cảnh báo: nhật ký đã bị sửa đổi" in html and "Nhật ký toàn vẹn" not in html


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
    assert len(rows) == 1
    assert rows[0]["scheduled_local"] == "20/11/2026 17:00:00"
    assert rows[0]["status_vi"] == "đã phát" and rows[0]["title"] == "Tin cải cách hành chính"
    assert rows[0]["engine"] == "gtts"
    html = client.get("/log/?month=2026-11").get_data(as_text=True)
    assert "/log/export.csv?month=2026-11" in html


def test_log_and_bulletin_lists_are_paged(client, auth, db):
    from radio import bulletins
    for i in range(120):
        append(db, datetime(2026, 11, 20, 2, 0, tzinfo=UTC) + timedelta(minutes=i))
    for i in range(60):
        bulletins.add_bulletin(db, title=f"Tin số {i}", text="Nội dung", now=datetime(2026, 11, 20, tzinfo=UTC))
    auth.login()
    html = client.get("/log/").get_data(as_text=True)
    assert html.count("<tr>") == 51 and "Trang 1/3 · 120 dòng" in html and "Trang sau" in html
    last = client.get("/log/?month=2026-11&page=3").get_data(as_text=True)
    assert last.count("<tr>") == 21 and "Trang trước" in last and "Trang sau" not in last
    bad = client.get("/log/?page=abc").get_data(as_text=True)
    assert "abc&#34; không hợp lệ; đang xem trang đầu" in bad and "Trang 1/3" in bad
    page2 = client.get("/bulletins/?page=2").get_data(as_text=True)
    assert "Trang 2/2 · 60 dòng" in page2 and "Tin số 9<" in page2 and "Tin số 10<" not in page2
