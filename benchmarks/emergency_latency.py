"""Emergency button to first sample at the sink, with the real daemon, admin and browser.

A leader in headless Chromium types a new emergency text, presses "Phát khẩn
cấp…", then "Phát ngay" on the confirmation page; the clock runs from that
click to the first sample arriving at a PulseAudio null sink (timestamped on
its monitor by ``parecord``). Side by side, the baseline: "Phát ngay" on a
bulletin that is already approved and rendered (the old play-now path), so the
ratio shows what typing a new text costs (bulletin, approval, speech render).

The daemon runs as ``radio station --output pulse:radio_out`` with the
station's default settings except the engine (espeak-ng: this machine has no
route to Google), so the intro jingle is the first thing heard.

Run: ``.venv/bin/python benchmarks/emergency_latency.py [--runs 5]``. Target: ≤ 3 s.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.serving import make_server  # noqa: E402

from radio.store.connection import connect  # noqa: E402
from radio.accounts.users import add_user  # noqa: E402
from tests.e2e.station_process import RADIO, StationCli, stop, wait_for  # noqa: E402
from tests.support.pulse import PulseServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "mat-khau-benchmark"


def _serve(home: Path):
    from radio.clock import SystemClock
    from web import create_app

    app = create_app({"RADIO_HOME": str(home), "CLOCK": SystemClock()})
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    return http, f"http://127.0.0.1:{http.server_port}"


def _urgent_rows(home: Path) -> int:
    db = connect(home / "radio.db")
    try:
        return db.execute("SELECT count(*) FROM occurrences WHERE kind = 'urgent'").fetchone()[0]
    finally:
        db.conn.close()


def _measure(page, recorder, home: Path, click_selector: str, done_before: int) -> float:
    started = time.monotonic()
    page.click(click_selector)
    try:
        heard = wait_for(lambda: recorder.first_sound_monotonic(after=started, threshold=30), timeout=60,
                         interval=0.01)
    except AssertionError:
        db = connect(home / "radio.db")
        print("no sound; last log rows:", [dict(r) for r in db["occurrences"].rows][-3:],
              [dict(r) for r in db["commands"].rows][-2:], file=sys.stderr)
        raise
    wait_for(lambda: _urgent_rows(home) > done_before, timeout=120)  # aired and logged
    recorder.wait_for_silence(0.3, timeout_s=30)
    return heard - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from playwright.sync_api import sync_playwright

    with TemporaryDirectory() as tmp, PulseServer() as pulse:
        home = Path(tmp) / "home"
        cli = StationCli(home, {**pulse.env(), "NO_PROXY": "*"})
        cli.run("settings", "set", "engine", "espeak")
        baseline_id = cli.add_approved("Thông báo mẫu", "Đây là thông báo đã duyệt và đã tạo giọng đọc.")
        db = connect(home / "radio.db")
        add_user(db, username="chutich", password=PASSWORD, role="leader", now=datetime.now(UTC),
                 display_name="Chủ tịch")
        db.conn.close()
        http, base = _serve(home)
        # the daemon's log goes to a file: an unread pipe fills up and blocks the daemon
        daemon_log = open(Path(tmp) / "station.log", "w")
        proc = subprocess.Popen([*RADIO, "-v", "station", "--output", "pulse:radio_out"], env=cli.env,
                                stdout=daemon_log, stderr=subprocess.STDOUT, text=True)
        typed, baseline = [], []
        try:
            with pulse.record() as recorder, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
                page.goto(f"{base}/auth/login")
                page.fill("#username", "chutich")
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")
                time.sleep(3)  # let the daemon finish starting (heartbeat, first sync)
                for n in range(args.runs):
                    page.goto(f"{base}/bulletins/{baseline_id}")
                    page.once("dialog", lambda d: d.accept())
                    baseline.append(_measure(page, recorder, home, "button:has-text('Phát ngay')",
                                             _urgent_rows(home)))
                    page.goto(f"{base}/emergency/")
                    page.fill("#text", f"Thông báo khẩn số {n + 1}: nước sông đang lên nhanh, "
                                       "bà con vùng trũng di chuyển lên chỗ cao ngay.")
                    page.click("button:has-text('Phát khẩn cấp')")
                    typed.append(_measure(page, recorder, home, "#confirm-emergency", _urgent_rows(home)))
                    print(f"run {n + 1}: typed {typed[-1]:.2f} s, baseline {baseline[-1]:.2f} s", flush=True)
                browser.close()
        finally:
            stop(proc)
            daemon_log.close()
            http.shutdown()
    print(f"click → first sample, {args.runs} runs")
    print(f"  emergency (typed, new text): median {statistics.median(typed):.2f} s, max {max(typed):.2f} s")
    print(f"  baseline (Phát ngay, rendered): median {statistics.median(baseline):.2f} s, "
          f"max {max(baseline):.2f} s")
    print(f"  ratio typed / baseline (median): {statistics.median(typed) / statistics.median(baseline):.2f}×")
    print(f"  target ≤ 3 s: {'met' if max(typed) <= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
