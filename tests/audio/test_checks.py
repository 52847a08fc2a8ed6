import pytest
from pydub import AudioSegment
from pydub.generators import Sine

from audio.checks import SilentAudioError, TruncatedAudioError, check_audible, check_length


def test_audible_tone_passes():
    check_audible(Sine(440).to_audio_segment(duration=500, volume=-20))


def test_silence_is_rejected_with_label():
    with pytest.raises(SilentAudioError, match="bulletin.wav.*silent"):
        check_audible(AudioSegment.silent(2000), label="bulletin.wav")


def test_very_quiet_counts_as_silent():
    with pytest.raises(SilentAudioError):
        check_audible(Sine(440).to_audio_segment(duration=1000, volume=-60))


def test_too_short_is_rejected():
    with pytest.raises(SilentAudioError, match="only 100 ms"):
        check_audible(Sine(440).to_audio_segment(duration=100), label="x")


def test_empty_is_rejected():
    with pytest.raises(SilentAudioError):
        check_audible(AudioSegment.empty(), min_duration_ms=0)


def test_silent_error_is_value_error():
    assert issubclass(SilentAudioError, ValueError)
    assert issubclass(TruncatedAudioError, ValueError)


@pytest.mark.parametrize("length_ms, ok", [(1000, True), (1040, True), (900, False), (1200, False)])
def test_check_length(length_ms, ok):
    segment = AudioSegment.silent(length_ms)
    if ok:
        check_length(segment, 1000, 50)
    else:
        with pytest.raises(TruncatedAudioError, match=f"{length_ms} ms long, expected 1000"):
            check_length(segment, 1000, 50)
