"""A private PulseAudio server with null sinks, for tests and benchmarks.

Each :class:`PulseServer` runs its own ``pulseaudio`` in the foreground as a
child process, with its own runtime directory and socket, so tests never touch
(or need) the machine's sound setup and work as root. Sound played to a null
sink is recorded from its ``.monitor`` source by :class:`Recorder`, which
timestamps every chunk with :func:`time.monotonic` so start latency can be
measured.

Usage::

    with PulseServer() as pulse:
        with pulse.record() as rec:
            subprocess.run(["paplay", "x.wav"], env=pulse.env())
        samples = rec.samples()          # int16 mono at 44100 Hz
        t0 = rec.first_sound_monotonic() # when the first non-zero sample came
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

import numpy as np
import psutil

from .processes import end

DEFAULT_SINK = "radio_out"
RATE = 44100


def station_players(pid: int | None = None) -> list[psutil.Process]:
    """The pacat processes the pulse output started below process *pid* (this one by default).

    The server's keep-busy players are children too; the output names its client "radio".
    A child that ends while it is looked at (the daemon's espeak-ng and ffmpeg runs, a
    zombie not yet reaped) is skipped.
    """
    players = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "--client-name=radio" in child.cmdline():
                players.append(child)
        except psutil.NoSuchProcess:  # ZombieProcess too
            pass
    return players


def pulse_available() -> bool:
    """Whether a private PulseAudio can be started here (for ``skipif``)."""
    return all(shutil.which(tool) for tool in ("pulseaudio", "pacat", "parecord", "pactl"))


class PulseServer:
    """A private PulseAudio daemon with one or more null sinks.

    :param sinks: names of the null sinks to create.
    :param keep_busy: play silence to each sink all the time; an idle null
        sink suspends and its monitor then misses the first ~0.75 s of sound.
    """

    def __init__(self, sinks: tuple[str, ...] = (DEFAULT_SINK,), *, keep_busy: bool = True):
        self.sinks = tuple(sinks)
        self.keep_busy = keep_busy
        self._dir: Path | None = None
        self._proc: subprocess.Popen | None = None
        self._busy: list[subprocess.Popen] = []

    # -- lifecycle -------------------------------------------------------
    def __enter__(self) -> "PulseServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def socket_path(self) -> Path:
        assert self._dir is not None, "server not started"
        return self._dir / "native"

    @property
    def server(self) -> str:
        """The ``PULSE_SERVER`` value, e.g. ``unix:/tmp/pulse-x/native``."""
        return f"unix:{self.socket_path}"

    def process(self) -> psutil.Process:
        """The server process, to freeze it as a hung sound server would be."""
        return psutil.Process(self._proc.pid)

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """Environment for child processes (pass as ``env=``) using this server.

        :param base: environment to extend; defaults to :data:`os.environ`.
        """
        env = dict(os.environ if base is None else base)
        env["PULSE_SERVER"] = self.server
        env.pop("PULSE_SINK", None)
        return env

    def start(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="radio-pulse-"))
        runtime = self._dir / "runtime"
        runtime.mkdir()
        env = dict(os.environ)
        # Root-safe: a private HOME/XDG dirs so pulseaudio never looks at /root
        # or a system-wide instance; --system=false with -n (no default.pa).
        env.update(HOME=str(self._dir), XDG_RUNTIME_DIR=str(runtime),
                   PULSE_RUNTIME_PATH=str(runtime / "pulse"),
                   XDG_CONFIG_HOME=str(self._dir / "config"))
        env.pop("PULSE_SERVER", None)
        args = ["pulseaudio", "-n", "--daemonize=no", "--system=false",
                "--exit-idle-time=-1", "--use-pid-file=false", "--log-target=stderr",
                f"--load=module-native-protocol-unix socket={self.socket_path} auth-anonymous=1"]
        args += [f"--load=module-null-sink sink_name={name} rate={RATE}" for name in self.sinks]
        self._log = open(self._dir / "pulseaudio.log", "wb")
        self._proc = subprocess.Popen(args, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"pulseaudio exited ({self._proc.returncode}): {self.log()}")
            if self.socket_path.exists() and self._pactl("info", check=False).returncode == 0:
                break
            time.sleep(0.02)
        else:
            self.stop()
            raise RuntimeError("pulseaudio did not start within 10 s")
        if self.keep_busy:
            for name in self.sinks:
                self._keep_busy(name)
        self._warm_up()

    def _warm_up(self, timeout_s: float = 5.0) -> None:
        """Block until a sound played to the first sink is heard on its monitor.

        A fresh null sink renders its first 2 s block before adapting to the
        streams' latency, so sound played in the first ~2 s is held back.
        """
        with self.record(self.sinks[0]) as rec:
            started = time.monotonic()
            while time.monotonic() - started < timeout_s:
                subprocess.run(["pacat", "--playback", "--raw", f"--device={self.sinks[0]}",
                                "--format=s16le", f"--rate={RATE}", "--channels=1"],
                               input=b"\x01\x00" * (RATE // 100), env=self.env(), timeout=timeout_s)
                if rec.first_sound_monotonic() is not None:
                    return
        raise RuntimeError(f"PulseAudio null sink not live after {timeout_s} s: {self.log()}")

    def _keep_busy(self, sink: str) -> None:
        self._busy.append(subprocess.Popen(
            ["pacat", "--playback", "--raw", f"--device={sink}", "--format=s16le",
             f"--rate={RATE}", "--channels=1", "--latency-msec=10", "/dev/zero"],
            env=self.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def add_sink(self, name: str) -> None:
        """Create another null sink on the running server."""
        self._pactl("load-module", "module-null-sink", f"sink_name={name}", f"rate={RATE}")
        self.sinks += (name,)
        if self.keep_busy:
            self._keep_busy(name)

    def stop(self) -> None:
        for proc in self._busy:
            proc.kill()
            proc.wait()
        self._busy.clear()
        if self._proc is not None:
            end(self._proc)
            self._proc = None
            self._log.close()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def log(self) -> str:
        """pulseaudio's own log so far (for failure messages)."""
        try:
            return (self._dir / "pulseaudio.log").read_text(errors="replace")[-4000:]
        except (OSError, TypeError):
            return ""

    def _pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["pactl", *args], env=self.env(), capture_output=True,
                              text=True, check=check, timeout=10)

    # -- recording -------------------------------------------------------
    def record(self, sink: str = DEFAULT_SINK) -> "Recorder":
        """Start recording what is played to ``sink`` (from its monitor)."""
        return Recorder(f"{sink}.monitor", self.env())


