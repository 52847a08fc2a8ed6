"""The hub against a real three-server JetStream cluster, through its commands.

The hub is made, writes the servers' files and registers two stations; a khẩn cấp bulletin
goes to all and a thông thường one to one station. Each fake station (a plain nats-py
client with nothing but its join file) fetches its copies from its own consumer, checks
the province's signature, and answers as a station's link does: acknowledgements, proof
entries chained with the real ``row_hash``, a heartbeat. ``radio hub status --json`` shows
it all; an edited entry and a gap then raise alerts naming the station and the entry;
``radio hub rebuild`` gives the same status. Servers are always stopped.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
from datetime import UTC, datetime

import nats
import pytest
from nats.errors import TimeoutError as NatsTimeout

from radio.network import DOWN_STREAM, MSG_ID_HEADER, Servers, consumer_name, free_base_port, read_join, up_subject
from radio.network.cluster import nats_server_binary, write_nats_configs
from radio.network.credentials import Authority
from radio.network.messages import msg_id, read_bulletin
from tests.support.processes import end
from tests.support.province import HubProvince
from tests.support.station_log import FakeLog, ack, aired, heartbeat, proof
from tests.support.waiting import until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(180),
    pytest.mark.skipif(nats_server_binary() is None,
                       reason="nats-server is not installed (Debian package nats-server; scripts/install.sh test installs it)"),
]


@pytest.fixture
def province(tmp_path):
    province = HubProvince(tmp_path)
    try:
        yield province.start()
    finally:
        province.close()


class FakeStation:
    """A station's link played by hand: its join file, its consumer, its outbox numbering."""

    def __init__(self, path):
        self.path, self.join = path, read_join(path)
        self.log = FakeLog(self.join.code, start=datetime.now(UTC))
        self.outbox = 0

    async def __aenter__(self):
        self.nc = await nats.connect(list(self.join.servers), user_credentials=str(self.path),
                                     inbox_prefix=self.join.inbox_prefix, connect_timeout=5)
        self.js = self.nc.jetstream(timeout=5)
        return self

    async def __aexit__(self, *exc):
        await self.nc.close()

    async def fetch(self, want: int) -> list:
        """The bulletins in its consumer, each checked against the province's signature, then acked."""
        sub = await self.js.pull_subscribe_bind(consumer_name(self.join.code), stream=DOWN_STREAM)
        bulletins = []
        for _ in range(20):
            try:
                messages = await sub.fetch(10, timeout=1)
            except NatsTimeout:
                messages = []
            for message in messages:
                bulletins.append(read_bulletin(message.data, public_key=self.join.signing_key, station=self.join.code))
                await message.ack_sync()
            if len(bulletins) >= want or (bulletins and not messages):
                break
        await sub.unsubscribe()
        return bulletins

    async def publish(self, kind: str, data: bytes) -> None:
        self.outbox += 1
        sent = await self.js.publish(up_subject(self.join.code, kind), data,
                                     headers={MSG_ID_HEADER: msg_id(self.join.code, kind, self.outbox)})
        assert not sent.duplicate

    async def airs(self, bulletin) -> dict:
        """received, scheduled, the proof entry of its airing, aired: what its outbox sends."""
        now = datetime.now(UTC)
        await self.publish("ack", ack(bulletin.id, "received", now))
        await self.publish("ack", ack(bulletin.id, "scheduled", now, scheduled_for=now.isoformat()))
        entry = self.log.append(title=bulletin.title, key=f"urgent:{self.outbox}")
        await self.publish("proof", proof(entry))
        await self.publish("ack", aired(bulletin.id, entry, now))
        return entry[0]


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def test_the_province_sends_the_stations_answer_and_the_hub_follows_checks_and_rebuilds(province):
    for code, name in (("XA01", "Xã Một"), ("XA02", "Xã Hai")):
        added = province.radio("station", "add", code, "--name", name, "--zone", "bac",
                               "-o", str(province.root / f"{code}.creds"))
        assert "Its consumer is ready on the servers." in added.output
    urgent = province.radio("send", "--class", "khan-cap", "--to", "all", "--title", "Bão số 9",
                            "--text", "Bão số 9 đổ bộ chiều nay; người dân ở trong nhà.", "--by", "Nguyễn Văn A")
    urgent_id = urgent.stdout.strip()
    assert urgent_id.startswith("P-") and "Sent to 2 station(s): XA01, XA02" in urgent.stderr
    ordinary_id = province.radio("send", "--class", "thuong", "--to", "XA02", "--title", "Lịch tiêm",
                                 "--text", "Trạm y tế tiêm vào thứ Bảy.", "--by", "Nguyễn Văn A").stdout.strip()
    assert ordinary_id != urgent_id

    stations = {code: FakeStation(province.root / f"{code}.creds") for code in ("XA01", "XA02")}

    async def answer():
        entries = {}
        for code, station in stations.items():
            async with station:
                got = await station.fetch(want=2 if code == "XA02" else 1)
                assert {(b.id, b.cls, b.approved_by, b.province) for b in got} == (
                    {(urgent_id, "khan-cap", "Nguyễn Văn A", "Tỉnh Thử")}
                    | ({(ordinary_id, "thuong", "Nguyễn Văn A", "Tỉnh Thử")} if code == "XA02" else set()))
                urgent_copy = next(b for b in got if b.id == urgent_id)
                entries[code] = await station.airs(urgent_copy)
                if code == "XA02":
                    await station.publish("ack", ack(ordinary_id, "received", datetime.now(UTC)))
                await station.publish("heartbeat", heartbeat(datetime.now(UTC), outbox_waiting=0))
        return entries

    entries = run(answer())
    assert "Applied 11 message(s)." in province.radio("serve", "--once").output

    status = province.status()
    by_code = {s["code"]: s for s in status["stations"]}
    for code in ("XA01", "XA02"):
        assert by_code[code]["online"] and by_code[code]["last_heartbeat"]
        assert by_code[code]["chain"] == {"entries": 1, "last_id": 1, "head_hash": entries[code]["hash"],
                                          "alerts": 0, "verified": True}
    bulletins = {b["id"]: b for b in status["bulletins"]}
    assert bulletins[urgent_id]["delivered"] == 2 and bulletins[urgent_id]["aired"] == 2
    for copy in bulletins[urgent_id]["stations"]:
        assert copy["delivered"] and copy["state"] == "aired" and copy["received_at"] and copy["scheduled_at"]
        (outcome,) = copy["outcomes"]
        assert (outcome["state"], outcome["entry_id"], outcome["entry_hash"], outcome["verified"]) == (
            "aired", 1, entries[copy["code"]]["hash"], True)
    (ordinary,) = bulletins[ordinary_id]["stations"]
    assert (ordinary["code"], ordinary["delivered"], ordinary["state"], ordinary["outcomes"]) == (
        "XA02", True, "received", [])
    assert status["alerts"] == []

    async def tamper():
        async with stations["XA01"] as station:
            edited = station.log.append()
            await station.publish("proof", proof(edited, status="aired", seconds_played=3600.0))
            await station.publish("proof", proof(station.log.append(skip=1)))  # entry 3 never sent

    run(tamper())
    province.radio("serve", "--once")
    status = province.status()
    assert [(a["station"], a["kind"], a["entry_id"]) for a in status["alerts"]] == [("XA01", "edit", 2),
                                                                                     ("XA01", "gap", 4)]
    assert "entry 3 never arrived before entry 4" in status["alerts"][1]["detail"]
    xa01 = next(s for s in status["stations"] if s["code"] == "XA01")
    assert xa01["chain"]["alerts"] == 2 and not xa01["chain"]["verified"] and xa01["chain"]["last_id"] == 4
    human = province.radio("status").output
    assert "XA01 (edit" in human and "entry 2's content does not match its hash" in human

    rebuilt = province.radio("rebuild").output
    assert "3 message(s) of RADIO_DOWN, 13 of RADIO_UP" in rebuilt
    assert province.status() == status


