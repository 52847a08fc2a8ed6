"""The output interface: play a WAV file somewhere, stoppably, and report what was played."""

from __future__ import annotations

import abc
import threading
import time
import wave
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
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
    #: the exception that cut the play short, for a caller that explains causes
    cause: BaseException | None = field(default=None, compare=False)

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


#: a gap longer than this (in s) between the clock and the frames consumed is dead air
STALL_S = 2.0


#: how near a stall a player's "ran dry" still belongs to it
BREAK_IN_STALL = timedelta(seconds=1)


class Progress:
    """How far a play has got, shared by the output (writer) and its caller (reader).

    The output reports the frames consumed as it goes and every *stall*: the clock
    ran on while no frames went out (the process was frozen by SIGSTOP or a suspend,
    the CPU was starved, the player blocked). After a stall the output carries on in
    real time from where it was, so listeners hear the rest at its pace, and the
    caller can name the dead air. A shorter *break* is counted too: the player ran
    dry for a moment (an underrun), so listeners heard a short silence and then the
    rest, none of it lost.

    :param stall_s: the shortest gap (in s) counted as a stall.
    :param now: the wall clock (aware datetimes), to date a stall.
    """

    def __init__(self, *, stall_s: float = STALL_S, now: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.stall_s = stall_s
        self._now = now
        self._lock = threading.Lock()
        self.frames = 0
        self.sample_rate = 0
        self.stalls: list[tuple[datetime, float]] = []  # (when the dead air began, seconds)
        self._breaks: list[datetime] = []  # when a player said it ran dry (underruns)

    def played(self, frames: int, sample_rate: int) -> None:
        with self._lock:
            self.frames, self.sample_rate = frames, sample_rate

    def stalled(self, seconds: float) -> None:
        """A stall of *seconds* that has just ended."""
        with self._lock:
            self.stalls.append((self._now() - timedelta(seconds=seconds), seconds))

    def broke(self) -> None:
        """The player ran dry for a moment (an underrun) and then went on."""
        with self._lock:
            self._breaks.append(self._now())

    @property
    def breaks(self) -> int:
        """The breaks that are not part of a stall: a player starved by a freeze says it
        ran dry too, just before or after the stall is seen, and that silence is the
        dead air already named."""
        with self._lock:
            return self._count_breaks()

    def _count_breaks(self) -> int:
        def in_a_stall(when: datetime) -> bool:
            return any(began - BREAK_IN_STALL <= when <= began + timedelta(seconds=s) + BREAK_IN_STALL
                       for began, s in self.stalls)

        return sum(1 for when in self._breaks if not in_a_stall(when))

    @property
    def seconds(self) -> float:
        with self._lock:
            return self.frames / self.sample_rate if self.sample_rate else 0.0

    def snapshot(self) -> tuple[float, list[tuple[datetime, float]], int]:
        """(seconds consumed, stalls so far, breaks so far), read together."""
        with self._lock:
            seconds = self.frames / self.sample_rate if self.sample_rate else 0.0
            return seconds, list(self.stalls), self._count_breaks()


class BaseOutput(abc.ABC):
    """Somewhere a programme can be played.

    :attr name: a human-readable spec, e.g. ``"device:default"``,
        ``"pulse:zone1,zone2"``, ``"file:/var/radio/aired"``, ``"icecast://host:8000/radio"``.
    """

    name: str = "output"

    @abc.abstractmethod
    def play(self, wav_path: Path, stop: threading.Event,
             on_start: Callable[[], None] | None = None,
             progress: Progress | None = None) -> PlayResult:
        """Play ``wav_path``; block until it has been played or ``stop`` is set.

        When ``stop`` is set, playback stops within ~50 ms and the result has
        ``completed=False``. ``on_start`` is called when the first sample is
        handed to the output. ``progress`` (if given) is kept up to date with the
        frames consumed and any stall; after a stall the rest plays in real time.

        :raise OutputError: if the output cannot be opened at all.
        """

    def cue(self, wav_path: Path, progress: Progress | None = None) -> "Cue":
        """Make ``wav_path`` ready to start on this output, paying now for everything slow
        (reading and decoding the file, the player's process, its connection to the server,
        the device's stream), so that :meth:`Cue.start` at the instant only hands over sound.

        Use it as a context manager: leaving it without a start releases what was opened and
        puts nothing on air. The outputs here override it; this default readies nothing and
        plays with :meth:`play` at the start, for an output that only has that.

        :raise OutputError: if the output cannot be opened at all (as :meth:`play`).
        """
        return _PlayAtStart(self, Path(wav_path), progress)

    def prepare(self) -> None:
        """Do the slow, once-only set-up now, off the broadcast path (nothing by default).

        Never raises: what fails here fails again, and is logged, at :meth:`play`.
        """

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class Cue(abc.ABC):
    """A programme readied on an output (:meth:`BaseOutput.cue`), waiting for its instant.

    :meth:`start` is called once, at the instant; :meth:`close` (or leaving the ``with``
    block) releases the player, whether it started or not.
    """

    def __init__(self, progress: Progress | None = None):
        self.progress = progress
        self._used = False

    def start(self, stop: threading.Event, on_start: Callable[[], None] | None = None,
              lead_s: float = 0.0) -> PlayResult | None:
        """Play, the first sample *lead_s* seconds from now; block until it has been played
        or ``stop`` is set (as :meth:`BaseOutput.play`).

        An output that can hands its player silence and then the programme right away, so
        the first sample waits in the player's buffer for its instant; the others wait for
        it here and start then.

        :return: what was played; None when ``stop`` was set before the instant and the
            output had put nothing in hand.
        :raise OutputError: the output failed before any sound went out.
        """
        if self._used:
            raise RuntimeError("a cue is started once")
        self._used = True
        try:
            if not self.prerolls:
                _wait_for(time.monotonic() + lead_s, stop)
                if stop.is_set():
                    return None
                return self._start(stop, on_start, 0.0)
            return self._start(stop, on_start, max(0.0, lead_s))
        finally:
            self.close()

    #: whether :meth:`_start` takes the lead itself (silence before the programme)
    prerolls = False

    @abc.abstractmethod
    def _start(self, stop: threading.Event, on_start: Callable[[], None] | None,
               lead_s: float) -> PlayResult:
        """What :meth:`start` does (*lead_s* is 0 unless :attr:`prerolls`); the player is
        released after it by :meth:`close`."""

    def close(self) -> None:
        """Release what the cue holds (a player process, a stream, a file); safe to repeat."""

    def __enter__(self) -> "Cue":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _PlayAtStart(Cue):
    """The cue of an output that only has :meth:`BaseOutput.play`: it all happens at the start."""

    def __init__(self, output: BaseOutput, wav_path: Path, progress: Progress | None):
        super().__init__(progress)
        self.output, self.wav_path = output, wav_path

    def _start(self, stop, on_start, lead_s):
        return self.output.play(self.wav_path, stop, on_start=on_start, progress=self.progress)


def _wait_for(deadline: float, stop: threading.Event) -> None:
    """Sleep until the monotonic *deadline* (or a stop): wake a little early and finish with
    short sleeps, as Event.wait overshoots."""
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0.0005:
            return
        stop.wait(left - 0.002 if left > 0.01 else left / 2)


def pace_writes(pcm: Pcm, write: Callable[[bytes], None], stop: threading.Event, *,
                on_start: Callable[[], None] | None = None, chunk_ms: int = 10,
                lead_ms: int = 60, alive: Callable[[], bool] = lambda: True,
                clock: Callable[[], float] = time.monotonic,
                wait: Callable[[float], object] | None = None,
                progress: Progress | None = None, preroll_s: float = 0.0) -> tuple[int, float | None, bool]:
    """Write ``pcm`` in real time: each chunk at most ``lead_ms`` ahead of the clock.

    The frames played are those whose time has come on the clock (capped by
    those written), so a stop reports what was heard, not what was buffered.
    When the clock has run ahead of the writes by more than the stall threshold
    (the process was frozen, a write blocked), the gap is reported to
    ``progress`` as dead air and the rest is paced from now: never raced through.

    :param write: hands bytes to the player (a pipe, a file).
    :param alive: returns False when the player died; writing then stops.
    :param wait: sleeps for a number of seconds; by default ``stop.wait``.
    :param preroll_s: silence written first, so the first sample plays this long after
        the first write: it is in the player's buffer before its instant, which a writer
        held up at the instant (a loaded machine) then no longer delays.
        ``on_start`` is called when its time comes.
    :return: (frames played, monotonic time of the first sample or None, whether all was written).
    """
    wait = wait or stop.wait
    rate, frame_bytes = pcm.sample_rate, pcm.frame_bytes
    chunk = max(1, rate * chunk_ms // 1000)
    lead = rate * lead_ms // 1000
    stall_s = progress.stall_s if progress else STALL_S
    pre = max(0, int(round(preroll_s * rate)))  # frames of silence before the programme
    written = 0  # frames written, the silence included
    started = None
    announced = False
    total = pre + pcm.frames

    def heard(now: float) -> int:
        return max(0, min(written, int((now - started) * rate)) - pre)

    def frames(begin: int, end: int) -> bytes:
        silence = max(0, min(end, pre) - begin)
        return bytes(silence * frame_bytes) + pcm.data[max(begin, pre) * frame_bytes - pre * frame_bytes:
                                                       max(end - pre, 0) * frame_bytes]

    def announce() -> None:
        nonlocal announced
        announced = True
        if on_start:
            on_start()

    while written < total and not stop.is_set() and alive():
        if started is not None:
            behind = (clock() - started) - written / rate
            if behind > stall_s:
                started += behind  # listeners heard silence for `behind` s; go on from here
                if progress:
                    progress.stalled(behind)
            if not announced and clock() - started >= pre / rate:
                announce()
            if progress:
                progress.played(heard(clock()), rate)
            ahead = written - (clock() - started) * rate
            if ahead > lead + 1:  # a frame of slack: float rounding must not spin
                pause = (ahead - lead) / rate
                if not announced:  # wake when the first sample plays, to say so
                    pause = min(pause, max(0.0, pre / rate - (clock() - started)))
                wait(pause)
                continue
        end = min(total, written + (lead if started is None else chunk))
        write(frames(written, end))
        if started is None:
            started = clock()
            if not pre:
                announce()
        written = end
    finished = written >= total
    if started is None:
        return 0, None, False
    # Let the clock run out the buffered tail (the player is draining it).
    while finished and not stop.is_set() and alive():
        if not announced and clock() - started >= pre / rate:
            announce()
        remaining = written / rate - (clock() - started)
        if remaining <= 0:
            break
        wait(min(remaining, 0.05, max(0.0, pre / rate - (clock() - started)) if not announced else 0.05))
        if progress:
            progress.played(heard(clock()), rate)
    played = heard(clock())
    if progress:
        progress.played(played, rate)
    if not announced and played:
        announce()
    return played, (started + pre / rate if announced else None), finished and played >= written - pre
