"""Keeping aired programmes replayable runs on its own thread: renders never wait behind it."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from datetime import datetime, timedelta

import pytest

from audio import worker
from radio.speech import rendering
from radio.clock import STATION_TZ
from radio.station import Station
from radio.station.proofkeeper import ProofKeeper
from tests.support.waiting import until


def old_programme(home, clock, name="slot1_old.wav"):
    home.programmes.mkdir(parents=True, exist_ok=True)
    path = home.programmes / name
    path.write_bytes(b"RIFF")
    when = (clock.now() - timedelta(days=20)).timestamp()
    os.utime(path, (when, when))
    return path


def test_a_render_is_not_held_up_while_secure_runs(home, clock, monkeypatch):
    path = old_programme(home, clock)
    securing, release = threading.Event(), threading.Event()

    def slow_secure(db, home_, programme):  # a 15-minute programme re-assembled on a loaded PC
        securing.set()
        release.wait(60)
        return True

    rendered = threading.Event()
    real_render = rendering.render_pending

    def spy(*args, **kwargs):
        rendered.set()
        return real_render(*args, **kwargs)

    monkeypatch.setattr(rendering, "render_pending", spy)
    station = Station(home, output=f"file:{home.outputs}", clock=clock, secure=slow_secure)
    station.start()
    try:
        assert securing.wait(30)
        rendered.clear()
        # kicked as an approval does; a kick that lands while the start-up pass is still
        # rendering is skipped as a second instance of the job, so kick until a pass starts
        deadline = time.monotonic() + 30
        while not rendered.is_set() and time.monotonic() < deadline:
            station.scheduler.modify_job("render", next_run_time=datetime.now(STATION_TZ))
            rendered.wait(0.5)
        assert rendered.is_set(), "the render waited behind secure()"
        assert path.exists() and not release.is_set()  # secure() was still running meanwhile
        release.set()
        until(lambda: not path.exists())  # secure() said yes: the WAV went
    finally:
        release.set()
        station.shutdown()
        station.stop()
    assert not station.proof._thread.is_alive()


@pytest.mark.parametrize("error, level, said", [
    # a bug or a killed helper: logged with its traceback, for whoever mends it
    (RuntimeError("helper process killed"), logging.ERROR, "helper process killed"),
    # written as the finding: a database held 75 s by another program across a slot left a
    # traceback in the daemon's output, where an officer reads what went wrong; what SQLite
    # says after its busy timeout is now one line naming the cause
    (sqlite3.OperationalError("database is locked"), logging.WARNING,
     "the database was locked by another program for too long"),
])
def test_a_failed_pass_is_logged_and_tried_again(home, clock, caplog, error, level, said):
    path = old_programme(home, clock)
    calls = []

    def fails_once(db, home_, programme):
        calls.append(programme)
        if len(calls) == 1:
            raise error
        return True

    keeper = ProofKeeper(home, lambda: {"keep_programmes_days": 14, "keep_proof_days": 366}, clock.now,
                         interval_s=0.05, secure=fails_once)
    with caplog.at_level(logging.WARNING, "radio.station.proof"):
        keeper.start()
        try:
            until(lambda: not path.exists())
        finally:
            keeper.stop()
    assert len(calls) == 2
    (record,) = [r for r in caplog.records if "replayable failed" in r.getMessage()]
    assert record.levelno == level and "trying again" in record.getMessage()
    assert said in (record.getMessage() if level == logging.WARNING else caplog.text)
    assert (record.exc_info is None) == (level == logging.WARNING)


def test_a_dead_keeper_thread_is_started_again(home, clock):
    keeper = ProofKeeper(home, lambda: {"keep_programmes_days": 14, "keep_proof_days": 366}, clock.now,
                         interval_s=0.05)
    assert not keeper.ensure_running()  # never started: nothing to bring back
    keeper.start()
    try:
        assert not keeper.ensure_running()
        dead = threading.Thread(target=lambda: None)
        dead.start()
        dead.join()
        keeper._thread = dead  # as if the loop had died
        passes = keeper.passes
        assert keeper.ensure_running()
        until(lambda: keeper.passes > passes)
    finally:
        keeper.stop()
    assert not keeper.ensure_running()  # stopped on purpose: left stopped


def _sleep_long() -> None:
    time.sleep(600)


def test_stop_cuts_a_reassembly_in_its_helper_short(home, clock):
    old_programme(home, clock)
    started = threading.Event()

    def secure_in_helper(db, home_, programme):
        started.set()
        worker.run(_sleep_long)  # the keeper's own helper, as rebuild() uses it
        return True

    keeper = ProofKeeper(home, lambda: {"keep_programmes_days": 14, "keep_proof_days": 366}, clock.now,
                         secure=secure_in_helper)
    keeper.start()
    assert started.wait(30)
    until(lambda: keeper._pool.processes() == 1)
    t0 = time.monotonic()
    keeper.stop(timeout=30)
    assert not keeper._thread.is_alive() and time.monotonic() - t0 < 20
    assert keeper._pool.processes() == 0


def test_freed_heap_is_given_back_to_the_system():
    import subprocess
    import sys

    # in a fresh interpreter: pytest's own heap would blur the figure
    code = """
import psutil
from radio.station import memory
process = psutil.Process()
blocks = [bytearray(64 * 1024) for _ in range(3000)]  # ~190 MB below the mmap threshold: heap
keep = bytearray(64 * 1024)  # on top of the heap, so free() alone cannot shrink it
del blocks
before = process.memory_info().rss
assert memory.trim()
print((before - process.memory_info().rss) // 2**20)
"""
    freed_mb = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True).stdout)
    assert freed_mb > 100
