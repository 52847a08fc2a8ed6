"""A leader edits an officer's slot on a phone in Debian's Chromium (real server, CSRF on).

A move, fewer days and another output stop the slot airing where it did: the
leader's edits (radio.schedule.slot_guard), as pausing is."""

from __future__ import annotations

import re

import pytest

from radio.schedule import outputs, slots
from tests.support.actors import ADMIN

from .conftest import START
from .test_browser_journeys import CANBO, PHONE, browser, login, no_overflow, shot, station, sync_api  # noqa: F401

pytestmark = [pytest.mark.e2e]

SMALL_TARGETS = """() => [...document.querySelectorAll('main button, main .button, main select, main input')]
    .filter(e => e.offsetParent && e.type !== 'hidden' && e.type !== 'checkbox'
                 && e.getBoundingClientRect().height < 43.5)
    .map(e => e.outerHTML.slice(0, 80))"""


def test_leader_edits_a_slot_on_a_phone(station, browser):  # noqa: F811
    base, db, _ = station
    outputs.add_output(db, name="thon2", spec="pulse:thon2", label="Cụm loa thôn 2", actor=ADMIN, now=START)
    slot_id = slots.add_slot(db, at="17:00", days="mon,wed,fri", now=START, name="Buổi chiều", cap_minutes=15,
                             actor=CANBO)
    page = browser.new_page(viewport=PHONE, locale="vi-VN", has_touch=True, is_mobile=True)
    login(page, base, "chutich")
    page.click("nav >> text=Khung giờ")
    page.click(f"a[href='/slots/{slot_id}/edit']")
    page.wait_for_selector("h1:has-text('Sửa khung giờ 17:00')")
    assert page.input_value("#at") == "17:00" and page.input_value("#cap_minutes") == "15"
    assert page.is_checked("input[name=days][value=wed]") and not page.is_checked("input[name=days][value=tue]")
    no_overflow(page)
    assert page.evaluate(SMALL_TARGETS) == []
    page.fill("#at", "04:45")  # before the quiet hours end: warned while typing
    sync_api.expect(page.locator("#quiet-hint")).to_have_class(re.compile(r"\bflash-warning\b"))
    page.uncheck("input[name=days][value=fri]")
    page.check("input[name=days][value=sun]")
    page.select_option("#output", "thon2")
    shot(page, "slot-edit-phone")
    page.click("button:has-text('Lưu thay đổi')")
    assert "Đã lưu khung giờ 04:45 (Thứ hai, Thứ tư, Chủ nhật)." in page.inner_text(".flash-success")
    assert page.locator(".flash-warning", has_text="04:45").count() == 1  # the quiet-hours warning
    slot = slots.get_slot(db, slot_id)
    assert (slot["at_time"], slot["days"], slot["output"], slot["name"]) == (
        "04:45:00", "mon,wed,sun", "thon2", "Buổi chiều")
    no_overflow(page)

    # a bad time is refused on the page, nothing changes, the typed values stay
    page.goto(f"{base}/calendar/")
    page.click(f".calendar a[href='/slots/{slot_id}/edit'] >> nth=0")
    page.wait_for_selector("h1:has-text('Sửa khung giờ 04:45')")
    page.fill("#valid_from", "2026-12-10")
    page.fill("#valid_until", "2026-12-01")
    page.click("button:has-text('Lưu thay đổi')")
    assert page.locator(".flash-error", has_text="ngày hết hiệu lực đứng trước ngày bắt đầu").count() == 1
    assert page.input_value("#valid_from") == "2026-12-10"
    assert slots.get_slot(db, slot_id)["valid_from"] is None
    no_overflow(page)
