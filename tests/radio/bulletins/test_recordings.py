"""Human recordings as a bulletin's audio: decoded, converted, refused cleanly."""

import io

import pytest
from pydub import AudioSegment

from audio.loudness import measure_lufs
from radio.bulletins import recordings
from radio.accounts.roles import PermissionDeniedError
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin, get_bulletin
from radio.errors import StateError, ValidationError
from radio.speech.rendering import render_bulletin
from radio.settings import load
from tests.support.recordings import tone_file

from tests.support.actors import LEADER, OFFICER, VIEWER


def _draft(db, clock):
    return add_bulletin(db, title="Thông báo", text="Lịch tiêm chủng.", now=clock.now(), actor=OFFICER)


def _nothing_left(db, home, bulletin_id=None):
    assert list(home.recordings.iterdir()) == []
    if bulletin_id:
        assert get_bulletin(db, bulletin_id)["recording_path"] is None


@pytest.mark.parametrize("suffix", [".mp3", ".wav", ".ogg", ".m4a", ".opus"])
def test_attach_converts_and_normalises(db, home, clock, tmp_path, suffix):
    source = tone_file(tmp_path / f"doc{suffix}")
    bulletin_id = _draft(db, clock)
    row = recordings.attach_recording(db, home, bulletin_id, source, filename=source.name,
                                      actor=OFFICER, now=clock.now(), language=" Tiếng  Thái ")
    path = row["recording_path"]
    assert path.startswith(str(home.recordings)) and path.endswith(".wav")
    assert row["recording_language"] == "Tiếng Thái"
    segment = AudioSegment.from_file(path)
    assert (segment.frame_rate, segment.channels) == (44100, 1)
    assert abs(len(segment) - 1500) < 100
    assert measure_lufs(segment) == pytest.approx(-16.0, abs=0.5)
    assert db["audit"].count_where("action = 'bulletin.record'") == 1


def test_language_defaults_to_vietnamese(db, home, clock, tmp_path):
    source = tone_file(tmp_path / "a.wav")
    row = recordings.attach_recording(db, home, _draft(db, clock), source, filename="a.wav",
                                      actor=OFFICER, now=clock.now())
    assert row["recording_language"] == "Tiếng Việt"


@pytest.mark.parametrize("name, content, message", [
    ("notes.mp3", b"this is a text file, not audio\n" * 50, "not a recording"),
    ("notes.txt", b"hello", "Cannot use '.txt' files"),
    ("empty.wav", b"", "empty"),
])
def test_refused_files_leave_nothing(db, home, clock, tmp_path, name, content, message):
    source = tmp_path / name
    source.write_bytes(content)
    bulletin_id = _draft(db, clock)
    with pytest.raises(ValidationError, match=message):
        recordings.attach_recording(db, home, bulletin_id, source, filename=name, actor=OFFICER,
                                    now=clock.now())
    _nothing_left(db, home, bulletin_id)
    assert db["audit"].count_where("action = 'bulletin.record'") == 0


def test_silent_recording_refused(db, home, clock, tmp_path):
    source = tmp_path / "silent.wav"
    AudioSegment.silent(2000, frame_rate=44100).export(source, format="wav")
    with pytest.raises(ValidationError, match="silent"):
        recordings.attach_recording(db, home, _draft(db, clock), source, filename="silent.wav",
                                    actor=OFFICER, now=clock.now())
    _nothing_left(db, home)


def test_over_the_limit_refused_while_copying(monkeypatch):
    monkeypatch.setattr(recordings, "MAX_RECORDING_BYTES", 1000)
    with pytest.raises(ValidationError, match="larger than"):
        with recordings.saved_stream(io.BytesIO(b"x" * 5000), "big.mp3"):
            pytest.fail("an oversized upload must not reach the caller")


def test_new_bulletin_with_recording_is_all_or_nothing(db, home, clock, tmp_path):
    bad = tmp_path / "bad.ogg"
    bad.write_bytes(b"OggS but not really" * 10)
    with pytest.raises(ValidationError):
        recordings.add_recorded_bulletin(db, home, bad, filename=bad.name, title="T", actor=OFFICER,
                                         now=clock.now())
    assert db["bulletins"].count == 0
    _nothing_left(db, home)
    with pytest.raises(ValidationError, match="title"):
        recordings.add_recorded_bulletin(db, home, tone_file(tmp_path / "ok.wav"), filename="ok.wav",
                                         title="  ", actor=OFFICER, now=clock.now())
    assert db["bulletins"].count == 0
    _nothing_left(db, home)


def test_recording_renders_with_its_hash_and_is_frozen(db, home, clock, tmp_path):
    source = tone_file(tmp_path / "doc.mp3")
    new_id = recordings.add_recorded_bulletin(db, home, source, filename="doc.mp3", title="Thông báo",
                                              actor=OFFICER, now=clock.now(), language="Tiếng Mông")
    row = get_bulletin(db, new_id)
    assert row["text"] == "Thông báo" and row["created_by"] == "canbo"
    approve_bulletin(db, new_id, actor=LEADER, now=clock.now(), expected_sha256=None)
    render = render_bulletin(db, home, load(home, db), new_id, clock.now())
    import hashlib
    from pathlib import Path

    assert render["state"] == "done" and render["engine"] == "recording"
    assert render["audio_sha256"] == hashlib.sha256(Path(row["recording_path"]).read_bytes()).hexdigest()
    with pytest.raises(StateError, match="can no longer change"):
        recordings.attach_recording(db, home, new_id, tone_file(tmp_path / "b.wav"), filename="b.wav",
                                    actor=OFFICER, now=clock.now())
    assert len(list(home.recordings.iterdir())) == 1


def test_replacing_and_removing_delete_the_old_file(db, home, clock, tmp_path):
    bulletin_id = _draft(db, clock)
    first = recordings.attach_recording(db, home, bulletin_id, tone_file(tmp_path / "a.wav"),
                                        filename="a.wav", actor=OFFICER, now=clock.now())
    second = recordings.attach_recording(db, home, bulletin_id, tone_file(tmp_path / "b.ogg"),
                                         filename="b.ogg", actor=OFFICER, now=clock.now())
    assert first["recording_path"] != second["recording_path"]
    assert [p.name for p in home.recordings.iterdir()] == [second["recording_path"].rsplit("/", 1)[1]]
    recordings.detach_recording(db, home, bulletin_id, actor=OFFICER, now=clock.now())
    _nothing_left(db, home, bulletin_id)


def test_an_officer_may_not_record_over_anothers_draft(db, home, clock, tmp_path):
    from tests.support.actors import OTHER_OFFICER

    with pytest.raises(PermissionDeniedError, match="only their own drafts"):
        recordings.attach_recording(db, home, _draft(db, clock), tone_file(tmp_path / "a.wav"),
                                    filename="a.wav", actor=OTHER_OFFICER, now=clock.now())
    _nothing_left(db, home)


def test_viewer_may_not_record(db, home, clock, tmp_path):
    with pytest.raises(PermissionDeniedError):
        recordings.attach_recording(db, home, _draft(db, clock), tone_file(tmp_path / "a.wav"),
                                    filename="a.wav", actor=VIEWER, now=clock.now())
    _nothing_left(db, home)
