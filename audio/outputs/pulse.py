"""PulseOutput: play to one or more PulseAudio sinks (loudspeaker zones) with pacat.

One ``pacat`` per sink is started and fed raw PCM from Python at the real-time
pace (a small lead ahead of the clock), so a stop is heard within a few ms
(the player is terminated and the server drops its short buffer) and the
frames reported played follow the clock, not the file length. Several sinks
play the same PCM at once, which is how zones (cụm loa) are driven; a
module-combine-sink would also work but needs server configuration.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Callable

from .base import BaseOutput, Cue, OutputError, PlayResult, Progress, pace_writes, read_pcm

#: Server-side buffer asked of pacat (in ms). A stop kills pacat and the server drops
#: it, so a stop stays prompt (benchmarks/output_start_latency.py). At 20 ms a busy
#: machine starved pacat now and then and the stream ran dry: a break on air.
LATENCY_MS = 100
#: How far (in ms) the writes run ahead of the clock, in pacat's pipe. A stop kills
#: pacat, which drops it all, so it costs nothing in promptness; it is what carries the
#: sound through a moment the writer thread waits for the GIL (an export or a page in
#: ``radio serve``, assembly falling back in-process): at 60 ms such a moment was an
#: audible gap under a log saying "aired".
LEAD_MS = 300
#: How long to wait for pacat to connect (in s).
CONNECT_TIMEOUT_S = 5.0


_ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class _Pacat:
    """One pacat process, reporting when its stream is ready or why it failed."""

    def __init__(self, sink: str | None, rate: int, channels: int, stream_name: str,
                 on_underrun: Callable[[], None] | None = None):
        args = ["pacat", "--playback", "--raw", "-v", "--format=s16le", f"--rate={rate}",
                f"--channels={channels}", f"--latency-msec={LATENCY_MS}",
                "--client-name=radio", f"--stream-name={stream_name}"]
        if sink:
            args.append(f"--device={sink}")
        self.sink = sink or "default"
        self.requested = sink
        self.connected_to: str | None = None
        self.ready = threading.Event()
        self.stderr: list[str] = []
        self._on_underrun = on_underrun
        #: set once the last sound is written: the stream running dry is then its end
        self.draining = False
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, bufsize=0)
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self) -> None:
        for raw in self.proc.stderr:
            # pacat -v redraws a status line with \r: keep the last bit of each line.
            # Its terminal escapes (ESC[K) would end up in the proof log's reason.
            line = _ESCAPES.sub("", raw.decode(errors="replace")).strip().rsplit("\r", 1)[-1][-300:]
            self.stderr.append(line)
            del self.stderr[:-20]
            if line == "Stream underrun." and not self.draining and self._on_underrun:
                self._on_underrun()  # pacat -v says so when the server ran out of sound
            if line.startswith("Connected to device "):
                self.connected_to = line[len("Connected to device "):].split(" (")[0]
                self.ready.set()
        self.ready.set()  # exited: wake the waiter, which checks poll()

    def wait_ready(self, timeout_s: float) -> None:
        if not self.ready.wait(timeout_s) or self.proc.poll() is not None or not self.connected_to:
            self.kill()
            errors = [l for l in self.stderr if "rror" in l or "failed" in l.lower()]
            detail = "; ".join(errors or self.stderr[-3:]) or "no answer"
            raise OutputError(f"Cannot play to PulseAudio sink {self.sink!r}: {detail}. "
                              "Check the sink name with `radio devices` and that PulseAudio runs.")
        if self.requested and self.connected_to != self.requested:
            # PulseAudio falls back to the default sink for an unknown name.
            self.kill()
            raise OutputError(f"PulseAudio has no sink {self.requested!r} (it would have played to "
                              f"{self.connected_to!r}). Check the sink name with `radio devices`.")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def write(self, data: bytes) -> None:
        try:
            self.proc.stdin.write(data)
        except (BrokenPipeError, OSError):
            pass  # alive() reports the death; the error is in stderr

    def finish(self, timeout_s: float) -> int | None:
        """Close stdin so pacat drains and exits; return its exit code (None if killed)."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            return self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # pacat disconnects; the server drops the buffer
            try:
                self.proc.wait(1)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(1)


