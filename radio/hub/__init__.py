"""The province's side of the network (``radio hub ...``), in a data directory of its own.

- :mod:`.home`, :mod:`.hub`: the hub's directory (``RADIO_HUB_HOME``), ``hub.db``, the
  province's authority (:mod:`radio.network.credentials`) and the servers' addresses;
- :mod:`.schema`: ``hub.db``'s migrations: the hub's own records and the projection;
- :mod:`.stations`: registering communes, each with its join file;
- :mod:`.bulletins`: provincial bulletins written, imported, approved; their targets;
- :mod:`.sending`: one signed copy per station, each acknowledged by JetStream, the rest
  sent on the next try;
- :mod:`.servers`: connecting to the NATS servers, the streams and consumers;
- :mod:`.chain`: a station's proof chain checked entry by entry;
- :mod:`.projection`: the hub's state computed from the streams, message by message;
- :mod:`.consuming`: the hub's consumer, ``serve``, ``apply_pending`` and ``rebuild``;
- :mod:`.status`: each station and each bulletin at each station, as one dict.

Stands on everything of ``radio`` but the CLI (which alone may import the web admin).
"""

from radio.hub.bulletins import Targets, approve, write_bulletin
from radio.hub.consuming import HUB_CONSUMER, apply_pending, rebuild, serve, serve_forever
from radio.hub.home import HubHome, default_hub_home, hub_home
from radio.hub.hub import Hub, HubLockedError, init_hub, open_hub, parse_servers
from radio.hub.projection import Message, apply_down, apply_up
from radio.hub.sending import SendReport, send
from radio.hub.servers import HubUnreachableError
from radio.hub.stations import add_station, list_stations
from radio.hub.status import status

__all__ = [
    "HUB_CONSUMER", "Hub", "HubHome", "HubLockedError", "HubUnreachableError", "Message", "SendReport", "Targets",
    "add_station", "apply_down", "apply_pending", "apply_up", "approve", "default_hub_home", "hub_home",
    "init_hub", "list_stations", "open_hub", "parse_servers", "rebuild", "send", "serve", "serve_forever", "status",
    "write_bulletin",
]
