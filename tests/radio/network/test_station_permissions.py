"""A station's credentials against real nats-servers, written as the attacks.

Three servers from :func:`write_nats_configs` (a JetStream cluster, operator mode), the
streams and two stations' consumers made by the hub's user; then station AAA, with the join
file it was given, does what it may (publish its own proof, fetch its own bulletins) and
tries what it must not (read BBB's consumer, make a consumer of its own, listen on others'
subjects or inboxes, publish as BBB or as the province, read the streams through the API):
each is refused by the server and nothing reaches it. A station added after the servers
started connects without a change to them; with one server of three killed, the province
still sends and the station still fetches and publishes.
"""

import asyncio
import json
import shutil
import ssl
import time
import uuid

import nats
import nats.errors
import nats.js.errors
import pytest
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import ConsumerConfig

from radio.network import (
    DOWN_STREAM,
    MSG_ID_HEADER,
    UP_STREAM,
    Authority,
    Servers,
    consumer_name,
    down_subject,
    ensure_station_consumer,
    ensure_streams,
    free_base_port,
    inbox_prefix,
    read_join,
    station_down_filter,
    up_subject,
    write_nats_configs,
)
from radio.network.cluster import nats_server_binary
from tests.support.province import connect_hub, run, start_province
from tests.radio.network.test_cluster import self_signed

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(120),
    pytest.mark.skipif(nats_server_binary() is None,
                       reason="nats-server is not installed (Debian package nats-server; scripts/install.sh test installs it)"),
]

A, B = "AAA", "BBB"
#: how long a refused request waits before it counts as unanswered (the refusal itself comes at once)
REFUSED_WAIT = 1.0


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    province = start_province(tmp_path_factory.mktemp("province"), stations=(A, B))
    try:
        yield province
    finally:
        province.servers.close()


class Station:
    """A station's connection made from nothing but its join file, recording the server's refusals."""

    def __init__(self, path, *, with_inbox_prefix=True):
        self.path, self.join = path, read_join(path)
        self.with_inbox_prefix = with_inbox_prefix
        self.errors: list[str] = []
        self.nc = None
        self.down = None  # the pull subscription on its own consumer, made by drain()

    async def __aenter__(self):
        async def record(error):
            self.errors.append(str(error).lower())

        options = {"inbox_prefix": self.join.inbox_prefix} if self.with_inbox_prefix else {}
        # the join file itself is the credentials: nats-py reads its JWT and seed blocks
        self.nc = await nats.connect(list(self.join.servers), user_credentials=str(self.path), error_cb=record,
                                     connect_timeout=5, reconnect_time_wait=0.2, max_reconnect_attempts=-1,
                                     **options)
        self.js = self.nc.jetstream(timeout=5)
        return self

    async def __aexit__(self, *exc):
        await self.nc.close()

    @property
    def violations(self) -> list[str]:
        return [error for error in self.errors if "permissions violation" in error]

    async def refused(self, what: str, subject: str, timeout: float = 5.0) -> bool:
        """Whether the server said this connection may not ``what`` (publish / subscription) ``subject``."""
        wanted = f'permissions violation for {what} to "{subject}"'.lower()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(wanted in error for error in self.errors):
                return True
            await asyncio.sleep(0.02)
        return False


async def drain(station, code, *, want=None, batch=20, deadline=45.0):
    """Fetch and ack what ``code``'s consumer holds (until ``want`` is among it); the payloads.

    One pull subscription per connection, kept: a fetch that timed out can leave its pull
    request waiting on the server, and what it catches then comes to this same inbox. A
    message caught by a pull of a closed connection comes back after the consumer's ack wait
    (30 s), hence a deadline past it when a message is wanted.
    """
    if station.down is None:
        station.down = await station.js.pull_subscribe_bind(consumer_name(code), stream=DOWN_STREAM)
    seen = []
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            messages = await station.down.fetch(batch, timeout=1)
        except asyncio.TimeoutError:  # nats-py raises its own subclass or asyncio's bare one
            messages = []
        for message in messages:
            await message.ack_sync()  # the server has it when this returns
            seen.append(message.data)
        if (want is None and not messages) or (want is not None and want in seen):
            break
    return seen


