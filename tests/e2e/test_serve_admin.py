"""``radio serve`` as a user runs it: waitress, security headers, private files, first run,
and the logout replay against the real server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading

import pytest
import requests

from tests.support.processes import end

from .station_process import wait_for

pytestmark = pytest.mark.e2e
RADIO = [sys.executable, "-m", "radio"]
PASSWORD = "cai-loa-thon-ba"


@pytest.fixture
def serve(tmp_path):
    home = tmp_path / "station"
    env = {**os.environ, "RADIO_HOME": str(home)}
    procs = []

    def start(*extra: str):
        proc = subprocess.Popen([*RADIO, "serve", "--no-station", "--port", "0", *extra], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        procs.append(proc)
        lines: list[str] = []
        # read in a thread, so a server that hangs fails the wait instead of blocking it
        def read():
            for line in proc.stdout:
                lines.append(line)

        threading.Thread(target=read, daemon=True).start()

        def address():
            if proc.poll() is not None:
                pytest.fail("radio serve exited:\n" + "".join(lines))
            found = [re.search(r"Admin: (http://\S+)/", line) for line in lines]
            return next((m[1] for m in found if m), None)

        return wait_for(address, timeout=60), lines

    yield home, env, start
    for proc in procs:
        end(proc, timeout_s=10)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)[1]


def test_first_run_then_login_logout_replay_on_waitress(serve):
    home, env, start = serve
    base, output = start()
    # no account yet: the one-time code is printed
    wait_for(lambda: any("setup code" in line for line in output), timeout=10)
    web = requests.Session()
    page = web.get(f"{base}/auth/login", timeout=10)
    assert page.url.endswith("/auth/setup")
    headers = page.headers
    assert "werkzeug" not in headers.get("Server", "").lower() and headers["Server"] == "radio"
    assert headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin"
    done = web.post(f"{base}/auth/setup", timeout=30, data={
        "csrf_token": _csrf(page.text), "username": "quantri", "display_name": "Quản trị",
        "password": PASSWORD, "confirm": PASSWORD})
    assert done.url.endswith("/bulletins/") and "Đăng xuất" in done.text
    cookie = done.history[0].headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    stolen = web.cookies.get("session")
    web.post(f"{base}/auth/logout", data={"csrf_token": _csrf(done.text)}, timeout=10)
    replay = requests.get(f"{base}/bulletins/", cookies={"session": stolen}, allow_redirects=False, timeout=10)
    assert replay.status_code == 302 and "/auth/login" in replay.headers["Location"]

    # the files holding password hashes and the secret key are the owner's alone
    assert home.stat().st_mode & 0o777 == 0o700
    for name in ("radio.db", "radio.db-wal", "radio.db-shm", "secret_key", "radio.toml"):
        if (home / name).exists():
            assert (home / name).stat().st_mode & 0o077 == 0, name
    assert (home / "radio.db").exists() and (home / "secret_key").exists()

    listing = subprocess.run([*RADIO, "user", "list"], env=env, capture_output=True, text=True, timeout=60)
    assert listing.stdout.split()[:3] == ["quantri", "admin", "enabled"]
