"""The whole chain with no network and no sound card: queue, approve, schedule,
air to ``file:DIR``, log, export."""

import csv
import json
import signal
import wave

import numpy as np
import pytest

from radio.store.connection import connect
from tests.e2e.station_process import CCHC_TEXT, air_one_slot, logged, offline_station, stop, wait_for

pytestmark = pytest.mark.e2e


@pytest.mark.realtime  # the amplifier's warm-up, timed
def test_queued_bulletin_airs_to_a_file_and_is_logged(tmp_path):
    cli = offline_station(tmp_path)
    cli.run("init")
    # espeak-ng without jingles or ident: what is proven is the chain and the warm-up, not
    # gTTS's fallback (tests/e2e/test_speak_offline.py) nor a programme's full dress
    for name, value in {"engine": "espeak", "use_jingles": "false", "ident_text": "", "gap_ms": "200"}.items():
        cli.run("settings", "set", name, value)
    on, off = tmp_path / "amp-on", tmp_path / "amp-off"
    cli.run("settings", "set", "hook_before", f"sh -c 'date +%s.%N > {on}'")
    cli.run("settings", "set", "hook_after", f"touch {off}")
    cli.run("settings", "set", "hook_warmup_s", "2")
    bulletin = cli.add_approved("Thông báo CCHC", CCHC_TEXT)
    out_dir = tmp_path / "aired"
    # the daemon's clock runs 4 s ahead: 6 s of real lead, enough to start and to warm up
    ahead = 4.0
    when, rows, output = air_one_slot(cli, f"file:{out_dir}", seconds_ahead=10, timeout=90, ahead_s=ahead)
    assert "Traceback" not in output
    (row,) = rows
    assert row["status"] == "aired", output
    assert row["seconds_played"] == pytest.approx(row["programme_seconds"], abs=0.05)
    assert row["programme_seconds"] > 5
    # the amplifier was switched on a warm-up ahead of the instant, and off again
    assert 1.5 < when.timestamp() - ahead - float(on.read_text()) < 3.0
    assert off.exists()
    hooks = json.loads(row["hooks"])
    assert [(h["hook"], h["ok"]) for h in hooks] == [("before", True), ("after", True)]

    (wav_path,) = out_dir.glob("*.wav")
    with wave.open(str(wav_path)) as wav:
        frames = wav.readframes(wav.getnframes())
        assert wav.getnframes() / wav.getframerate() == pytest.approx(row["seconds_played"], abs=0.05)
    samples = np.frombuffer(frames, dtype=np.int16)
    assert np.sqrt(np.mean(samples.astype(float) ** 2)) > 300  # not silence

    listing = cli.run("log", "list").stdout
    assert "aired" in listing and "Thông báo CCHC" in listing
    csv_path = tmp_path / "log.csv"
    cli.run("log", "export", "--format", "csv", "--english", "-o", str(csv_path))
    with open(csv_path, encoding="utf-8-sig") as fh:
        (exported,) = list(csv.DictReader(fh))  # the chain head is in the companion file, not a row
    assert (tmp_path / "log.csv.head").read_text().startswith("chain_head 1:")
    assert exported["status"] == "aired" and exported["bulletin_id"] == str(bulletin)
    assert exported["title"] == "Thông báo CCHC" and len(exported["audio_sha256"]) == 64
    # nobody may mistake a file for a loudspeaker broadcast; the approver is on the row
    assert row["output_kind"] == "file"
    assert exported["output_kind"] == "file" and exported["output_note"] == "ra tệp (không phát ra loa)"
    assert exported["approved_by"] == "Chủ tịch UBND xã" and exported["approved_at_local"]
    # an airing to a file reached no loudspeaker: the CCHC target does not move,
    # and the daemon recorded so beside the row
    assert " 0/1 " in cli.run("targets").stdout
    db = connect(cli.home / "radio.db")
    try:
        assert db.execute("SELECT loudspeakers FROM occurrence_reach").fetchall() == [(0,)]
        # what the station page shows: the daemon's own output, not the setting's "device"
        assert db.execute("SELECT value FROM station_state WHERE name = 'output'").fetchone()[0].startswith("file:")
    finally:
        db.conn.close()


def seconds_written(directory):
    """Seconds of sound in the programme file being aired to *directory* (0 before it starts)."""
    for path in directory.glob("*.wav"):
        try:
            with wave.open(str(path)) as wav:
                return wav.getnframes() / wav.getframerate()
        except (EOFError, wave.Error):  # the header is not written yet
            return 0
    return 0


def test_stopping_mid_programme_logs_partial(tmp_path):
    cli = offline_station(tmp_path)
    cli.run("settings", "set", "engine", "espeak")
    cli.add_approved("Bản tin dài", " ".join([CCHC_TEXT] * 4))
    when = cli.one_off_slot(10)
    proc = cli.start_station(f"file:{tmp_path / 'aired'}")
    try:
        # stopped once two seconds are on air (the file grows as it plays)
        wait_for(lambda: seconds_written(tmp_path / "aired") >= 2, timeout=60)
    finally:
        output = stop(proc, signal.SIGTERM)
    (row,) = logged(cli.home)
    assert row["status"] == "partial", output
    assert 1 < row["seconds_played"] < row["programme_seconds"]
    assert "SIGTERM" in row["reason"]
    assert when.isoformat()[:19] in row["key"]


def test_one_daemon_per_data_directory(tmp_path):
    cli = offline_station(tmp_path)
    first = cli.start_station(f"file:{tmp_path / 'aired'}")
    try:
        wait_for(lambda: (cli.home / "station.lock").exists() and (cli.home / "station.lock").read_text(),
                 timeout=20)
        second = cli.run("station", "--output", f"file:{tmp_path / 'aired'}", check=False)
    finally:
        stop(first)
    assert second.returncode == 1
    assert f"A station daemon (pid {first.pid}) already runs for {cli.home}" in second.stderr
    assert "Traceback" not in second.stderr
