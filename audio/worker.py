"""Heavy, rare work in helper processes that exit when idle.

Loudness measurement pulls in scipy and pyloudnorm (some 70 MB), the report
chart matplotlib (some 30 MB), and a 15-minute programme is a few hundred MB
of float samples while it is levelled. A long-lived ``radio serve`` that did
this itself would keep all of it for the rest of the day (C extensions never
unload, and freed heap is not always returned). :func:`run` instead calls the
function in a helper ``python`` process, which is kept for
:data:`IDLE_EXIT_S` so a burst of work pays its start-up once, then ends and
gives its memory back to the system.

The function and its arguments travel pickled (a function by its module and
name), so they must be importable module-level objects; its exceptions are
raised again in the caller. Results should be small: write audio to a file and
return its description.
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import subprocess
import sys
import threading
import time
from typing import Any, Callable

log = logging.getLogger("audio.worker")

#: a helper with nothing to do for this long (in seconds) exits
IDLE_EXIT_S = 30.0


class WorkerError(RuntimeError):
    """The helper process died or was stopped before it answered (no result, nothing to retry here)."""


class _Helper:
    """One helper process and its two pipes."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        env = dict(os.environ)
        # the helper imports what the caller can, even from a source tree that is not installed
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from audio.worker import _serve; _serve(sys.argv[1:])",
             *preload], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)
        self.expires_at = time.monotonic()

    def call(self, func: Callable, args: tuple, kwargs: dict) -> tuple[bool, Any]:
        """(True, result) or (False, the exception the function raised)."""
        try:
            pickle.dump((func, args, kwargs), self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.proc.stdin.flush()
            return pickle.load(self.proc.stdout)
        # ValueError: the pipe closed under the read by a stop on another thread (the stop
        # that ends a busy helper), which the buffered reader reports as no buffer at all
        except (EOFError, OSError, ValueError, pickle.UnpicklingError) as exc:
            code = self.proc.poll()
            raise WorkerError(f"the helper process for {getattr(func, '__qualname__', func)} stopped "
                              f"({'exit code ' + str(code) if code is not None else exc})") from None

    def close(self) -> None:
        """End the helper: EOF asks it to leave; a busy one is killed."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


class Pool:
    """Helper processes started on demand, one per concurrent call, ended after :data:`IDLE_EXIT_S` idle."""

    def __init__(self, idle_exit_s: float = IDLE_EXIT_S):
        self.idle_exit_s = idle_exit_s
        self._idle: list[_Helper] = []
        self._busy: set[_Helper] = set()
        self._cond = threading.Condition()
        self._reaper: threading.Thread | None = None

    def run(self, func: Callable, /, *args, **kwargs) -> Any:
        """``func(*args, **kwargs)`` in a helper process.

        :raise WorkerError: the helper died (killed, out of memory) or :meth:`stop` ended it.
        """
        with self._cond:
            helper = self._idle.pop() if self._idle else None
        if helper is not None and helper.proc.poll() is not None:
            helper.close()
            helper = None
        if helper is None:
            try:
                helper = _Helper()
            except OSError as exc:
                # no process to be had (out of fds, pids or memory): the helper only keeps
                # memory down, so the work is done here rather than a broadcast lost
                log.warning("no helper process for %s (%s); running it in this process",
                            getattr(func, "__qualname__", func), exc)
                return func(*args, **kwargs)
        with self._cond:
            self._busy.add(helper)
        try:
            ok, value = helper.call(func, args, kwargs)
        except BaseException:  # died, stopped, or the caller was interrupted mid-answer
            with self._cond:
                self._busy.discard(helper)
            helper.proc.kill()
            helper.close()
            raise
        self._give_back(helper)
        if ok:
            return value
        raise value

    def _give_back(self, helper: _Helper) -> None:
        with self._cond:
            if helper not in self._busy:  # stop() ended it meanwhile
                return
            self._busy.discard(helper)
            helper.expires_at = time.monotonic() + self.idle_exit_s
            self._idle.append(helper)
            self._start_reaper()
            self._cond.notify_all()

    def warm(self, *modules: str, keep_s: float = 0.0) -> None:
        """Have a helper ready that has imported *modules*, unless one is idle already.

        Start-up (interpreter, scipy) then overlaps the caller's other work, e.g. an air
        job's wait for its cut-off; the helper is kept at least *keep_s* (in seconds).
        """
        with self._cond:
            if self._idle:
                for helper in self._idle:
                    helper.expires_at = max(helper.expires_at, time.monotonic() + keep_s)
                return
            try:
                helper = _Helper(tuple(modules))
            except OSError as exc:  # warming is a head start, never a reason to fail
                log.warning("could not warm a helper process (%s)", exc)
                return
            helper.expires_at = time.monotonic() + max(self.idle_exit_s, keep_s)
            self._idle.append(helper)
            self._start_reaper()
            self._cond.notify_all()

    def _start_reaper(self) -> None:
        """(Under the lock) make sure a reaper watches the idle helpers."""
        if self._reaper is None or not self._reaper.is_alive():
            self._reaper = threading.Thread(target=self._reap, name="audio-worker-reaper", daemon=True)
            self._reaper.start()

    def _reap(self) -> None:
        """End helpers idle for :attr:`idle_exit_s`; leave once none is left."""
        while True:
            with self._cond:
                if not self._idle:
                    self._reaper = None
                    return
                now = time.monotonic()
                expired = [h for h in self._idle if now >= h.expires_at]
                self._idle = [h for h in self._idle if h not in expired]
                if not expired:
                    wait = min(h.expires_at for h in self._idle) - now
                    self._cond.wait(max(0.05, wait))
                    continue
            for helper in expired:
                helper.close()

    def processes(self) -> int:
        """Helper processes alive now (idle or busy)."""
        with self._cond:
            return sum(h.proc.poll() is None for h in [*self._idle, *self._busy])

    def stop(self) -> None:
        """End every helper now; calls in progress raise :class:`WorkerError`."""
        with self._cond:
            helpers = [*self._idle, *self._busy]
            self._idle, self._busy = [], set()
            self._cond.notify_all()
        for helper in helpers:
            helper.proc.kill()
            helper.close()


#: the pool of the process (the daemon and the admin share it)
pool = Pool()
_thread = threading.local()


def use(thread_pool: Pool | None) -> None:
    """Make :func:`run` on this thread use *thread_pool* (None: the shared :data:`pool`), so a
    thread's own work can be ended with its pool without touching anyone else's."""
    _thread.pool = thread_pool


def warm(*modules: str, keep_s: float = 0.0) -> None:
    """:meth:`Pool.warm` of this thread's pool (:func:`use`), else of :data:`pool`."""
    (getattr(_thread, "pool", None) or pool).warm(*modules, keep_s=keep_s)


def run(func: Callable, /, *args, **kwargs) -> Any:
    """``func(*args, **kwargs)`` in a helper process (see :meth:`Pool.run`) of this thread's
    pool (:func:`use`), else of :data:`pool`."""
    return (getattr(_thread, "pool", None) or pool).run(func, *args, **kwargs)


def _serve(preload: list[str] = ()) -> None:
    """The helper's loop: import *preload*, then read a call, answer it, until the caller
    closes the pipe."""
    channel_in = os.fdopen(os.dup(0), "rb")
    channel_out = os.fdopen(os.dup(1), "wb")
    # whatever the work or its tools print must not land in the answer pipe
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    for name in preload:
        try:
            importlib.import_module(name)
        except ImportError as exc:  # the call itself will say what is missing
            log.warning("Helper could not preload %s: %s", name, exc)
    while True:
        try:
            func, args, kwargs = pickle.load(channel_in)
        except (EOFError, pickle.UnpicklingError, OSError):  # the caller went away (or was killed)
            return
        try:
            answer = (True, func(*args, **kwargs))
        except Exception as exc:  # raised again in the caller
            answer = (False, exc)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an exception (or result) that does not pickle
            data = pickle.dumps((False, WorkerError(f"{type(answer[1]).__name__}: {answer[1]} "
                                                    f"(not picklable: {exc})")))
        try:
            channel_out.write(data)
            channel_out.flush()
        except OSError:
            # the caller died (a daemon killed with -9) while we worked: nobody waits for the
            # answer, and a traceback here would only land in the daemon's log as noise
            os._exit(0)
