"""Google's voice through gTTS, against a local fake of the endpoint."""

import re
import shutil
import time
import wave

import pytest

from content.engines.base import EngineError
from content.engines.chunking import split_for_speech
from content.engines.gtts_engine import GttsEngine, default_deadline_s
from tests.support.fake_gtts import BlackHoleProxy, fake_google, pointing_gtts_at, refused_url

needs_audio_tools = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("ffmpeg")),
    reason="the fake endpoint makes its MP3 with espeak-ng and ffmpeg")

LONG_TEXT = (
    "Kính thưa bà con nhân dân trong toàn xã. Thực hiện kế hoạch số hai mươi sáu của "
    "ủy ban nhân dân xã, về công tác cải cách hành chính năm hai nghìn không trăm hai mươi "
    "hai, sáng thứ tư ngày hai mươi sáu tháng một, tại hội trường ủy ban, xã tổ chức hội "
    "nghị tuyên truyền về dịch vụ công trực tuyến mức độ ba và bốn; đề nghị các hộ gia đình "
    "cử đại diện đến dự đông đủ, đúng giờ! Trân trọng thông báo."
)


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


# -- chunking --------------------------------------------------------------

def test_engine_chunks_fit_and_end_at_punctuation():
    chunks = split_for_speech(LONG_TEXT)
    assert " ".join(chunks) == " ".join(LONG_TEXT.split())
    assert all(0 < len(chunk) <= 100 for chunk in chunks)
    # Every cut falls after punctuation: this text has a mark at least every 100 chars.
    assert all(re.search(r"[.!?;:,]$", chunk) for chunk in chunks), chunks


def test_engine_chunks_fall_back_to_spaces_then_hard_cuts():
    no_marks = " ".join(["truyền thanh"] * 30)
    chunks = split_for_speech(no_marks)
    assert all(len(chunk) <= 100 for chunk in chunks)
    assert " ".join(chunks) == no_marks
    assert all(not chunk.endswith(" ") and chunk.split()[-1] in ("truyền", "thanh")
               for chunk in chunks)
    assert split_for_speech("a" * 250) == ["a" * 100, "a" * 100, "a" * 50]
    assert split_for_speech("  \n ") == []


def test_engine_short_sentences_share_a_request():
    assert split_for_speech("Một. Hai. Ba.") == ["Một. Hai. Ba."]


# -- requests and audio --------------------------------------------------------

@needs_audio_tools
def test_engine_sends_vietnamese_chunks_and_writes_wav(tmp_path):
    out = tmp_path / "g.wav"
    with fake_google("ok") as fake:
        GttsEngine(timeout_s=5).synthesize(LONG_TEXT, out)
    assert fake.texts == split_for_speech(LONG_TEXT)
    assert {request.lang for request in fake.requests} == {"vi"}
    assert {request.rpc for request in fake.requests} == {"jQ1olc"}
    assert all(r.path.endswith("/_/TranslateWebserverUi/data/batchexecute")
               for r in fake.requests)
    with wave.open(str(out), "rb") as wav:
        assert wav.getsampwidth() == 2 and wav.getnchannels() == 1
        seconds = wav.getnframes() / wav.getframerate()
    one_part = _sample_seconds()
    assert seconds == pytest.approx(one_part * len(fake.requests), rel=0.15)


def _sample_seconds():
    import io

    from pydub import AudioSegment

    from tests.support.fake_gtts import sample_mp3
    return len(AudioSegment.from_file(io.BytesIO(sample_mp3()), format="mp3")) / 1000


@needs_audio_tools
def test_engine_retries_after_500_with_backoff(tmp_path):
    with fake_google("fail_then_ok", failures=2) as fake:
        started = time.monotonic()
        GttsEngine(retries=2, backoff_s=0.1).synthesize("Xin chào bà con.", tmp_path / "g.wav")
        elapsed = time.monotonic() - started
    assert len(fake.requests) == 3
    assert elapsed >= 0.1 + 0.2  # waited 0.1 s, then 0.2 s


def test_engine_gives_up_after_retries_on_500(tmp_path):
    with fake_google("500") as fake:
        with pytest.raises(EngineError, match=r"answered HTTP 500 \(after 3 tries\)"):
            GttsEngine(retries=2, backoff_s=0.01).synthesize("Xin chào.", tmp_path / "g.wav")
    assert len(fake.requests) == 3


