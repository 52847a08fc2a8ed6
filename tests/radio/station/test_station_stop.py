"""Stopping the station while a tick sees a change never deadlocks.

A ``Station.stop()`` that called ``scheduler.shutdown(wait=True)`` held APScheduler's
job-store lock while it joined the job pools; a tick that saw a change held the
station's database lock and called ``scheduler.modify_job`` (which needs the job-store
lock), and the render job waited on the database lock: nothing moved again.
"""

import threading
import time

from apscheduler.schedulers.base import STATE_STOPPED

from audio.outputs.base import BaseOutput
from radio.station import Station
from radio.store.connection import bump_revision, connect

RUNS = 200
STOP_BOUND_S = 10.0


class SilentOutput(BaseOutput):
    name = "fake"

    def play(self, wav_path, stop, on_start=None, progress=None):
        raise AssertionError("nothing airs in this test")


def test_stopping_while_a_tick_sees_a_change_never_hangs(home, clock):
    db = connect(home.database)
    hung = []
    for run in range(RUNS):
        bump_revision(db)  # the tick sees a change: it reloads settings and asks for a render
        station = Station(home, output="fake", clock=clock, output_factory=lambda spec: SilentOutput())
        in_tick = threading.Event()
        reload = station.reload_settings

        def reload_while_stopping(station=station, reload=reload, in_tick=in_tick):
            # inside the tick, with the database lock held: wait until stop() is shutting the
            # scheduler down, so the tick's scheduler call meets the shutdown every time
            in_tick.set()
            deadline = time.monotonic() + 2
            while station.scheduler.state != STATE_STOPPED and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(0.002)  # let shutdown() take its locks
            reload()

        station.reload_settings = reload_while_stopping
        station.start()
        assert in_tick.wait(10), f"run {run}: the first tick never came"
        stopper = threading.Thread(target=station.stop, daemon=True)
        started = time.monotonic()
        stopper.start()
        stopper.join(STOP_BOUND_S)
        if stopper.is_alive():
            hung.append(run)
            break  # a deadlocked station keeps its threads; no point going on
        assert time.monotonic() - started < STOP_BOUND_S
        station.db.conn.close()
    db.conn.close()
    assert not hung, f"stop() hung in run {hung[0]} of {RUNS}"
