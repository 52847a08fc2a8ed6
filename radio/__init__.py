"""radio: scheduler, speech and proof of play for a commune loudspeaker station.

The library API used by the CLI, the daemon and the web admin.
"""

from .bulletins import add_bulletin, approve_bulletin, get_bulletin, list_bulletins, withdraw_bulletin
from .home import Home, open_home
from .slots import add_slot, list_slots
from .store import connect

__all__ = [
    "Home", "open_home", "connect", "add_bulletin", "approve_bulletin", "get_bulletin",
    "list_bulletins", "withdraw_bulletin", "add_slot", "list_slots",
]