class PulseOutput(BaseOutput):
    """Plays to PulseAudio sinks.

    :param sinks: sink names; empty or None for the server's default sink.
    """

    def __init__(self, sinks: list[str] | tuple[str, ...] | str | None = None):
        if isinstance(sinks, str):
            sinks = [s for s in sinks.split(",") if s]
        self.sinks = list(sinks or [])
        self.name = "pulse:" + (",".join(self.sinks) or "default")
        if shutil.which("pacat") is None:
            raise OutputError("pacat is missing: install the Debian package pulseaudio-utils.")

    def play(self, wav_path: Path, stop: threading.Event,
             on_start: Callable[[], None] | None = None,
             progress: Progress | None = None) -> PlayResult:
        with self.cue(wav_path, progress) as cued:
            return cued.start(stop, on_start)

    def cue(self, wav_path: Path, progress: Progress | None = None) -> "PulseCue":
        """Read the file and start one pacat per sink, connected and waiting for sound.

        :raise OutputError: a sink is missing, PulseAudio does not answer.
        """
        return PulseCue(self.sinks, Path(wav_path), progress)


class PulseCue(Cue):
    """Players connected to their sinks, holding no sound yet: a stream that has had no
    sound waits for its first bytes, so they are heard at once (no process to start, no
    connection to make at the instant). Started ahead of the instant, the stream gets
    silence up to it and the programme's first samples with it, so they wait in pacat's
    pipe for their time: a writer held up at the instant does not hold them up."""

    def __init__(self, sinks: list[str], wav_path: Path, progress: Progress | None):
        super().__init__(progress)
        self.pcm = read_pcm(wav_path)
        self.players: list[_Pacat] = []
        try:
            for sink in sinks or [None]:
                self.players.append(_Pacat(sink, self.pcm.sample_rate, self.pcm.channels, wav_path.stem,
                                           on_underrun=progress.broke if progress else None))
            for player in self.players:
                player.wait_ready(CONNECT_TIMEOUT_S)
        except BaseException:
            self.close()
            raise

    prerolls = True

    def _start(self, stop, on_start, lead_s):
        pcm, players, progress = self.pcm, self.players, self.progress
        left = len(pcm.data) + int(round(lead_s * pcm.sample_rate)) * pcm.frame_bytes  # silence too

        def write(data: bytes) -> None:
            nonlocal left
            left -= len(data)
            for player in players:
                player.write(data)
                player.draining = left <= 0

        played, started, finished = pace_writes(
            pcm, write, stop, on_start=on_start, lead_ms=LEAD_MS, progress=progress,
            alive=lambda: all(p.alive() for p in players), preroll_s=lead_s)
        error = None
        if finished and not stop.is_set():
            codes = [p.finish(2.0) for p in players]
            if any(code != 0 for code in codes):
                finished = False
        dead = [p for p in players if p.proc.poll() not in (None, 0)]
        if dead and not stop.is_set():
            error = "; ".join(f"{p.sink}: {' '.join(p.stderr[-2:])}" for p in dead)
            finished = False
        return PlayResult(played, pcm.sample_rate, finished and not stop.is_set(), started, error)

    def close(self) -> None:
        for player in self.players:
            player.kill()


def list_sinks(env: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(name, description) of each PulseAudio sink; empty if no server answers."""
    try:
        out = subprocess.run(["pactl", "list", "sinks"], capture_output=True, text=True,
                             timeout=5, env=env, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    sinks, name = [], None
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Name:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("Description:") and name:
            sinks.append((name, line.split(":", 1)[1].strip()))
            name = None
    return sinks
