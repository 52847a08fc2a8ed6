"""What aired, played back after the two-week clean-up, hashes to what the log says;
the signed heads and `radio log verify` agree with the station that wrote them."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from radio.home import Home
from radio.station import prune_programmes
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


def test_aired_programme_replays_after_the_clean_up(tmp_path):
    cli = StationCli(tmp_path / "home", {"NO_PROXY": "*"})
    cli.run("init")
    cli.run("settings", "set", "engine", "espeak")
    cli.add_approved("Thông báo CCHC", TEXT)
    cli.one_off_slot(12)
    proc = cli.start_station(f"file:{tmp_path / 'aired'}")
    try:
        rows = wait_for(lambda: logged(cli.home), timeout=120)
    finally:
        output = stop(proc)
    (row,) = rows
    assert row["status"] == "aired", output
    (programme,) = (cli.home / "programmes").glob("*.wav")

    # the daemon's clean-up, run as if 15 days had passed
    db = connect(cli.home / "radio.db")
    later = datetime.now(UTC) + timedelta(days=15)
    assert prune_programmes(Home(cli.home), later, days=14, db=db, keep_proof_days=366) == 1
    db.conn.close()
    assert not programme.exists()

    out = tmp_path / "replayed.wav"
    result = cli.run("log", "replay", str(row["id"]), "-o", str(out))
    assert f"sha256 {row['programme_sha256']} matches the log." in result.stdout
    assert hashlib.sha256(out.read_bytes()).hexdigest() == row["programme_sha256"]

    verify = cli.run("log", "verify", "--expect", f"1:{row['hash']}")
    assert "The proof log is intact: 1 entries" in verify.stdout and "signed heads checked" in verify.stdout
    assert (cli.home / "keys" / "chain.key").stat().st_mode & 0o777 == 0o600

    # the bulletin's stored audio swapped for other sound is caught
    db = connect(cli.home / "radio.db")
    (audio_sha,) = [r[0] for r in db.execute("SELECT audio_sha256 FROM occurrence_items")]
    db.conn.close()
    parts = cli.home / "proof-audio" / "parts"
    item = parts / audio_sha[:2] / f"{audio_sha}.flac"
    other = next(p for p in parts.glob("*/*.flac") if p != item)
    item.write_bytes(other.read_bytes())
    bad = cli.run("log", "replay", str(row["id"]), "-o", str(tmp_path / "bad.wav"), check=False)
    assert bad.returncode == 1 and "does not match the log" in bad.stderr
