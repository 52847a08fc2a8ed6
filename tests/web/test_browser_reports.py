"""The log page in a real browser: the chart renders, the Word report downloads, and the
targets page warns in the header near the end of an unmet month."""

from datetime import datetime
from pathlib import Path

import pytest
from docx import Document

from radio.clock import STATION_TZ
from radio.store.connection import connect
from tests.support.proof import log_occurrence

from .test_browser import ARGS, CHROMIUM, login, server  # noqa: F401  (the fixture)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]


def test_chart_and_report_download(server, tmp_path, clock):  # noqa: F811
    db = connect(tmp_path / "home" / "radio.db")
    for month, day in ((10, 2), (10, 20), (11, 3)):
        log_occurrence(db, datetime(2026, month, day, 5, 30, tzinfo=STATION_TZ))
    db.conn.close()
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=STATION_TZ))
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="vi-VN", accept_downloads=True)
            login(page, server, "chutich")
            page.goto(f"{server}/log/?period=2026-Q4")
            chart = page.locator("img.chart")
            assert chart.evaluate("img => img.complete && img.naturalWidth") > 300
            assert "quý IV/2026" in page.inner_text("main")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "admin-log.png"), full_page=True)
            with page.expect_download() as info:
                page.click("text=Tải báo cáo Word")
            saved = tmp_path / info.value.suggested_filename
            info.value.save_as(saved)
            assert saved.name == "nhat-ky-phat-2026-Q4.docx"
            assert any("quý IV/2026" in para.text for para in Document(saved).paragraphs)
            assert "Chỉ tiêu chưa đạt" not in page.inner_text("main")  # November is met
            # 27/12: nothing aired in December and 5 days left, so every page warns
            clock.set(datetime(2026, 12, 27, 9, 0, tzinfo=STATION_TZ))
            login(page, server, "chutich")  # a month later the session has long timed out
            page.goto(f"{server}/targets/")
            warning = page.locator(".target-warning").inner_text()
            assert "Chỉ tiêu chưa đạt: 0/1 buổi phát tin CCHC trong tháng 12/2026, còn 5 ngày." in warning
            page.screenshot(path=str(ARTIFACTS / "admin-targets.png"), full_page=True)
        finally:
            browser.close()
