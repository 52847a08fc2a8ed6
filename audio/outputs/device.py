"""DeviceOutput: play to a sound device through PortAudio (sounddevice).

The programme is written to a blocking stream from the airing's thread, as
the card has room for it, so the sound card's own buffer (300 ms) carries the
sound while Python is busy: PortAudio's callback mode needed the GIL every 23 ms,
and a thread holding it (a page render, an export) left gaps on air. Each
write says whether the card ran dry since the last one: that is a break in
the sound. With PulseAudio running, PortAudio's ALSA ``default``/``pulse``
devices go through it (Debian ``libasound2-plugins``); to pick a PulseAudio
sink use :class:`~audio.outputs.pulse.PulseOutput` (``pulse:SINK``) instead.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .base import STALL_S, BaseOutput, Cue, OutputError, PlayResult, Progress, read_pcm

#: Silence (in s) fed after the programme so buffered audio is heard before the stream closes.
TAIL_S = 0.3
#: How long after the programme's end, by the clock, the stream is dropped.
END_MARGIN_S = 0.1
#: How often the writer looks for room in the card's buffer (and for a stop).
POLL_S = 0.01
#: A card that takes no sound for this long has stopped: the play ends with this error
#: (radio.wording.messages words it in Vietnamese; a test holds the two together).
STUCK_S = 5.0
STUCK_ERROR = f"the sound device took no sound for {STUCK_S:.0f} s"


@dataclass
class Device:
    """A place sound can go, for ``radio devices``."""

    name: str
    description: str
    kind: str  # "pulse-sink" | "portaudio"

    @property
    def spec(self) -> str:
        """The output spec that selects it (for ``open_output``)."""
        return f"pulse:{self.name}" if self.kind == "pulse-sink" else f"device:{self.name}"


def _sounddevice():
    try:
        import sounddevice
    except OSError as exc:  # libportaudio2 missing
        raise OutputError(f"PortAudio is missing ({exc}): install the Debian package libportaudio2.") from exc
    return sounddevice


class DeviceOutput(BaseOutput):
    """Plays to the default sound device, or one named (PortAudio name or index).

    :param device: PortAudio device name (substring match) or index; None for the default.
    :param latency_s: the buffer asked of the device (in s): what covers the writer
        being held up. A stop aborts the stream, dropping the buffer.
    :param chunk_ms: the first write, and the least room in the buffer worth a write.
    """

    def __init__(self, device: str | int | None = None, *, latency_s: float = 0.3, chunk_ms: int = 20):
        self.device = int(device) if isinstance(device, str) and device.isdigit() else device
        self.name = f"device:{device if device is not None else 'default'}"
        self.latency_s = latency_s
        self.chunk_ms = chunk_ms

    def prepare(self) -> None:
        # PortAudio scans every sound device when it loads: up to 3.6 s here, through the
        # ALSA pulse plugin. Paid at the first play, it made the first airing late.
        try:
            _sounddevice()
        except OutputError:
            pass

    def play(self, wav_path: Path, stop: threading.Event,
             on_start: Callable[[], None] | None = None,
             progress: Progress | None = None) -> PlayResult:
        with self.cue(wav_path, progress) as cued:
            return cued.start(stop, on_start)

    def cue(self, wav_path: Path, progress: Progress | None = None) -> "DeviceCue":
        """Load PortAudio, read the file and open the device's stream, not yet started: a
        started stream with nothing written plays silence and says it ran dry.

        :raise OutputError: the device cannot be opened.
        """
        sd = _sounddevice()
        pcm = read_pcm(wav_path)
        samples = np.frombuffer(pcm.data, dtype="<i2").reshape(-1, pcm.channels)
        try:
            stream = sd.OutputStream(samplerate=pcm.sample_rate, channels=pcm.channels, dtype="int16",
                                     device=self.device, latency=self.latency_s)
        except (ValueError, sd.PortAudioError) as exc:
            names = ", ".join(d["name"] for d in sd.query_devices() if d["max_output_channels"] > 0)
            raise OutputError(f"Cannot open sound device {self.device or 'default'!r}: {exc}. "
                              f"Output devices: {names or 'none'}.") from exc
        return DeviceCue(self, sd, stream, samples, pcm.sample_rate, progress)

    def _write(self, stream, sd, samples: np.ndarray, rate: int, stop: threading.Event,
               on_start, progress: Progress | None) -> PlayResult:
        """Write *samples* as the card takes them; what was heard is timed from the first
        write (measured: the first sound is at the sink within 1 ms of it)."""
        total = samples.shape[0]
        chunk = max(1, rate * self.chunk_ms // 1000)
        stall_s = progress.stall_s if progress else STALL_S
        written, first, silent_s, error, was_dry = 0, None, 0.0, None, False
        looked_s = 0.0  # how long the writer has looked for room in the buffer, in vain

        def heard(now: float) -> int:
            return min(written, max(0, int((now - first - silent_s) * rate))) if first is not None else 0

        tail = np.zeros((int(TAIL_S * rate), samples.shape[1]), dtype="<i2")
        capacity = stream.write_available
        try:
            while written < total and not stop.is_set():
                # write only what the card has room for, so a write never blocks: a stop is
                # seen within POLL_S, and a card that stops taking sound is noticed
                free = stream.write_available if first is not None else chunk
                if free < min(chunk, total - written):
                    # counted in looks, not by the clock: a daemon frozen for 20 s (SIGSTOP, a
                    # suspend) finds the clock 20 s on and the card not yet recovered
                    looked_s += POLL_S
                    if looked_s > STUCK_S:
                        played = max(0, written - (capacity - stream.write_available))
                        return PlayResult(min(played, heard(time.monotonic())), rate, False, first,
                                          STUCK_ERROR)
                    stop.wait(POLL_S)
                    continue
                block = samples[written:written + free]
                if first is None:
                    first = time.monotonic()
                    if on_start:
                        on_start()
                ran_dry = stream.write(block)
                taken_at, looked_s = time.monotonic(), 0.0
                # the card ran ahead of the writes: it played silence for `behind` s
                behind = taken_at - first - silent_s - written / rate
                if ran_dry and behind > 0:
                    silent_s += behind
                    # the writes that follow a recovery may say so again: one silence, one note
                    if progress and behind > stall_s:
                        progress.stalled(behind)
                    elif progress and not was_dry:
                        progress.broke()
                was_dry = ran_dry
                written += len(block)
                if progress:
                    progress.played(heard(time.monotonic()), rate)
            if stop.is_set():  # what is buffered is dropped: what was heard is what had its time
                return PlayResult(heard(time.monotonic()), rate, False, first)
            # silence after the end, so the card does not run dry while the end plays out;
            # the stream is dropped once the clock says the end was heard: stopping it
            # (measured) returned at once and cut the last 70 ms
            tail_left, end_at = len(tail), first + silent_s + total / rate + END_MARGIN_S
            while not stop.is_set() and time.monotonic() < end_at:
                if tail_left and (room := min(tail_left, stream.write_available)):
                    if stream.write(tail[:room]) and progress:
                        progress.broke()
                    tail_left -= room
                # the last writes are still in the card's buffer (up to latency_s): progress
                # follows them as they are heard, so a row closed after a crash here counts
                # the end of the programme that went out
                if progress:
                    progress.played(heard(time.monotonic()), rate)
                stop.wait(min(POLL_S, max(0.0, end_at - time.monotonic())))
            if stop.is_set():
                return PlayResult(heard(time.monotonic()), rate, False, first)
        except sd.PortAudioError as exc:  # the device went away mid-play
            error = f"the sound device stopped: {exc}"
        played = heard(time.monotonic())
        completed = error is None and written >= total
        return PlayResult(total if completed else played, rate, completed, first, error)


class DeviceCue(Cue):
    def __init__(self, output: DeviceOutput, sd, stream, samples: np.ndarray, rate: int,
                 progress: Progress | None):
        super().__init__(progress)
        self.output, self.sd, self.stream, self.samples, self.rate = output, sd, stream, samples, rate
        self._dropped = False

    def _start(self, stop, on_start, lead_s):
        output, sd, stream = self.output, self.sd, self.stream
        try:
            stream.start()
        except sd.PortAudioError as exc:
            raise OutputError(f"Cannot start sound device {output.device or 'default'!r}: {exc}") from exc
        return output._write(stream, sd, self.samples, self.rate, stop, on_start, self.progress)

    def close(self) -> None:
        if not self._dropped:
            self._dropped = True
            _drop(self.stream)


def _drop(stream, wait_s: float = 1.0) -> None:
    """Abort and close *stream*, dropping what it buffers, in a thread waited on for at
    most *wait_s*: with the sound server hung, the ALSA pulse plugin blocks in both until
    it answers (measured), and the airing must still end and be logged."""
    def drop():
        stream.abort()  # sounddevice ignores PortAudio's errors here by default
        stream.close()

    dropper = threading.Thread(target=drop, daemon=True, name="device-drop")
    dropper.start()
    dropper.join(wait_s)


def list_devices() -> list[Device]:
    """PulseAudio sinks (if a server answers) and PortAudio output devices."""
    from .pulse import list_sinks

    devices = [Device(name, desc, "pulse-sink") for name, desc in list_sinks()]
    try:
        sd = _sounddevice()
        for index, info in enumerate(sd.query_devices()):
            if info["max_output_channels"] > 0:
                host = sd.query_hostapis(info["hostapi"])["name"]
                devices.append(Device(info["name"], f"{host} device {index}", "portaudio"))
    except OutputError:
        pass
    return devices
