"""The streams' and a station consumer's configuration: what must not be lost is on disk in
replicas, dedupe has a window, and a station's consumer sees its own subjects only."""

from nats.js.api import AckPolicy, DeliverPolicy, StorageType

from radio.network import streams


def test_both_streams_are_file_backed_replicated_and_dedupe_for_two_hours():
    down, up = streams.stream_configs(3)
    assert (down.name, down.subjects, up.name, up.subjects) == ("RADIO_DOWN", ["radio.down.>"],
                                                                "RADIO_UP", ["radio.up.>"])
    for config in (down, up):
        assert config.storage == StorageType.FILE and config.num_replicas == 3
        assert config.duplicate_window == 2 * 3600
        assert config.max_age == 400 * 24 * 3600
    assert up.deny_delete and up.deny_purge


def test_replicas_follow_the_servers_up_to_three():
    assert [streams.replicas_for(n) for n in (1, 2, 3, 5)] == [1, 2, 3, 3]


def test_a_station_consumer_is_durable_explicit_ack_unlimited_redelivery_on_its_own_subjects():
    config = streams.station_consumer_config("XA01")
    assert config.durable_name == config.name == "station-XA01"
    assert config.filter_subject == "radio.down.XA01.>"
    assert config.ack_policy == AckPolicy.EXPLICIT and config.deliver_policy == DeliverPolicy.ALL
    assert config.max_deliver == -1 and config.ack_wait == 30
    assert config.deliver_subject is None  # pull
