"""radio: scheduler, speech and proof of play for a commune loudspeaker station.

The library API used by the CLI, the daemon and the web admin.
"""

import sys as _sys


def _import_sqlite_utils_without_numpy() -> None:
    """Import sqlite-utils with numpy hidden from it.

    sqlite-utils imports numpy when it is installed, only to map numpy scalar types
    to column types; radio never stores numpy values. numpy is installed here for
    scipy and matplotlib, which run in helper processes, and importing it cost about
    0.2 s on every CLI command and 15 MB in ``radio serve``. A ``None`` entry in
    ``sys.modules`` makes ``import numpy`` raise ImportError; it is removed at once,
    so code that needs numpy later still imports it.
    """
    if "sqlite_utils" in _sys.modules or "numpy" in _sys.modules:
        return
    _sys.modules["numpy"] = None
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del _sys.modules["numpy"]


_import_sqlite_utils_without_numpy()

from radio.bulletins.lifecycle import add_bulletin, approve_bulletin, get_bulletin, list_bulletins, withdraw_bulletin
from radio.store.home import Home, open_home
from radio.schedule.slots import add_slot, list_slots
from radio.store.connection import connect

__all__ = [
    "Home", "open_home", "connect", "add_bulletin", "approve_bulletin", "get_bulletin",
    "list_bulletins", "withdraw_bulletin", "add_slot", "list_slots",
]
