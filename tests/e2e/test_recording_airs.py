"""A local reader's recording airs in a slot like a rendered bulletin, logged with its audio hash."""

import hashlib
import wave

import numpy as np
import pytest

from radio.store.connection import connect
from tests.e2e.station_process import StationCli, stop, wait_for
from tests.support.recordings import tone_file
from tests.support.signal import xcorr_similarity

pytestmark = pytest.mark.e2e


def test_a_human_recording_airs_in_a_slot_and_is_logged_with_its_hash(tmp_path):
    cli = StationCli(tmp_path / "home", {"NO_PROXY": "*"})
    for name, value in (("engine", "espeak"), ("use_jingles", "false"), ("ident_text", "")):
        cli.run("settings", "set", name, value)
    reading = tone_file(tmp_path / "doc-tieng-thai.ogg", seconds=3.0)
    new_id = int(cli.run("bulletin", "add", "--title", "Lịch tiêm chủng (tiếng Thái)", "--audio", str(reading),
                         "--language", "Tiếng Thái").stdout)
    cli.run("bulletin", "approve", str(new_id), "--by", "Chủ tịch UBND xã")
    db = connect(cli.home / "radio.db")
    recording = db["bulletins"].get(new_id)["recording_path"]
    recording_sha = hashlib.sha256(open(recording, "rb").read()).hexdigest()
    cli.one_off_slot(8)
    out_dir = tmp_path / "aired"
    proc = cli.start_station(f"file:{out_dir}")
    try:
        (row,) = wait_for(lambda: list(db["occurrences"].rows), timeout=90)
    finally:
        output = stop(proc)
    assert row["status"] == "aired", output
    (item,) = db["occurrence_items"].rows_where("occurrence_id = ?", [row["id"]])
    assert (item["bulletin_id"], item["engine"], item["completed"]) == (new_id, "recording", 1)
    assert item["audio_sha256"] == recording_sha
    assert item["duration_ms"] == pytest.approx(3000, abs=60)
    # what reached the output is the reading itself
    (wav_path,) = out_dir.glob("*.wav")
    with wave.open(str(wav_path)) as aired, wave.open(recording) as source:
        heard = np.frombuffer(aired.readframes(aired.getnframes()), dtype=np.int16)
        read = np.frombuffer(source.readframes(source.getnframes()), dtype=np.int16)
    assert xcorr_similarity(heard, read) > 0.8