def test_engine_silent_server_fails_within_the_timeout(tmp_path):
    text = "Xin chào bà con. " * 90  # 1,530 characters, 16 chunks
    with fake_google("silent") as fake:
        started = time.monotonic()
        with pytest.raises(EngineError, match=r"^gTTS: no answer from 127\.0\.0\.1 within 0\.5 s$"):
            GttsEngine(timeout_s=0.5).synthesize(text, tmp_path / "g.wav")
        elapsed = time.monotonic() - started
    assert elapsed < 3 * 0.5
    assert len(fake.requests) == 1  # the first silence ends the whole attempt
    assert not (tmp_path / "g.wav").exists()


@needs_audio_tools
def test_engine_slow_server_within_timeout_is_fine_beyond_it_fails(tmp_path):
    with fake_google("slow", delay_s=0.3):
        GttsEngine(timeout_s=2).synthesize("Xin chào.", tmp_path / "ok.wav")
    with fake_google("slow", delay_s=3):
        started = time.monotonic()
        with pytest.raises(EngineError, match="no answer"):
            GttsEngine(timeout_s=0.4).synthesize("Xin chào.", tmp_path / "late.wav")
        assert time.monotonic() - started < 1.5


@needs_audio_tools
def test_engine_overall_deadline_bounds_many_slow_chunks(tmp_path):
    text = "Xin chào bà con. " * 30  # 6 chunks of 0.4 s each > 1 s deadline
    with fake_google("slow", delay_s=0.4) as fake:
        started = time.monotonic()
        with pytest.raises(EngineError, match=r"gave up after 1 s with \d of 6 parts"):
            GttsEngine(timeout_s=5, deadline_s=1).synthesize(text, tmp_path / "g.wav")
        assert time.monotonic() - started < 2.0
    assert 1 <= len(fake.requests) < 6


def test_engine_default_deadline_grows_with_length():
    assert default_deadline_s("x" * 1500) == pytest.approx(85)
    assert default_deadline_s("") == 10


def test_engine_answer_without_audio_is_a_clear_error(tmp_path):
    with fake_google("no_audio"):
        with pytest.raises(EngineError, match="answered without audio"):
            GttsEngine().synthesize("Xin chào.", tmp_path / "g.wav")


def test_engine_refused_connection_fails_fast(tmp_path):
    with pointing_gtts_at(refused_url()):
        started = time.monotonic()
        with pytest.raises(EngineError, match=r"cannot connect to 127\.0\.0\.1 \(connection refused\)"):
            GttsEngine(backoff_s=0.05).synthesize("Xin chào.", tmp_path / "g.wav")
        assert time.monotonic() - started < 1.0


# -- proxies (the real Google URL; nothing leaves the machine: the proxy is local) --

def test_engine_black_hole_proxy_is_noticed_within_the_timeout(tmp_path, monkeypatch):
    with BlackHoleProxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        started = time.monotonic()
        with pytest.raises(EngineError, match=r"no answer from translate\.google\.com "
                                              r"\(via proxy 127\.0\.0\.1:\d+\) within 0\.5 s"):
            GttsEngine(timeout_s=0.5).synthesize("Xin chào bà con. " * 20, tmp_path / "g.wav")
        assert time.monotonic() - started < 1.5
        assert proxy.connections == 1


def test_engine_unreachable_proxy_fails_fast(tmp_path, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", refused_url())
    started = time.monotonic()
    with pytest.raises(EngineError, match=r"cannot reach proxy 127\.0\.0\.1:\d+ for "
                                          r"translate\.google\.com \(connection refused\)"):
        GttsEngine(backoff_s=0.05).synthesize("Xin chào.", tmp_path / "g.wav")
    assert time.monotonic() - started < 1.0


def test_engine_identity_and_empty_text(tmp_path):
    assert GttsEngine().cache_identity() == "gtts|vi|0|translate.google.com"
    assert GttsEngine(tld="com.vn").cache_identity() != GttsEngine().cache_identity()
    with pytest.raises(EngineError, match="empty"):
        GttsEngine().synthesize(" ", tmp_path / "g.wav")


def test_punctuation_alone_is_nothing_to_say_not_a_crash():
    # gTTS asserts "No text to send to TTS API" on a chunk without words (found by the CLI fuzzer)
    with pytest.raises(EngineError, match="nothing to say"):
        GttsEngine().prepare_requests("!")
    assert len(GttsEngine().prepare_requests("Xin chào bà con.")) == 1
