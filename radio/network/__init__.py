"""The province network's shared parts: what the hub (:mod:`radio.hub`) and a station's link (:mod:`radio.link`) both stand on.

- :mod:`.subjects`: the layout, one home for every name: the streams ``RADIO_DOWN`` and
  ``RADIO_UP``, each station's subjects, consumer and inbox prefix, station codes, and the
  exact permissions a station's credentials carry;
- :mod:`.credentials`: NATS decentralised authorisation: the province's :class:`Authority`
  (operator, system and province accounts, the hub's user, the bulletin signing key),
  station users, ``.creds`` files and the join file a station receives;
- :mod:`.signing`: the province's Ed25519 signature over a bulletin's canonical bytes;
- :mod:`.cluster`: the servers' configuration files (a JetStream cluster) and :class:`Servers`,
  which runs them for tests, benchmarks and the demo;
- :mod:`.streams`: creating the two streams and a station's consumer (nats-py, idempotent).

Imports nothing of ours but :mod:`radio.errors`.
"""

from radio.network.cluster import ServerConfig, Servers, ServersError, free_base_port, write_nats_configs
from radio.network.credentials import (
    Authority,
    Join,
    StationUser,
    format_creds,
    format_join,
    read_creds,
    read_join,
    write_private,
)
from radio.network.signing import canonical, sign, verify
from radio.network.subjects import (
    DOWN_STREAM,
    MSG_ID_HEADER,
    UP_KINDS,
    UP_STREAM,
    consumer_name,
    down_subject,
    inbox_prefix,
    normalise_code,
    parse_subject,
    station_down_filter,
    station_permissions,
    up_subject,
    validate_code,
)

__all__ = [
    "DOWN_STREAM", "MSG_ID_HEADER", "UP_KINDS", "UP_STREAM",
    "Authority", "Join", "ServerConfig", "Servers", "ServersError", "StationUser",
    "canonical", "consumer_name", "down_subject", "ensure_station_consumer", "ensure_streams",
    "format_creds", "format_join", "free_base_port", "inbox_prefix", "normalise_code", "parse_subject",
    "read_creds", "read_join", "replicas_for", "sign", "station_down_filter", "station_permissions", "up_subject",
    "validate_code", "verify", "write_nats_configs", "write_private",
]



#: in :mod:`.streams`, which needs the NATS client: imported on first use, so what only
#: reads or checks messages (the admin's pages, the CLI) does not load it
_STREAMS = ("ensure_station_consumer", "ensure_streams", "replicas_for")


def __getattr__(name: str):
    if name in _STREAMS:
        from radio.network import streams  # lazily: see _STREAMS

        return getattr(streams, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
