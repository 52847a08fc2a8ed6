"""In Chromium: the leader approves what they read, not what an officer changed meanwhile."""

import pytest

from radio.bulletins import lifecycle as bulletins
from radio.accounts.roles import Actor
from radio.store.connection import connect

from .conftest import START
from .test_browser import ARGS, CHROMIUM, login, server  # noqa: F401  (server is a fixture)

pytestmark = pytest.mark.e2e

TEXT = "Ủy ban nhân dân xã thông báo lịch họp dân vào 8 giờ sáng thứ Bảy."
CHANGED = "Ủy ban nhân dân xã thông báo khẩn: mọi người tập trung ngay tại sân ủy ban."


def test_concurrent_edit_makes_the_leaders_approval_fail(server, tmp_path):  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api")
    db = connect(tmp_path / "home" / "radio.db")
    bulletin_id = bulletins.add_bulletin(db, title="Lịch họp dân", text=TEXT, now=START,
                                         actor=Actor("canbo", "officer"))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            leader = browser.new_context(locale="vi-VN").new_page()
            officer = browser.new_context(locale="vi-VN").new_page()
            login(leader, server, "chutich")
            leader.goto(f"{server}/bulletins/{bulletin_id}")
            assert leader.inner_text(".text-box") == TEXT

            # meanwhile the officer, in another browser, changes text, priority and repeats
            login(officer, server, "canbo")
            officer.goto(f"{server}/bulletins/{bulletin_id}/edit")
            officer.fill("#text", CHANGED)
            officer.select_option("#priority", "urgent")
            officer.fill("#repeat_count", "1000")
            officer.click("button[type=submit].primary")
            assert "Đã lưu thay đổi." in officer.inner_text(".flash-success")

            # the leader approves the page they read: refused, in Vietnamese, nothing approved
            leader.once("dialog", lambda dialog: dialog.accept())
            leader.click("button:has-text('Duyệt bản tin')")
            errors = " ".join(leader.locator(".flash-error").all_inner_texts())  # the daemon alert is one too
            assert f"Bản tin số {bulletin_id} đã bị sửa sau khi bạn mở ra xem" in errors
            row = bulletins.get_bulletin(db, bulletin_id)
            assert (row["status"], row["priority"], row["approved_by"]) == ("draft", "urgent", None)

            # the page now shows what changed; approving that is the leader's informed choice
            assert leader.inner_text(".text-box") == CHANGED
            leader.once("dialog", lambda dialog: dialog.accept())
            leader.click("button:has-text('Duyệt bản tin')")
            assert "Đã duyệt bản tin." in leader.inner_text(".flash-success")
            assert bulletins.get_bulletin(db, bulletin_id)["approved_by"] == "chutich"
        finally:
            browser.close()
            db.conn.close()
