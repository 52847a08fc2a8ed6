"""An occurrence aired a year ago plays back bit for bit after the clean-up."""

from __future__ import annotations

import os
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from audio.jingles import default_jingle
from audio.programme import Part, assemble, write_wav
from radio.proof import log as prooflog, replay
from radio.clock import ManualClock
from radio.errors import NotFoundError
from radio.station import prune_programmes

AIRED = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


def speech_like(path: Path, seconds: float, seed: int, rate: int = 22050) -> Path:
    """Noise shaped into syllables: audible, and not trimmed to nothing."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    envelope = (np.sin(2 * np.pi * 4 * t) > 0) * 0.5 + 0.1
    samples = (rng.standard_normal(t.size) * 6000 * envelope).clip(-32000, 32000).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def air(db, home, key, parts, when):
    """What build() and the player do: assemble, write, record the recipe, log it."""
    programme = assemble(parts, gap_ms=700, target_lufs=-16.0, max_true_peak_db=-1.0)
    path = home.programmes / f"{key}.wav"
    write_wav(programme, path)
    sha = replay.file_sha256(path)
    replay.record(db, sha, replay.recipe_of(parts, gap_ms=700, target_lufs=-16.0, max_true_peak_db=-1.0),
                  built_at=when)
    replay.store_pending(db, home)  # the daemon's housekeeping, within 30 s of the build
    os.utime(path, (when.timestamp(), when.timestamp()))
    entry_id = prooflog.append(db, prooflog.Entry(
        key=key, scheduled_at=when, status="aired", started_at=when, ended_at=when + timedelta(seconds=9),
        seconds_played=programme.duration_ms / 1000, programme_sha256=sha), now=when)
    return entry_id, path, sha


@pytest.fixture
def parts(tmp_path):
    return [Part(default_jingle("intro"), "intro", "intro"),
            Part(speech_like(tmp_path / "item1.wav", 3.0, 1), "item", "1"),
            Part(speech_like(tmp_path / "item2.wav", 2.0, 2, rate=24000), "item", "2"),
            Part(default_jingle("outro"), "outro", "outro")]


def test_a_year_old_occurrence_replays_to_its_logged_hash(db, home, parts, tmp_path):
    entry_id, path, sha = air(db, home, "slot1_2025-11-20", parts, AIRED)
    for p in parts[1:3]:
        Path(p.path).unlink()  # the render cache was cleared long ago, too
    clock = ManualClock(AIRED + timedelta(days=365))
    assert prune_programmes(home, clock.now(), days=14, db=db, keep_proof_days=366) == 1
    assert not path.exists()  # the two-week clean-up ran
    result = replay.replay(db, home, entry_id, tmp_path / "replayed.wav")
    assert result.matches and result.sha256 == sha
    assert replay.file_sha256(tmp_path / "replayed.wav") == sha
    assert replay.storage_bytes(home) < (tmp_path / "replayed.wav").stat().st_size / 2


def test_a_tampered_part_is_detected(db, home, parts, tmp_path):
    entry_id, path, sha = air(db, home, "slot1_2025-11-20", parts, AIRED)
    path.unlink()
    (stored,) = [p for p in (replay.proof_dir(home) / "parts").glob("*/*.flac")
                 if p.name.startswith(replay.file_sha256(Path(parts[1].path)))]
    other = speech_like(tmp_path / "other.wav", 3.0, 99)
    replay._to_flac(other, stored)  # same name, different sound
    result = replay.replay(db, home, entry_id, tmp_path / "replayed.wav")
    assert not result.matches and result.logged_sha256 == sha


def test_parts_are_stored_once_and_losslessly(db, home, parts, tmp_path):
    air(db, home, "a", parts, AIRED)
    air(db, home, "b", parts[:2] + parts[3:], AIRED + timedelta(hours=12))
    stored = sorted((replay.proof_dir(home) / "parts").glob("*/*"))
    assert len(stored) == 4 and all(p.suffix == ".flac" for p in stored)
    back = tmp_path / "back.wav"
    replay._from_flac(stored[0], back)
    sources = {replay.file_sha256(Path(p.path)): p.path for p in parts}
    with wave.open(str(back)) as a, wave.open(str(sources[stored[0].stem])) as b:
        assert a.readframes(a.getnframes()) == b.readframes(b.getnframes())


def test_a_programme_whose_recipe_fails_is_kept_whole(db, home, parts, tmp_path):
    entry_id, path, sha = air(db, home, "slot1_x", parts, AIRED)
    db.execute("DELETE FROM programme_recipes")  # e.g. a resume programme has no recipe
    assert prune_programmes(home, AIRED + timedelta(days=15), days=14, db=db, keep_proof_days=366) == 1
    assert (replay.proof_dir(home) / "programmes" / f"{sha}.flac").exists()
    assert replay.replay(db, home, entry_id, tmp_path / "r.wav").matches


def test_retention_drops_proof_audio_but_never_the_log(db, home, parts, tmp_path):
    entry_id, path, sha = air(db, home, "old", parts, AIRED)
    prune_programmes(home, AIRED + timedelta(days=400), days=14, db=db, keep_proof_days=366)
    assert list((replay.proof_dir(home) / "parts").glob("*/*")) == []
    assert prooflog.entries(db)[0]["programme_sha256"] == sha
    with pytest.raises(NotFoundError, match="not kept"):
        replay.replay(db, home, entry_id, tmp_path / "r.wav")


def test_nothing_to_replay_for_a_missed_occurrence(db, home):
    entry_id = prooflog.append(db, prooflog.Entry(key="m", scheduled_at=AIRED, status="missed"), now=AIRED)
    with pytest.raises(NotFoundError, match="did not air"):
        replay.replay(db, home, entry_id)
    with pytest.raises(NotFoundError, match="does not exist"):
        replay.replay(db, home, 99)


def test_parts_are_kept_by_housekeeping_not_on_the_way_to_air(db, home, parts):
    programme = assemble(parts, gap_ms=700, target_lufs=-16.0, max_true_peak_db=-1.0)
    path = home.programmes / "p.wav"
    write_wav(programme, path)
    recipe = replay.recipe_of(parts, gap_ms=700, target_lufs=-16.0, max_true_peak_db=-1.0)
    replay.record(db, replay.file_sha256(path), recipe, built_at=AIRED)
    assert not (replay.proof_dir(home) / "parts").exists()
    assert db.execute("SELECT complete FROM programme_recipes").fetchone()[0] == 0
    prune_programmes(home, AIRED, days=14, db=db)
    assert db.execute("SELECT complete FROM programme_recipes").fetchone()[0] == 1
    assert len(list((replay.proof_dir(home) / "parts").glob("*/*.flac"))) == 4


def test_a_part_gone_before_it_was_kept_falls_back_to_the_whole_programme(db, home, parts, tmp_path):
    programme = assemble(parts, gap_ms=700, target_lufs=-16.0, max_true_peak_db=-1.0)
    path = home.programmes / "p.wav"
    write_wav(programme, path)
    sha = replay.file_sha256(path)
    replay.record(db, sha, replay.recipe_of(parts, gap_ms=700, target_lufs=-16.0, max_true_peak_db=-1.0),
                  built_at=AIRED)
    os.utime(path, (AIRED.timestamp(), AIRED.timestamp()))
    entry_id = prooflog.append(db, prooflog.Entry(key="p", scheduled_at=AIRED, status="partial",
                                                  programme_sha256=sha), now=AIRED)
    Path(parts[1].path).write_bytes(b"re-rendered since")  # the source changed before it was kept
    assert prune_programmes(home, AIRED + timedelta(days=20), days=14, db=db, keep_proof_days=366) == 1
    assert (replay.proof_dir(home) / "programmes" / f"{sha}.flac").exists()
    assert replay.replay(db, home, entry_id, tmp_path / "r.wav").matches


# -- replays of an entry just aired, and of a partial one --------------------------------

def test_a_just_aired_entry_replays_from_its_programme_before_its_parts_are_kept(db, home, parts, tmp_path):
    """Was: "Part … of the programme is not kept yet" while the programme WAV was there."""
    programme = assemble(parts, gap_ms=700, target_lufs=-16.0, max_true_peak_db=-1.0)
    path = home.programme("slot:1@2025-11-20T10:00:00")
    write_wav(programme, path)
    sha = replay.file_sha256(path)
    replay.record(db, sha, replay.recipe_of(parts, gap_ms=700, target_lufs=-16.0, max_true_peak_db=-1.0),
                  built_at=AIRED)
    entry_id = prooflog.append(db, prooflog.Entry(
        key="slot:1@2025-11-20T10:00:00", scheduled_at=AIRED, status="aired", started_at=AIRED,
        seconds_played=programme.duration_ms / 1000, programme_sha256=sha), now=AIRED)
    assert db.execute("SELECT complete FROM programme_recipes").fetchone()[0] == 0  # housekeeping not yet
    result = replay.replay(db, home, entry_id, tmp_path / "now.wav")
    assert result.matches and replay.file_sha256(tmp_path / "now.wav") == sha
    assert result.notes() == []


def test_a_manual_entry_is_not_said_to_have_not_aired(db, home):
    """Was: "Entry 1 did not air (aired); there is nothing to replay"."""
    from radio.proof import corrections
    from tests.support.actors import LEADER

    entry_id = corrections.add_manual(db, LEADER, started_at=AIRED, seconds=600, reason="micrô",
                                      titles=["Tin"], now=AIRED + timedelta(hours=1))
    with pytest.raises(NotFoundError) as caught:
        replay.replay(db, home, entry_id)
    assert "did not air" not in str(caught.value)
    assert str(caught.value).startswith(f"Entry {entry_id} is a manual entry")
    correction = corrections.correct(db, LEADER, entry_id, reason="nhầm", now=AIRED + timedelta(hours=2))
    with pytest.raises(NotFoundError, match=f"is a correction of entry {entry_id}, not an airing"):
        replay.replay(db, home, correction)


def test_a_partial_replay_says_plainly_it_is_the_programme_and_names_shared_entries(db, home, parts, tmp_path):
    first, path, sha = air(db, home, "slot1_a", parts, AIRED)
    cut = prooflog.append(db, prooflog.Entry(
        key="slot1_b", scheduled_at=AIRED + timedelta(days=1), status="partial",
        started_at=AIRED + timedelta(days=1), seconds_played=3.0, programme_seconds=9.5,
        reason="dead air of 6 s at 17:00:03", programme_sha256=sha), now=AIRED + timedelta(days=1))
    result = replay.replay(db, home, cut, tmp_path / "cut.wav")
    assert result.matches  # the programme's bytes: what the logged hash names
    partial, shared = result.notes()
    assert partial.startswith(f"Entry {cut} was partial: listeners heard the first 3.0 s of this 9.5 s "
                              "programme (dead air of 6 s at 17:00:03).")
    assert "whole programme as assembled, not what they heard" in partial
    assert f"logged for entry {first} too" in shared and "not one airing" in shared
    assert replay.replay(db, home, first, tmp_path / "first.wav").shared_with == (cut,)
