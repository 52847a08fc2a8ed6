"""Exceptions raised by the station library.

The CLI and the web admin turn these into one-line messages; anything else
reaching a user is a bug.
"""


class RadioError(Exception):
    """Root of every error the station reports to a user."""


class NotFoundError(RadioError, KeyError):
    """A bulletin, slot or occurrence id that does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ValidationError(RadioError, ValueError):
    """Input that breaks a rule; nothing was written."""


class StateError(RadioError):
    """An action not allowed in the object's current state (e.g. editing approved text)."""


class StationLockedError(RadioError):
    """Another station daemon already owns this data directory."""
