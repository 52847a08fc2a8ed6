"""Programme assembly: intro jingle, ident, items and outro joined with gaps.

The programme is 44.1 kHz mono 16-bit, leveled so every speech part sounds
equally loud, then normalised as a whole to the loudness target with a true
peak ceiling. Cues record where each part starts and ends.
"""

from __future__ import annotations

import os
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from pydub import AudioSegment

from .checks import check_audible
from .loudness import measure_lufs, normalize_loudness, true_peak_db

PROGRAMME_RATE = 44100
PROGRAMME_CHANNELS = 1
PROGRAMME_SAMPLE_WIDTH = 2
KINDS = ("intro", "ident", "item", "outro")
#: Jingles sit this many LU under the speech so they do not startle.
JINGLE_OFFSET_LU = -3.0
#: Leading/trailing audio quieter than this (in dBFS) is trimmed from each part.
TRIM_THRESH_DBFS = -55.0
#: How much of the trimmed silence (in ms) is kept at each end of a part.
TRIM_KEEP_MS = 40


@dataclass
class Part:
    """One piece of a programme: a sound file and what it is."""

    path: Path
    kind: str  # "intro" | "ident" | "item" | "outro"
    label: str = ""


@dataclass
class Cue:
    """Where a part sits in the programme (in ms from its start)."""

    kind: str
    label: str
    start_ms: int
    end_ms: int


@dataclass
class Programme:
    """An assembled programme ready to air."""

    segment: AudioSegment
    cues: list[Cue] = field(default_factory=list)
    measured_lufs: float = float("-inf")
    true_peak_db: float = float("-inf")

    @property
    def duration_ms(self) -> int:
        return len(self.segment)


@dataclass
class ProgrammeFile:
    """An assembled programme written to a WAV: what :func:`assemble_file` returns instead
    of the samples, so the caller need not hold them."""

    path: Path
    duration_ms: int
    cues: list[Cue] = field(default_factory=list)
    measured_lufs: float = float("-inf")
    true_peak_db: float = float("-inf")


def load(path: Path) -> AudioSegment:
    """Load any file ffmpeg reads, as 44.1 kHz mono 16-bit."""
    segment = AudioSegment.from_file(str(path))
    return (segment.set_channels(PROGRAMME_CHANNELS)
            .set_sample_width(PROGRAMME_SAMPLE_WIDTH)
            .set_frame_rate(PROGRAMME_RATE))


def _trim(segment: AudioSegment) -> AudioSegment:
    """Trim leading/trailing near-silence (keeps gaps even whatever the engine pads)."""
    from pydub.silence import detect_leading_silence

    start = max(0, detect_leading_silence(segment, TRIM_THRESH_DBFS, 10) - TRIM_KEEP_MS)
    end = max(0, detect_leading_silence(segment.reverse(), TRIM_THRESH_DBFS, 10) - TRIM_KEEP_MS)
    return segment[start:len(segment) - end]


def assemble(parts: Sequence[Part], *, gap_ms: int = 700, target_lufs: float = -16.0,
             max_true_peak_db: float = -1.0) -> Programme:
    """Join ``parts`` into one leveled programme.

    Each part is loaded, checked to be audible, trimmed of leading/trailing
    silence and leveled: speech (ident, items) to ``target_lufs`` and
    jingles :data:`JINGLE_OFFSET_LU` below it. Parts are joined with
    ``gap_ms`` of silence, and the whole is normalised again.

    :param gap_ms: silence between parts (in ms).
    :param target_lufs: integrated loudness of the programme (in LUFS).
    :param max_true_peak_db: true peak ceiling (in dBTP).
    :raise SilentAudioError: if a part is silent or too short (names its path).
    :raise ValueError: if there are no parts or a part has an unknown kind.
    """
    if not parts:
        raise ValueError("A programme needs at least one part.")
    gap = AudioSegment.silent(gap_ms, frame_rate=PROGRAMME_RATE).set_sample_width(2)
    joined = AudioSegment.empty().set_frame_rate(PROGRAMME_RATE).set_sample_width(2).set_channels(1)
    cues: list[Cue] = []
    for index, part in enumerate(parts):
        if part.kind not in KINDS:
            raise ValueError(f"Part {part.path} has kind {part.kind!r}; expected one of {', '.join(KINDS)}.")
        segment = load(part.path)
        check_audible(segment, label=str(part.path))
        segment = _trim(segment)
        level = target_lufs + (JINGLE_OFFSET_LU if part.kind in ("intro", "outro") else 0.0)
        segment = normalize_loudness(segment, level, max_true_peak_db)
        if index:
            joined += gap
        start_ms = len(joined)
        joined += segment
        cues.append(Cue(part.kind, part.label or Path(part.path).stem, start_ms, len(joined)))
    final = normalize_loudness(joined, target_lufs, max_true_peak_db)
    return Programme(final, cues, measure_lufs(final), true_peak_db(final))


def _assemble_to(parts: Sequence[Part], path: Path, kwargs: dict) -> ProgrammeFile:
    programme = assemble(parts, **kwargs)
    write_wav(programme, path)
    return ProgrammeFile(Path(path), programme.duration_ms, programme.cues, programme.measured_lufs,
                         programme.true_peak_db)


#: what assembling imports: a helper warmed with these is ready when the programme is due
ASSEMBLY_MODULES = ("audio.programme", "pyloudnorm", "scipy.signal", "scipy.ndimage")


def warm_assembly(keep_s: float = 0.0) -> None:
    """Start a helper for :func:`assemble_file` now, so its start-up (a second or more on a
    loaded PC) is not paid when the programme is due; kept at least *keep_s* (in seconds)."""
    from . import worker

    worker.warm(*ASSEMBLY_MODULES, keep_s=keep_s)


def assemble_file(parts: Sequence[Part], path: Path, *, gap_ms: int = 700, target_lufs: float = -16.0,
                  max_true_peak_db: float = -1.0) -> ProgrammeFile:
    """:func:`assemble` then :func:`write_wav` to *path*, in a helper process (:mod:`audio.worker`).

    The same code makes the same bytes; the long-lived caller only gets the
    description, and the loudness libraries and samples leave with the helper.

    :raise SilentAudioError: as :func:`assemble`.
    :raise ValueError: as :func:`assemble`.
    :raise audio.worker.WorkerError: the helper process died before it answered.
    """
    from . import worker

    return worker.run(_assemble_to, list(parts), Path(path),
                      {"gap_ms": gap_ms, "target_lufs": target_lufs, "max_true_peak_db": max_true_peak_db})


def write_wav(programme_or_segment: Programme | AudioSegment, path: Path) -> None:
    """Write a 16-bit PCM WAV atomically (a temporary file renamed into place)."""
    segment = getattr(programme_or_segment, "segment", programme_or_segment)
    if segment.sample_width != 2:
        segment = segment.set_sample_width(2)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            with wave.open(handle, "wb") as out:
                out.setnchannels(segment.channels)
                out.setsampwidth(2)
                out.setframerate(segment.frame_rate)
                out.writeframes(segment.raw_data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
