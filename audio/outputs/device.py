"""DeviceOutput: play to a sound device through PortAudio (sounddevice).

The stream's callback hands the programme to the sound card and counts the
frames it consumed, so ``frames_played`` is what the card took. With
PulseAudio running, PortAudio's ALSA ``default``/``pulse`` devices go through
it (Debian ``libasound2-plugins``); to pick a PulseAudio sink use
:class:`~audio.outputs.pulse.PulseOutput` (``pulse:SINK``) instead.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .base import STALL_S, BaseOutput, OutputError, PlayResult, Progress, read_pcm

#: Silence (in s) fed after the programme so buffered audio is heard before the stream closes.
TAIL_S = 0.3


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
    :param blocksize: frames per callback (~23 ms at 44.1 kHz).
    :param latency_s: the buffer asked of the device (in s); PortAudio's "low" underruns
        through the ALSA pulse plugin. A stop aborts the stream, dropping the buffer.
    """

    def __init__(self, device: str | int | None = None, *, blocksize: int = 1024,
                 latency_s: float = 0.08):
        self.device = int(device) if isinstance(device, str) and device.isdigit() else device
        self.name = f"device:{device if device is not None else 'default'}"
        self.blocksize = blocksize
        self.latency_s = latency_s

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
        sd = _sounddevice()
        pcm = read_pcm(wav_path)
        samples = np.frombuffer(pcm.data, dtype="<i2").reshape(-1, pcm.channels)
        total = samples.shape[0]
        # Feed silence after the end before stopping: closing the stream drops
        # whatever the ALSA pulse plugin and the server still buffer.
        end = total + int(TAIL_S * pcm.sample_rate)
        state = {"pos": 0, "first": None}
        done = threading.Event()
        first = threading.Event()

        def callback(outdata, frames, _time, _status):
            pos = state["pos"]
            n = max(0, min(frames, total - pos))
            outdata[:n] = samples[pos:pos + n]
            outdata[n:] = 0
            state["pos"] = pos + frames
            if state["first"] is None:
                state["first"] = time.monotonic()
                first.set()
            if state["pos"] >= end:
                raise sd.CallbackStop

        try:
            stream = sd.OutputStream(samplerate=pcm.sample_rate, channels=pcm.channels,
                                     dtype="int16", device=self.device, blocksize=self.blocksize,
                                     latency=self.latency_s, callback=callback, finished_callback=done.set)
        except (ValueError, sd.PortAudioError) as exc:
            names = ", ".join(d["name"] for d in sd.query_devices() if d["max_output_channels"] > 0)
            raise OutputError(f"Cannot open sound device {self.device or 'default'!r}: {exc}. "
                              f"Output devices: {names or 'none'}.") from exc
        error = None
        dead_s = 0.0
        with stream:
            try:
                stream.start()
            except sd.PortAudioError as exc:
                raise OutputError(f"Cannot start sound device {self.device or 'default'!r}: {exc}") from exc
            if first.wait(2.0) and on_start:
                on_start()
            stall_s = progress.stall_s if progress else STALL_S
            dead_s = 0.0  # stalls so far: the card played silence while the callback was frozen
            while not done.wait(0.01):
                if stop.is_set():
                    stream.abort()  # drops what is buffered: stops within a block
                    break
                if state["first"] is not None:
                    consumed_s = min(state["pos"], total) / pcm.sample_rate
                    behind = time.monotonic() - state["first"] - dead_s - consumed_s
                    if behind > stall_s and state["pos"] < total:
                        dead_s += behind
                        if progress:
                            progress.stalled(behind)
                    if progress:
                        progress.played(min(state["pos"], total), pcm.sample_rate)
            if not first.is_set():
                error = "the sound device never asked for audio"
        consumed = min(state["pos"], total)
        if stop.is_set() and state["first"] is not None:
            # What was heard: frames consumed minus those still in the card's buffer.
            heard = int((time.monotonic() - state["first"] - dead_s) * pcm.sample_rate)
            consumed = min(consumed, max(0, heard))
        return PlayResult(consumed, pcm.sample_rate, consumed >= total and not stop.is_set(),
                          state["first"], error)


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
