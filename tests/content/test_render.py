"""The render cache and engine fallback."""

import os
import shutil
import threading
import time
import wave
from pathlib import Path

import pytest

from content.engines.base import BaseEngine, EngineError
from content.engines.espeak import EspeakEngine
from content.engines.gtts_engine import GttsEngine
from content.engines.piper import PiperEngine
from content.render import (Rendering, cache_key, engines_for, is_cached, render,
                            render_text)
from tests.support.fake_gtts import fake_google

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed")


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


def write_tone_wav(path, seconds=0.5, rate=8000):
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"\x10\x00\xf0\xff" * int(seconds * rate / 2))


class CountingEngine(BaseEngine):
    """A fake engine that counts its calls and can fail or stall on demand."""

    def __init__(self, name="fake", voice="v", fail=None, pause_s=0.0, stop_after_open=False):
        self.name, self.voice, self.rate = name, voice, 100
        self.fail, self.pause_s, self.stop_after_open = fail, pause_s, stop_after_open
        self.calls = 0

    def synthesize(self, text, out_path):
        self.calls += 1
        if self.fail:
            raise EngineError(self.fail)
        if self.stop_after_open:
            Path(out_path).write_bytes(b"RIFF half")
            raise KeyboardInterrupt  # a crash in the middle of writing
        time.sleep(self.pause_s)
        write_tone_wav(out_path)


def test_render_writes_cache_entry_and_describes_it(tmp_path):
    engine = CountingEngine()
    rendering = render("xin chào", tmp_path / "cache", [engine])
    assert isinstance(rendering, Rendering)
    assert rendering.path == tmp_path / "cache" / f"{cache_key('xin chào', engine)}.wav"
    assert rendering.engine == "fake" and rendering.voice == "v"
    assert rendering.spoken_text == "xin chào"
    assert rendering.cache_key == rendering.path.stem
    assert rendering.duration_ms == 500
    assert len(rendering.audio_sha256) == 64
    assert is_cached("xin chào", tmp_path / "cache", engine)


def test_render_cache_hit_returns_same_path_without_synthesising(tmp_path):
    engine = CountingEngine()
    first = render("xin chào", tmp_path, [engine])
    second = render("xin chào", tmp_path, [engine])
    assert engine.calls == 1
    assert second == first


def test_render_cache_key_depends_on_text_and_engine_identity():
    a, b = CountingEngine(voice="a"), CountingEngine(voice="b")
    assert cache_key("x", a) != cache_key("x", b)
    assert cache_key("x", a) != cache_key("y", a)
    assert cache_key("x", a) == cache_key("x", CountingEngine(voice="a"))


def test_render_falls_back_and_records_the_engine(tmp_path):
    broken = CountingEngine(name="gtts", fail="gTTS: no answer")
    backup = CountingEngine(name="espeak")
    rendering = render("xin chào", tmp_path, [broken, backup])
    assert rendering.engine == "espeak"
    assert not is_cached("xin chào", tmp_path, broken)


def test_render_prefers_the_first_engines_cache(tmp_path):
    preferred, fallback = CountingEngine(name="gtts"), CountingEngine(name="espeak")
    render("xin chào", tmp_path, [fallback])
    render("xin chào", tmp_path, [preferred])
    assert render("xin chào", tmp_path, [preferred, fallback]).engine == "gtts"
    assert (preferred.calls, fallback.calls) == (1, 1)


def test_render_uses_fallbacks_cache_without_calling_the_preferred_engine(tmp_path):
    preferred, fallback = CountingEngine(name="gtts"), CountingEngine(name="espeak")
    render("xin chào", tmp_path, [fallback])
    assert render("xin chào", tmp_path, [preferred, fallback]).engine == "espeak"
    assert preferred.calls == 0  # upgrading is the station's job, via is_cached


def test_render_all_failing_lists_every_failure(tmp_path):
    engines = [CountingEngine(name="gtts", fail="gTTS: no answer from x within 5 s"),
               CountingEngine(name="espeak", fail="espeak-ng: voice 'zz' is not installed")]
    with pytest.raises(EngineError) as caught:
        render("xin chào", tmp_path, engines)
    message = str(caught.value)
    assert "gtts: gTTS: no answer from x within 5 s" in message
    assert "espeak: espeak-ng: voice 'zz' is not installed" in message
    assert "\n" not in message
    assert list(tmp_path.iterdir()) == []  # no debris


def test_render_never_leaves_half_written_entries(tmp_path):
    crashing = CountingEngine(stop_after_open=True)
    with pytest.raises(KeyboardInterrupt):
        render("xin chào", tmp_path, [crashing])
    assert list(tmp_path.iterdir()) == []
    assert not is_cached("xin chào", tmp_path, crashing)


