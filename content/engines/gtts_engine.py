"""Google Translate's speech voice (gTTS), bounded in time.

gTTS itself sends requests without a timeout, so a network that accepts
connections but never answers hangs it forever.  We let gTTS build the
requests (URL, RPC body, headers) and send them ourselves with a
``requests.Session``: every request has a (connect, read) timeout, the whole
attempt has a deadline proportional to the text length, and the first request
that gets no answer ends the attempt, so a silent network costs one timeout,
not one per chunk.  Proxies come from the environment (``HTTPS_PROXY``), as
``requests`` does by default.
"""

from __future__ import annotations

import base64
import io
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
from requests.utils import select_proxy

from .base import BaseEngine, EngineError, one_line
from .chunking import MAX_CHUNK_CHARS, split_for_speech

_AUDIO_LINE = re.compile(r'jQ1olc","\[\\"(.*)\\"]')
_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


def default_deadline_s(text: str) -> float:
    """How long a whole gTTS attempt may take for ``text``."""
    return 10.0 + 0.05 * len(text)


class _NoAnswerError(Exception):
    """A request timed out: the server (or a proxy) is silent."""


class _RetryableError(Exception):
    """A failure worth another try (refused connection, 5xx)."""


class GttsEngine(BaseEngine):
    """Speak with Google Translate's voice.

    :param lang: Google's language code, ``vi`` for Vietnamese.
    :param tld: top-level domain of the Google host (``com``, ``com.vn``).
    :param timeout_s: connect and read timeout of each request.
    :param deadline_s: bound on the whole attempt; ``None`` means
        :func:`default_deadline_s` of the text.
    :param retries: extra tries per chunk after a refused connection or 5xx.
    :param backoff_s: the first wait between tries; it doubles each time.
    """

    name = "gtts"

    def __init__(self, lang: str = "vi", tld: str = "com", timeout_s: float = 5.0,
                 deadline_s: float | None = None, retries: int = 2,
                 backoff_s: float = 0.5):
        self.lang = lang
        self.voice = lang
        self.rate = 0  # Google has one speed for us; "slow" is not used.
        self.tld = tld
        self.timeout_s = float(timeout_s)
        self.deadline_s = deadline_s
        self.retries = max(0, int(retries))
        self.backoff_s = float(backoff_s)

    def model_identity(self) -> str:
        return f"translate.google.{self.tld}"

    # -- building requests -------------------------------------------------

    def prepare_requests(self, text: str) -> list[requests.PreparedRequest]:
        """One prepared request per chunk of ``text``, built by gTTS."""
        from gtts.tts import gTTS  # late: keeps import of content.engines light

        prepared = []
        for chunk in split_for_speech(text, MAX_CHUNK_CHARS):
            if not any(c.isalnum() for c in chunk):
                continue  # punctuation alone: gTTS asserts there is text to send
            # No pre-processors: the text is already normalised, and gTTS's
            # English abbreviation rules would only get in the way.
            tts = gTTS(chunk, lang=self.lang, tld=self.tld, lang_check=False,
                       pre_processor_funcs=[])
            prepared.extend(tts._prepare_requests())
        if not prepared:
            raise EngineError("gTTS: nothing to say (no words in the text)")
        return prepared

    # -- synthesis -----------------------------------------------------------

    def synthesize(self, text: str, out_path: Path) -> None:
        if not text.strip():
            raise EngineError("gTTS: nothing to say (empty text)")
        deadline_s = self.deadline_s if self.deadline_s is not None else default_deadline_s(text)
        give_up_at = time.monotonic() + deadline_s
        prepared = self.prepare_requests(text)
        mp3_parts: list[bytes] = []
        with requests.Session() as session:
            for index, request in enumerate(prepared):
                mp3_parts.append(self._fetch_chunk(
                    session, request, give_up_at, deadline_s, index, len(prepared)))
        _write_wav(mp3_parts, Path(out_path))

    def _fetch_chunk(self, session: requests.Session, request: requests.PreparedRequest,
                     give_up_at: float, deadline_s: float, index: int, total: int) -> bytes:
        host = urlsplit(request.url).hostname or request.url
        attempt = 0
        while True:
            out_of_time = EngineError(
                f"gTTS: gave up after {deadline_s:g} s with {index} of {total} parts "
                f"from {host}")
            remaining = give_up_at - time.monotonic()
            if remaining <= 0:
                raise out_of_time
            try:
                return self._send(session, request, min(self.timeout_s, remaining),
                                  host, give_up_at)
            except _NoAnswerError as error:
                if remaining < self.timeout_s:
                    raise out_of_time from None  # the deadline, not the server, cut it short
                # A silent server stays silent: waiting again would only
                # delay the fallback voice.
                raise EngineError(f"gTTS: {error}") from None
            except _RetryableError as error:
                if attempt >= self.retries:
                    raise EngineError(
                        f"gTTS: {error} (after {attempt + 1} tries)") from None
                pause = self.backoff_s * (2 ** attempt)
                if time.monotonic() + pause >= give_up_at:
                    raise EngineError(
                        f"gTTS: {error}; no time left to retry within {deadline_s:g} s"
                    ) from None
                time.sleep(pause)
                attempt += 1

    def _send(self, session: requests.Session, request: requests.PreparedRequest,
              timeout_s: float, host: str, give_up_at: float) -> bytes:
        # Session.send ignores the environment; merge it so HTTPS_PROXY,
        # NO_PROXY and REQUESTS_CA_BUNDLE apply as with requests.get.
        settings = session.merge_environment_settings(request.url, {}, True, None, None)
        proxy = select_proxy(request.url, settings.get("proxies") or {})
        where = f"{host} (via proxy {urlsplit(proxy).netloc})" if proxy else host
        started = time.monotonic()
        try:
            response = session.send(request, timeout=(timeout_s, timeout_s), **settings)
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout):
            raise _NoAnswerError(f"no answer from {where} within {timeout_s:g} s") from None
        except requests.exceptions.ProxyError as error:
            raise _RetryableError(
                f"cannot reach proxy {urlsplit(proxy or '').netloc or '?'} for {host} "
                f"({_short_reason(error)})") from None
        except requests.exceptions.ConnectionError as error:
            if time.monotonic() - started >= timeout_s * 0.9:
                # urllib3 reports some timeouts (e.g. through a tunnel) as
                # connection errors: treat them as silence.
                raise _NoAnswerError(
                    f"no answer from {where} within {timeout_s:g} s") from None
            raise _RetryableError(f"cannot connect to {where} ({_short_reason(error)})") from None
        except requests.exceptions.RequestException as error:
            raise EngineError(f"gTTS: request to {where} failed: {one_line(error)}") from None
        with response:
            if response.status_code in _RETRYABLE_STATUS:
                raise _RetryableError(f"{host} answered HTTP {response.status_code}")
            if response.status_code != 200:
                raise EngineError(
                    f"gTTS: {host} answered HTTP {response.status_code} "
                    f"{response.reason or ''}".rstrip())
            body = _read_body(response, host, timeout_s, give_up_at)
        return _decode_audio(body, host)


