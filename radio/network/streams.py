"""The province's two JetStream streams and each station's consumer, made with nats-py; idempotent.

Both streams keep messages on disk (file storage) on ``replicas`` servers (3 in a
three-server cluster: any one may die and nothing is lost) under limits retention:

==============  =================  ==========================================================
stream          subjects           limits
==============  =================  ==========================================================
``RADIO_DOWN``  ``radio.down.>``   400 days (:data:`MAX_AGE`): the hub rebuilds its state
                                   from the streams, so they hold a year of sends and more
``RADIO_UP``    ``radio.up.>``     400 days; no deletes or purges of single messages
                                   (``deny_delete``, ``deny_purge``): the proof's custody
==============  =================  ==========================================================

Both dedupe on ``Nats-Msg-Id`` within :data:`DUPLICATE_WINDOW` (2 hours): a message
republished after a lost acknowledgement is stored once. A republish later than the
window is stored again, so the hub's projection is idempotent by the message's own id as
well. A message's size is bounded by the servers' ``max_payload`` (1 MB by default).

A station's consumer (:func:`ensure_station_consumer`) is a durable pull consumer on
RADIO_DOWN named ``station-<CODE>`` filtered on ``radio.down.<CODE>.>``: explicit acks,
redelivered after :data:`ACK_WAIT` without one, as often as it takes (no max deliver), so a
station offline for days finds everything sent to it when it comes back.
"""

from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    ConsumerInfo,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import NotFoundError

from radio.network.subjects import (
    DOWN_STREAM,
    DOWN_SUBJECTS,
    UP_STREAM,
    UP_SUBJECTS,
    consumer_name,
    station_down_filter,
)

DAY = 24 * 3600.0
MAX_AGE = 400 * DAY
DUPLICATE_WINDOW = 2 * 3600.0
ACK_WAIT = 30.0
#: the fields :func:`ensure_streams` owns: an existing stream differing in one of them is updated
MANAGED = ("subjects", "storage", "num_replicas", "duplicate_window", "max_age", "retention", "discard",
           "deny_delete", "deny_purge")


def replicas_for(servers: int) -> int:
    """Replicas for a cluster of ``servers``: every server up to three (JetStream's useful maximum)."""
    return max(1, min(3, servers))


def stream_configs(replicas: int) -> list[StreamConfig]:
    common = dict(storage=StorageType.FILE, num_replicas=replicas, duplicate_window=DUPLICATE_WINDOW,
                  max_age=MAX_AGE, retention=RetentionPolicy.LIMITS, discard=DiscardPolicy.OLD)
    return [
        StreamConfig(name=DOWN_STREAM, description="hub to station: one message per target station",
                     subjects=[DOWN_SUBJECTS], **common),
        StreamConfig(name=UP_STREAM, description="station to hub: proof entries, heartbeats, acknowledgements",
                     subjects=[UP_SUBJECTS], deny_delete=True, deny_purge=True, **common),
    ]


def _differs(have: StreamConfig, want: StreamConfig) -> bool:
    return any(getattr(have, field) != getattr(want, field) for field in MANAGED)


async def ensure_streams(js: JetStreamContext, replicas: int) -> None:
    """Create RADIO_DOWN and RADIO_UP with ``replicas`` replicas, or bring existing ones to this layout."""
    for config in stream_configs(replicas):
        try:
            info = await js.stream_info(config.name)
        except NotFoundError:
            await js.add_stream(config)
            continue
        if _differs(info.config, config):
            await js.update_stream(config)


def station_consumer_config(code: str) -> ConsumerConfig:
    name = consumer_name(code)
    return ConsumerConfig(name=name, durable_name=name, filter_subject=station_down_filter(code),
                          deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.EXPLICIT,
                          ack_wait=ACK_WAIT, max_deliver=-1)


async def ensure_station_consumer(js: JetStreamContext, code: str) -> ConsumerInfo:
    """Station ``code``'s durable pull consumer on RADIO_DOWN (the hub's to make, when it adds the station).

    Asking again for an existing consumer with the same configuration returns it unchanged
    (its delivered and acknowledged positions kept).
    """
    return await js.add_consumer(DOWN_STREAM, station_consumer_config(code))
