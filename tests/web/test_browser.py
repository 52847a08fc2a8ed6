"""The admin in a real browser: log in, add a Vietnamese bulletin, approve it."""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from radio.store.connection import connect
from radio.accounts.users import add_user
from web import create_app

from .conftest import PASSWORD, START

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TITLE = "Thông báo về việc tiếp nhận hồ sơ trực tuyến"
TEXT = ("Ủy ban nhân dân xã thông báo: từ ngày 01/12/2026, người dân có thể nộp hồ sơ "
        "đăng ký khai sinh, kết hôn qua Cổng dịch vụ công quốc gia.")
SCREENSHOT = Path("/tmp/radio-admin.png")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian chromium is not installed"),
]


@pytest.fixture
def server(tmp_path, clock):
    app = create_app({"RADIO_HOME": str(tmp_path / "home"), "CLOCK": clock})  # CSRF on, as in production
    db = connect(tmp_path / "home" / "radio.db")
    add_user(db, username="canbo", password=PASSWORD, role="officer", now=START, display_name="Cán bộ VH-XH")
    add_user(db, username="chutich", password=PASSWORD, role="leader", now=START, display_name="Chủ tịch UBND")
    db.conn.close()
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(timeout=5)


def login(page, base, username):
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():  # the next goto must not race the login POST
        page.click("button[type=submit]")


def test_add_and_approve_in_browser(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 760}, locale="vi-VN")
            login(page, server, "canbo")
            page.click("text=+ Thêm bản tin")
            page.fill("#title", TITLE)
            page.fill("#text", TEXT)
            page.select_option("#priority", "priority")
            page.fill("#repeat_count", "3")
            page.click("button:has-text('Lưu bản tin')")
            assert "Đã thêm bản tin." in page.inner_text(".flash-success")
            assert page.locator("text=Duyệt bản tin").count() == 0  # officers cannot approve
            page.click("button:has-text('Đăng xuất')")

            login(page, server, "chutich")
            page.click(f"text={TITLE}")
            page.once("dialog", lambda dialog: dialog.accept())
            page.click("button:has-text('Duyệt bản tin')")
            assert "Đã duyệt bản tin." in page.inner_text(".flash-success")
            assert page.inner_text(".text-box.frozen") == TEXT
            assert page.locator("button:has-text('Phát ngay')").count() == 1

            page.click("nav >> text=Bản tin")
            row = page.locator("tbody tr").first
            cells = row.inner_text()
            assert TITLE in cells and "ưu tiên" in cells and "đã duyệt" in cells
            # approval started rendering in the background: the list shows it finish
            for _ in range(100):
                if "Đã tạo giọng đọc" in cells:
                    break
                page.wait_for_timeout(200)
                page.reload()
                cells = page.locator("tbody tr").first.inner_text()
            assert "Đã tạo giọng đọc (espeak-ng)" in cells
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
