"""What every command shares: the station context, error translation and the root group."""

from __future__ import annotations

import functools
import getpass
import logging
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from radio import settings as settings_mod
from radio.accounts.roles import Actor
from radio.clock import SystemClock
from radio.store.home import Home, default_home, open_home
from radio.store.ids import ascii_int
from radio.store.connection import connect

from radio.cli.failures import EXIT_BUG, EXIT_FAILED, EXIT_REFUSED, CommandError, library_errors, translate

__all__ = ["EXIT_BUG", "EXIT_FAILED", "EXIT_REFUSED", "ROW_ID", "CommandError", "StationContext",
           "cli", "cli_actor", "echo_rows", "library_errors", "pass_station", "switch_commands", "translate"]

class RowIdType(click.ParamType):
    """The id of a bulletin, slot or occurrence: a whole number SQLite can hold."""

    name = "id"

    def convert(self, value, param, ctx):
        try:
            number = ascii_int(value)  # int() takes "٣" and "1_0"
        except ValueError:
            self.fail(f"{value!r} is not an id (a whole number such as 7).", param, ctx)
        if not 1 <= number <= 2**63 - 1:
            self.fail(f"{value!r} is not an id (a whole number from 1).", param, ctx)
        return number


ROW_ID = RowIdType()


class StationContext:
    """What every command needs: the data directory, its database and settings.

    :param daemon: for a command that runs the station daemon: the data directory is
        locked first (a second daemon is refused here), and only then may a disk too full
        to open the database take the space kept in reserve for the daemon's log. No other
        command ever takes it: the daemon could not start once the space was gone.
    """

    def __init__(self, home_path: str | None, *, clock, daemon: bool = False):
        """:param clock: what every command takes the time from (see :func:`cli`)"""
        self.home = open_home(home_path)
        self.clock = clock
        self.lock = None
        if daemon:
            from radio.station.lock import StationLock

            self.lock = StationLock(self.home)
            self.lock.acquire()
        settings_mod.write_template(self.home)
        self.db = connect(self.home.database, use_reserve=daemon)
        warnings = settings_mod.file_warnings(self.home)
        self.settings = settings_mod.load(self.home, self.db, warnings=warnings)
        for warning in warnings:
            click.echo(f"Warning: {warning}", err=True)
        self.actor = cli_actor()


def cli_actor() -> Actor:
    """Who acts at the command line: the operator of the station PC.

    Whoever can run ``radio`` here can also edit the data directory's files, so
    the CLI acts as an admin; the audit trail names the system user.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        user = "unknown"
    return Actor(username=f"cli:{user}", role="admin")


def echo_rows(rows: Iterable, empty: str, line: Callable[[Any], str]) -> None:
    """Print one line a row, or *empty* when there is none (the ``list`` commands).

    :param line: formats one row as its line of the table
    """
    rows = list(rows)
    if not rows:
        click.echo(empty)
    for row in rows:
        click.echo(line(row))


def row_command(group: click.Group, name: str, argument: str, *, help: str, done: str,
                act: Callable[[StationContext, Any], None],
                type: click.ParamType | type | None = None) -> click.Command:
    """Add ``group NAME ARGUMENT`` to *group*: one library call on one row, then one line.

    :param argument: the name of the row's argument, e.g. ``username``
    :param help: the command's help, as its docstring would give it
    :param done: the line printed once done, with the argument's value as ``{}``
    :param act: ``act(station, value)`` does it in the library
    :param type: the argument's click type
    """

    def command(station, **kwargs):
        value = kwargs[argument]
        act(station, value)
        click.echo(done.format(value))

    command.__doc__ = help
    command.__name__ = f"{group.name}_{name}"
    return group.command(name=name)(click.argument(argument, type=type)(pass_station(command)))


def switch_commands(group: click.Group, argument: str, *, off: tuple[str, str, str],
                    on: tuple[str, str, str], switch: Callable[[StationContext, Any, bool], None],
                    type: click.ParamType | type | None = None) -> tuple[click.Command, click.Command]:
    """Add the pair of commands that turn one row off and on again
    (``slot pause``/``resume``, ``user disable``/``enable``), as :func:`row_command`.

    :param off: ``(name, help, done)`` of the command turning the row off
    :param on: the same for the command turning it on again
    :param switch: ``switch(station, value, on)`` does it in the library
    :return: the two commands, off then on
    """
    return tuple(row_command(group, name, argument, help=help_text, done=done, type=type,
                             act=lambda station, value, turn_on=turn_on: switch(station, value, turn_on))
                 for (name, help_text, done), turn_on in ((off, False), (on, True)))


class RadioGroup(click.Group):
    """The root group: every command's errors become one ``Error: ...`` line here."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # the reader went away (``radio log export -o - | head``): end quietly,
            # with the status of a tool killed by SIGPIPE, and let nothing flush into
            # the closed pipe at exit (https://docs.python.org/3/library/signal.html#note-on-sigpipe)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except Exception as exc:
            home = (ctx.obj or {}).get("home")
            database = Home(Path(home).expanduser() if home else default_home()).database
            raise translate(exc, database) from None


def pass_station(fn=None, *, daemon: bool = False):
    """Open the station (on first use in this invocation) and pass it as the first argument.

    Opening is deferred to the command so ``--help`` works anywhere; a broken
    ``radio.toml``, a locked or unwritable database become one-line errors in
    :class:`RadioGroup` like any other.

    :param daemon: the command runs the station daemon (unless given ``no_station``):
        see :class:`StationContext`.
    """

    def decorate(fn):
        @click.pass_context
        @functools.wraps(fn)
        def wrapper(ctx, *args, **kwargs):
            state = ctx.find_root().obj
            if "station" not in state:
                state["station"] = StationContext(state["home"], clock=state["clock"],
                                                  daemon=daemon and not kwargs.get("no_station"))
                ctx.find_root().call_on_close(state["station"].db.conn.close)
            return fn(state["station"], *args, **kwargs)

        return wrapper

    return decorate(fn) if fn is not None else decorate


@click.group(cls=RadioGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="radio")
@click.option("--home", envvar="RADIO_HOME", type=click.Path(file_okay=False),
              help="Station data directory (default: $RADIO_HOME or ~/.local/share/radio)")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr")
@click.pass_context
def cli(ctx, home, verbose):
    """radio: scheduler, speech and proof of play for a commune loudspeaker station.

    Exit codes: 0 done, 1 refused (bad input or a rule), 2 wrong usage,
    3 the machine failed (database, disk, network, speech engine), 4 a bug.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr)
    # The clock comes from the caller's context object (``cli.main(obj={"clock": clock})``
    # in tests), the real one otherwise; a fresh dict each run, so that nothing opened in
    # one invocation (the station) is found by the next.
    ctx.obj = {"clock": SystemClock(), **(ctx.obj or {}), "home": home}


# -- init --------------------------------------------------------------------------
@cli.command()
@pass_station
def init(station):
    """Create the station data directory, database and radio.toml.

    Example:

    \b
        RADIO_HOME=/srv/radio radio init
    """
    from radio.proof.chain import ensure_key

    click.echo(f"Station ready in {station.home.root}")
    click.echo(f"Settings: {station.home.settings_file}")
    key, present = ensure_key(station.db, station.settings)
    if key is not None:
        where = "outside the data directory" if not key.is_relative_to(station.home.root) else \
            "INSIDE the data directory: move it out and set chain_key_path"
        click.echo(f"Proof-log signing key: {key} ({where})" if present
                   else f"Proof-log signing key: {key} is missing; the log's heads are not signed until it is back")
