"""The officer's and the leader's journeys in Debian's Chromium, desktop and phone.

Real parts: the Flask admin on a werkzeug server with CSRF on, espeak-ng for
"Nghe thử", ffmpeg for the uploaded recording. Every page is checked for
horizontal overflow at 390 px, and the main pages are kept as screenshots in
``build/screenshots/`` (or ``$RADIO_SCREENSHOTS``).
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from radio.bulletins import lifecycle as bulletins
from radio.schedule import slots
from radio.accounts.roles import Actor
from radio.store.connection import connect
from radio.accounts.users import add_user
from tests.support.recordings import tone_file
from web import create_app

from .conftest import PASSWORD, START

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
CANBO = Actor("canbo", "officer", "Cán bộ VH-XH")  # the officer who logs in below
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("RADIO_SCREENSHOTS", Path(__file__).resolve().parents[2] / "build" / "screenshots"))

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]
sync_api = pytest.importorskip("playwright.sync_api")

PLAN = [
    "KẾ HOẠCH tuyên truyền cải cách hành chính năm 2026",
    "Căn cứ Kế hoạch số 05/KH-UBND ngày 05/01/2026 của UBND huyện, UBND xã xây dựng kế hoạch như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Nâng cao nhận thức của cán bộ và nhân dân về cải cách hành chính.",
    "II. NỘI DUNG TUYÊN TRUYỀN",
    "Từ ngày 01/3, người dân nộp hồ sơ trực tuyến mức độ 3, 4 tại Cổng dịch vụ công; Ban XKLĐ xã hỗ trợ.",
]


@pytest.fixture
def station(tmp_path, clock):
    home = tmp_path / "home"
    home.mkdir()
    (home / "radio.toml").write_text('engine = "espeak"\n', encoding="utf-8")  # no route to Google here
    app = create_app({"RADIO_HOME": str(home), "CLOCK": clock})  # CSRF on, as in production
    db = connect(home / "radio.db")
    for username, role, name in (("canbo", "officer", "Cán bộ VH-XH"), ("chutich", "leader", "Chủ tịch UBND"),
                                 ("quantri", "admin", "Quản trị")):
        add_user(db, username=username, password=PASSWORD, role=role, now=START, display_name=name)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}", db, home
    http.shutdown()
    thread.join(timeout=5)
    db.conn.close()


# one Chromium for the module: every test opens its pages with browser.new_page, each
# in a context of its own (no cookies or storage shared between tests)
@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def login(page, base, username):
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".topbar nav")


def no_overflow(page) -> None:
    width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide in a {width[1]} px window"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_officer_imports_previews_listens_records_and_submits(station, browser, tmp_path):
    docx = pytest.importorskip("docx")
    base, db, home = station
    document = docx.Document()
    for paragraph in PLAN:
        document.add_paragraph(paragraph)
    plan_path = tmp_path / "ke-hoach-cchc.docx"
    document.save(plan_path)
    page = browser.new_page(viewport=DESKTOP, locale="vi-VN")
    login(page, base, "canbo")
    page.click("text=Nhập từ tệp")
    page.set_input_files("#document", str(plan_path))
    page.click("button:has-text('Nhập')")
    assert "Tệp có 2 phần" in page.inner_text(".flash-success")
    assert page.input_value("#title") == PLAN[0]
    assert PLAN[0] not in page.input_value("#text")  # the title is not read twice
    page.wait_for_function("() => document.getElementById('spoken').textContent.includes('Căn cứ')")  # editor.js ran
    page.select_option("#section-pick", label="II. NỘI DUNG TUYÊN TRUYỀN")
    assert page.input_value("#text") == PLAN[5]
    page.fill("#title", "Nộp hồ sơ trực tuyến")
    # the live spoken form, with the guessed abbreviation marked
    page.wait_for_function("() => document.getElementById('spoken').textContent.includes('mức độ ba, bốn')")
    assert "XKLĐ" in page.inner_text("#unsure mark")
    page.once("dialog", lambda dialog: dialog.accept("xuất khẩu lao động"))
    page.click("#unsure button:has-text('Thêm vào từ điển')")
    page.wait_for_function("() => document.getElementById('spoken').textContent.includes('xuất khẩu lao động')")
    assert page.locator("#unsure mark").count() == 0
    page.click("#listen")
    page.wait_for_function("() => document.getElementById('listen-status').textContent.startsWith('Giọng espeak')",
                           timeout=60_000)
    page.wait_for_function("() => document.getElementById('listen-audio').readyState >= 1", timeout=20_000)
    assert page.evaluate("document.getElementById('listen-audio').duration") > 2
    shot(page, "editor-desktop")
    page.click("button:has-text('Lưu thay đổi')")
    assert "Đã lưu thay đổi." in page.inner_text(".flash-success")

    # a local reader's recording replaces the machine voice
    page.click("summary:has-text('Dùng bản ghi âm')")
    page.set_input_files("#recording", str(tone_file(tmp_path / "doc-tieng-thai.m4a", seconds=2.0)))
    page.fill("#language", "Tiếng Thái")
    page.click("button:has-text('Tải lên')")
    assert "Đã lưu bản ghi âm" in page.inner_text(".flash-success")
    assert "Bản ghi âm (Tiếng Thái)" in page.inner_text(".audio-card")
    (row,) = bulletins.list_bulletins(db)
    assert row["recording_language"] == "Tiếng Thái" and row["status"] == "draft"
    shot(page, "bulletin-desktop")

    # a file that is not audio is refused and nothing is kept
    fake = tmp_path / "bao-cao.mp3"
    fake.write_bytes(b"%PDF-1.4 this is a report, not a recording" * 40)
    assert page.locator("details.recording[open]").count() == 1  # open once there is a recording
    page.set_input_files("#recording", str(fake))
    page.click("button:has-text('Tải lên')")
    assert "không phải bản ghi âm" in page.locator(".flash-error").last.inner_text()
    assert bulletins.get_bulletin(db, row["id"])["recording_path"] == row["recording_path"]
    assert len(list((home / "recordings").iterdir())) == 1

    # the entry added from the editor is on the lexicon page, and can be heard
    page.click("nav >> text=Từ điển")
    row_text = page.locator("tbody tr").first.inner_text()
    assert "XKLĐ" in row_text and "xuất khẩu lao động" in row_text
    page.click("button[aria-label='Nghe thử XKLĐ']")
    page.wait_for_function("() => document.getElementById('listen-status').textContent.startsWith('Giọng espeak')",
                           timeout=60_000)


def test_leader_hears_and_approves_on_a_phone(station, browser):
    base, db, _ = station
    new_id = bulletins.add_bulletin(db, title="Lịch tiếp công dân tháng 12",
                                    text="Chủ tịch UBND xã tiếp công dân vào sáng thứ Năm hằng tuần.",
                                    now=START, actor=CANBO)
    page = browser.new_page(viewport=PHONE, locale="vi-VN", has_touch=True, is_mobile=True)
    login(page, base, "chutich")
    page.click("nav >> text=Duyệt tin")
    card = page.locator(f"#draft-{new_id}")
    no_overflow(page)
    # tap one: listen to what will air
    card.locator("audio").evaluate("a => a.play().catch(() => {})")
    page.wait_for_function(f"() => document.querySelector('#draft-{new_id} audio').duration > 1", timeout=60_000)
    card.locator("summary:has-text('Máy sẽ đọc là')").click()
    assert "Ủy ban nhân dân xã" in card.locator(".spoken").inner_text()
    shot(page, "leader-queue-phone")
    # tap two: approve
    card.locator("button:has-text('Duyệt')").tap()
    assert f"Đã duyệt bản tin số {new_id}." in page.inner_text(".flash-success")
    no_overflow(page)
    assert bulletins.get_bulletin(db, new_id)["status"] == "approved"


def test_leader_emergency_broadcast_on_a_phone(station, browser):
    base, db, _ = station
    page = browser.new_page(viewport=PHONE, locale="vi-VN", has_touch=True, is_mobile=True)
    login(page, base, "chutich")
    page.click("nav >> text=Phát khẩn cấp")
    page.fill("#text", "Nước sông Nậm Rốm đang lên nhanh; bà con vùng trũng di chuyển lên chỗ cao ngay.")
    no_overflow(page)
    shot(page, "emergency-phone")
    page.click("button:has-text('Phát khẩn cấp')")
    page.click("#confirm-emergency")
    assert "Đang chờ trình phát của đài nhận lệnh" in page.inner_text("#emergency-state")
    (command,) = db["commands"].rows
    assert bulletins.get_bulletin(db, command["bulletin_id"])["priority"] == "urgent"


def test_schedule_week_and_report_export(station, browser):
    base, db, _ = station
    slots.add_slot(db, at="06:30", days="daily", now=START, name="Buổi sáng", actor=CANBO)
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    login(page, base, "canbo")
    page.click("nav >> text=Khung giờ")
    page.fill("#at", "04:30")  # before the quiet hours end: warned while typing
    sync_api.expect(page.locator("#quiet-hint")).to_have_class(re.compile(r"\bflash-warning\b"))
    page.fill("#at", "06:30")
    sync_api.expect(page.locator("#quiet-hint")).not_to_have_class(re.compile(r"\bflash-warning\b"))
    page.click("nav >> text=Lịch tuần")
    assert page.locator(".calendar .day").count() == 7
    assert page.locator(".calendar .occ").count() == 6  # today's 06:30 has passed (it is 09:00)
    no_overflow(page)
    shot(page, "calendar-phone")
    page.click("nav >> text=Nhật ký phát")
    with page.expect_download() as download:
        page.click("text=Tải CSV")
    assert download.value.suggested_filename.endswith(".csv")


PAGES = {
    "canbo": ["/", "/bulletins/", "/bulletins/new", "/bulletins/import", "/bulletins/1", "/bulletins/1/edit",
              "/slots/", "/slots/1/edit", "/schedule/", "/calendar/", "/log/", "/lexicon/", "/auth/password"],
    "chutich": ["/approvals/", "/bulletins/", "/bulletins/1", "/emergency/", "/calendar/", "/targets/", "/audit/"],
    "quantri": ["/station/", "/users/", "/outputs/"],
}


def test_no_page_scrolls_sideways_on_a_phone(station, browser):
    base, db, _ = station
    bulletins.add_bulletin(db, title="Thông báo " + "rất dài " * 12,
                           text="Nội dung có địa chỉ https://dichvucong.gov.vn/p/home/dvc-trang-chu.html " * 5,
                           now=START, actor=CANBO)
    slots.add_slot(db, at="17:00", days="mon,wed,fri", now=START, name="Buổi chiều", actor=CANBO)
    from radio.speech.lexicon import set_entry

    set_entry(db, "Nậm Rốm", "Nậm Rốm", now=START, actor=CANBO)
    for username, paths in PAGES.items():
        page = browser.new_page(viewport=PHONE, locale="vi-VN", has_touch=True, is_mobile=True)
        login(page, base, username)
        for path in paths:
            page.goto(base + path)
            assert page.locator("h1").count() >= 1, path
            no_overflow(page)
            small = page.evaluate("""() => [...document.querySelectorAll('main button, main .button, main select')]
                .filter(e => e.offsetParent && e.getBoundingClientRect().height < 43.5)
                .map(e => e.outerHTML.slice(0, 80))""")
            assert small == [], f"{path}: touch targets under 44 px: {small}"
            shot(page, f"{username}{path.strip('/').replace('/', '-') or '-home'}-phone")
        page.close()
