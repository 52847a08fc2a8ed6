"""The log page plays back what aired and says whether it matches the logged hash."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from audio.jingles import default_jingle
from audio.programme import Part
from radio.proof import log as prooflog, replay
from radio.store.home import Home
from tests.radio.proof.test_replay import air, speech_like


@pytest.fixture
def aired(app, db, tmp_path):
    home = Home(Path(app.config["RADIO_HOME"])).ensure()
    parts = [Part(default_jingle("intro"), "intro", "intro"),
             Part(speech_like(tmp_path / "i.wav", 2.0, 5), "item", "1")]
    when = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    entry_id, path, sha = air(db, home, "slot1_x", parts, when)
    path.unlink()  # cleaned up: only the recipe and the parts remain
    return entry_id, sha, home, parts


def test_player_and_hash_match(client, auth, aired):
    entry_id, sha, home, _ = aired
    auth.login()  # an officer: replay needs only the "read" action
    html = client.get("/log/?month=2026-11").get_data(as_text=True)
    assert f'src="/log/{entry_id}/audio.wav"' in html and "Nghe lại và kiểm tra mã băm" in html
    page = client.get(f"/log/{entry_id}/replay").get_data(as_text=True)
    assert "✔ khớp mã băm" in page and sha in page
    audio = client.get(f"/log/{entry_id}/audio.wav")
    assert audio.status_code == 200 and audio.mimetype == "audio/wav"
    assert audio.headers["X-Sha256-Match"] == "yes"
    import hashlib
    assert hashlib.sha256(audio.get_data()).hexdigest() == sha
    html = client.get("/log/?month=2026-11").get_data(as_text=True)
    assert "✔ khớp mã băm" in html  # the verdict is remembered for the list


def test_tampered_part_shows_mismatch(client, auth, aired, tmp_path):
    entry_id, sha, home, parts = aired
    item_sha = replay.file_sha256(Path(parts[1].path))
    (stored,) = (replay.proof_dir(home) / "parts").glob(f"*/{item_sha}.flac")
    replay._to_flac(speech_like(tmp_path / "o.wav", 2.0, 6), stored)
    auth.login()
    page = client.get(f"/log/{entry_id}/replay").get_data(as_text=True)
    assert "⚠ không khớp mã băm" in page


def test_missed_entry_has_no_player(client, auth, db):
    entry_id = prooflog.append(db, prooflog.Entry(key="m", scheduled_at=datetime(2026, 11, 20, tzinfo=UTC),
                                                  status="missed"), now=datetime(2026, 11, 20, tzinfo=UTC))
    auth.login()
    assert "audio.wav" not in client.get("/log/?month=2026-11").get_data(as_text=True)
    response = client.get(f"/log/{entry_id}/replay")
    assert response.status_code == 404 and "không được phát" in response.get_data(as_text=True)


def test_replay_needs_login(client, aired):
    response = client.get(f"/log/{aired[0]}/audio.wav")
    assert response.status_code == 302


def test_a_partial_replay_says_it_is_the_whole_programme(client, auth, db, aired):
    """A partial entry's replay says it is partial: the replay of a partial entry was presented as what listeners heard."""
    entry_id, sha, home, _ = aired
    when = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    cut = prooflog.append(db, prooflog.Entry(
        key="slot1_y", scheduled_at=when, status="partial", started_at=when, seconds_played=1.5,
        programme_seconds=4.0, reason="station stopped", programme_sha256=sha), now=when)
    auth.login()
    page = client.get(f"/log/{cut}/replay").get_data(as_text=True)
    assert "người nghe chỉ nghe được 1.5 giây đầu của chương trình dài 4.0 giây" in page
    assert "Bản nghe lại là toàn bộ chương trình đã dựng" in page
    assert f"cũng được ghi ở các dòng nhật ký số {entry_id}" in page
