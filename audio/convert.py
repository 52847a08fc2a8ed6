"""Turning a human recording (WAV, MP3, AAC, Ogg/Opus, FLAC, M4A, WebM) into air-ready WAV.

A recording is never trusted by its name. Its first bytes are sniffed
(:func:`sniff_format`) and ffmpeg is told that one demuxer (``-f``) and the
``file`` protocol only (``-protocol_whitelist file``): left to guess, ffmpeg
reads an HLS playlist or a concat list named ``.mp3`` and airs whatever local
file or URL it names. Playlists, concat lists, session
descriptions and anything not recognised are refused before ffmpeg runs. The
result is 44.1 kHz mono 16-bit, checked audible and brought to the station's
loudness, written atomically so a refused or failed conversion leaves no file
behind.
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


class NotAudioError(UndecodableAudioError):
    """The file's content is a playlist, a list of files or unknown: refused before decoding."""


#: text that makes ffmpeg open other files or URLs (or that is no audio at all), by what it is
_INDIRECT = (
    (b"#EXTM3U", "an HLS/M3U playlist"),
    (b"#EXT", "an HLS/M3U playlist"),
    (b"ffconcat", "an ffmpeg concat list"),
    (b"file ", "an ffmpeg concat list"),
    (b"file\t", "an ffmpeg concat list"),
    (b"v=0", "an SDP session description"),
    (b"[playlist]", "a PLS playlist"),
    (b"<", "an XML playlist or manifest"),
    (b"#", "a playlist"),
)
#: the demuxers a recording may be decoded with (ffmpeg's names)
DEMUXERS = ("wav", "mp3", "aac", "ogg", "flac", "mov", "matroska")


def sniff_format(head: bytes) -> str:
    """The ffmpeg demuxer for a file starting with *head* (its first 64 bytes or more).

    :raise NotAudioError: a playlist, a concat list, an SDP file, or no audio format
        this station takes; the message names which.
    """
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3":
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:
            return "aac"  # ADTS: sync, layer 00
        if head[1] & 0xE0 == 0xE0 and (head[1] >> 1) & 0x03:
            return "mp3"  # MPEG audio frame sync, layer I–III
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"fLaC":
        return "flac"
    if head[4:8] == b"ftyp":
        return "mov"  # M4A / MP4 / 3GP
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "matroska"  # WebM (the browser's MediaRecorder), MKA
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    for marker, what in _INDIRECT:
        if text[:len(marker)].lower() == marker.lower():
            raise NotAudioError(f"it is {what}, not audio; upload the recording itself")
    raise NotAudioError("its content is not WAV, MP3, AAC, Ogg/Opus, FLAC, M4A or WebM audio")


def _input_args(source: Path) -> list[str]:
    """ffmpeg's input options for *source*: its sniffed demuxer, local files only.

    :raise NotAudioError: see :func:`sniff_format`.
    """
    try:
        with open(source, "rb") as fh:
            head = fh.read(64)
    except OSError as exc:
        raise UndecodableAudioError(f"cannot read it ({exc.strerror or exc})") from None
    demuxer = sniff_format(head)
    extra = ["-enable_drefs", "0"] if demuxer == "mov" else []  # no tracks in other files
    # "file:" + an absolute path: a name such as "concat:a|b" is never a protocol
    return ["-protocol_whitelist", "file", "-f", demuxer, *extra,
            "-i", "file:" + str(Path(source).resolve())]


def _ffmpeg_reason(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no audio stream"


def decode(source: Path) -> AudioSegment:
    """Decode *source* to programme-format PCM with ffmpeg.

    :raise NotAudioError: a playlist, a concat list or unknown content (ffmpeg never runs).
    :raise UndecodableAudioError: not audio, no audio stream, or too long.
    """
    with tempfile.TemporaryDirectory(prefix="radio-decode-") as tmp:
        wav = Path(tmp) / "decoded.wav"
        cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", *_input_args(source),
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

    # resolved here: the helper process need not share this one's working directory
    return worker.run(_convert, Path(source).resolve(), Path(target).resolve(), target_lufs,
                      max_true_peak_db)


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
