"""IcecastOutput: stream to an Icecast server for IP loudspeakers.

Raw PCM is fed from Python to ``ffmpeg`` at the real-time pace (so the frames
counted are the frames the listeners got, and a stop is prompt); ffmpeg
encodes MP3 with libmp3lame and sends it to the mount as a source client.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from .base import BaseOutput, Cue, OutputError, PlayResult, Progress, pace_writes, read_pcm

CONNECT_TIMEOUT_S = 2.0


class IcecastOutput(BaseOutput):
    """Streams to ``icecast://source:PASSWORD@host:port/mount``.

    :param url: the source URL (ffmpeg's icecast protocol).
    :param bitrate: MP3 bitrate, e.g. ``"64k"``.
    """

    def __init__(self, url: str, *, bitrate: str = "96k"):
        parts = urlsplit(url)
        if parts.scheme != "icecast" or not parts.hostname or not parts.path.strip("/"):
            raise ValueError(f"Bad Icecast URL {url!r}; expected icecast://source:PASSWORD@host:port/mount")
        self.url = url
        self.host, self.port = parts.hostname, parts.port or 8000
        safe = f"{parts.hostname}:{self.port}{parts.path}"
        self.name = f"icecast://{safe}"  # no password in logs
        self.bitrate = bitrate
        self._secret = parts.password or ""

    def _check_reachable(self) -> None:
        try:
            with socket.create_connection((self.host, self.port), timeout=CONNECT_TIMEOUT_S):
                pass
        except OSError as exc:
            raise OutputError(f"Icecast server {self.host}:{self.port} is unreachable: {exc}. "
                              "Check that icecast2 runs and the URL is right.") from exc

    def play(self, wav_path: Path, stop: threading.Event,
             on_start: Callable[[], None] | None = None,
             progress: Progress | None = None) -> PlayResult:
        with self.cue(wav_path, progress) as cued:
            return cued.start(stop, on_start)

    def cue(self, wav_path: Path, progress: Progress | None = None) -> "IcecastCue":
        """Read the file, check the server answers and start the encoder, waiting for sound.

        The encoder connects to the mount with its first input: a source with no sound yet
        would be a mount of silence to the loudspeakers.

        :raise OutputError: the server is unreachable.
        """
        pcm = read_pcm(wav_path)
        self._check_reachable()
        return IcecastCue(self, pcm, progress)


class IcecastCue(Cue):
    def __init__(self, output: IcecastOutput, pcm, progress: Progress | None):
        super().__init__(progress)
        self.output, self.pcm = output, pcm
        self.proc = subprocess.Popen(
            # No probing/analysis of the raw input: ffmpeg would otherwise wait
            # ~1 s of real-time input before connecting to the server.
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-probesize", "32",
             "-analyzeduration", "0", "-fflags", "nobuffer", "-f", "s16le",
             "-ar", str(pcm.sample_rate), "-ac", str(pcm.channels), "-i", "pipe:0",
             "-c:a", "libmp3lame", "-b:a", output.bitrate, "-content_type", "audio/mpeg",
             "-ice_name", "radio", "-flush_packets", "1", "-f", "mp3", output.url],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, bufsize=0)
        self.stderr: list[bytes] = []
        self.reader = threading.Thread(target=lambda: self.stderr.append(self.proc.stderr.read()), daemon=True)
        self.reader.start()

    def _start(self, stop, on_start, lead_s):
        pcm, proc, output = self.pcm, self.proc, self.output

        def write(data: bytes) -> None:
            try:
                proc.stdin.write(data)
            except (BrokenPipeError, OSError):
                pass

        played, started, finished = pace_writes(
            pcm, write, stop, on_start=on_start, lead_ms=100, progress=self.progress,
            alive=lambda: proc.poll() is None)
        if stop.is_set():
            proc.terminate()
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            code = proc.wait(10)
        except subprocess.TimeoutExpired:
            code = None
        self.close()
        message = b"".join(self.stderr).decode(errors="replace").strip()
        if output._secret:
            message = message.replace(output._secret, "***")
        if code != 0 and not stop.is_set():
            if played < 2 * pcm.sample_rate:  # failed at once: could not connect/authenticate
                raise OutputError(f"Icecast refused the stream to {output.name}: {message or f'ffmpeg exit {code}'}")
            return PlayResult(played, pcm.sample_rate, False, started, message or f"ffmpeg exit {code}")
        return PlayResult(played, pcm.sample_rate, finished and not stop.is_set(), started)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.reader.join(2)
