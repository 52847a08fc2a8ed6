"""The output interface: play a WAV file somewhere, stoppably, and report what was played."""

from __future__ import annotations

import abc
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


class OutputError(RuntimeError):
    """The output cannot be opened at all (missing device, no server, unreachable stream)."""


@dataclass
class PlayResult:
    """What an output actually played.

    ``frames_played`` comes from what the output consumed (sound card
    callback, real-time writes, the player's clock), never from the file's
    length, so a cut-off play shows as such.
    """

    frames_played: int
    sample_rate: int
    completed: bool
    started_at_monotonic: float | None = None
    error: str | None = None

    @property
    def seconds_played(self) -> float:
        return self.frames_played / self.sample_rate if self.sample_rate else 0.0


@dataclass
class Pcm:
    """Raw interleaved 16-bit little-endian PCM read from a WAV file."""

    data: bytes
    sample_rate: int
    channels: int

    @property
    def frame_bytes(self) -> int:
        return 2 * self.channels

    @property
    def frames(self) -> int:
        return len(self.data) // self.frame_bytes


def read_pcm(wav_path: Path) -> Pcm:
    """Read a 16-bit PCM WAV; other formats are converted with pydub/ffmpeg.

    :raise OutputError: if the file cannot be read.
    """
    try:
        with wave.open(str(wav_path), "rb") as wav:
            if wav.getsampwidth() == 2 and wav.getcomptype() == "NONE":
                return Pcm(wav.readframes(wav.getnframes()), wav.getframerate(), wav.getnchannels())
    except (wave.Error, EOFError):
        pass
    except OSError as exc:
        raise OutputError(f"Cannot read {wav_path}: {exc}") from exc
    from pydub import AudioSegment

    try:
        segment = AudioSegment.from_file(str(wav_path)).set_sample_width(2)
    except Exception as exc:  # pydub raises CouldntDecodeError and others
        raise OutputError(f"Cannot decode {wav_path}: {exc}") from exc
    return Pcm(segment.raw_data, segment.frame_rate, segment.channels)


class BaseOutput(abc.ABC):
    """Somewhere a programme can be played.

    :attr name: a human-readable spec, e.g. ``"device:default"``,
        ``"pulse:zone1,zone2"``, ``"file:/var/radio/aired"``, ``"icecast://host:8000/radio"``.
    """

    name: str = "output"

    @abc.abstractmethod
    def play(self, wav_path: Path, stop: threading.Event,
             on_start: Callable[[], None] | None = None) -> PlayResult:
        """Play ``wav_path``; block until it has been played or ``stop`` is set.

        When ``stop`` is set, playback stops within ~50 ms and the result has
        ``completed=False``. ``on_start`` is called when the first sample is
        handed to the output.

        :raise OutputError: if the output cannot be opened at all.
        """

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def pace_writes(pcm: Pcm, write: Callable[[bytes], None], stop: threading.Event, *,
                on_start: Callable[[], None] | None = None, chunk_ms: int = 10,
                lead_ms: int = 60, alive: Callable[[], bool] = lambda: True,
                clock: Callable[[], float] = time.monotonic,
                wait: Callable[[float], object] | None = None) -> tuple[int, float | None, bool]:
    """Write ``pcm`` in real time: each chunk at most ``lead_ms`` ahead of the clock.

    The frames played are those whose time has come on the clock (capped by
    those written), so a stop reports what was heard, not what was buffered.

    :param write: hands bytes to the player (a pipe, a file).
    :param alive: returns False when the player died; writing then stops.
    :param wait: sleeps for a number of seconds; by default ``stop.wait``.
    :return: (frames played, monotonic start time or None, whether all was written).
    """
    wait = wait or stop.wait
    rate, frame_bytes = pcm.sample_rate, pcm.frame_bytes
    chunk = max(1, rate * chunk_ms // 1000)
    lead = rate * lead_ms // 1000
    written = 0
    started = None
    total = pcm.frames
    while written < total and not stop.is_set() and alive():
        if started is not None:
            ahead = written - (clock() - started) * rate
            if ahead > lead:
                wait((ahead - lead) / rate)
                continue
        end = min(total, written + (lead if started is None else chunk))
        write(pcm.data[written * frame_bytes:end * frame_bytes])
        if started is None:
            started = clock()
            if on_start:
                on_start()
        written = end
    finished = written >= total
    if started is None:
        return 0, None, False
    # Let the clock run out the buffered tail (the player is draining it).
    while finished and not stop.is_set() and alive():
        remaining = written / rate - (clock() - started)
        if remaining <= 0:
            break
        wait(min(remaining, 0.05))
    played = min(written, int((clock() - started) * rate))
    return played, started, finished and played >= written
