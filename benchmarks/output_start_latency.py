"""Start latency of the audio outputs, measured at a PulseAudio null sink.

Time from the requested start instant to the first programme sample arriving
at the sink (timestamped on its monitor), p50/p99 over N starts, side by side
with a baseline: a ``paplay`` subprocess started at the same instant.

Run: ``.venv/bin/python benchmarks/output_start_latency.py [--runs 50]``.
Target: p99 ≤ 50 ms. Each output is prepared first, as the daemon does when it opens
it (for ``device`` that loads PortAudio, whose device scan takes seconds). Also prints the stop latency (``stop.set()`` → last
sample heard) of the outputs. The measuring part is :func:`tests.support.pulse.time_starts`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audio.outputs import open_output  # noqa: E402
from tests.support.pulse import PulseServer, time_starts  # noqa: E402


def write_tone(path: Path, seconds: float = 0.3, rate: int = 44100) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    samples = (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def output_starter(spec: str, wav: Path):
    """Start *spec*'s output as the daemon does: prepared when opened, before its first slot."""
    output = open_output(spec)
    began = time.monotonic()
    output.prepare()
    print(f"  ({spec}: prepare() took {(time.monotonic() - began) * 1000:.0f} ms, at the daemon's start)")

    def start(_t0: float):
        thread = threading.Thread(target=output.play, args=(wav, threading.Event()))
        thread.start()
        return thread.join

    return start


def paplay_starter(pulse: PulseServer, wav: Path):
    env = pulse.env()

    def start(_t0: float):
        proc = subprocess.Popen(["paplay", "--device=radio_out", str(wav)], env=env)
        return proc.wait

    return start


def stop_latencies(pulse: PulseServer, spec: str, wav: Path, runs: int) -> list[float]:
    """Time from ``stop.set()`` to the last sample heard, for ``runs`` plays stopped after 0.3 s."""
    output, out = open_output(spec), []
    with pulse.record() as rec:
        for _ in range(runs):
            rec.wait_for_silence(0.15)
            stop = threading.Event()
            thread = threading.Thread(target=output.play, args=(wav, stop))
            thread.start()
            threading.Event().wait(0.3)
            stopped = time.monotonic()
            stop.set()
            thread.join()
            rec.wait_for_silence(0.15)
            out.append(rec.last_sound_monotonic() - stopped)
    return out


def summary(latencies: list[float]) -> str:
    ms = np.array(latencies) * 1000
    return (f"p50 {np.percentile(ms, 50):6.1f} ms  p99 {np.percentile(ms, 99):6.1f} ms  "
            f"max {ms.max():6.1f} ms  (n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, PulseServer() as pulse:
        os.environ["PULSE_SERVER"] = pulse.server  # outputs in this process use it
        wav = write_tone(Path(tmp) / "tone.wav")
        long_wav = write_tone(Path(tmp) / "long.wav", seconds=2.0)
        rows = [
            ("paplay (baseline)", paplay_starter(pulse, wav)),
            ("pulse:radio_out (PulseOutput)", output_starter("pulse:radio_out", wav)),
            ("device (DeviceOutput, PortAudio)", output_starter("device", wav)),
        ]
        print(f"Start latency to a PulseAudio null sink, {args.runs} starts each:")
        for label, start in rows:
            print(f"  {label:34} {summary(time_starts(pulse, start, runs=args.runs))}")
        runs = max(10, args.runs // 5)
        print(f"Stop latency (stop.set() → last sample at the sink), {runs} stops each:")
        for spec in ("pulse:radio_out", "device"):
            print(f"  {spec:34} {summary(stop_latencies(pulse, spec, long_wav, runs))}")


if __name__ == "__main__":
    main()
