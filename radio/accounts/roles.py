"""Who may do what: roles and the actions they allow, checked by the library.

The CLI, the web admin and the API all act through :func:`require`, so they
cannot disagree about permissions. Roles are ordered: each one may do what the
roles below it may (a commune has a handful of people; an admin is usually the
culture officer's technical helper or the leader).

- ``viewer``  reads everything an officer sees (schedules, log, reports);
- ``officer`` writes and imports drafts, records readings, schedules slots
  within the outputs the admin defined, edits the station lexicon, renders
  speech previews (a viewer only hears audio that is already made);
- ``leader``  approves or returns drafts, withdraws approved bulletins, makes
  urgent broadcasts, pauses slots, enters manual log entries and corrections;
- ``admin``   users, settings, outputs, hooks, API tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

from radio.errors import RadioError

#: stored value → label shown to users, lowest to highest
ROLES = {
    "viewer": "Người xem",
    "officer": "Công chức VH-XH",
    "leader": "Lãnh đạo UBND",
    "admin": "Quản trị",
}
_RANK = {role: n for n, role in enumerate(ROLES)}

#: action → the lowest role that may take it
ACTIONS = {
    "read": "viewer",
    "bulletin.create": "officer",
    "bulletin.edit": "officer",
    "bulletin.import": "officer",
    "bulletin.record": "officer",
    "slot.create": "officer",
    "slot.edit": "officer",
    "lexicon.edit": "officer",
    "speech.render": "officer",
    "report.export": "viewer",
    "bulletin.approve": "leader",
    "bulletin.return": "leader",
    "bulletin.withdraw": "leader",
    "bulletin.urgent": "leader",
    "slot.pause": "leader",
    "log.manual": "leader",
    "audit.read": "leader",
    "target.manage": "leader",
    "user.manage": "admin",
    "settings.edit": "admin",
    "output.manage": "admin",
    "token.manage": "admin",
}


class PermissionDeniedError(RadioError, PermissionError):
    """The actor's role does not allow the action; nothing was written."""


@dataclass(frozen=True)
class Actor:
    """Someone acting on the station: a logged-in user, or the operator at the CLI."""

    username: str
    role: str
    display_name: str = ""

    @property
    def name(self) -> str:
        return self.display_name or self.username


def can(role: str | None, action: str) -> bool:
    """Whether *role* may take *action* (an unknown action is refused to everyone)."""
    needed = ACTIONS.get(action)
    return needed is not None and role in _RANK and _RANK[role] >= _RANK[needed]


def require(actor: Actor | None, action: str) -> Actor:
    """Return *actor* if it may take *action*.

    :raise PermissionDeniedError: no actor, or a role below the action's.
    """
    if actor is None or not can(actor.role, action):
        role = actor.role if actor else "anonymous"
        needed = ACTIONS.get(action, "nobody")
        raise PermissionDeniedError(
            f'Role "{role}" may not {action}; it needs the role "{needed}" or higher.')
    return actor