async def subject_count(js, stream, subject):
    info = await js.stream_info(stream, subjects_filter=subject)
    return (info.state.subjects or {}).get(subject, 0)


def payload(tag):
    return json.dumps({"tag": tag, "nonce": uuid.uuid4().hex}).encode()


# --- what a station may do ---------------------------------------------------------------

def test_a_station_publishes_its_own_proof_and_a_republish_with_the_same_id_is_stored_once(province):
    async def scenario():
        hub = await connect_hub(province)
        hub_js = hub.jetstream()
        async with Station(province.join(A)) as station:
            subject = up_subject(A, "proof")
            before = await subject_count(hub_js, UP_STREAM, subject)
            body, entry_id = payload("proof"), f"{A}-proof-{uuid.uuid4().hex}"
            first = await station.js.publish(subject, body, headers={MSG_ID_HEADER: entry_id})
            again = await station.js.publish(subject, body, headers={MSG_ID_HEADER: entry_id})
            assert first.stream == UP_STREAM and not first.duplicate
            assert again.duplicate and again.seq == first.seq
            assert await subject_count(hub_js, UP_STREAM, subject) == before + 1
            stored = await hub_js.get_msg(UP_STREAM, first.seq)
            assert stored.data == body and stored.headers[MSG_ID_HEADER] == entry_id
            for kind in ("heartbeat", "ack"):
                assert (await station.js.publish(up_subject(A, kind), payload(kind))).stream == UP_STREAM
            assert station.violations == []
        await hub.close()

    run(scenario())


def test_a_station_fetches_and_acks_its_own_bulletins(province):
    async def scenario():
        hub = await connect_hub(province)
        mine = payload("for AAA")
        await hub.jetstream().publish(down_subject(A, "bulletin"), mine, headers={MSG_ID_HEADER: uuid.uuid4().hex})
        async with Station(province.join(A)) as station:
            # nats-py's pull_subscribe asks for the consumer's info before it binds: allowed
            sub = await station.js.pull_subscribe(station_down_filter(A), durable=consumer_name(A), stream=DOWN_STREAM)
            info = await sub.consumer_info()
            assert info.name == consumer_name(A) and info.num_pending >= 1
            await sub.unsubscribe()
            assert mine in await drain(station, A, want=mine)
            assert station.violations == []
        info = await hub.jetstream().consumer_info(DOWN_STREAM, consumer_name(A))
        assert info.num_ack_pending == 0
        await hub.close()

    run(scenario())


# --- what it must not ----------------------------------------------------------------------

def test_a_station_cannot_fetch_another_stations_bulletins(province):
    async def scenario():
        hub = await connect_hub(province)
        hub_js = hub.jetstream()
        secret = payload("for BBB only")
        await hub_js.publish(down_subject(B, "bulletin"), secret)
        async with Station(province.join(A)) as station:
            sub = await station.js.pull_subscribe_bind(consumer_name(B), stream=DOWN_STREAM)
            with pytest.raises(asyncio.TimeoutError):
                await sub.fetch(1, timeout=REFUSED_WAIT)
            assert await station.refused("publish", f"$JS.API.CONSUMER.MSG.NEXT.{DOWN_STREAM}.{consumer_name(B)}")
            assert sub.delivered == 0
            # nor the consumer's info (what is pending for B, its subjects)
            with pytest.raises(NatsTimeout):
                await station.js.consumer_info(DOWN_STREAM, consumer_name(B), timeout=REFUSED_WAIT)
            assert await station.refused("publish", f"$JS.API.CONSUMER.INFO.{DOWN_STREAM}.{consumer_name(B)}")
        # nothing was delivered to anyone: BBB's message waits for BBB, which gets it
        info = await hub_js.consumer_info(DOWN_STREAM, consumer_name(B))
        assert info.num_ack_pending == 0 and info.num_pending >= 1
        async with Station(province.join(B)) as other:
            assert secret in await drain(other, B, want=secret)
        await hub.close()

    run(scenario())


