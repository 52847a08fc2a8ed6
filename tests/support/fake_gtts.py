"""A local stand-in for Google Translate's speech endpoint, and a black-hole proxy.

The machine has no internet, and tests must not depend on it anyway.
:class:`FakeGoogleTts` answers the ``batchexecute`` RPC the way Google does,
with a real MP3 made once by espeak-ng and ffmpeg, and records each request
so tests can check what was asked.  :func:`pointing_gtts_at` patches
``gtts.tts._translate_url`` so gTTS-built requests go to it.

Modes: ``ok``; ``silent`` (accepts, reads the request, never answers);
``500`` (answers HTTP 500); ``slow`` (answers after ``delay_s``);
``fail_then_ok`` (``500`` for the first ``failures`` requests, then ok);
``no_audio`` (200 without the audio line).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs

MODES = ("ok", "silent", "500", "slow", "fail_then_ok", "no_audio")


@functools.lru_cache(maxsize=1)
def sample_mp3() -> bytes:
    """A short real MP3 of Vietnamese speech, made once per test run."""
    if not (shutil.which("espeak-ng") and shutil.which("ffmpeg")):
        raise RuntimeError("the fake gTTS server needs espeak-ng and ffmpeg")
    with tempfile.TemporaryDirectory() as folder:
        wav, mp3 = Path(folder) / "s.wav", Path(folder) / "s.mp3"
        subprocess.run(["espeak-ng", "-v", "vi", "-w", str(wav), "xin chào bà con"],
                       check=True, capture_output=True, timeout=30)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-ac", "1",
                        "-ar", "24000", "-b:a", "32k", str(mp3)],
                       check=True, capture_output=True, timeout=30)
        return mp3.read_bytes()


def batchexecute_answer(mp3: bytes) -> str:
    """Google's answer shape for the jQ1olc RPC, carrying ``mp3``."""
    payload = json.dumps([base64.b64encode(mp3).decode("ascii")])
    line = json.dumps([["wrb.fr", "jQ1olc", payload, None, None, None, "generic"]],
                      separators=(",", ":"))
    return f")]}}'\n\n{len(line)}\n{line}\n25\n[[\"e\",4,null,null,200]]\n"


@dataclass
class RecordedRequest:
    """One request the fake received, decoded."""

    path: str
    headers: dict
    text: str
    lang: str
    rpc: str


@dataclass
class FakeGoogleTts:
    """A threaded HTTP server on 127.0.0.1 that plays Google's speech RPC.

    Use as a context manager; ``url`` is its base URL.
    """

    mode: str = "ok"
    delay_s: float = 0.0
    failures: int = 1
    requests: list = field(default_factory=list)

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self._release = threading.Event()
        self._lock = threading.Lock()
        self.connections = 0

    def __enter__(self) -> "FakeGoogleTts":
        fake = self
        mp3 = sample_mp3() if self.mode != "silent" else b""

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode("utf-8")
                with fake._lock:
                    fake.requests.append(_decode_request(self.path, dict(self.headers), body))
                    count = len(fake.requests)
                mode = fake.mode
                if mode == "silent":
                    fake._release.wait()  # until the server stops
                    return
                if mode == "slow":
                    fake._release.wait(fake.delay_s)
                if mode == "500" or (mode == "fail_then_ok" and count <= fake.failures):
                    self._answer(500, "oops")
                elif mode == "no_audio":
                    self._answer(200, ")]}'\n\n[[\"wrb.fr\",\"other\",null]]\n")
                else:
                    self._answer(200, batchexecute_answer(mp3))

            def _answer(self, status: int, text: str):
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first: that is what tests provoke

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def texts(self) -> list[str]:
        """The text of each chunk requested, in order."""
        return [request.text for request in self.requests]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients hanging up early is the point of several tests


def _decode_request(path: str, headers: dict, body: str) -> RecordedRequest:
    """Undo gTTS's ``f.req`` packing: [[[rpc, json([text, lang, speed, "null"]), …]]]."""
    f_req = parse_qs(body).get("f.req", ["[]"])[0]
    rpc = json.loads(f_req)[0][0]
    text, lang = json.loads(rpc[1])[:2]
    return RecordedRequest(path=path, headers=headers, text=text, lang=lang, rpc=rpc[0])


@contextlib.contextmanager
def pointing_gtts_at(base_url: str):
    """Make gTTS build its request URLs against ``base_url``."""
    def fake_translate_url(tld="com", path=""):
        return f"{base_url}/{path}"

    with mock.patch("gtts.tts._translate_url", fake_translate_url):
        yield


@contextlib.contextmanager
def fake_google(mode: str = "ok", **options):
    """A running :class:`FakeGoogleTts` with gTTS pointed at it."""
    with FakeGoogleTts(mode=mode, **options) as fake, pointing_gtts_at(fake.url):
        yield fake


class BlackHoleProxy:
    """A TCP server on 127.0.0.1 that accepts connections and never answers.

    Set ``HTTPS_PROXY`` to its ``url`` to simulate a captive or broken proxy.
    """

    def __enter__(self) -> "BlackHoleProxy":
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        return self

    def _accept(self):
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                continue
            self._held.append(connection)  # held open, never read nor answered

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=2)
        for connection in self._held:
            connection.close()
        self._socket.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    @property
    def connections(self) -> int:
        return len(self._held)


def refused_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


