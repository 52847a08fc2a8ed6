"""The projection applied message by message: deliveries, entries, heartbeats and alerts, each
message once, and the same rows when the streams are applied again from their start."""

from datetime import timedelta

import pytest

from radio.hub import Message, apply_down, apply_up, status
from radio.hub.projection import clear, last_seq
from radio.hub.schema import PROJECTION_TABLES
from radio.network.subjects import down_subject, up_subject
from tests.support.station_log import T0, FakeLog, ack, aired, heartbeat, proof

pytestmark = pytest.mark.timeout(30)


class Streams:
    """RADIO_UP and RADIO_DOWN as lists of messages, applied to a hub's projection."""

    def __init__(self, hub):
        self.hub, self.up, self.down = hub, [], []

    def send_up(self, code, kind, data, *, msg_id=None):
        message = Message(up_subject(code, kind), data, seq=len(self.up) + 1,
                          at=f"2026-12-08T01:{len(self.up):02d}:00.000+00:00",
                          msg_id=msg_id or f"{code}.{kind}.{len(self.up) + 1}")
        self.up.append(message)
        return apply_up(self.hub.db, message)

    def replay_all(self):
        clear(self.hub.db)
        for message in self.down:
            apply_down(self.hub.db, message)
        for message in self.up:
            apply_up(self.hub.db, message)


def snapshot(db):
    """The projection's rows (an alert's row id is only the order it was raised in)."""
    found = {table: list(db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()) for table in PROJECTION_TABLES
             if table not in ("marks", "alerts")}
    found["alerts"] = list(db.execute("SELECT station, kind, entry_id, detail, ref, stream, seq, at FROM alerts "
                                      "ORDER BY stream, seq, ref").fetchall())
    return found


def alerts(db):
    return [(r[0], r[1], r[2]) for r in db.execute("SELECT station, kind, entry_id FROM alerts ORDER BY seq, id")]


@pytest.fixture
def streams(hub, stations):
    return Streams(hub)


def test_a_chain_sent_in_order_is_held_with_its_head_and_no_alert(streams, hub):
    log = FakeLog("XA01")
    for _ in range(3):
        assert streams.send_up("XA01", "proof", proof(log.append())) == "applied"
    head = hub.db.execute("SELECT entries, last_id, head_hash FROM chains WHERE station = 'XA01'").fetchone()
    assert head == (3, 3, log.head)
    assert [r[0] for r in hub.db.execute("SELECT verdict FROM station_entries ORDER BY id")] == ["ok"] * 3
    assert alerts(hub.db) == []
    chain = next(s for s in status(hub, now=T0)["stations"] if s["code"] == "XA01")["chain"]
    assert chain == {"entries": 3, "last_id": 3, "head_hash": log.head, "alerts": 0, "verified": True}


def test_a_message_seen_again_changes_nothing(streams, hub):
    """The same message id stored again after JetStream's dedupe window (a later sequence), an
    entry sent twice by another message, an acknowledgement and a heartbeat repeated."""
    log = FakeLog("XA01")
    first = proof(log.append())
    streams.send_up("XA01", "proof", first, msg_id="XA01.proof.1")
    streams.send_up("XA01", "ack", ack("P-20261208-0001", "received"), msg_id="XA01.ack.2")
    streams.send_up("XA01", "heartbeat", heartbeat(T0), msg_id="XA01.heartbeat.3")
    before = snapshot(hub.db)
    assert streams.send_up("XA01", "proof", first, msg_id="XA01.proof.1") == "duplicate"
    assert streams.send_up("XA01", "proof", first, msg_id="XA01.proof.9") == "duplicate"
    assert streams.send_up("XA01", "ack", ack("P-20261208-0001", "received"), msg_id="XA01.ack.2") == "duplicate"
    assert streams.send_up("XA01", "heartbeat", heartbeat(T0), msg_id="XA01.heartbeat.3") == "duplicate"
    assert snapshot(hub.db) == before
    # a message the consumer delivers again (same sequence) is skipped before it is read
    assert apply_up(hub.db, streams.up[0]) == "seen" and last_seq(hub.db, "RADIO_UP") == len(streams.up)


def test_an_edited_entry_raises_an_alert_naming_the_station_and_the_entry(streams, hub):
    log = FakeLog("XA02")
    streams.send_up("XA02", "proof", proof(log.append()))
    streams.send_up("XA02", "proof", proof(log.append(), status="aired", seconds_played=600.0))
    streams.send_up("XA02", "proof", proof(log.append()))
    assert alerts(hub.db) == [("XA02", "edit", 2)]
    detail = hub.db.execute("SELECT detail FROM alerts").fetchone()[0]
    assert detail.startswith("entry 2's content does not match its hash")
    # the chain goes on from the hash the station logged: entry 3 follows it without a second alert
    assert hub.db.execute("SELECT last_id, entries FROM chains WHERE station = 'XA02'").fetchone() == (3, 3)
    station = next(s for s in status(hub, now=T0)["stations"] if s["code"] == "XA02")
    assert station["chain"]["alerts"] == 1 and not station["chain"]["verified"]


