"""FileOutput: "play" to a WAV file in real time, for machines without a sound card."""

from __future__ import annotations

import hashlib
import threading
import time
import wave
from datetime import datetime
from pathlib import Path
from typing import Callable

from .base import STALL_S, BaseOutput, Cue, OutputError, PlayResult, Progress, read_pcm

#: why a play that wrote every frame is not aired: the recording is not there at the end
RECORDING_MISSING = "the recording was deleted during the play"
#: ... or it is there but is not what was written
RECORDING_DIFFERS = "the recording does not hold what was written"


class FileOutput(BaseOutput):
    """Writes what is played to ``DIR/<timestamp>-<label>.wav``, paced by a clock.

    Chunks of ``chunk_ms`` are written when their time has come, so the
    frames in the file are exactly the frames played; a stop mid-way leaves a
    valid, shorter WAV (the header is fixed on every write and on close).

    At the end the recording is read back: it must exist and hold exactly the
    frames written (their count and sha256). A folder deleted mid-play (the
    writes go on into a file that no longer has a name) plays nothing; a file
    replaced or cut meanwhile is not a complete play (what is on disk is what
    a listener of the recording would get).

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
             on_start: Callable[[], None] | None = None,
             progress: Progress | None = None) -> PlayResult:
        with self.cue(wav_path, progress) as cued:
            return cued.start(stop, on_start)

    def cue(self, wav_path: Path, progress: Progress | None = None) -> "FileCue":
        """Read the programme and make the folder; the recording is opened at the start
        (opening a file is quick, and a cue never started leaves none behind).

        :raise OutputError: the file cannot be read, the folder cannot be made.
        """
        pcm = read_pcm(wav_path)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"Cannot create output directory {self.directory}: {exc.strerror}") from exc
        return FileCue(self, Path(wav_path), pcm, progress)

    def _play_pcm(self, wav_path: Path, pcm, stop: threading.Event, on_start, progress) -> PlayResult:
        stamp = self._now().strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{Path(wav_path).stem}.wav"
        self.last_path = path
        written = 0
        digest = hashlib.sha256()
        try:
            written, started = self._write(path, pcm, stop, on_start, progress, digest)
        except OSError as exc:
            written = getattr(exc, "frames_written", 0)
            if not written:
                # nothing was played: leave no empty recording behind
                path.unlink(missing_ok=True)
                raise OutputError(f"Cannot write {path}: {exc.strerror or exc}") from exc
            return PlayResult(written, pcm.sample_rate, False, None,
                              f"Writing {path} failed: {exc.strerror or exc}", cause=exc)
        problem = _check(path, pcm, written, digest.hexdigest())
        if problem == RECORDING_MISSING:
            if progress:
                progress.played(0, pcm.sample_rate)
            return PlayResult(0, pcm.sample_rate, False, started, f"{problem} ({path})")
        if problem:
            return PlayResult(written, pcm.sample_rate, False, started, f"{problem} ({path})")
        return PlayResult(written, pcm.sample_rate, written >= pcm.frames, started)

    def _write(self, path: Path, pcm, stop: threading.Event, on_start, progress,
               digest) -> tuple[int, float]:
        """Write the frames as their time comes; an OSError carries ``frames_written``."""
        wait = self._sleep or stop.wait
        stall_s = progress.stall_s if progress else STALL_S
        chunk = max(1, pcm.sample_rate * self.chunk_ms // 1000)
        written = 0
        try:
            # open the file first: a wave writer whose open failed complains at collection
            with open(path, "wb") as fh, wave.open(fh, "wb") as out:
                out.setnchannels(pcm.channels)
                out.setsampwidth(2)
                out.setframerate(pcm.sample_rate)
                started = self._clock()
                if on_start:
                    on_start()
                while written < pcm.frames:
                    target = min(pcm.frames, written + chunk)
                    behind = self._clock() - (started + written / pcm.sample_rate)
                    if behind > stall_s:
                        # frozen (SIGSTOP, suspend, starved CPU): that was dead air, and
                        # the rest goes out at its own pace, not in one burst
                        started += behind
                        if progress:
                            progress.stalled(behind)
                    due = started + target / pcm.sample_rate
                    delay = due - self._clock()
                    if delay > 0:
                        wait(delay)
                    if stop.is_set():
                        # Keep what was heard up to now.
                        elapsed = int((self._clock() - started) * pcm.sample_rate)
                        target = min(target, max(written, elapsed))
                    frames = pcm.data[written * pcm.frame_bytes:target * pcm.frame_bytes]
                    out.writeframes(frames)
                    digest.update(frames)
                    written = target
                    if progress:
                        progress.played(written, pcm.sample_rate)
                    if stop.is_set():
                        break
        except OSError as exc:
            exc.frames_written = written
            raise
        return written, started


def _check(path: Path, pcm, written: int, sha256: str) -> str | None:
    """What is wrong with the recording at *path*, which should hold the *written* frames
    of *pcm* with the *sha256* of their bytes; None when it does."""
    try:
        with wave.open(str(path), "rb") as wav:
            if (wav.getnframes() != written or wav.getnchannels() != pcm.channels
                    or wav.getsampwidth() != 2 or wav.getframerate() != pcm.sample_rate):
                return RECORDING_DIFFERS
            found = hashlib.sha256(wav.readframes(written)).hexdigest()
    except FileNotFoundError:
        return RECORDING_MISSING
    except (OSError, wave.Error, EOFError):
        return RECORDING_DIFFERS
    return None if found == sha256 else RECORDING_DIFFERS


class FileCue(Cue):
    """The programme read and its folder made; the recording is opened at the start."""

    def __init__(self, output: FileOutput, wav_path: Path, pcm, progress: Progress | None):
        super().__init__(progress)
        self.output, self.wav_path, self.pcm = output, wav_path, pcm

    def _start(self, stop, on_start, lead_s):
        return self.output._play_pcm(self.wav_path, self.pcm, stop, on_start, self.progress)
