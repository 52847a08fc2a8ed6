"""The default intro and outro jingles, synthesised by the project.

A three-note bell chime (fundamental plus bell-like partials, exponential
decay), descending for the intro and ascending for the outro. The shipped
files in ``audio/data/`` are regenerated with ``python -m audio.jingles``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from pydub import AudioSegment

DATA_DIR = Path(__file__).parent / "data"
JINGLE_RATE = 22050
JINGLE_DURATION_S = 2.5
#: Notes (Hz) of each chime: G5 E5 C5 down for the intro, up for the outro.
NOTES_HZ = {"intro": (783.99, 659.25, 523.25), "outro": (523.25, 659.25, 783.99)}
NOTE_SPACING_S = 0.45
#: (frequency ratio, relative amplitude, decay time constant in s) of the partials.
PARTIALS = ((1.0, 1.0, 0.55), (2.0, 0.35, 0.30), (3.0, 0.12, 0.18), (4.16, 0.06, 0.10))
PEAK_DBFS = -3.0


def synthesize_chime(kind: str, rate: int = JINGLE_RATE) -> np.ndarray:
    """Float samples (peak at :data:`PEAK_DBFS`) of the ``kind`` chime."""
    t = np.arange(int(JINGLE_DURATION_S * rate)) / rate
    out = np.zeros_like(t)
    for index, freq in enumerate(NOTES_HZ[kind]):
        onset = index * NOTE_SPACING_S
        local = t[t >= onset] - onset
        note = sum(amp * np.exp(-local / tau) * np.sin(2 * np.pi * freq * ratio * local)
                   for ratio, amp, tau in PARTIALS)
        attack = np.minimum(1.0, local / 0.005)  # 5 ms attack: no click
        out[t >= onset] += note * attack * (1.6 if index == len(NOTES_HZ[kind]) - 1 else 1.0)
    fade = np.minimum(1.0, (t[-1] - t) / 0.3)  # fade the tail to true zero
    out *= fade
    return out / np.abs(out).max() * 10 ** (PEAK_DBFS / 20)


def render(kind: str, path: Path) -> None:
    """Write the ``kind`` chime as a mono 16-bit WAV at :data:`JINGLE_RATE`."""
    from .programme import write_wav

    ints = np.round(synthesize_chime(kind) * 32767).astype("<i2")
    write_wav(AudioSegment(ints.tobytes(), frame_rate=JINGLE_RATE, sample_width=2, channels=1), path)


#: sha256 of the shipped files, checked before a programme plays them (printed by ``main``)
DEFAULT_SHA256 = {
    "intro": "86a258194384ddb0f7edf7b7dcdbea07da0ed127493bba08997949bd7f17f6ca",
    "outro": "b53e0e156bb353568fdfa617c81715dc65197bfa07ba9b4badff3ab193bc36a5",
}


def default_jingle(kind: str) -> Path:
    """Path of the shipped ``"intro"`` or ``"outro"`` jingle.

    :raise ValueError: for another kind.
    """
    if kind not in NOTES_HZ:
        raise ValueError(f"No default jingle {kind!r}; expected 'intro' or 'outro'.")
    return DATA_DIR / f"{kind}.wav"


def main() -> None:
    DATA_DIR.mkdir(exist_ok=True)
    for kind in NOTES_HZ:
        render(kind, default_jingle(kind))
        data = default_jingle(kind).read_bytes()
        print(default_jingle(kind), len(data), "bytes, sha256", hashlib.sha256(data).hexdigest())


if __name__ == "__main__":
    main()
