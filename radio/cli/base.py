"""What every command shares: the station context, error translation and the root group."""

from __future__ import annotations

import functools
import getpass
import logging

import click

from .. import settings as settings_mod
from ..accounts import Actor
from ..clock import SystemClock
from ..errors import RadioError
from ..home import open_home
from ..store import connect

CLOCK = SystemClock()


class StationContext:
    """What every command needs: the data directory, its database and settings."""

    def __init__(self, home_path: str | None):
        self.home = open_home(home_path)
        settings_mod.write_template(self.home)
        self.db = connect(self.home.database)
        self.settings = settings_mod.load(self.home, self.db)
        self.actor = cli_actor()


def cli_actor() -> Actor:
    """Who the CLI acts as: the local operator, as an admin named after the OS user.

    Whoever can run ``radio`` on the station PC can read and write its database
    anyway; the role check still runs (no caller bypasses it), and the audit
    trail names the OS account, e.g. ``cli:canbo``.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        user = "unknown"
    return Actor(f"cli:{user}", "admin")


def library_errors(fn):
    """Translate library errors into ``Error: ...`` and exit code 1 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (RadioError, OSError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def pass_station(fn):
    """Open the station (on first use in this invocation), pass it as the first argument,
    and turn library errors into one-line messages (see :func:`library_errors`).

    Opening is deferred to the command so ``--help`` works anywhere, and a broken
    ``radio.toml`` is a one-line error like any other.
    """

    @click.pass_context
    @functools.wraps(fn)
    @library_errors
    def wrapper(ctx, *args, **kwargs):
        state = ctx.find_root().obj
        if "station" not in state:
            state["station"] = StationContext(state["home"])
        return fn(state["station"], *args, **kwargs)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="radio")
@click.option("--home", envvar="RADIO_HOME", type=click.Path(file_okay=False),
              help="Station data directory (default: $RADIO_HOME or ~/.local/share/radio)")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr")
@click.pass_context
def cli(ctx, home, verbose):
    """radio: scheduler, speech and proof of play for a commune loudspeaker station."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    ctx.obj = {"home": home}


# -- init --------------------------------------------------------------------------
@cli.command()
@pass_station
def init(station):
    """Create the station data directory, database and radio.toml.

    Example:

    \b
        RADIO_HOME=/srv/radio radio init
    """
    click.echo(f"Station ready in {station.home.root}")
    click.echo(f"Settings: {station.home.settings_file}")
