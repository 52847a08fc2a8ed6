"""Changing several station settings at once (the admin's settings form): all or nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from . import settings as settings_mod
from .accounts import Actor, require
from .store import bump_revision, write

#: settings whose value must be one of a few words (the form offers them as a list)
CHOICES = {s.name: s.choices for s in settings_mod.SETTINGS if s.choices}


def save_settings(db: Database, changes: dict[str, Any], current: dict[str, Any], *, actor: Actor,
                  now: datetime) -> list[str]:
    """Store every value in *changes* that differs from *current*; return the names changed.

    Every value is checked (:func:`radio.settings.check`) before any is stored.

    :raise ValidationError: an unknown setting or a bad value; nothing was stored.
    """
    require(actor, "settings.edit")
    checked = {name: settings_mod.check(name, str(value).strip()) for name, value in changes.items()}
    changed = [name for name, value in checked.items() if value != current.get(name)]
    with write(db):
        for name in changed:
            settings_mod.save(db, name, checked[name], actor=actor, now=now)
        if changed:
            bump_revision(db)  # the daemon reloads its settings on the next tick
    return changed
