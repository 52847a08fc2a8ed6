"""FileOutput: "play" to a WAV file in real time, for machines without a sound card."""

from __future__ import annotations

import threading
import time
import wave
from datetime import datetime
from pathlib import Path
from typing import Callable

from .base import BaseOutput, OutputError, PlayResult, read_pcm


class FileOutput(BaseOutput):
    """Writes what is played to ``DIR/<timestamp>-<label>.wav``, paced by a clock.

    Chunks of ``chunk_ms`` are written when their time has come, so the
    frames in the file are exactly the frames played; a stop mid-way leaves a
    valid, shorter WAV (the header is fixed on every write and on close).

    :param directory: where recordings go (created if missing).
    :param clock: monotonic clock in seconds; inject a fake one in tests.
    :param sleep: sleeps for seconds; by default waits on the stop event.
    :param now: wall clock for the file name.
    """

    def __init__(self, directory: Path, *, chunk_ms: int = 50,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] | None = None,
                 now: Callable[[], datetime] = datetime.now):
        self.directory = Path(directory)
        self.name = f"file:{self.directory}"
        self.chunk_ms = chunk_ms
        self._clock, self._sleep, self._now = clock, sleep, now
        self.last_path: Path | None = None

    def play(self, wav_path: Path, stop: threading.Event,
             on_start: Callable[[], None] | None = None) -> PlayResult:
        pcm = read_pcm(wav_path)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"Cannot create output directory {self.directory}: {exc}") from exc
        stamp = self._now().strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{Path(wav_path).stem}.wav"
        self.last_path = path
        wait = self._sleep or stop.wait
        chunk = max(1, pcm.sample_rate * self.chunk_ms // 1000)
        written = 0
        with wave.open(str(path), "wb") as out:
            out.setnchannels(pcm.channels)
            out.setsampwidth(2)
            out.setframerate(pcm.sample_rate)
            started = self._clock()
            if on_start:
                on_start()
            while written < pcm.frames:
                target = min(pcm.frames, written + chunk)
                due = started + target / pcm.sample_rate
                delay = due - self._clock()
                if delay > 0:
                    wait(delay)
                if stop.is_set():
                    # Keep what was heard up to now.
                    elapsed = int((self._clock() - started) * pcm.sample_rate)
                    target = min(target, max(written, elapsed))
                out.writeframes(pcm.data[written * pcm.frame_bytes:target * pcm.frame_bytes])
                written = target
                if stop.is_set():
                    break
        return PlayResult(written, pcm.sample_rate, written >= pcm.frames, started)
