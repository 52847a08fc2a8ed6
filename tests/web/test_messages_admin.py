"""Every message the admin's library parts can show reads in Vietnamese.

The messages come from calling the library, so a reworded English message
fails here instead of reaching the officer untranslated.
"""

import io
from datetime import UTC, datetime

import pytest

from radio.schedule import emergency
from radio.programme import jingles
from radio.speech import preview
from radio.bulletins import recordings
from radio import settings as station_settings
from radio.accounts.roles import Actor
from radio.errors import RadioError
from radio.store.home import open_home
from radio.store.connection import connect
from radio.wording.messages import vi

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
OFFICER, LEADER, ADMIN = Actor("canbo", "officer"), Actor("chutich", "leader"), Actor("quantri", "admin")


@pytest.fixture
def station(tmp_path):
    home = open_home(tmp_path / "home")
    db = connect(home.database)
    yield db, home, tmp_path
    db.conn.close()


def _file(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _draft(db):
    from radio.bulletins.lifecycle import add_bulletin

    return add_bulletin(db, title="Tin", text="Nội dung.", now=NOW, actor=OFFICER)


CASES = {
    "suffix": lambda db, home, tmp: recordings.attach_recording(
        db, home, _draft(db), _file(tmp, "a.pdf", b"x"), filename="a.pdf", actor=OFFICER, now=NOW),
    "empty": lambda db, home, tmp: recordings.attach_recording(
        db, home, _draft(db), _file(tmp, "a.mp3", b""), filename="a.mp3", actor=OFFICER, now=NOW),
    "not audio": lambda db, home, tmp: recordings.attach_recording(
        db, home, _draft(db), _file(tmp, "a.mp3", b"text" * 100), filename="a.mp3", actor=OFFICER, now=NOW),
    "too big": lambda db, home, tmp: recordings.saved_stream(
        io.BytesIO(b"x" * (recordings.MAX_RECORDING_BYTES + 1)), "a.wav").__enter__(),
    "language": lambda db, home, tmp: recordings.parse_language("x" * 41),
    "listen empty": lambda db, home, tmp: preview.listen(db, home, {}, "  ", actor=OFFICER),
    "emergency neither": lambda db, home, tmp: emergency.broadcast(db, actor=LEADER, now=NOW),
    "emergency long": lambda db, home, tmp: emergency.broadcast(db, actor=LEADER, now=NOW, text="x" * 2001),
    "setting choice": lambda db, home, tmp: station_settings.save_settings(
        db, {"engine": "to"}, {}, actor=ADMIN, now=NOW),
    "jingle kind": lambda db, home, tmp: jingles.station_jingle(home, "middle"),
}


@pytest.mark.parametrize("case", CASES)
def test_message_reads_in_vietnamese(station, case):
    db, home, tmp = station
    with pytest.raises(RadioError) as caught:
        CASES[case](db, home, tmp)
    message = str(caught.value)
    assert vi(message) != message, f"no Vietnamese rule for: {message}"


def test_the_state_message_names_the_state(station):
    db, home, tmp = station
    from radio.bulletins.lifecycle import approve_bulletin

    bulletin_id = _draft(db)
    approve_bulletin(db, bulletin_id, actor=LEADER, now=NOW, expected_sha256=None)
    with pytest.raises(RadioError) as caught:
        recordings.detach_recording(db, home, bulletin_id, actor=OFFICER, now=NOW)
    assert vi(caught.value) == f"Bản tin số {bulletin_id} đã được duyệt; không thay được bản ghi âm."