@pytest.mark.parametrize("config", [
    ConsumerConfig(durable_name="spy", name="spy", filter_subject=station_down_filter(B)),
    ConsumerConfig(durable_name="spy", name="spy", filter_subject="radio.down.>"),
    ConsumerConfig(filter_subject=station_down_filter(B)),  # ephemeral
    # rewriting its own consumer's filter to see every station's messages
    ConsumerConfig(durable_name=consumer_name(A), name=consumer_name(A), filter_subject="radio.down.>"),
], ids=["durable-on-B", "durable-on-all", "ephemeral-on-B", "own-consumer-widened"])
def test_a_station_cannot_make_or_change_a_consumer(province, config):
    async def scenario():
        hub = await connect_hub(province)
        hub_js = hub.jetstream()
        before = {c.name: c.config.filter_subject for c in await hub_js.consumers_info(DOWN_STREAM)}
        async with Station(province.join(A)) as station:
            with pytest.raises(NatsTimeout):
                await station.js.add_consumer(DOWN_STREAM, config, timeout=REFUSED_WAIT)
            assert any("permissions violation for publish to \"$js.api.consumer." in e for e in station.errors)
            # the legacy creation subjects too
            for subject in (f"$JS.API.CONSUMER.DURABLE.CREATE.{DOWN_STREAM}.spy", f"$JS.API.CONSUMER.CREATE.{DOWN_STREAM}"):
                request = json.dumps({"stream_name": DOWN_STREAM, "config": config.as_dict()}).encode()
                with pytest.raises(NatsTimeout):
                    await station.nc.request(subject, request, timeout=REFUSED_WAIT)
                assert await station.refused("publish", subject)
        after = {c.name: c.config.filter_subject for c in await hub_js.consumers_info(DOWN_STREAM)}
        assert after == before
        assert after[consumer_name(A)] == station_down_filter(A)
        await hub.close()

    run(scenario())


@pytest.mark.parametrize("subject", ["radio.down.>", f"radio.down.{B}.>", "radio.up.>", "_INBOX.>",
                                     f"{inbox_prefix(B)}.>", "$JS.ACK.>", ">"])
def test_a_station_cannot_listen_to_others_subjects_or_inboxes(province, subject):
    async def scenario():
        hub = await connect_hub(province)
        async with Station(province.join(A)) as station, Station(province.join(B)) as other:
            overheard = []

            async def keep(message):
                overheard.append(message.subject)

            await station.nc.subscribe(subject, cb=keep)
            await station.nc.flush()
            assert await station.refused("subscription", subject)
            # traffic on every such subject: a bulletin for B, B's publish (its ack comes to B's inbox),
            # the hub's own request (its reply comes to _INBOX), B fetching its consumer
            await hub.jetstream().publish(down_subject(B, "bulletin"), payload("for BBB"))
            await other.js.publish(up_subject(B, "heartbeat"), payload("BBB beat"))
            await hub.jetstream().stream_info(UP_STREAM)
            await drain(other, B)
            await asyncio.sleep(0.3)
            assert overheard == []
        await hub.close()

    run(scenario())


@pytest.mark.parametrize("subject", [up_subject(B, "proof"), up_subject(B, "ack"), down_subject(A, "bulletin"),
                                     down_subject(B, "bulletin")],
                         ids=["as-B-proof", "as-B-ack", "as-province-to-itself", "as-province-to-B"])
def test_a_station_cannot_publish_as_another_station_or_as_the_province(province, subject):
    async def scenario():
        hub = await connect_hub(province)
        hub_js = hub.jetstream()
        stream = UP_STREAM if subject.startswith("radio.up.") else DOWN_STREAM
        before = await subject_count(hub_js, stream, subject)
        async with Station(province.join(A)) as station:
            with pytest.raises(NatsTimeout):
                await station.js.publish(subject, payload("forged"), timeout=REFUSED_WAIT)
            await station.nc.publish(subject, payload("forged, no reply"))
            await station.nc.flush()
            assert await station.refused("publish", subject)
        await asyncio.sleep(0.2)
        assert await subject_count(hub_js, stream, subject) == before
        await hub.close()

    run(scenario())


