"""Outputs under faults: a frozen process (dead air) and a disk that refuses writes."""

import errno
import threading
from datetime import UTC, datetime, timedelta

import pytest

from audio.outputs.base import OutputError, Pcm, Progress, pace_writes
from audio.outputs.file import FileOutput

from tests.support.disks import can_mount, fill, mounted_tmpfs

from .conftest import sweep, write_samples


class FreezingClock:
    """A fake monotonic clock moved by sleeps, which jumps *freeze_s* once at *freeze_at*
    (as SIGSTOP or a laptop suspend does to a real process)."""

    def __init__(self, freeze_at: float, freeze_s: float):
        self.now, self.freeze_at, self.freeze_s, self.frozen = 100.0, freeze_at, freeze_s, False

    def __call__(self):
        if not self.frozen and self.now >= self.freeze_at:
            self.frozen = True
            self.now += self.freeze_s
        return self.now

    def sleep(self, seconds):
        self.now += max(seconds, 0.0)


WALL = datetime(2026, 11, 23, 1, 0, 0, tzinfo=UTC)


def test_file_output_names_dead_air_and_plays_the_rest_in_real_time(tmp_path, sweep_wav):
    path, samples = sweep_wav  # 3 s
    clock = FreezingClock(freeze_at=101.0, freeze_s=20.0)
    progress = Progress(stall_s=2.0, now=lambda: WALL + timedelta(seconds=clock.now - 100.0))
    output = FileOutput(tmp_path / "aired", clock=clock, sleep=clock.sleep)
    result = output.play(path, threading.Event(), progress=progress)
    assert result.completed and result.frames_played == len(samples)
    ((began, seconds),) = progress.stalls
    assert seconds == pytest.approx(20.0, abs=0.1)
    assert began == pytest.approx(WALL + timedelta(seconds=1.0), abs=timedelta(seconds=0.1))
    # the 2 s after the freeze took 2 s: not written in one burst when it resumed
    assert clock.now == pytest.approx(100.0 + 3.0 + 20.0, abs=0.1)


def test_paced_writes_name_dead_air_and_keep_pace_after_it():
    pcm = Pcm(sweep(3.0).tobytes(), 44100, 1)
    clock = FreezingClock(freeze_at=101.5, freeze_s=20.0)
    progress = Progress(stall_s=2.0)
    sent = []
    played, _, finished = pace_writes(pcm, sent.append, threading.Event(), clock=clock,
                                      wait=clock.sleep, progress=progress)
    assert finished and played == pcm.frames
    ((_, seconds),) = progress.stalls
    assert seconds == pytest.approx(20.0, abs=0.1)
    assert clock.now == pytest.approx(123.0, abs=0.1)
    assert progress.seconds == pytest.approx(3.0)


def test_short_hiccups_are_not_dead_air(tmp_path, sweep_wav):
    path, _ = sweep_wav
    clock = FreezingClock(freeze_at=101.0, freeze_s=0.5)
    progress = Progress(stall_s=2.0)
    result = FileOutput(tmp_path, clock=clock, sleep=clock.sleep).play(path, threading.Event(),
                                                                         progress=progress)
    assert result.completed and progress.stalls == []


@pytest.fixture
def small_disk(tmp_path):
    """A real 64 KiB tmpfs (root only), to fill up."""
    if not can_mount():
        pytest.skip("mounting a small tmpfs needs root")
    with mounted_tmpfs(tmp_path / "disk", size="64k") as disk:
        yield disk


def test_full_disk_before_the_first_frame_is_an_output_error_and_leaves_no_file(small_disk, tmp_path):
    out = small_disk / "aired"
    out.mkdir()
    fill(small_disk)
    path = write_samples(tmp_path / "p.wav", sweep(1.0))
    with pytest.raises(OutputError) as info:
        FileOutput(out, chunk_ms=50).play(path, threading.Event())
    assert isinstance(info.value.__cause__, OSError) and info.value.__cause__.errno == errno.ENOSPC
    assert "[Errno" not in str(info.value)
    assert list(out.iterdir()) == []


def test_full_disk_midway_returns_what_was_written(small_disk, tmp_path):
    path = write_samples(tmp_path / "p.wav", sweep(3.0))  # 264 KiB: cannot fit in 64 KiB
    clock = FreezingClock(freeze_at=1e9, freeze_s=0)
    result = FileOutput(small_disk, clock=clock, sleep=clock.sleep).play(path, threading.Event())
    assert not result.completed and 0 < result.seconds_played < 1.0
    assert isinstance(result.cause, OSError) and result.cause.errno == errno.ENOSPC


def test_a_player_starved_by_a_freeze_is_no_break_beside_the_dead_air():
    # Found by the frozen-daemon fault test: after a 20 s SIGSTOP, pacat said it ran dry
    # and the row named "dead air of 20 s" and a break, for one silence.
    now = [datetime(2026, 12, 1, 1, 0, 0, tzinfo=UTC)]
    progress = Progress(now=lambda: now[0])
    progress.broke()  # a real break, early on
    now[0] += timedelta(seconds=30)
    progress.broke()  # the player's report as the daemon resumes, before the stall is seen
    now[0] += timedelta(seconds=0.2)
    progress.stalled(20.0)
    now[0] += timedelta(seconds=0.3)
    progress.broke()  # and once more just after
    assert progress.breaks == 1 and progress.snapshot()[2] == 1
    now[0] += timedelta(seconds=10)
    progress.broke()  # a break of its own, later
    assert progress.breaks == 2
