"""Heavy work in helper processes: same answers, exceptions raised again, helpers that exit."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from audio import worker
from audio.checks import SilentAudioError
from tests.support.waiting import until


def chatty_sum(a: int, b: int) -> int:
    print("noise on stdout that must not reach the answer pipe")
    os.write(1, b"and more from a C library\n")
    return a + b


def loud_modules() -> list[str]:
    import audio.loudness  # noqa: F401
    import pyloudnorm  # noqa: F401

    return sorted(m for m in ("scipy", "pyloudnorm") if m in sys.modules)


def refuse(label: str) -> None:
    raise SilentAudioError(label, "is only 10 ms long (minimum 300 ms)")


def pid() -> int:
    return os.getpid()


def block(path: str) -> None:
    open(path, "w").close()
    time.sleep(600)


@pytest.fixture
def pool():
    p = worker.Pool(idle_exit_s=60)
    yield p
    p.stop()


def test_a_call_runs_in_another_process_and_returns_its_result(pool):
    assert pool.run(chatty_sum, 2, b=3) == 5
    assert pool.run(pid) != os.getpid()
    assert pool.run(loud_modules) == ["pyloudnorm", "scipy"]


def test_a_burst_reuses_one_helper(pool):
    assert len({pool.run(pid) for _ in range(5)}) == 1
    assert pool.processes() == 1


def test_the_functions_exception_is_raised_again_with_its_message(pool):
    with pytest.raises(SilentAudioError) as info:
        pool.run(refuse, "/tmp/x.wav")
    assert info.value.label == "/tmp/x.wav" and info.value.reason.startswith("is only 10 ms")
    assert str(info.value) == str(SilentAudioError("/tmp/x.wav", "is only 10 ms long (minimum 300 ms)"))
    assert pool.run(chatty_sum, 1, 1) == 2  # the helper carries on


def _blocked_call(pool, flag) -> tuple[threading.Thread, list]:
    """A call that blocks in its helper until stopped, and the errors it raised."""
    errors = []

    def call():
        try:
            pool.run(block, str(flag))
        except worker.WorkerError as exc:
            errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    until(flag.exists)
    return thread, errors


def test_concurrent_calls_get_helpers_of_their_own(pool, tmp_path):
    blocker, errors = _blocked_call(pool, tmp_path / "blocked")
    assert pool.run(chatty_sum, 1, 2) == 3  # not queued behind the busy one
    assert pool.processes() == 2
    pool.stop()  # the daemon stopping: the busy call ends at once
    blocker.join(10)
    assert not blocker.is_alive() and len(errors) == 1 and pool.processes() == 0


def test_a_helper_that_dies_raises_worker_error_and_the_next_call_works(pool, tmp_path):
    thread, errors = _blocked_call(pool, tmp_path / "blocked")
    (helper,) = pool._busy
    helper.proc.kill()  # the kernel's OOM killer, say
    thread.join(10)
    assert len(errors) == 1 and "stopped" in str(errors[0])
    assert pool.run(chatty_sum, 2, 2) == 4


def test_idle_helpers_exit_and_give_their_memory_back():
    pool = worker.Pool(idle_exit_s=0.3)
    try:
        pool.run(loud_modules)
        assert pool.processes() == 1
        until(lambda: pool.processes() == 0, timeout_s=20)
        assert pool.run(chatty_sum, 3, 4) == 7  # a new helper starts on demand
    finally:
        pool.stop()


def test_a_thread_can_use_a_pool_of_its_own(pool):
    seen = []

    def work():
        worker.use(pool)
        seen.append(worker.run(pid))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert seen and pool.processes() == 1


def test_a_warmed_helper_has_its_modules_loaded_and_serves_the_next_call(pool):
    pool.warm("audio.loudness", "pyloudnorm", keep_s=120)
    pool.warm("audio.loudness")  # one is ready already: no second helper
    assert pool.processes() == 1
    (helper,) = pool._idle
    assert pool.run(loud_modules) == ["pyloudnorm", "scipy"]
    assert pool.processes() == 1 and pool._idle == [helper]


def test_when_no_process_can_be_started_the_work_runs_here(pool, monkeypatch, caplog):
    """Out of pids or fds at air time: the programme is still assembled, in this process."""
    def refuse(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(worker.subprocess, "Popen", refuse)
    pool.warm("audio.programme")  # a head start only: no error
    assert pool.run(chatty_sum, 2, 3) == 5
    assert pool.processes() == 0
    assert "running it in this process" in caplog.text


def nap(seconds: float) -> str:
    time.sleep(seconds)
    return "x" * 100_000  # more than a pipe holds, so the write meets the closed pipe


def test_a_helper_whose_caller_died_mid_call_exits_without_a_traceback():
    """A daemon killed with -9 while its helper assembles: the helper's answer meets a closed
    pipe, and it must end quietly instead of writing a BrokenPipeError into the daemon's log."""
    import pickle
    import subprocess

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.Popen([sys.executable, "-c", "from audio.worker import _serve; _serve()"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    pickle.dump((nap, (0.5,), {}), proc.stdin)
    proc.stdin.flush()
    proc.stdout.close()  # the caller is gone before the answer
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
