"""Uploads that make ffmpeg read other files: refused outright.

Left to guess the format, ffmpeg reads an HLS playlist or a concat list named
``.mp3`` and decodes the local files or URLs it names, which then air as the
"recording". Each trick below is refused before ffmpeg runs, and leaves no
file and no change; real recordings are still accepted.
"""

import pytest
from pydub import AudioSegment

from audio.convert import NotAudioError, decode, sniff_format
from radio.bulletins import recordings
from radio.bulletins.lifecycle import add_bulletin, get_bulletin
from radio.errors import ValidationError
from radio.wording.messages import vi
from tests.support.actors import OFFICER
from tests.support.recordings import tone_file


def _draft(db, clock):
    return add_bulletin(db, title="Thông báo", text="Lịch tiêm chủng.", now=clock.now(), actor=OFFICER)


def _refused(db, home, clock, source, filename, match="not a recording"):
    bulletin_id = _draft(db, clock)
    with pytest.raises(ValidationError, match=match) as info:
        recordings.attach_recording(db, home, bulletin_id, source, filename=filename,
                                    actor=OFFICER, now=clock.now())
    assert get_bulletin(db, bulletin_id)["recording_path"] is None
    assert list(home.recordings.iterdir()) == [] if home.recordings.exists() else True
    assert db["audit"].count_where("action = 'bulletin.record'") == 0
    return info.value


@pytest.fixture
def local_audio(tmp_path):
    """Files a playlist could name: an .mp3 and an MPEG-TS next to the upload."""
    mp3 = tone_file(tmp_path / "secret.mp3", seconds=3.0)
    ts = tmp_path / "secret.ts"
    import subprocess
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(mp3), "-c:a", "mp2",
                    "-f", "mpegts", str(ts)], check=True)
    return mp3, ts


@pytest.mark.parametrize("which", ["mp3", "ts"])
def test_hls_playlist_named_mp3_naming_a_local_file_is_refused(db, home, clock, tmp_path, local_audio, which):
    target = local_audio[0] if which == "mp3" else local_audio[1]
    upload = tmp_path / "doc.mp3"
    upload.write_text("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n"
                      f"#EXTINF:3.0,\n{target.name}\n#EXT-X-ENDLIST\n")
    error = _refused(db, home, clock, upload, "doc.mp3", match="HLS/M3U playlist")
    assert "danh sách phát" in vi(error)


def test_ffconcat_list_is_refused(db, home, clock, tmp_path, local_audio):
    upload = tmp_path / "doc.mp3"
    upload.write_text(f"ffconcat version 1.0\nfile '{local_audio[0].name}'\nfile '{local_audio[0].name}'\n")
    _refused(db, home, clock, upload, "doc.mp3", match="concat list")


def test_plain_concat_lines_are_refused(db, home, clock, tmp_path, local_audio):
    upload = tmp_path / "doc.wav"
    upload.write_text(f"file '{local_audio[0]}'\n")
    _refused(db, home, clock, upload, "doc.wav", match="concat list")


def test_playlist_with_url_and_file_entries_is_refused(db, home, clock, tmp_path):
    upload = tmp_path / "doc.mp3"
    upload.write_text("\ufeff#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:9/x.mp3\n#EXTINF:10,\nfile:/etc/passwd\n"
                      "#EXTINF:10,\nconcat:/etc/passwd|/etc/hosts\n")
    _refused(db, home, clock, upload, "doc.mp3", match="playlist")


def test_sdp_session_description_is_refused(db, home, clock, tmp_path):
    upload = tmp_path / "doc.ogg"
    upload.write_text("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                      "m=audio 5004 RTP/AVP 0\r\n")
    _refused(db, home, clock, upload, "doc.ogg", match="SDP")


def test_a_file_named_like_the_concat_protocol_is_read_as_itself(db, home, clock, tmp_path, monkeypatch,
                                                                  local_audio):
    """``concat:a.mp3|b.mp3`` is a file name here, never ffmpeg's concat protocol."""
    monkeypatch.chdir(tmp_path)
    name = f"concat:{local_audio[0].name}|{local_audio[0].name}"
    tone_file(tmp_path / "own.mp3", seconds=1.5).rename(tmp_path / name)
    from pathlib import Path
    row = recordings.attach_recording(db, home, _draft(db, clock), Path(name), filename="own.mp3",
                                      actor=OFFICER, now=clock.now())
    # its own 1.5 s, not the two 3 s files the protocol would join
    assert abs(len(AudioSegment.from_file(row["recording_path"])) - 1500) < 150


@pytest.mark.parametrize("content, what", [
    (b"<?xml version='1.0'?><playlist><trackList/></playlist>", "XML"),
    (b"[playlist]\nFile1=http://x/y.mp3\n", "PLS"),
    (b"# a plain m3u\n/tmp/a.mp3\n", "playlist"),
    (b"MZ\x90\x00" + b"\x00" * 60, "not WAV, MP3"),
])
def test_other_non_audio_is_refused_before_ffmpeg(content, what, tmp_path, monkeypatch):
    import subprocess
    ran = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: ran.append(a))
    path = tmp_path / "x.mp3"
    path.write_bytes(content)
    with pytest.raises(NotAudioError, match=what):
        decode(path)
    assert ran == []


@pytest.mark.parametrize("suffix, demuxer", [(".wav", "wav"), (".mp3", "mp3"), (".ogg", "ogg"),
                                             (".opus", "ogg"), (".m4a", "mov"), (".webm", "matroska")])
def test_real_recordings_are_sniffed_and_still_accepted(db, home, clock, tmp_path, suffix, demuxer):
    source = tone_file(tmp_path / f"doc{suffix}")
    assert sniff_format(source.read_bytes()[:64]) == demuxer
    row = recordings.attach_recording(db, home, _draft(db, clock), source, filename=source.name,
                                      actor=OFFICER, now=clock.now())
    assert abs(len(AudioSegment.from_file(row["recording_path"])) - 1500) < 100


def test_mp3_without_a_tag_is_sniffed_by_its_frame_sync(tmp_path):
    import subprocess
    source = tone_file(tmp_path / "a.wav")
    bare = tmp_path / "bare.mp3"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(source), "-write_xing", "0",
                    "-id3v2_version", "0", str(bare)], check=True)
    assert sniff_format(bare.read_bytes()[:64]) == "mp3"
    assert abs(len(decode(bare)) - 1500) < 100
