"""In Chromium, on waitress as radio serve runs it: the pages break none of the
Content-Security-Policy, a dismissed confirmation posts nothing, the admin
cannot be framed by another site, and an open redirect after login fails."""

import threading
from pathlib import Path

import pytest
from waitress import create_server

from radio.bulletins import lifecycle as bulletins
from radio.store.connection import connect
from radio.accounts.users import add_user
from web import create_app

from .conftest import PASSWORD, START
from .test_browser import ARGS, CHROMIUM
from tests.support.actors import OFFICER

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


@pytest.fixture
def server(tmp_path, clock):
    app = create_app({"RADIO_HOME": str(tmp_path / "home"), "CLOCK": clock, "RENDER_ON_APPROVE": False})
    db = connect(tmp_path / "home" / "radio.db")
    add_user(db, username="chutich", password=PASSWORD, role="admin", now=START)
    bulletin_id = bulletins.add_bulletin(db, actor=OFFICER, title="Thông báo thử", text="Nội dung thông báo thử.", now=START)
    db.conn.close()
    http = create_server(app, host="127.0.0.1", port=0, threads=4, ident="radio")
    thread = threading.Thread(target=http.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.effective_port}", bulletin_id, tmp_path / "home" / "radio.db"
    http.close()
    http.task_dispatcher.shutdown()


def test_pages_keep_the_csp_and_confirmations_work(server, tmp_path):
    base, bulletin_id, db_path = server
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(locale="vi-VN")
            violations = []
            page.on("console", lambda msg: violations.append(msg.text)
                    if "Content Security Policy" in msg.text else None)
            page.goto(f"{base}/auth/login?next=/%09/evil.example/steal")
            page.fill("#username", "chutich")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            assert page.url == f"{base}/bulletins/"  # not evil.example
            for path in ("/bulletins/", f"/bulletins/{bulletin_id}", "/slots/", "/schedule/", "/log/",
                         "/auth/password", "/bulletins/new", "/bulletins/import", "/users/"):
                page.goto(base + path)
            assert violations == []

            page.goto(f"{base}/bulletins/{bulletin_id}")
            posts = []
            page.on("request", lambda req: posts.append(req.url) if req.method == "POST" else None)
            page.once("dialog", lambda dialog: dialog.dismiss())
            page.click("button:has-text('Duyệt bản tin')")
            page.goto(f"{base}/schedule/")  # a submit would have been sent before this request
            assert posts == []
            db = connect(db_path)
            assert bulletins.get_bulletin(db, bulletin_id)["status"] == "draft"
            db.conn.close()

            # another site framing the admin gets an empty frame
            evil = tmp_path / "evil.html"
            evil.write_text(f'<iframe id="f" src="{base}/auth/login"></iframe>')
            page.goto(evil.as_uri(), wait_until="load")  # load waits for the frame too
            frame = page.frame_locator("#f")
            assert frame.locator("text=Đăng nhập").count() == 0
        finally:
            browser.close()
