"""Turning a human recording (any container ffmpeg reads) into air-ready WAV.

A recording is decoded by ffmpeg, never trusted by its name: a text file
renamed ``.mp3`` fails here. The result is 44.1 kHz mono 16-bit, checked
audible and brought to the station's loudness, written atomically so a
refused or failed conversion leaves no file behind.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from pydub import AudioSegment

from .checks import check_audible
from .loudness import normalize_loudness
from .programme import PROGRAMME_CHANNELS, PROGRAMME_RATE, PROGRAMME_SAMPLE_WIDTH

#: longest recording accepted (in seconds): a bulletin, not a concert
MAX_RECORDING_SECONDS = 30 * 60
#: ffmpeg gets this long (in seconds) to decode one upload
DECODE_TIMEOUT_S = 120


class UndecodableAudioError(ValueError):
    """ffmpeg could not read the file as audio; the message carries its reason."""


def _ffmpeg_reason(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no audio stream"


def decode(source: Path) -> AudioSegment:
    """Decode *source* to programme-format PCM with ffmpeg.

    :raise UndecodableAudioError: not audio, no audio stream, or too long.
    """
    with tempfile.TemporaryDirectory(prefix="radio-decode-") as tmp:
        wav = Path(tmp) / "decoded.wav"
        cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(source),
               "-vn", "-map", "0:a:0", "-t", str(MAX_RECORDING_SECONDS + 1),
               "-ac", str(PROGRAMME_CHANNELS), "-ar", str(PROGRAMME_RATE),
               "-sample_fmt", "s16", "-f", "wav", str(wav)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=DECODE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise UndecodableAudioError(f"ffmpeg took longer than {DECODE_TIMEOUT_S} s to decode it") from None
        if proc.returncode != 0 or not wav.exists() or wav.stat().st_size <= 44:
            raise UndecodableAudioError(f"not an audio file ffmpeg can read ({_ffmpeg_reason(proc.stderr)})")
        segment = AudioSegment.from_wav(wav)
    if len(segment) > MAX_RECORDING_SECONDS * 1000:
        raise UndecodableAudioError(f"longer than {MAX_RECORDING_SECONDS // 60} minutes")
    return segment.set_sample_width(PROGRAMME_SAMPLE_WIDTH)


def convert_recording(source: Path, target: Path, *, target_lufs: float = -16.0,
                      max_true_peak_db: float = -1.0) -> int:
    """Decode, check and loudness-normalise *source*, writing WAV to *target* atomically.

    Runs in a helper process (:mod:`audio.worker`): the loudness libraries and
    the samples do not stay in the long-lived admin that took the upload.

    :param target_lufs: integrated loudness of the result (in LUFS).
    :param max_true_peak_db: true-peak ceiling of the result (in dBTP).
    :raise UndecodableAudioError: ffmpeg could not read it.
    :raise audio.checks.SilentAudioError: it decodes but is silent or too short to hear.
    :raise audio.worker.WorkerError: the helper process died before it answered.
    :return: the length of what was written (in ms).
    """
    from . import worker

    return worker.run(_convert, Path(source), Path(target), target_lufs, max_true_peak_db)


def _convert(source: Path, target: Path, target_lufs: float, max_true_peak_db: float) -> int:
    segment = decode(Path(source))
    check_audible(segment, label="recording")
    segment = normalize_loudness(segment, target_lufs, max_true_peak_db)
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=".wav", dir=target.parent)
    os.close(fd)
    try:
        segment.export(tmp, format="wav")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(segment)
