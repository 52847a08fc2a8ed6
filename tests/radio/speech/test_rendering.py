"""Rendering ahead of air, with the speech engines for real (gTTS faked at its HTTP edge)."""

import os
import socket
import subprocess
from datetime import timedelta

import pytest
from pydub import AudioSegment
from pydub.generators import Sine

from audio.checks import SilentAudioError, TruncatedAudioError
from content.render import Rendering
from radio import settings as settings_mod
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin
from radio.clock import to_utc_text
from radio.speech.rendering import check_rendering, render_bulletin, render_pending
from tests.support.fake_gtts import fake_google
from tests.support.actors import LEADER, OFFICER

TEXT = "Ủy ban nhân dân xã thông báo lịch tiếp nhận hồ sơ dịch vụ công trực tuyến trong tháng mười hai."


def rendering_of(path, spoken):
    return Rendering(path=path, engine="gtts", voice="vi", spoken_text=spoken, cache_key="k",
                     audio_sha256="x", duration_ms=0)


def test_silent_and_truncated_renders_are_caught(tmp_path):
    silent = tmp_path / "silent.wav"
    AudioSegment.silent(3000).export(silent, format="wav")
    with pytest.raises(SilentAudioError):
        check_rendering(rendering_of(silent, "xin chào"))
    short = tmp_path / "short.wav"
    Sine(440).to_audio_segment(1000, volume=-10).export(short, format="wav")
    with pytest.raises(TruncatedAudioError, match="cut off"):
        check_rendering(rendering_of(short, TEXT * 3))


def test_approval_renders_and_records_the_engine(home, db, clock):
    settings = {**settings_mod.load(home, db), "engine": "espeak"}
    new_id = add_bulletin(db, title="Thông báo", text=TEXT, now=clock.now(), actor=OFFICER)
    approve_bulletin(db, new_id, by="lead", now=clock.now(), actor=LEADER, expected_sha256=None)
    (row,) = render_pending(db, home, settings, clock.now())
    assert row["state"] == "done" and row["engine"] == "espeak" and row["duration_ms"] > 3000
    assert "Ủy ban nhân dân" in row["spoken_text"]
    assert render_pending(db, home, settings, clock.now()) == []  # nothing left to do


def test_cut_off_gtts_audio_falls_back_to_espeak_before_air(home, db, clock):
    # the fake answers every chunk with the same one-second clip: far too short for the text
    settings = {**settings_mod.load(home, db), "engine": "gtts", "gtts_timeout_s": 2.0}
    new_id = add_bulletin(db, title="Thông báo", text=TEXT * 2, now=clock.now(), actor=OFFICER)
    approve_bulletin(db, new_id, by="lead", now=clock.now(), actor=LEADER, expected_sha256=None)
    with fake_google("ok"):
        row = render_bulletin(db, home, settings, new_id, clock.now())
    assert row["state"] == "done" and row["engine"] == "espeak"


def test_failure_is_recorded_and_retried(home, db, clock):
    settings = {**settings_mod.load(home, db), "engine": "piper", "piper_model": str(home.root / "none.onnx")}
    new_id = add_bulletin(db, title="Thông báo", text=TEXT, now=clock.now(), actor=OFFICER)
    approve_bulletin(db, new_id, by="lead", now=clock.now(), actor=LEADER, expected_sha256=None)
    row = render_bulletin(db, home, settings, new_id, clock.now())
    assert row["state"] == "failed" and row["error"]
    settings["engine"] = "espeak"
    assert render_bulletin(db, home, settings, new_id, clock.now())["state"] == "done"


def test_ensure_rendered_renders_now_waits_for_others_and_reports_failure(home, db, clock):
    from radio.speech.rendering import ensure_rendered

    settings = {**settings_mod.load(home, db), "engine": "espeak"}
    new_id = add_bulletin(db, title="Bão", text=TEXT, now=clock.now(), priority="urgent", actor=OFFICER)
    approve_bulletin(db, new_id, by="lead", now=clock.now(), actor=LEADER, expected_sha256=None)
    assert ensure_rendered(db, home, settings, new_id, clock)["state"] == "done"
    # another live process has it in hand, with a lease that outlasts the wait
    db["renders"].update(new_id, {"state": "rendering", "lease_owner": f"{socket.gethostname()}:{os.getppid()}",
                                  "lease_until": to_utc_text(clock.now() + timedelta(minutes=5))})
    with pytest.raises(RuntimeError, match="still rendering after 5 s"):
        ensure_rendered(db, home, settings, new_id, clock, timeout_s=5)
    db["renders"].update(new_id, {"state": "failed"})
    broken = {**settings, "engine": "piper", "piper_model": str(home.root / "none.onnx")}
    with pytest.raises(RuntimeError, match="could not be rendered"):
        ensure_rendered(db, home, broken, new_id, clock)


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("owner, lease_s, reclaimed", [
    ("dead", 300, True),       # Ctrl-C / kill of `radio bulletin approve`, a crash: owner gone
    ("alive", -1, True),       # the lease ran out (a hung process, another host)
    (None, None, True),        # left by a version without leases
    ("alive", 300, False),     # a live owner within its lease keeps it
])
def test_a_render_left_rendering_by_a_dead_process_is_reclaimed(home, db, clock, owner, lease_s, reclaimed):
    """A render left by an interrupted process is taken up again: an interrupted render stayed `rendering` forever and every slot was cancelled."""
    settings = {**settings_mod.load(home, db), "engine": "espeak"}
    new_id = add_bulletin(db, actor=OFFICER, title="Thông báo", text=TEXT, now=clock.now())
    approve_bulletin(db, new_id, actor=LEADER, expected_sha256=None, by="lead", now=clock.now())
    pid = {"dead": _dead_pid(), "alive": os.getppid(), None: None}[owner]
    db["renders"].update(new_id, {
        "state": "rendering",
        "lease_owner": f"{socket.gethostname()}:{pid}" if pid else None,
        "lease_until": to_utc_text(clock.now() + timedelta(seconds=lease_s)) if lease_s else None})
    done = render_pending(db, home, settings, clock.now())
    state = db["renders"].get(new_id)["state"]
    if reclaimed:
        assert state == "done" and len(done) == 1 and db["renders"].get(new_id)["lease_owner"] is None
    else:
        assert state == "rendering" and not done


def test_the_preview_and_the_air_render_speak_the_same_text(home, db, clock):
    """One rule for the text a bulletin's speech is made from (radio.bulletins.spoken): the
    officer's listen before approval is the audio that airs after it, title read once."""
    from radio.speech.preview import bulletin_audio

    settings = {**settings_mod.load(home, db), "engine": "espeak"}
    new_id = add_bulletin(db, title="Thông báo tiếp dân", text=TEXT, now=clock.now(), actor=OFFICER)
    draft = db["bulletins"].get(new_id)
    heard, kind = bulletin_audio(db, home, settings, draft, actor=OFFICER, now=clock.now())
    assert kind == "preview"
    approve_bulletin(db, new_id, by="lead", now=clock.now(), actor=LEADER, expected_sha256=None)
    row = render_bulletin(db, home, settings, new_id, clock.now())
    assert row["state"] == "done" and row["spoken_text"].count("Thông báo tiếp dân") == 1
    assert open(heard, "rb").read() == open(row["path"], "rb").read()
