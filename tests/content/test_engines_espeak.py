"""espeak-ng, the offline voice."""

import shutil
import wave

import numpy as np
import pytest

from content.engines import ENGINE_NAMES, make_engine
from content.engines.base import EngineError
from content.engines.espeak import EspeakEngine

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                reason="espeak-ng is not installed")


def read_samples(path):
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2 and wav.getnchannels() == 1
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16), wav.getframerate()


@pytest.mark.parametrize("voice", ["vi", "vi-vn-x-central", "vi-vn-x-south"])
def test_engine_speaks_vietnamese_audibly(tmp_path, voice):
    out = tmp_path / "out.wav"
    EspeakEngine(voice=voice).synthesize("Kính thưa bà con, xã tổ chức tiêm chủng.", out)
    samples, rate = read_samples(out)
    assert len(samples) / rate > 1.0
    assert np.sqrt(np.mean(samples.astype(float) ** 2)) > 300  # not silence


def test_engine_rate_changes_length(tmp_path):
    text = "Kính thưa bà con, sáng mai xã họp dân tại nhà văn hóa thôn."
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    EspeakEngine(rate=120).synthesize(text, slow)
    EspeakEngine(rate=240).synthesize(text, fast)
    assert len(read_samples(slow)[0]) > 1.5 * len(read_samples(fast)[0])


def test_engine_unknown_voice_is_a_clear_error(tmp_path):
    with pytest.raises(EngineError, match="voice 'vi-north-pole' is not installed.*vi-vn-x-south"):
        EspeakEngine(voice="vi-north-pole").synthesize("xin chào", tmp_path / "x.wav")


def test_engine_missing_program_is_a_clear_error(tmp_path):
    engine = EspeakEngine(binary="espeak-ng-not-here")
    with pytest.raises(EngineError, match="not installed"):
        engine.synthesize("xin chào", tmp_path / "x.wav")


def test_engine_refuses_empty_text_and_bad_rate(tmp_path):
    with pytest.raises(EngineError, match="empty"):
        EspeakEngine().synthesize("  ", tmp_path / "x.wav")
    with pytest.raises(EngineError, match="rate"):
        EspeakEngine(rate=5)


def test_engine_cache_identity_covers_voice_and_rate():
    identities = {EspeakEngine(voice=v, rate=r).cache_identity()
                  for v in ("vi", "vi-vn-x-south") for r in (150, 165)}
    assert len(identities) == 4
    assert EspeakEngine().cache_identity().startswith("espeak|vi|165")


def test_make_engine_builds_each_engine_by_name(tmp_path):
    assert ENGINE_NAMES == ("gtts", "espeak", "piper")
    assert make_engine("espeak", voice="vi-vn-x-south").voice == "vi-vn-x-south"
    assert make_engine("gtts", timeout_s=2).timeout_s == 2
    assert make_engine("piper", model_path=tmp_path / "v.onnx").name == "piper"
    with pytest.raises(ValueError, match="choose one of gtts, espeak, piper"):
        make_engine("festival")