def test_render_entry_appears_only_when_complete(tmp_path):
    slow = CountingEngine(pause_s=0.3)
    target = tmp_path / f"{cache_key('xin chào', slow)}.wav"
    seen_while_writing = []
    worker = threading.Thread(target=render, args=("xin chào", tmp_path, [slow]))
    worker.start()
    time.sleep(0.1)
    seen_while_writing.append(target.exists())
    worker.join()
    assert seen_while_writing == [False]
    assert target.exists()


def test_render_replaces_a_damaged_cache_entry(tmp_path):
    engine = CountingEngine()
    path = render("xin chào", tmp_path, [engine]).path
    path.write_bytes(b"garbage")
    assert render("xin chào", tmp_path, [engine]).duration_ms == 500
    assert engine.calls == 2


def test_render_refuses_empty_input(tmp_path):
    with pytest.raises(ValueError):
        render("  ", tmp_path, [CountingEngine()])
    with pytest.raises(ValueError):
        render("xin chào", tmp_path, [])


def test_render_engines_for_each_setting(tmp_path):
    auto = engines_for("auto", {})
    assert [e.name for e in auto] == ["gtts", "espeak"]
    gtts, espeak = engines_for("auto", {"gtts_timeout_s": 2, "gtts_tld": "com.vn",
                                        "espeak_voice": "vi-vn-x-south", "espeak_rate": 150})
    assert (gtts.timeout_s, gtts.tld) == (2.0, "com.vn")
    assert (espeak.voice, espeak.rate) == ("vi-vn-x-south", 150)
    assert [e.name for e in engines_for("espeak", {})] == ["espeak"]
    assert [e.name for e in engines_for("gtts", {})] == ["gtts"]
    (piper,) = engines_for("piper", {"piper_model": str(tmp_path / "v.onnx")})
    assert isinstance(piper, PiperEngine)
    with pytest.raises(EngineError, match="piper_model"):
        engines_for("piper", {})
    with pytest.raises(ValueError, match="unknown speech engine"):
        engines_for("festival", {})


def test_render_text_normalises_first(tmp_path, monkeypatch):
    import sys
    import types

    calls = []
    fake_module = types.ModuleType("content.normalize")

    def normalize(text, lexicon=None):
        calls.append((text, lexicon))
        return "tháng tư"

    fake_module.normalize = normalize
    monkeypatch.setitem(sys.modules, "content.normalize", fake_module)
    engine = CountingEngine()
    rendering = render_text("tháng 4", tmp_path, [engine], lexicon={"x": "y"})
    assert rendering.spoken_text == "tháng tư"
    assert calls == [("tháng 4", {"x": "y"})]


# -- with the real engines -------------------------------------------------------

@needs_espeak
def test_render_auto_falls_back_to_espeak_quickly_when_google_is_silent(tmp_path):
    """`radio speak --engine auto` must answer within 30 s with espeak-ng audio."""
    text = ("Kính thưa bà con, sáng mai xã tổ chức họp dân tại nhà văn hóa thôn. " * 22)[:1500]
    with fake_google("silent") as fake:
        started = time.monotonic()
        rendering = render(text, tmp_path, engines_for("auto", {}))
        elapsed = time.monotonic() - started
    assert rendering.engine == "espeak"
    assert rendering.duration_ms > 30_000
    assert elapsed < 15, elapsed  # one 5 s timeout plus espeak-ng, far below 30 s
    assert len(fake.requests) == 1


@needs_espeak
def test_render_auto_uses_google_when_it_answers(tmp_path):
    with fake_google("ok"):
        rendering = render("Xin chào bà con.", tmp_path, engines_for("auto", {}))
    assert rendering.engine == "gtts"
    gtts, espeak = engines_for("auto", {})
    assert is_cached("Xin chào bà con.", tmp_path, gtts)
    assert not is_cached("Xin chào bà con.", tmp_path, espeak)


@needs_espeak
def test_render_fallback_then_upgrade_when_network_returns(tmp_path):
    gtts, espeak = GttsEngine(timeout_s=0.5), EspeakEngine()
    with fake_google("silent"):
        assert render("Xin chào.", tmp_path, [gtts, espeak]).engine == "espeak"
    assert not is_cached("Xin chào.", tmp_path, gtts)  # the station spots this...
    with fake_google("ok"):
        assert render("Xin chào.", tmp_path, [gtts]).engine == "gtts"  # ...and upgrades
    assert render("Xin chào.", tmp_path, [gtts, espeak]).engine == "gtts"
    assert len(os.listdir(tmp_path)) == 2
