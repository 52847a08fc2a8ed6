"""Changing several station settings at once (the admin's settings form): all or nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from . import settings as settings_mod
from .accounts import Actor, require
from .errors import ValidationError
from .store import bump_revision, write

#: settings whose value must be one of a few words
CHOICES = {
    "engine": ("auto", "gtts", "espeak", "piper"),
    "espeak_voice": ("vi", "vi-vn-x-central", "vi-vn-x-south"),
}


def save_settings(db: Database, changes: dict[str, Any], current: dict[str, Any], *, actor: Actor,
                  now: datetime) -> list[str]:
    """Store every value in *changes* that differs from *current*; return the names changed.

    :raise ValidationError: an unknown setting or a bad value; nothing was stored.
    """
    require(actor, "settings.edit")
    for name, allowed in CHOICES.items():
        if name in changes and str(changes[name]) not in allowed:
            raise ValidationError(f'Setting "{name}" must be one of {", ".join(allowed)}; got "{changes[name]}".')
    changed = [name for name, value in changes.items()
               if str(value).strip().lower() != str(current.get(name)).lower()]
    with write(db):
        for name in changed:
            settings_mod.save(db, name, str(changes[name]).strip())
        if changed:
            bump_revision(db)  # the daemon reloads its settings on the next tick
    return changed
