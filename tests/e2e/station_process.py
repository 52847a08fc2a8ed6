"""Drive the real ``radio`` CLI and daemon as subprocesses, as a user would."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from radio.clock import STATION_TZ

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

    def start_station(self, output: str, *, ahead_s: float = 0.0) -> subprocess.Popen:
        """Start the daemon.

        :param ahead_s: the daemon's clock runs this many seconds ahead of real time
            (RADIO_TEST_CLOCK), for a test about what it decides rather than when: a slot
            added *ahead_s* + 5 s from now is 5 s away for it as it starts, not a real
            lead's wait. Every instant the daemon writes is on its clock: the real instant
            is ``ahead_s`` earlier. The other commands of the test stay on the real clock.
        """
        env = {**self.env, "RADIO_TEST_CLOCK": f"{ahead_s:+.3f}"} if ahead_s else self.env
        return subprocess.Popen([*RADIO, "-v", "station", "--output", output], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def offline_station(tmp_path: Path) -> StationCli:
    """A station in *tmp_path*/home that never reaches Google (gTTS falls back to espeak-ng)."""
    return StationCli(tmp_path / "home", {"NO_PROXY": "*"})


def quick_station(home: Path, **settings) -> StationCli:
    """A station in *home* that speaks with espeak-ng, without jingles, ident or long gaps."""
    cli = StationCli(home, {"NO_PROXY": "*"})
    values = {"engine": "espeak", "use_jingles": "false", "ident_text": "", "gap_ms": "200", **settings}
    for name, value in values.items():
        cli.run("settings", "set", name, str(value))
    return cli


def query(home: Path, sql: str, args=()) -> list[dict]:
    """Read-only, without migrating: the station may be creating its database right now."""
    if not (home / "radio.db").exists():
        return []
    conn = sqlite3.connect(f"file:{home / 'radio.db'}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, args)]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise
    finally:
        conn.close()


def logged(home: Path) -> list[dict]:
    """The proof-log rows of the station in *home*, oldest first."""
    return query(home, "SELECT * FROM occurrences ORDER BY id")


def items_of(home: Path, key: str) -> list[dict]:
    """The items of the entry *key*, in programme order."""
    return query(home, "SELECT i.* FROM occurrence_items i JOIN occurrences o ON o.id = i.occurrence_id "
                       "WHERE o.key = ? ORDER BY position", [key])


def air_one_slot(cli: StationCli, output: str, *, seconds_ahead: float, timeout: float,
                 ahead_s: float = 0.0) -> tuple[datetime, list[dict], str]:
    """Add a one-off slot *seconds_ahead*, run the daemon (its clock *ahead_s* ahead, see
    :meth:`StationCli.start_station`) until the slot has its log row (within *timeout*
    seconds), then stop it.

    :return: the slot's instant, the log rows and the daemon's output
    """
    when = cli.one_off_slot(seconds_ahead)
    proc = cli.start_station(output, ahead_s=ahead_s)
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
