"""What must hold for a province, through the commands a province and its communes use:
``radio hub nats-config`` runs a three-server cluster (nats-server from the Debian package),
three real station daemons join with the files ``radio hub station add`` wrote, and
``radio hub serve`` follows them.

- ``radio hub send --class khan-cap --to all``: every station's proof log shows it aired
  within 10 s, and ``radio hub status --json`` shows three aired with their entries' hashes;
- one server of the three killed: a second send is aired by all three;
- a station stopped, a thông thường bulletin sent to it, an entry logged at the station while
  it was away; restarted: the bulletin is in its inbox, and its entries reach the hub once,
  the chain verified.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from radio.clock import from_utc_text
from radio.network.cluster import nats_server_binary
from tests.e2e.station_process import query, quick_station, stop, wait_for
from tests.support.province import HubProvince

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.long,
    pytest.mark.skipif(nats_server_binary() is None,
                       reason="nats-server is not installed (scripts/install.sh test installs it)"),
]

CODES = ("XA-AN-BINH", "XA-BINH-MINH", "XA-TAN-AN")


class Commune:
    def __init__(self, root, code, creds):
        self.code, self.out = code, root / f"aired-{code}"
        self.cli = quick_station(root / f"home-{code}")
        self.cli.run("link", "join", "--credentials", str(creds))
        self.proc = None

    def start(self):
        self.proc = self.cli.start_station(f"file:{self.out}")

    def stop(self) -> str:
        return stop(self.proc)

    def connected(self) -> bool:
        state = query(self.cli.home, "SELECT value FROM station_state WHERE name = 'link'")
        return bool(state) and json.loads(state[0]["value"])["connected"]

    def urgent(self) -> list[dict]:
        return query(self.cli.home, "SELECT * FROM occurrences WHERE kind = 'urgent' ORDER BY id")


def aired_everywhere(communes, count):
    return all(len([r for r in c.urgent() if r["status"] == "aired"]) >= count for c in communes)


def hub_serve(province):
    env = {**os.environ, **province.env}
    return subprocess.Popen([sys.executable, "-m", "radio", "hub", "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def test_a_province_sends_every_commune_airs_and_the_hub_sees_it(tmp_path):
    province = HubProvince(tmp_path).start()
    communes, serve = [], None
    try:
        for code in CODES:
            creds = tmp_path / f"{code}.creds"
            province.radio("station", "add", code, "--name", f"Xã {code}", "-o", str(creds))
            communes.append(Commune(tmp_path, code, creds))
        for commune in communes:
            commune.start()
        wait_for(lambda: all(c.connected() for c in communes), timeout=60)
        serve = hub_serve(province)

        # khẩn cấp to all: on air everywhere within 10 s of the send (its proof entry's start;
        # the entry itself is written when the programme has played)
        sent_at = datetime.now(UTC)
        first = province.radio("send", "--class", "khan-cap", "--to", "all", "--title", "Cảnh báo bão số 9",
                               "--text", "Bão số 9 sắp đổ bộ, bà con chằng chống nhà cửa, không ra khơi.",
                               "--topic", "thien-tai", "--by", "Nguyễn Văn A").stdout.strip().splitlines()[-1]
        wait_for(lambda: aired_everywhere(communes, 1), timeout=60, interval=0.1)
        late = {c.code: (from_utc_text(c.urgent()[0]["started_at"]) - sent_at).total_seconds() for c in communes}
        assert all(seconds < 10 for seconds in late.values()), late

        def seen_aired(bulletin_id, count):
            status = province.status()
            (bulletin,) = [b for b in status["bulletins"] if b["id"] == bulletin_id]
            return bulletin["aired"] >= count and status

        status = wait_for(lambda: seen_aired(first, 3), timeout=60, interval=1)
        (bulletin,) = [b for b in status["bulletins"] if b["id"] == first]
        for commune in communes:
            (row,) = commune.urgent()
            (mine,) = [s for s in bulletin["stations"] if s["code"] == commune.code]
            assert mine["state"] == "aired"
            assert [(o["entry_id"], o["entry_hash"], o["verified"]) for o in mine["outcomes"]
                    if o["state"] == "aired"] == [(row["id"], row["hash"], True)]

        # one server of the three killed: a second send airs everywhere
        province.servers.kill(0)
        second = province.radio("send", "--class", "khan-cap", "--to", "all", "--title", "Cảnh báo lũ",
                                "--text", "Nước sông đang lên nhanh, bà con vùng trũng di chuyển ngay.",
                                "--by", "Nguyễn Văn A").stdout.strip().splitlines()[-1]
        wait_for(lambda: aired_everywhere(communes, 2), timeout=60, interval=0.2)
        wait_for(lambda: seen_aired(second, 3), timeout=60, interval=1)

        # a station away: a thông thường for it, and an entry logged there meanwhile
        away = communes[2]
        away.stop()
        third = province.radio("send", "--class", "thuong", "--to", away.code, "--title", "Lịch tiếp công dân",
                               "--text", "Ủy ban nhân dân tỉnh thông báo lịch tiếp công dân tháng mười hai.",
                               "--topic", "cchc", "--by", "Nguyễn Văn A").stdout.strip().splitlines()[-1]
        away.cli.run("log", "add-manual", "--at", time.strftime("%Y-%m-%d %H:%M"), "--minutes", "5",
                     "--title", "Đọc trực tiếp thông báo", "--reason", "Mất điện, đọc qua micrô", "--by", "canbo")
        away.start()
        inbox = wait_for(lambda: query(away.cli.home, "SELECT * FROM provincial_bulletins WHERE id = ?", [third]),
                         timeout=60, interval=0.5)
        assert inbox[0]["state"] == "received" and inbox[0]["class"] == "thuong"
        assert third in away.cli.run("link", "inbox").stdout
        logged = query(away.cli.home, "SELECT id, hash FROM occurrences ORDER BY id")

        def chain_complete():
            station = {s["code"]: s for s in province.status()["stations"]}[away.code]
            return station["chain"]["entries"] == len(logged) and station

        station = wait_for(chain_complete, timeout=60, interval=1)
        assert station["chain"]["verified"] and station["chain"]["head_hash"] == logged[-1]["hash"]
        assert station["chain"]["alerts"] == 0 and province.status()["alerts"] == []
    finally:
        outputs = []
        for commune in communes:
            if commune.proc is not None and commune.proc.poll() is None:
                outputs.append(commune.stop())
        if serve is not None:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                serve.kill()
        province.close()