@pytest.mark.parametrize("subject, body", [
    (f"$JS.API.STREAM.MSG.GET.{DOWN_STREAM}", {"last_by_subj": down_subject(B, "bulletin")}),
    (f"$JS.API.STREAM.MSG.GET.{UP_STREAM}", {"seq": 1}),
    (f"$JS.API.DIRECT.GET.{DOWN_STREAM}", {"last_by_subj": down_subject(B, "bulletin")}),
    (f"$JS.API.STREAM.INFO.{DOWN_STREAM}", {"subjects_filter": "radio.down.>"}),
    ("$JS.API.STREAM.NAMES", {}),
    ("$JS.API.INFO", {}),
    (f"$JS.API.CONSUMER.LIST.{DOWN_STREAM}", {}),
    (f"$JS.API.CONSUMER.DELETE.{DOWN_STREAM}.{consumer_name(B)}", {}),
    (f"$JS.API.STREAM.PURGE.{DOWN_STREAM}", {"filter": station_down_filter(B)}),
    (f"$JS.API.STREAM.MSG.DELETE.{UP_STREAM}", {"seq": 1}),
    (f"$JS.API.STREAM.DELETE.{UP_STREAM}", {}),
    (f"$JS.ACK.{DOWN_STREAM}.{consumer_name(B)}.1.1.1.1.0", {}),
    ("$SYS.REQ.SERVER.PING", {}),
], ids=lambda v: v if isinstance(v, str) else "")
def test_a_station_cannot_read_or_manage_the_streams_through_the_api(province, subject, body):
    async def scenario():
        hub = await connect_hub(province)
        hub_js = hub.jetstream()
        async with Station(province.join(A)) as station:
            with pytest.raises(NatsTimeout):
                await station.nc.request(subject, json.dumps(body).encode(), timeout=REFUSED_WAIT)
            assert await station.refused("publish", subject)
        # both streams and B's consumer are as they were
        assert {(await hub_js.stream_info(name)).config.name for name in (DOWN_STREAM, UP_STREAM)} == {DOWN_STREAM,
                                                                                                     UP_STREAM}
        assert (await hub_js.consumer_info(DOWN_STREAM, consumer_name(B))).name == consumer_name(B)
        await hub.close()

    run(scenario())


def test_a_station_on_the_shared_inbox_gets_no_replies(province):
    """Without its own inbox prefix a station's replies would come on ``_INBOX.>``, which it may not
    read: the link must connect with ``inbox_prefix`` (the join file gives it)."""
    async def scenario():
        async with Station(province.join(A), with_inbox_prefix=False) as station:
            with pytest.raises(NatsTimeout):
                await station.js.publish(up_subject(A, "heartbeat"), payload("beat"), timeout=REFUSED_WAIT)
            assert any('permissions violation for subscription to "_inbox.' in e for e in station.errors)

    run(scenario())


# --- a province that changes ---------------------------------------------------------------

def test_a_station_added_after_the_servers_started_connects_without_touching_them(province):
    code = f"NEW{uuid.uuid4().hex[:6].upper()}"
    pids = [p.pid for p in province.servers.processes]

    async def scenario():
        hub = await connect_hub(province)
        hub_js = hub.jetstream()
        await ensure_station_consumer(hub_js, code)
        await ensure_station_consumer(hub_js, code)  # asking again changes nothing
        welcome = payload(f"welcome {code}")
        await hub_js.publish(down_subject(code, "bulletin"), welcome)
        async with Station(province.join(code)) as station:
            ack = await station.js.publish(up_subject(code, "proof"), payload("first entry"))
            assert ack.stream == UP_STREAM
            assert await drain(station, code, want=welcome) == [welcome]
            assert station.violations == []
        await hub.close()

    run(scenario())
    assert [s.path.read_bytes() for s in province.layout] == list(province.configs.values())
    assert [p.pid for p in province.servers.processes] == pids and len(province.servers.running()) == 3


def test_streams_and_consumers_are_made_idempotently(province):
    async def scenario():
        hub = await connect_hub(province)
        js = hub.jetstream()
        before = await js.consumer_info(DOWN_STREAM, consumer_name(A))
        await ensure_streams(js, replicas=3)
        info = await ensure_station_consumer(js, A)
        assert (info.delivered.stream_seq, info.ack_floor.stream_seq) == (before.delivered.stream_seq,
                                                                          before.ack_floor.stream_seq)
        for name in (DOWN_STREAM, UP_STREAM):
            stream = await js.stream_info(name)
            assert stream.config.num_replicas == 3 and len(stream.cluster.replicas or []) == 2
        await hub.close()

    run(scenario())


