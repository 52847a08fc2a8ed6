"""Who may do what in the province's admin: the hub's own roles over :mod:`radio.accounts`.

The accounts live in ``hub.db`` in tables shaped as a station's (``users``, ``sessions``,
``login_failures``, ``audit``), so logging in, sessions, the throttle and the audit trail
are :mod:`radio.accounts`' own. Only the roles differ, ordered as a station's are (each
may do what the roles below it may):

- ``viewer``  (xem) reads the stations, the bulletins and the alerts;
- ``editor``  (biên tập viên) writes and imports draft bulletins;
- ``leader``  (ban biên tập thẩm định) approves a draft and sends it;
- ``admin``   (quản trị) registers stations and manages the accounts.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from radio.accounts import users
from radio.accounts.roles import Actor, PermissionDeniedError

#: stored value → label shown in the province admin, lowest to highest
HUB_ROLES = {
    "viewer": "Người xem",
    "editor": "Biên tập viên",
    "leader": "Ban biên tập thẩm định",
    "admin": "Quản trị",
}
_RANK = {role: n for n, role in enumerate(HUB_ROLES)}

#: action → the lowest hub role that may take it
HUB_ACTIONS = {
    "read": "viewer",
    "bulletin.write": "editor",
    "bulletin.approve": "leader",
    "bulletin.send": "leader",
    "station.add": "admin",
    "user.manage": "admin",
}

#: the hub's command line: whoever reads the hub's directory holds its keys already
HUB_OPERATOR = Actor("cli", "admin", "Command line")


def can(role: str | None, action: str) -> bool:
    """Whether hub role *role* may take *action* (an unknown action is refused to everyone)."""
    needed = HUB_ACTIONS.get(action)
    return needed is not None and role in _RANK and _RANK[role] >= _RANK[needed]


def require(actor: Actor | None, action: str) -> Actor:
    """*actor* if its hub role may take *action*. :raise PermissionDeniedError: otherwise; nothing is written."""
    if actor is None or not can(actor.role, action):
        role = actor.role if actor else "anonymous"
        raise PermissionDeniedError(f'Role "{role}" may not {action}; it needs the role '
                                    f'"{HUB_ACTIONS.get(action, "nobody")}" or higher.')
    return actor


def add_hub_user(db: Database, *, username: str, password: str, role: str, now: datetime,
                 display_name: str = "", actor: Actor = HUB_OPERATOR, province: str = "",
                 demo: bool = False) -> dict:
    """An account of the province admin (:func:`radio.accounts.users.add_user` with the hub's roles).

    :param demo: a published login of ``radio demo --province``, refused elsewhere until its password changes
    """
    require(actor, "user.manage")
    return users.add_user(db, username=username, password=password, role=role, now=now, display_name=display_name,
                          actor=actor, station_name=province, roles=HUB_ROLES, demo=demo)


def list_hub_users(db: Database) -> list[dict]:
    return users.list_users(db)
