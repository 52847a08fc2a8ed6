"""Drive the real ``radio`` CLI and daemon as subprocesses, as a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from radio.clock import STATION_TZ
from radio.store import connect

RADIO = [sys.executable, "-m", "radio"]

#: a bulletin long enough to hear (several seconds of speech), with the numbers, dates
#: and times the normaliser has to read out
CCHC_TEXT = ("Thực hiện Kế hoạch số 26/KH-UBND ngày 26/01/2022 của UBND xã, bộ phận một cửa tiếp nhận "
             "hồ sơ dịch vụ công trực tuyến mức độ 3, 4 từ 7h30 đến 17h00.")


class StationCli:
    def __init__(self, home: Path, extra_env: dict | None = None):
        self.home = home
        self.env = {**os.environ, "RADIO_HOME": str(home), **(extra_env or {})}

    def run(self, *args: str, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
        done = subprocess.run([*RADIO, *args], env=self.env, capture_output=True, text=True,
                              input=input, timeout=120)
        if check and done.returncode != 0:
            raise AssertionError(f"radio {' '.join(args)} failed: {done.stdout}{done.stderr}")
        return done

    def add_approved(self, title: str, text: str, **options: str) -> int:
        extra = [x for k, v in options.items() for x in (f"--{k}", v)]
        new_id = int(self.run("bulletin", "add", "--title", title, "--text", text, *extra).stdout)
        self.run("bulletin", "approve", str(new_id), "--by", "Chủ tịch UBND xã")
        return new_id

    def one_off_slot(self, seconds_ahead: float) -> datetime:
        when = (datetime.now(STATION_TZ) + timedelta(seconds=seconds_ahead)).replace(microsecond=0)
        self.run("slot", "add", "--at", when.strftime("%H:%M:%S"), "--date", when.date().isoformat())
        return when

    def start_station(self, output: str) -> subprocess.Popen:
        return subprocess.Popen([*RADIO, "-v", "station", "--output", output], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def offline_station(tmp_path: Path) -> StationCli:
    """A station in *tmp_path*/home that never reaches Google (gTTS falls back to espeak-ng)."""
    return StationCli(tmp_path / "home", {"NO_PROXY": "*"})


def logged(home: Path) -> list[dict]:
    """The proof-log rows of the station in *home*, oldest first."""
    db = connect(home / "radio.db")
    try:
        return [dict(r) for r in db["occurrences"].rows_where(order_by="id")]
    finally:
        db.conn.close()


def air_one_slot(cli: StationCli, output: str, *, seconds_ahead: float,
                 timeout: float) -> tuple[datetime, list[dict], str]:
    """Add a one-off slot *seconds_ahead*, run the daemon until the slot has its log row
    (within *timeout* seconds), then stop it.

    :return: the slot's instant, the log rows and the daemon's output
    """
    when = cli.one_off_slot(seconds_ahead)
    proc = cli.start_station(output)
    try:
        rows = wait_for(lambda: logged(cli.home), timeout=timeout)
    finally:
        output_text = stop(proc)
    return when, rows, output_text


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 15) -> str:
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        raise AssertionError(f"station did not stop within {timeout} s:\n{out}")
    return out or ""


def wait_for(predicate, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")
