import wave

import pytest
from pydub import AudioSegment

from audio.checks import check_audible
from audio.jingles import JINGLE_RATE, default_jingle, render
from audio.loudness import measure_lufs


@pytest.mark.parametrize("kind", ["intro", "outro"])
def test_shipped_jingle_exists_small_and_audible(kind):
    path = default_jingle(kind)
    assert path.exists(), "run `python -m audio.jingles`"
    assert path.stat().st_size < 150_000
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, JINGLE_RATE)
    segment = AudioSegment.from_wav(path)
    assert 2.0 <= segment.duration_seconds <= 3.0
    check_audible(segment)
    assert segment.max_dBFS <= -2.5  # headroom
    assert segment[-20:].max_dBFS < -40  # fades out, no click at the end


@pytest.mark.parametrize("kind", ["intro", "outro"])
def test_shipped_jingle_matches_generator(kind, tmp_path):
    render(kind, tmp_path / "j.wav")
    assert (tmp_path / "j.wav").read_bytes() == default_jingle(kind).read_bytes()


def test_intro_and_outro_differ_and_unknown_kind():
    assert default_jingle("intro").read_bytes() != default_jingle("outro").read_bytes()
    assert measure_lufs(AudioSegment.from_wav(default_jingle("intro"))) > -30
    with pytest.raises(ValueError, match="'ident'"):
        default_jingle("ident")


@pytest.mark.parametrize("kind", ["intro", "outro"])
def test_shipped_jingle_matches_its_recorded_sha256(kind):
    # a programme plays a chime only if its bytes have this hash (radio.programme.assembly)
    import hashlib

    from audio.jingles import DEFAULT_SHA256

    assert hashlib.sha256(default_jingle(kind).read_bytes()).hexdigest() == DEFAULT_SHA256[kind]