def test_a_gap_and_a_fork_each_raise_one_alert(streams, hub):
    log = FakeLog("XA01")
    streams.send_up("XA01", "proof", proof(log.append()))
    streams.send_up("XA01", "proof", proof(log.append(skip=1)))  # entry 2 never sent
    other = FakeLog("XA01")  # another history of the same station
    other.append(title="Khác")
    streams.send_up("XA01", "proof", proof(other.entries[0]))
    streams.send_up("XA01", "proof", proof(other.entries[0]))  # the fork again: no second alert
    assert alerts(hub.db) == [("XA01", "gap", 3), ("XA01", "fork", 1)]
    kept = hub.db.execute("SELECT hash FROM station_entries WHERE station = 'XA01' AND id = 1").fetchone()[0]
    assert kept == log.entries[0][0]["hash"]  # the first copy stays


def test_a_message_that_is_not_one_is_an_alert_and_the_stream_goes_on(streams, hub):
    assert streams.send_up("XA03", "proof", b"not json") == "bad"
    assert streams.send_up("XA03", "proof", b'{"entry": {"id": "one"}}') == "bad"
    assert streams.send_up("XA03", "ack", b'{"bulletin_id": "P-1", "state": "eaten", "at": "x"}') == "bad"
    assert streams.send_up("XA03", "heartbeat", b'{"at": "yesterday"}') == "bad"
    assert [a[1] for a in alerts(hub.db)] == ["bad-message"] * 4
    assert streams.send_up("XA03", "proof", proof(FakeLog("XA03").append())) == "applied"


def test_acknowledgements_follow_a_bulletin_at_a_station_to_its_entry(streams, hub):
    log = FakeLog("XA01")
    entry = log.append()
    streams.send_up("XA01", "ack", ack("P-20261208-0001", "received", T0))
    streams.send_up("XA01", "ack", ack("P-20261208-0001", "scheduled", T0 + timedelta(seconds=5),
                                       scheduled_for="2026-12-08T04:00:00.000+00:00"))
    streams.send_up("XA01", "proof", proof(entry))
    streams.send_up("XA01", "ack", aired("P-20261208-0001", entry, T0 + timedelta(minutes=3)))
    row = hub.db.execute("SELECT received_at, scheduled_at, scheduled_for, state FROM deliveries").fetchone()
    assert row == ("2026-12-08T01:00:00.000+00:00", "2026-12-08T01:00:05.000+00:00",
                   "2026-12-08T04:00:00.000+00:00", "aired")
    outcome = hub.db.execute("SELECT state, entry_id, entry_hash FROM acks WHERE state = 'aired'").fetchone()
    assert outcome == ("aired", 1, entry[0]["hash"])


def test_a_heartbeat_keeps_the_latest_and_says_online_for_three_minutes(streams, hub):
    streams.send_up("XA01", "heartbeat", heartbeat(T0 + timedelta(minutes=1), outbox_waiting=4))
    streams.send_up("XA01", "heartbeat", heartbeat(T0))  # an older one, arriving late
    found = {s["code"]: s for s in status(hub, now=T0 + timedelta(minutes=4))["stations"]}
    assert found["XA01"]["last_heartbeat"] == "2026-12-08T01:01:00.000+00:00"
    assert found["XA01"]["heartbeat"]["outbox_waiting"] == 4 and found["XA01"]["online"]
    assert not {s["code"]: s for s in status(hub, now=T0 + timedelta(minutes=4, seconds=1))["stations"]}["XA01"]["online"]
    assert not found["XA02"]["online"] and found["XA02"]["last_heartbeat"] is None


def test_the_streams_applied_again_from_their_start_give_the_same_projection(streams, hub):
    log = FakeLog("XA01")
    streams.down.append(Message(down_subject("XA01", "bulletin"), b'{"bulletin": {}}', seq=1))
    for kind, data in [("heartbeat", heartbeat(T0)), ("proof", proof(log.append())),
                       ("ack", aired("P-20261208-0001", log.entries[0])), ("proof", proof(log.append(), reason="x")),
                       ("proof", proof(log.append(skip=2))), ("heartbeat", heartbeat(T0 + timedelta(minutes=2)))]:
        streams.send_up("XA01", kind, data)
    apply_down(hub.db, streams.down[0])
    before, shown = snapshot(hub.db), status(hub, now=T0)
    streams.replay_all()
    assert snapshot(hub.db) == before and status(hub, now=T0) == shown
