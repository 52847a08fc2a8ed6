"""How a command ends when it cannot do its work: one ``Error: ...`` line, a distinct exit code."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import click

from radio.errors import RadioError
from radio.wording.explain import explain

log = logging.getLogger("radio.cli")

#: exit codes: 0 done, 1 refused (a rule or bad input), 2 usage (click),
#: 3 the machine failed (database, disk, network, speech engine), 4 a bug
EXIT_REFUSED, EXIT_FAILED, EXIT_BUG = 1, 3, 4


class CommandError(click.ClickException):
    """One ``Error: ...`` line with its own exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_REFUSED):
        super().__init__(message)
        self.exit_code = exit_code


def translate(exc: Exception, database: Path | None = None) -> click.ClickException:
    """The one-line error (with the fix) a user sees for *exc*; never a traceback.

    Called once, by the root group, for whatever any command raises.
    """
    message = explain(exc, database=database)
    if isinstance(exc, RadioError):
        return CommandError(message, EXIT_REFUSED)
    if message is not None:
        return CommandError(message, EXIT_FAILED)
    if isinstance(exc, ValueError):  # bad input found below the library (e.g. an output spec)
        return CommandError(str(exc), EXIT_REFUSED)
    log.info("Unexpected error", exc_info=exc)  # shown with -v
    return CommandError(f"Unexpected {type(exc).__name__}: {exc}. This is a bug; run again with -v "
                        "to see where, and report it.", EXIT_BUG)


def library_errors(fn):
    """For commands that need no station: the same translation as the root group.

    Kept so a command can be invoked on its own (``ctx.invoke``) and still answer
    in one line.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            raise translate(exc) from None

    return wrapper