def test_the_cluster_starts_within_seconds(province):
    # recorded for the report: start to a meta leader and every server healthy
    print(f"3-server cluster ready in {province.started_in:.2f} s")
    assert province.started_in < 30


def test_with_one_server_of_three_killed_the_province_sends_and_the_station_fetches_and_publishes(tmp_path):
    province = start_province(tmp_path, stations=(A,))
    try:
        async def before_the_kill():
            hub = await connect_hub(province)
            early = payload("sent before the kill")
            await hub.jetstream().publish(down_subject(A, "bulletin"), early)
            leader = (await hub.jetstream().stream_info(DOWN_STREAM)).cluster.leader
            await hub.close()
            return early, leader

        early, leader = run(before_the_kill())
        # the worst one to lose: the server leading RADIO_DOWN
        province.servers.kill([s.name for s in province.layout].index(leader))
        assert len(province.servers.running()) == 2

        async def retried(action, deadline=30.0):
            """A link retries until JetStream has a new leader; how long that took is part of the answer."""
            end = time.monotonic() + deadline
            while True:
                try:
                    return await action()
                except (NatsTimeout, nats.errors.NoRespondersError, nats.js.errors.NoStreamResponseError,
                        nats.js.errors.APIError):
                    if time.monotonic() > end:
                        raise
                    await asyncio.sleep(0.2)

        async def after_the_kill():
            hub = await connect_hub(province)
            hub_js = hub.jetstream()
            late = payload("sent after the kill")
            began = time.monotonic()
            await retried(lambda: hub_js.publish(down_subject(A, "bulletin"), late, timeout=2))
            print(f"first send after the kill acknowledged in {time.monotonic() - began:.2f} s")
            async with Station(province.join(A)) as station:
                got = []

                async def fetch_both():
                    got.extend(await drain(station, A, want=late))
                    if late not in got:
                        raise NatsTimeout
                    return got

                await retried(fetch_both)
                assert early in got and late in got
                ack = await retried(lambda: station.js.publish(up_subject(A, "proof"), payload("entry"), timeout=2,
                                                               headers={MSG_ID_HEADER: "after-kill-1"}))
                assert ack.stream == UP_STREAM
                assert station.violations == []
            stream = await hub_js.stream_info(UP_STREAM)
            assert stream.state.messages >= 1 and stream.cluster.leader != leader
            await hub.close()

        run(after_the_kill())
        # and back: the killed server rejoins the cluster
        province.servers.start([s.name for s in province.layout].index(leader))
        province.servers.wait_ready(timeout=60)
        assert len(province.servers.running()) == 3
    finally:
        province.servers.close()


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_a_station_joins_over_tls_with_its_join_file(tmp_path):
    cert, key = self_signed(tmp_path)
    authority = Authority.create(tmp_path / "keys")
    layout = write_nats_configs(authority, servers=1, base_port=free_base_port(1), dir=tmp_path / "nats",
                                tls_cert=cert, tls_key=key)
    trust = ssl.create_default_context(cafile=str(cert))
    with Servers(layout) as servers:
        async def scenario():
            hub = await nats.connect(servers.urls, user_credentials=str(authority.hub_creds_path), tls=trust)
            await ensure_streams(hub.jetstream(), replicas=1)
            await ensure_station_consumer(hub.jetstream(), A)
            path = tmp_path / f"{A}.creds"
            path.write_text(authority.join_file(A, servers.urls))
            join = read_join(path)
            assert join.servers[0].startswith("tls://")
            station = await nats.connect(list(join.servers), user_credentials=str(path), tls=trust,
                                         inbox_prefix=join.inbox_prefix, connect_timeout=5)
            assert (await station.jetstream().publish(up_subject(A, "heartbeat"), b"{}")).stream == UP_STREAM
            await station.close()
            # a client that does not trust the province's certificate does not connect
            with pytest.raises(ssl.SSLCertVerificationError):
                await nats.connect(servers.urls, user_credentials=str(path), connect_timeout=2,
                                   max_reconnect_attempts=0, allow_reconnect=False)
            await hub.close()

        run(scenario())
