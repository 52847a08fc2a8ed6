"""The station's side of the province network (NATS JetStream).

- :mod:`.joining`: the join file the hub wrote, kept in the data directory;
- :mod:`.inbox`: provincial bulletins taken in once, by class (khẩn cấp on air at once,
  ưu tiên into the next programmes, thông thường waiting for the officer);
- :mod:`.outbox`: everything going up (proof entries, acknowledgements, heartbeats),
  durable in the station's SQLite, published in order with dedupe ids;
- :mod:`.runner`: the :class:`Link` thread beside the daemon (imported on first use:
  the NATS client stays out of a station that has not joined, and out of the admin);
- :mod:`.state`: what the running link last noted.
"""

from radio.link.joining import join, join_path, joined
from radio.link.state import link_state

__all__ = ["Link", "join", "join_path", "joined", "link_state"]


def __getattr__(name: str):
    if name == "Link":
        from radio.link.runner import Link  # lazily: the NATS client only where a link runs

        return Link
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
