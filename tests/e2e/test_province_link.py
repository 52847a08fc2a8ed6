"""A station in the province's network, with a real three-server NATS JetStream cluster and
the real daemon: a khẩn cấp bulletin from the province airs within seconds and the province
hears back that it aired (with the proof entry's hash); a replayed message airs once; a
message the province did not sign is refused with an alert and never airs."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime

import pytest

from radio.clock import from_utc_text, to_utc_text
from radio.network import MSG_ID_HEADER, UP_STREAM, down_subject
from radio.network.cluster import nats_server_binary
from radio.network.messages import ProvincialBulletin, signed_bulletin
from tests.e2e.station_process import query, quick_station, stop, wait_for
from tests.support.province import connect_hub, run, start_province

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(nats_server_binary() is None,
                       reason="nats-server is not installed (scripts/install.sh test installs it)"),
]

CODE = "XA-TAN-AN"


def bulletin(cls="khan-cap", **fields) -> ProvincialBulletin:
    now = to_utc_text(datetime.now(UTC))
    values = dict(id=f"P-{uuid.uuid4().hex[:8]}", station=CODE, cls=cls, title="Cảnh báo bão",
                  text="Ủy ban nhân dân tỉnh thông báo khẩn: bão số 5 sắp đổ bộ.", sent_at=now,
                  approved_by="Ban biên tập", approved_at=now, province="Tỉnh Thử", topic="thien-tai")
    values.update(fields)
    return ProvincialBulletin(**values)


async def _send(province, data: bytes) -> None:
    hub = await connect_hub(province)
    try:
        await hub.jetstream().publish(down_subject(CODE, "bulletin"), data,
                                      headers={MSG_ID_HEADER: uuid.uuid4().hex})
    finally:
        await hub.close()


class Upward:
    """What the station has published, read by a durable consumer of the test's own (each
    call fetches what came since the last one)."""

    def __init__(self, province):
        self.province, self.durable, self.seen = province, f"test-{uuid.uuid4().hex[:6]}", []

    async def _fetch(self):
        hub = await connect_hub(self.province)
        try:
            sub = await hub.jetstream().pull_subscribe("radio.up.>", durable=self.durable, stream=UP_STREAM)
            while True:
                try:
                    messages = await sub.fetch(100, timeout=2)
                except asyncio.TimeoutError:
                    return
                for message in messages:
                    self.seen.append((message.subject.rsplit(".", 1)[1], json.loads(message.data)))
                    await message.ack()
        finally:
            await hub.close()

    def __call__(self) -> list[tuple[str, dict]]:
        run(self._fetch())
        return self.seen


def link_diagnosis(home) -> str:
    return json.dumps({"link": query(home, "SELECT value FROM station_state WHERE name = 'link'"),
                       "outbox": query(home, "SELECT id, kind, dedupe, published_at FROM link_outbox")},
                      ensure_ascii=False, indent=1)


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    province = start_province(tmp_path_factory.mktemp("province"), stations=(CODE,))
    try:
        yield province
    finally:
        province.close()


@pytest.fixture
def station(tmp_path, province):
    cli = quick_station(tmp_path / "home")
    joined = cli.run("link", "join", "--credentials", str(province.join(CODE)))
    assert f"station {CODE}" in joined.stdout
    proc = cli.start_station(f"file:{tmp_path / 'aired'}")
    try:
        wait_for(lambda: (state := query(cli.home, "SELECT value FROM station_state WHERE name = 'link'"))
                 and json.loads(state[0]["value"])["connected"], timeout=30)
        yield cli
    finally:
        stop(proc)


def urgent_rows(home):
    return query(home, "SELECT * FROM occurrences WHERE kind = 'urgent' ORDER BY id")


@pytest.mark.timeout(180)
def test_khan_cap_airs_within_seconds_and_the_province_hears_it_aired(province, station):
    sent = bulletin()
    sent_at = datetime.now(UTC)
    run(_send(province, signed_bulletin(sent, province.authority.signing_key())))
    (row,) = wait_for(lambda: [r for r in urgent_rows(station.home) if r["status"] in ("aired", "partial", "failed")],
                      timeout=60, interval=0.1)
    # on air within 10 s of the send (the entry is written once the programme has played)
    took = (from_utc_text(row["started_at"]) - sent_at).total_seconds()
    assert row["status"] == "aired" and took < 10, (row, took)
    (item,) = query(station.home, "SELECT * FROM occurrence_items WHERE occurrence_id = ?", [row["id"]])
    assert item["approved_by"] == "Ban biên tập (Tỉnh Thử)" and item["title"] == sent.title

    upward = Upward(province)

    def aired_ack():
        return [m for kind, m in upward() if kind == "ack" and m["state"] == "aired"]

    try:
        (ack,) = wait_for(aired_ack, timeout=60, interval=0.5)
    except AssertionError:
        raise AssertionError(f"the province never heard it aired:\n{link_diagnosis(station.home)}") from None
    assert ack["bulletin_id"] == sent.id and ack["entry_id"] == row["id"] and ack["entry_hash"] == row["hash"]
    up = upward.seen
    states = [m["state"] for kind, m in up if kind == "ack" and m["bulletin_id"] == sent.id]
    assert states == ["received", "scheduled", "aired"]
    proof = [m for kind, m in up if kind == "proof" and m["entry"]["id"] == row["id"]]
    assert len(proof) == 1 and proof[0]["entry"]["hash"] == row["hash"]
    assert any(kind == "heartbeat" for kind, _ in up)

    # the attack: the same signed message again (a replay, or a redelivery): it airs once
    run(_send(province, signed_bulletin(sent, province.authority.signing_key())))
    time.sleep(4)
    assert len(urgent_rows(station.home)) == 1
    assert query(station.home, "SELECT count(*) AS n FROM provincial_bulletins")[0]["n"] == 1


@pytest.mark.timeout(120)
def test_a_bulletin_the_province_did_not_sign_is_refused_and_never_airs(province, station, tmp_path):
    sent = bulletin()
    data = json.loads(signed_bulletin(sent, province.authority.signing_key()))
    data["bulletin"]["text"] = "Bão đã tan, bà con ra khơi bình thường."  # changed after signing
    run(_send(province, json.dumps(data, ensure_ascii=False).encode()))
    # signed by a key that is not the province's
    from radio.network.credentials import create_key
    run(_send(province, signed_bulletin(bulletin(), create_key("account"))))
    refused = wait_for(lambda: (rows := query(station.home, "SELECT * FROM link_refusals")) and len(rows) >= 2
                       and rows, timeout=30, interval=0.2)
    assert all("signature" in r["reason"] for r in refused)
    alerts = query(station.home, "SELECT * FROM integrity_alerts WHERE subject = 'province'")
    assert alerts and "refused" in alerts[0]["problem"]
    time.sleep(3)
    assert urgent_rows(station.home) == []
    assert query(station.home, "SELECT count(*) AS n FROM provincial_bulletins")[0]["n"] == 0


@pytest.mark.timeout(150)
def test_with_the_province_gone_the_station_airs_and_stops_promptly(tmp_path):
    """The servers killed under a connected station: its own slot airs and is queued for
    later, and a SIGTERM stops it within seconds (the link does not wait on a dead network)."""
    gone = start_province(tmp_path / "gone", stations=(CODE,))
    try:
        cli = quick_station(tmp_path / "home")
        cli.run("link", "join", "--credentials", str(gone.join(CODE)))
        cli.add_approved("Tin", "UBND xã thông báo lịch tiếp công dân.")
        proc = cli.start_station(f"file:{tmp_path / 'aired'}")
        try:
            wait_for(lambda: (state := query(cli.home, "SELECT value FROM station_state WHERE name = 'link'"))
                     and json.loads(state[0]["value"])["connected"], timeout=30)
            for index in range(3):
                gone.servers.kill(index)
            cli.one_off_slot(6)
            (row,) = wait_for(lambda: query(cli.home, "SELECT * FROM occurrences"), timeout=60)
            assert row["status"] == "aired"
            wait_for(lambda: query(cli.home, "SELECT * FROM link_outbox WHERE kind = 'proof'"), timeout=20)
            began = time.monotonic()
            output = stop(proc, timeout=15)
            assert time.monotonic() - began < 8, output
        finally:
            if proc.poll() is None:
                proc.kill()
        waiting = query(cli.home, "SELECT * FROM link_outbox WHERE kind = 'proof' AND published_at IS NULL")
        assert [json.loads(w["payload"])["entry"]["id"] for w in waiting] == [row["id"]]
    finally:
        gone.close()
