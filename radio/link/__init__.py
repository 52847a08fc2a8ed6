"""The station's side of the province network (NATS JetStream).

- :mod:`.joining`: the join file the hub wrote, kept in the data directory;
- :mod:`.inbox`: provincial bulletins taken in once, by class (khẩn cấp on air at once,
  ưu tiên into the next programmes, thông thường waiting for the officer);
- :mod:`.outbox`: everything going up (proof entries, acknowledgements, heartbeats),
  durable in the station's SQLite, published in order with dedupe ids;
- :mod:`.runner`: the :class:`Link` thread beside the daemon.
"""

from radio.link.joining import join, join_path, joined
from radio.link.runner import Link, link_state

__all__ = ["Link", "join", "join_path", "joined", "link_state"]