class Recorder:
    """Records a PulseAudio source with ``parecord``, timestamping each chunk.

    Usable as a context manager; :meth:`stop` ends the recording. Samples are
    int16 mono at :data:`RATE`.
    """

    def __init__(self, source: str, env: dict[str, str], *, latency_ms: int = 5):
        self.source = source
        self._chunks: list[tuple[float, np.ndarray]] = []
        self._lock = threading.Lock()
        self._proc = subprocess.Popen(
            ["parecord", "--raw", f"--device={source}", "--format=s16le", f"--rate={RATE}",
             "--channels=1", f"--latency-msec={latency_ms}"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        self.wait_until_recording()

    def _read(self) -> None:
        fd = self._proc.stdout.fileno()
        leftover = b""
        while True:
            data = os.read(fd, 8192)
            now = time.monotonic()
            if not data:
                break
            data = leftover + data
            usable = len(data) - len(data) % 2
            leftover = data[usable:]
            with self._lock:
                self._chunks.append((now, np.frombuffer(data[:usable], dtype="<i2").copy()))

    def wait_until_recording(self, timeout_s: float = 5.0) -> None:
        """Block until the first chunk arrived (the stream is running)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                if self._chunks:
                    return
            if self._proc.poll() is not None:
                raise RuntimeError(f"parecord failed: {self._proc.stderr.read().decode(errors='replace')}")
            time.sleep(0.002)
        raise RuntimeError(f"no audio from {self.source} within {timeout_s} s")

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        end(self._proc)
        self._thread.join(5)

    def chunks(self) -> list[tuple[float, np.ndarray]]:
        """(arrival monotonic time, int16 samples) for each chunk so far."""
        with self._lock:
            return list(self._chunks)

    def samples(self) -> np.ndarray:
        """All recorded samples so far, int16 mono."""
        chunks = self.chunks()
        if not chunks:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate([c for _, c in chunks])

    def first_sound_monotonic(self, *, after: float = 0.0, threshold: int = 0) -> float | None:
        """Monotonic time at which the first sample louder than ``threshold`` arrived.

        The time is the chunk's arrival time minus the duration of the samples
        after that sample in the chunk, i.e. when that very sample was captured.

        :param after: ignore chunks that arrived before this monotonic time.
        """
        for arrived, chunk in self.chunks():
            if arrived < after:
                continue
            loud = np.flatnonzero(np.abs(chunk.astype(np.int32)) > threshold)
            if loud.size:
                return arrived - (len(chunk) - loud[0]) / RATE
        return None

    def last_sound_monotonic(self, *, threshold: int = 0) -> float | None:
        """Monotonic time at which the last sample louder than ``threshold`` arrived."""
        for arrived, chunk in reversed(self.chunks()):
            loud = np.flatnonzero(np.abs(chunk.astype(np.int32)) > threshold)
            if loud.size:
                return arrived - (len(chunk) - loud[-1]) / RATE
        return None

    def wait_for_silence(self, quiet_s: float = 0.3, timeout_s: float = 30.0) -> None:
        """Block until nothing but silence arrived for ``quiet_s`` seconds."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            last = self.last_sound_monotonic()
            if last is None or time.monotonic() - last >= quiet_s:
                return
            time.sleep(0.05)


def time_starts(pulse: PulseServer, start: Callable[[float], Callable[[], object] | None], *,
                runs: int = 50, sink: str = DEFAULT_SINK, timeout_s: float = 5.0,
                quiet_s: float = 0.15) -> list[float]:
    """Start latencies (in s): requested start instant → first sample on ``sink``'s monitor.

    For each run, waits for ``quiet_s`` of silence on the sink, takes the
    requested instant ``t0 = time.monotonic()`` and calls ``start(t0)``, which
    must start playing something audible (a subprocess, a thread, a scheduled
    job) and may return a callable that waits for that play to finish. The
    latency is when the first non-zero sample was captured minus ``t0``;
    the monitor's resolution is a few ms (values can be slightly negative).

    :raise RuntimeError: if nothing is heard within ``timeout_s``.
    """
    latencies = []
    with pulse.record(sink) as rec:
        for _ in range(runs):
            rec.wait_for_silence(quiet_s)
            t0 = time.monotonic()
            finish = start(t0)
            deadline = t0 + timeout_s
            while (first := rec.first_sound_monotonic(after=t0)) is None:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nothing heard on {sink} within {timeout_s} s")
                time.sleep(0.002)
            latencies.append(first - t0)
            if finish:
                finish()
    return latencies
