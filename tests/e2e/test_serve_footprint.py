"""``radio serve`` after a working morning: two programmes aired, the log page and a report
opened. The heavy libraries ran in helper processes that have exited; the server itself
never loaded scipy or matplotlib (read from its memory map, not from timings)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import psutil
import pytest
import requests

from radio.store.connection import connect
from radio.accounts.users import create_first_admin
from tests.e2e.station_process import StationCli, wait_for
from tests.support.processes import end

pytestmark = pytest.mark.e2e
PASSWORD = "cai-loa-thon-ba"
HEAVY = ("/scipy/", "/matplotlib/", "/pyloudnorm/")


def loaded_heavy_libraries(pid: int) -> set[str]:
    maps = Path(f"/proc/{pid}/maps").read_text()
    return {name.strip("/") for name in HEAVY if name in maps}


def login(base: str) -> requests.Session:
    session = requests.Session()
    html = session.get(f"{base}/auth/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)[1]
    reply = session.post(f"{base}/auth/login", data={"csrf_token": token, "username": "admin",
                                                      "password": PASSWORD}, allow_redirects=False, timeout=30)
    assert reply.status_code == 302
    return session


def logged(home: Path) -> list[dict]:
    db = connect(home / "radio.db")
    try:
        return [dict(r) for r in db["occurrences"].rows]
    finally:
        db.conn.close()


@pytest.mark.long
def test_serve_keeps_no_heavy_library_after_airing_and_the_log_page(tmp_path):
    cli = StationCli(tmp_path / "home", {"NO_PROXY": "*"})
    cli.run("init")
    db = connect(cli.home / "radio.db")
    create_first_admin(db, username="admin", password=PASSWORD, now=datetime.now(UTC))
    db.conn.close()
    cli.add_approved("Thông báo CCHC", "UBND xã thông báo lịch tiếp công dân vào sáng thứ Hai hằng tuần.",
                     repeat="2")
    cli.add_approved("Lịch tiêm chủng", "Trạm y tế xã tổ chức tiêm chủng cho trẻ em vào ngày 15 hằng tháng.",
                     repeat="2")
    cli.one_off_slot(30)
    cli.one_off_slot(55)
    # about memory, not time: the daemon's clock runs 20 s ahead (RADIO_TEST_CLOCK), the
    # first slot is 10 s away as it starts
    proc = subprocess.Popen([sys.executable, "-m", "radio", "serve", "--port", "0", "--output",
                             f"file:{tmp_path / 'aired'}"], env={**cli.env, "RADIO_TEST_CLOCK": "+20"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    try:
        def address():
            assert proc.poll() is None, "".join(lines)
            found = [re.search(r"Admin: (http://\S+)/", line) for line in lines]
            return next((m[1] for m in found if m), None)

        base = wait_for(address, timeout=60)
        rows = wait_for(lambda: (r := logged(cli.home)) and len(r) == 2 and r, timeout=180)
        assert [r["status"] for r in rows] == ["aired", "aired"], (rows, "".join(lines))
        session = login(base)
        page = session.get(f"{base}/log/", timeout=120)
        assert page.status_code == 200 and "data:image/png;base64," in page.text
        month = datetime.now(UTC).strftime("%Y-%m")
        report = session.get(f"{base}/log/export.docx", params={"month": month}, timeout=120)
        assert report.status_code == 200 and report.content[:2] == b"PK"
        server = psutil.Process(proc.pid)
        assert loaded_heavy_libraries(proc.pid) == set()
        # the helpers that did the work exit once idle, memory and all
        wait_for(lambda: not [c for c in server.children(recursive=True) if "python" in c.name()],
                 timeout=120, interval=1.0)
        assert loaded_heavy_libraries(proc.pid) == set()
        assert "Traceback" not in "".join(lines)
    finally:
        end(proc, timeout_s=30)
