import numpy as np
import pytest
from pydub import AudioSegment
from pydub.generators import Sine, WhiteNoise

from audio.loudness import measure_lufs, normalize_loudness, true_peak_db


def mono(segment):
    return segment.set_channels(1).set_sample_width(2).set_frame_rate(44100)


def speechlike(seconds=4.0):
    """Tone bursts with pauses: a crest factor more like speech than a sine."""
    out = AudioSegment.empty()
    for i in range(int(seconds * 4)):
        out += Sine(300 + 40 * (i % 5)).to_audio_segment(duration=180, volume=-12 - (i % 3) * 6)
        out += AudioSegment.silent(70)
    return mono(out)


def test_sine_loudness_matches_known_value():
    # A 1 kHz sine at -20 dBFS peak measures about -23 LUFS (BS.1770 K-weighting).
    segment = mono(Sine(1000).to_audio_segment(duration=3000, volume=-20))
    assert measure_lufs(segment) == pytest.approx(-23.0, abs=0.2)


def test_true_peak_finds_intersample_peak():
    # A sine at fs/4 with 45° phase: samples peak at -3 dB below the true peak.
    n = np.arange(44100)
    samples = (np.sin(2 * np.pi * n / 4 + np.pi / 4) * 16384).astype("<i2")
    segment = AudioSegment(samples.tobytes(), frame_rate=44100, sample_width=2, channels=1)
    assert segment.max_dBFS == pytest.approx(-9.03, abs=0.1)
    assert true_peak_db(segment) == pytest.approx(-6.02, abs=0.3)


def test_silence_and_empty_do_not_crash():
    assert measure_lufs(AudioSegment.silent(1000)) == float("-inf")
    assert true_peak_db(AudioSegment.silent(1000)) == float("-inf")
    assert measure_lufs(AudioSegment.empty()) == float("-inf")
    silent = AudioSegment.silent(500)
    assert normalize_loudness(silent, -16, -1) is silent


def test_very_short_input_is_measured():
    short = mono(Sine(1000).to_audio_segment(duration=50, volume=-20))
    assert measure_lufs(short) == pytest.approx(-23.0, abs=0.5)
    assert measure_lufs(normalize_loudness(short, -16, -1)) == pytest.approx(-16, abs=1)


@pytest.mark.parametrize("target", [-23.0, -16.0, -12.0])
def test_normalize_hits_target_with_peak_ceiling(target):
    out = normalize_loudness(speechlike(), target, -1.0)
    assert measure_lufs(out) == pytest.approx(target, abs=1.0)
    assert true_peak_db(out) <= -1.0


def test_loud_noise_is_limited_not_clipped():
    noise = mono(WhiteNoise().to_audio_segment(duration=3000, volume=-30))
    out = normalize_loudness(noise, -9.0, -1.0)
    assert measure_lufs(out) == pytest.approx(-9.0, abs=1.0)
    assert true_peak_db(out) <= -1.0
    assert len(out) == len(noise)
