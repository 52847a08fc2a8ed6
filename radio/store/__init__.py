"""The station database and its data directory: the floor everything else stands on.

- :mod:`.connection`: opening ``radio.db`` (WAL, busy timeout, ``BEGIN IMMEDIATE`` writes, the disk reserve);
- :mod:`.migrations`: the schema, one migration per change;
- :mod:`.guard`: refusing schema changes to the proof log's tables on the station's own connections;
- :mod:`.home`: the data directory (``RADIO_HOME``) and its private files;
- :mod:`.paging`: long lists cut in SQL;
- :mod:`.fields`, :mod:`.ids`: text, ids and counts typed by people, checked before they are stored.

Imports nothing of ours above :mod:`radio.clock` and :mod:`radio.errors`.
"""

from radio.store.connection import connect, write
from radio.store.home import Home, open_home

__all__ = ["Home", "connect", "open_home", "write"]
