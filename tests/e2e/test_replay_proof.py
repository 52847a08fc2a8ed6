"""What aired, played back after the two-week clean-up, hashes to what the log says;
the signed heads and `radio log verify` agree with the station that wrote them."""

import hashlib
import os
from pathlib import Path
from datetime import UTC, datetime, timedelta

import pytest

from radio.store.home import Home
from radio.station import prune_programmes
from radio.store.connection import connect
from tests.e2e.station_process import CCHC_TEXT, air_one_slot, offline_station

pytestmark = pytest.mark.e2e


@pytest.mark.long
def test_aired_programme_replays_after_the_clean_up(tmp_path):
    cli = offline_station(tmp_path)
    cli.run("init")
    cli.run("settings", "set", "engine", "espeak")
    cli.add_approved("Thông báo CCHC", CCHC_TEXT)
    _, rows, output = air_one_slot(cli, f"file:{tmp_path / 'aired'}", seconds_ahead=12, timeout=120,
                                 ahead_s=6)  # about the proof, not the time: 6 s before the slot
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
    # the signing key is outside the data directory (a copied directory cannot forge heads),
    # private to the station's user
    assert not (cli.home / "keys" / "chain.key").exists()
    station_id = (cli.home / "station-id").read_text().strip()
    key = Path(os.environ["XDG_CONFIG_HOME"]) / "radio" / "keys" / f"{station_id}.key"
    assert key.stat().st_mode & 0o777 == 0o600 and key.parent.stat().st_mode & 0o777 == 0o700

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
