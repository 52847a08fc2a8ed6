import wave

import pytest
from pydub import AudioSegment
from pydub.generators import Sine

from audio.checks import SilentAudioError
from audio.loudness import measure_lufs
from audio.programme import PROGRAMME_RATE, Part, assemble, write_wav


def tone(path, freq, duration_ms, volume, *, rate=22050, channels=2, fmt="wav"):
    segment = Sine(freq, sample_rate=rate).to_audio_segment(duration=duration_ms, volume=volume)
    segment.set_channels(channels).export(str(path), format=fmt)
    return path


@pytest.fixture
def parts(tmp_path):
    return [
        Part(tone(tmp_path / "intro.wav", 880, 1000, -10), "intro"),
        Part(tone(tmp_path / "a.wav", 300, 2000, -6), "item", "Bulletin A"),
        Part(tone(tmp_path / "b.wav", 500, 1500, -30), "item", "Bulletin B"),
        Part(tone(tmp_path / "outro.wav", 660, 1000, -10), "outro"),
    ]


def test_assemble_order_gaps_and_cues(parts):
    programme = assemble(parts, gap_ms=500)
    assert [c.kind for c in programme.cues] == ["intro", "item", "item", "outro"]
    assert [c.label for c in programme.cues] == ["intro", "Bulletin A", "Bulletin B", "outro"]
    expected = [(0, 1000), (1500, 3500), (4000, 5500), (6000, 7000)]
    for cue, (start, end) in zip(programme.cues, expected):
        assert cue.start_ms == pytest.approx(start, abs=60)
        assert cue.end_ms == pytest.approx(end, abs=60)
    for before, after in zip(programme.cues, programme.cues[1:]):
        assert after.start_ms - before.end_ms == 500
    assert programme.duration_ms == programme.cues[-1].end_ms
    gap = programme.segment[programme.cues[0].end_ms + 50:programme.cues[1].start_ms - 50]
    assert gap.max_dBFS == float("-inf")


def test_assemble_format_and_loudness(parts):
    programme = assemble(parts, target_lufs=-16.0, max_true_peak_db=-1.0)
    segment = programme.segment
    assert (segment.frame_rate, segment.channels, segment.sample_width) == (PROGRAMME_RATE, 1, 2)
    assert programme.measured_lufs == pytest.approx(-16.0, abs=1.0)
    assert measure_lufs(segment) == pytest.approx(programme.measured_lufs, abs=0.01)
    assert programme.true_peak_db <= -1.0


def test_items_are_leveled_evenly(parts):
    programme = assemble(parts)
    a, b = (programme.segment[c.start_ms:c.end_ms] for c in programme.cues[1:3])
    # 24 dB apart in the sources; even in the programme.
    assert measure_lufs(a) == pytest.approx(measure_lufs(b), abs=1.0)


def test_loads_any_ffmpeg_format(tmp_path):
    mp3 = tone(tmp_path / "item.mp3", 400, 1500, -10, rate=16000, channels=1, fmt="mp3")
    programme = assemble([Part(mp3, "item")])
    assert programme.duration_ms == pytest.approx(1500, abs=120)


def test_silent_part_is_rejected_with_its_path(tmp_path, parts):
    silent = tmp_path / "silent.wav"
    AudioSegment.silent(3000).export(str(silent), format="wav")
    with pytest.raises(SilentAudioError, match="silent.wav"):
        assemble(parts[:1] + [Part(silent, "item")])


def test_very_short_part_is_rejected(tmp_path):
    with pytest.raises(SilentAudioError, match="ms long"):
        assemble([Part(tone(tmp_path / "blip.wav", 440, 100, -10), "item")])


def test_unknown_kind_and_empty(tmp_path, parts):
    with pytest.raises(ValueError, match="kind 'music'"):
        assemble([Part(parts[1].path, "music")])
    with pytest.raises(ValueError, match="at least one part"):
        assemble([])


def test_write_wav_is_16_bit_pcm_and_atomic(tmp_path, parts):
    programme = assemble(parts[:2])
    path = tmp_path / "out.wav"
    write_wav(programme, path)
    with wave.open(str(path)) as wav:
        assert (wav.getsampwidth(), wav.getnchannels(), wav.getframerate()) == (2, 1, 44100)
        assert wav.getnframes() == len(programme.segment.get_array_of_samples())
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    write_wav(programme.segment[:500], path)  # a segment works too, and replaces
    assert AudioSegment.from_wav(path).duration_seconds == pytest.approx(0.5, abs=0.01)