def test_with_the_servers_down_a_send_fails_in_one_line_and_sending_again_sends_the_rest(province):
    for code in ("XA01", "XA02"):
        province.radio("station", "add", code, "--name", f"Xã {code}", "-o", str(province.root / f"{code}.creds"))
    province.servers.close()
    failed = province.radio("send", "--class", "khan-cap", "--to", "all", "--title", "Lũ", "--text", "Lũ về.",
                            "--by", "Nguyễn Văn A", code=3)
    bulletin_id = failed.stdout.strip()
    errors = [line for line in failed.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "Traceback" not in failed.output
    assert errors[0].startswith(f"Error: Bulletin {bulletin_id} is approved but was not sent to XA01, XA02: ")
    assert errors[0].endswith(f"radio hub resend {bulletin_id}.")

    province.servers.start_all(timeout=60)
    assert province.radio("resend", bulletin_id).output.strip() == f"Bulletin {bulletin_id}: sent to XA01, XA02"
    assert "delivered to all 2 station(s) already" in province.radio("resend", bulletin_id).output

    async def fetch_all():
        found = {}
        for code in ("XA01", "XA02"):
            async with FakeStation(province.root / f"{code}.creds") as station:
                found[code] = [b.id for b in await station.fetch(want=2)]
        return found

    assert run(fetch_all()) == {"XA01": [bulletin_id], "XA02": [bulletin_id]}  # once each
    copies = {c["code"]: c for c in province.status()["bulletins"][0]["stations"]}
    assert {code: (c["delivered"], c["attempts"]) for code, c in copies.items()} == {"XA01": (True, 2),
                                                                                      "XA02": (True, 2)}


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_over_tls_the_hub_trusts_the_certificate_it_wrote_the_servers_with(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    province = HubProvince(tmp_path)
    province.radio("init")
    base = free_base_port(1)
    shown = province.radio("nats-config", "--servers", "1", "--base-port", str(base), "--dir", str(tmp_path / "nats"),
                           "--tls-cert", str(cert), "--tls-key", str(key)).output
    assert f"Servers: tls://127.0.0.1:{base}" in shown
    layout = write_nats_configs(Authority.open(tmp_path / "hub" / "authority"), servers=1, base_port=base,
                                dir=tmp_path / "nats", tls_cert=cert, tls_key=key)
    with Servers(layout):
        added = province.radio("station", "add", "XA01", "--name", "Xã Một", "-o", str(tmp_path / "XA01.creds"))
        assert "Its consumer is ready on the servers." in added.output
        assert read_join(tmp_path / "XA01.creds").servers == (f"tls://127.0.0.1:{base}",)
        sent = province.radio("send", "--class", "thuong", "--to", "XA01", "--title", "T", "--text", "X", "--by", "B")
        assert "Sent to 1 station(s): XA01" in sent.stderr


def test_hub_serve_follows_the_stations_as_they_send_and_stops_on_sigterm(province):
    province.radio("station", "add", "XA01", "--name", "Xã Một", "-o", str(province.root / "XA01.creds"))
    serve = subprocess.Popen([sys.executable, "-m", "radio", "hub", "serve"], env={**os.environ, **province.env},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        station = FakeStation(province.root / "XA01.creds")

        async def live():
            async with station:
                await station.publish("heartbeat", heartbeat(datetime.now(UTC)))
                await station.publish("proof", proof(station.log.append()))

        run(live())

        def followed():
            found = province.status()["stations"][0]
            return found["online"] and found["chain"]["entries"] == 1

        until(followed, timeout_s=30)
        assert "stop it first" in province.radio("serve", "--once", code=1).stderr  # one applier at a time
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=15) == 0
        assert "following the stations on nats://" in serve.stdout.read()
    finally:
        end(serve)
