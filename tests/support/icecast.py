"""A private Icecast server and a listening client, for tests and benchmarks.

:class:`IcecastServer` runs ``icecast2`` on a free port with a generated
config (mount ``/radio``, ``burst-size`` 0 so listeners get live audio, not a
backlog). Icecast refuses to run as root, so as root the config drops
privileges to ``nobody`` via ``<changeowner>`` and the temp dir is made
writable for it. :class:`Listener` decodes the stream with ffmpeg to PCM.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from .processes import end

RATE = 44100
MOUNT = "/radio"


def icecast_available() -> bool:
    """Whether icecast2 and ffmpeg are installed (for ``skipif``)."""
    return bool(shutil.which("icecast2") and shutil.which("ffmpeg"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_CONFIG = """<icecast>
  <location>test</location><admin>test@localhost</admin>
  <limits>
    <clients>20</clients><sources>4</sources><queue-size>524288</queue-size>
    <client-timeout>30</client-timeout><header-timeout>15</header-timeout>
    <source-timeout>10</source-timeout><burst-on-connect>0</burst-on-connect>
    <burst-size>0</burst-size>
  </limits>
  <authentication>
    <source-password>{password}</source-password><relay-password>{password}</relay-password>
    <admin-user>admin</admin-user><admin-password>{password}</admin-password>
  </authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>{port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <mount type="normal"><mount-name>{mount}</mount-name><burst-size>0</burst-size></mount>
  <fileserve>1</fileserve>
  <paths>
    <basedir>{dir}</basedir><logdir>{dir}/log</logdir>
    <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot>
    <alias source="/" destination="/status.xsl"/>
  </paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>3</loglevel></logging>
  <security><chroot>0</chroot>{changeowner}</security>
</icecast>
"""


class IcecastServer:
    """A private icecast2 on a free port; use as a context manager."""

    def __init__(self, *, password: str = "hackme", mount: str = MOUNT):
        self.password, self.mount = password, mount
        self.port = 0
        self._dir: Path | None = None
        self._proc: subprocess.Popen | None = None

    @property
    def source_url(self) -> str:
        """The ``icecast://`` URL a source (our IcecastOutput) connects to."""
        return f"icecast://source:{self.password}@127.0.0.1:{self.port}{self.mount}"

    @property
    def listen_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.mount}"

    def __enter__(self) -> "IcecastServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="radio-icecast-"))
        (self._dir / "log").mkdir()
        changeowner = ""
        if os.geteuid() == 0:
            changeowner = "<changeowner><user>nobody</user><group>nogroup</group></changeowner>"
            for path in (self._dir, self._dir / "log"):
                path.chmod(0o777)
        self.port = free_port()
        config = self._dir / "icecast.xml"
        config.write_text(_CONFIG.format(password=self.password, port=self.port, mount=self.mount,
                                         dir=self._dir, changeowner=changeowner))
        self._proc = subprocess.Popen(["icecast2", "-c", str(config)], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"icecast2 exited: {self._proc.stderr.read().decode(errors='replace')}"
                                   f" {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("icecast2 did not listen within 10 s")

    def stop(self) -> None:
        if self._proc is not None:
            end(self._proc)
            self._proc = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def log(self) -> str:
        try:
            return (self._dir / "log" / "error.log").read_text(errors="replace")[-3000:]
        except (OSError, TypeError):
            return ""

    def mount_live(self) -> bool:
        """Whether a source is currently streaming to the mount."""
        try:
            with urllib.request.urlopen(self.listen_url, timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def wait_for_source(self, timeout_s: float = 10.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.mount_live():
                return
            time.sleep(0.02)
        raise RuntimeError(f"no source on {self.mount} within {timeout_s} s: {self.log()}")

    def listen(self) -> "Listener":
        """Start decoding the stream (the source must be live)."""
        return Listener(self.listen_url)


class Listener:
    """Decodes an HTTP audio stream with ffmpeg to int16 mono PCM at :data:`RATE`."""

    def __init__(self, url: str):
        self._chunks: list[tuple[float, np.ndarray]] = []
        self._proc = subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-fflags", "nobuffer", "-probesize", "2048",
             "-analyzeduration", "0", "-f", "mp3", "-i", url,
             "-f", "s16le", "-ac", "1", "-ar", str(RATE), "pipe:1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        fd, leftover = self._proc.stdout.fileno(), b""
        while data := os.read(fd, 8192):
            data = leftover + data
            usable = len(data) - len(data) % 2
            leftover = data[usable:]
            self._chunks.append((time.monotonic(), np.frombuffer(data[:usable], "<i2").copy()))

    def wait(self, timeout_s: float = 30.0) -> None:
        """Block until the stream ends (the source disconnected)."""
        self._proc.wait(timeout_s)
        self._thread.join(5)

    def stop(self) -> None:
        end(self._proc)
        self._thread.join(5)

    def samples(self) -> np.ndarray:
        chunks = list(self._chunks)
        return np.concatenate([c for _, c in chunks]) if chunks else np.zeros(0, np.int16)
