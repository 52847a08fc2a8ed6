"""The admin's reports: downloads for any period, the chart, targets page and header warning."""

import html
import io
import json
from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from radio.clock import STATION_TZ
from radio.reports import targets
from tests.support.proof import log_occurrence

SEEDS = "/work/shared/seeds"


def local(y, m, d, hh=12):
    return datetime(y, m, d, hh, tzinfo=STATION_TZ)


@pytest.fixture
def aired(db):
    log_occurrence(db, local(2026, 10, 5), title="Tuyên truyền một cửa")
    log_occurrence(db, local(2026, 11, 3), title="Dịch vụ công trực tuyến")
    log_occurrence(db, local(2026, 11, 4), status="partial")


def test_log_page_shows_chart_summary_and_three_downloads(client, auth, aired):
    auth.login()
    html = client.get("/log/?period=2026-Q4").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in html
    assert "quý IV/2026" in html and "buổi phát dở không được tính" in html
    for link in ("/log/export.csv?period=2026-Q4", "/log/export.xlsx?period=2026-Q4", "/log/export.docx?period=2026-Q4"):
        assert link in html
    assert "Đầu chuỗi nhật ký: 3 mục" in html


def test_xlsx_and_docx_downloads(client, auth, aired):
    auth.login()
    response = client.get("/log/export.xlsx?period=2026-Q4&cutoff=1")
    assert response.status_code == 200
    assert 'filename=nhat-ky-phat-2026-Q4-cutoff.xlsx' in response.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Tổng hợp", "Chi tiết"]
    assert wb["Chi tiết"].max_row == 4
    response = client.get("/log/export.docx?month=2026-11")
    doc = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "tháng 11/2026" in text and "1/1 buổi phát, đạt" in text


def test_csv_download_streams_a_custom_range(client, auth, aired):
    auth.login()
    response = client.get("/log/export.csv?from=2026-11-01&until=2026-11-03")
    assert response.is_streamed
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeffMã buổi phát,")
    assert "Dịch vụ công trực tuyến" in body and "Tuyên truyền một cửa" not in body


def test_bad_period_is_one_message(client, auth):
    auth.login()
    response = client.get("/log/?period=2026-Q7", follow_redirects=True)
    assert 'Kỳ "2026-Q7" không hợp lệ' in html.unescape(response.get_data(as_text=True))


def test_header_warns_near_the_end_of_an_unmet_month(client, auth, clock):
    auth.login()
    clock.set(local(2026, 11, 20))  # 10 days left, warning at 7
    assert "Chỉ tiêu chưa đạt" not in client.get("/log/").get_data(as_text=True)
    clock.set(local(2026, 11, 25))
    auth.login()  # five days later the session has long timed out
    html = client.get("/bulletins/").get_data(as_text=True)
    assert "Chỉ tiêu chưa đạt: 0/1 buổi phát tin CCHC trong tháng 11/2026, còn 6 ngày." in html


def test_only_leaders_change_targets(client, auth, db, clock):
    auth.login("canbo", "officer")
    html = client.get("/targets/").get_data(as_text=True)
    assert "Thêm chỉ tiêu" not in html and "Chỉ lãnh đạo UBND hoặc quản trị" in html
    response = client.post("/targets/add", data={"topic": "cchc", "period": "quarter", "minimum": "2"},
                           follow_redirects=True)
    assert response.status_code == 403
    assert "không được thực hiện thao tác này" in response.get_data(as_text=True)
    assert len(targets.list_targets(db)) == 1
    auth.logout()
    auth.login("lanhdao", "leader")
    response = client.post("/targets/add", data={"topic": "cchc", "period": "quarter", "minimum": "0"},
                           follow_redirects=True)
    assert "phải từ 1 trở lên" in response.get_data(as_text=True)
    client.post("/targets/add", data={"topic": "cchc", "period": "quarter", "minimum": "2"})
    assert [t["period"] for t in targets.list_targets(db)] == ["month", "quarter"]
    html = client.get("/targets/").get_data(as_text=True)
    assert "Ít nhất 2 tin bài CCHC mỗi quý" in html and "quý IV/2026" in html


def test_plan_import_proposes_and_adds_only_the_checked(client, auth, db):
    auth.login("lanhdao", "leader")
    with open(f"{SEEDS}/ke-hoach-xa-dinh-bien-2022.txt", "rb") as fh:
        response = client.post("/targets/import", data={"plan": (fh, "ke-hoach.txt")},
                               content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert html.count('type="checkbox" name="proposal"') == 3 and "Quý II/2022" in html
    assert len(targets.list_targets(db)) == 1  # nothing written yet
    from radio.reports.plan_import import propose
    chosen = propose(f"{SEEDS}/ke-hoach-xa-dinh-bien-2022.txt")[0]
    client.post("/targets/import/confirm", data={"proposal": json.dumps(chosen.__dict__, ensure_ascii=False)})
    rows = targets.list_targets(db)
    assert (rows[-1]["period"], rows[-1]["applies_from"], rows[-1]["applies_until"]) == ("quarter", "2022-01-01", "2022-03-31")
    assert len(rows) == 2