def _read_body(response: requests.Response, host: str, timeout_s: float,
               give_up_at: float) -> str:
    """The whole answer, unless it trickles in past the deadline.

    The read timeout bounds each wait for bytes, not the whole body, so a
    server sending a byte a second would otherwise hold us for ever.
    """
    parts = []
    try:
        for block in response.iter_content(chunk_size=16384):
            parts.append(block)
            if time.monotonic() > give_up_at:
                raise _NoAnswerError(f"{host} is answering too slowly")
    except requests.exceptions.RequestException as error:
        if "timed out" in str(error).lower():
            raise _NoAnswerError(
                f"{host} stopped answering for {timeout_s:g} s mid-answer") from None
        raise _RetryableError(f"answer from {host} broke off ({_short_reason(error)})") from None
    return b"".join(parts).decode("utf-8", "replace")


def _short_reason(error: Exception) -> str:
    """The operating system's reason inside a requests/urllib3 error."""
    text = str(error)
    found = re.search(r"\[Errno -?\d+\] ([^\"')\]]+)", text)
    if found:
        return found.group(1).strip().rstrip(".").lower()
    for known in ("Name or service not known", "Connection refused", "Connection reset",
                  "Network is unreachable", "timed out"):
        if known.lower() in text.lower():
            return known.lower()
    return one_line(text, 120)


def _decode_audio(body: str, host: str) -> bytes:
    """The MP3 in a batchexecute answer, as gTTS.stream decodes it."""
    for line in body.splitlines():
        if "jQ1olc" in line:
            found = _AUDIO_LINE.search(line)
            if found:
                try:
                    return base64.b64decode(found.group(1).encode("ascii"))
                except (ValueError, UnicodeEncodeError):
                    break
    raise EngineError(f"gTTS: {host} answered without audio (has Google's API changed?)")


def _write_wav(mp3_parts: list[bytes], out_path: Path) -> None:
    """Decode the MP3 parts, join them and write a 16-bit mono WAV."""
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError

    speech = AudioSegment.empty()
    for index, mp3 in enumerate(mp3_parts):
        try:
            speech += AudioSegment.from_file(io.BytesIO(mp3), format="mp3")
        except (CouldntDecodeError, OSError, IndexError) as error:
            raise EngineError(
                f"gTTS: part {index + 1} is not playable MP3 ({one_line(error, 120)})"
            ) from None
    if len(speech) == 0:
        raise EngineError("gTTS: the answer held no audio")
    speech = speech.set_channels(1).set_sample_width(2)
    try:
        speech.export(str(out_path), format="wav")
    except OSError as error:
        raise EngineError(f"gTTS: cannot write {out_path} ({one_line(error)})") from None
