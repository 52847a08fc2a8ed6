"""The whole chain with no network and no sound card: queue, approve, schedule,
air to ``file:DIR``, log, export."""

import csv
import json
import signal
import wave

import numpy as np
import pytest

from radio.store import connect
from tests.e2e.station_process import StationCli, stop, wait_for

pytestmark = pytest.mark.e2e

TEXT = ("Thực hiện Kế hoạch số 26/KH-UBND ngày 26/01/2022 của UBND xã, bộ phận một cửa tiếp nhận "
        "hồ sơ dịch vụ công trực tuyến mức độ 3, 4 từ 7h30 đến 17h00.")


def logged(home):
    db = connect(home / "radio.db")
    try:
        return [dict(r) for r in db["occurrences"].rows]
    finally:
        db.conn.close()


def test_queued_bulletin_airs_to_a_file_and_is_logged(tmp_path):
    cli = StationCli(tmp_path / "home", {"NO_PROXY": "*"})
    cli.run("init")
    on, off = tmp_path / "amp-on", tmp_path / "amp-off"
    cli.run("settings", "set", "hook_before", f"sh -c 'date +%s.%N > {on}'")
    cli.run("settings", "set", "hook_after", f"touch {off}")
    cli.run("settings", "set", "hook_warmup_s", "2")
    bulletin = cli.add_approved("Thông báo CCHC", TEXT)
    when = cli.one_off_slot(12)
    out_dir = tmp_path / "aired"
    proc = cli.start_station(f"file:{out_dir}")
    try:
        rows = wait_for(lambda: logged(cli.home), timeout=90)
    finally:
        output = stop(proc)
    assert "Traceback" not in output
    (row,) = rows
    assert row["status"] == "aired", output
    assert row["seconds_played"] == pytest.approx(row["programme_seconds"], abs=0.05)
    assert row["programme_seconds"] > 5
    # the amplifier was switched on a warm-up ahead of the instant, and off again
    assert 1.5 < when.timestamp() - float(on.read_text()) < 3.0
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
    cli.run("log", "export", "--format", "csv", "-o", str(csv_path))
    with open(csv_path, encoding="utf-8-sig") as fh:
        (exported,) = list(csv.DictReader(fh))
    assert exported["status"] == "aired" and exported["bulletin_id"] == str(bulletin)
    assert exported["title"] == "Thông báo CCHC" and len(exported["audio_sha256"]) == 64
    # issue 8: nobody may mistake a file for a loudspeaker broadcast; the approver is on the row
    assert row["output_kind"] == "file"
    assert exported["output_kind"] == "file" and exported["output_note"] == "ra tệp (không phát ra loa)"
    assert exported["approved_by"] == "Chủ tịch UBND xã" and exported["approved_at_local"]


def test_stopping_mid_programme_logs_partial(tmp_path):
    cli = StationCli(tmp_path / "home", {"NO_PROXY": "*"})
    cli.run("settings", "set", "engine", "espeak")
    cli.add_approved("Bản tin dài", " ".join([TEXT] * 4))
    when = cli.one_off_slot(10)
    proc = cli.start_station(f"file:{tmp_path / 'aired'}")
    try:
        wait_for(lambda: list((tmp_path / "aired").glob("*.wav")), timeout=60)
        import time
        time.sleep(3)
    finally:
        output = stop(proc, signal.SIGTERM)
    (row,) = logged(cli.home)
    assert row["status"] == "partial", output
    assert 1 < row["seconds_played"] < row["programme_seconds"]
    assert "SIGTERM" in row["reason"]
    assert when.isoformat()[:19] in row["key"]


def test_one_daemon_per_data_directory(tmp_path):
    cli = StationCli(tmp_path / "home", {"NO_PROXY": "*"})
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
