"""``radio settings ...`` and ``radio user ...``."""

from __future__ import annotations


import click

from .. import settings as settings_mod
from .base import CLOCK, cli, pass_station


# -- settings, users, demo ----------------------------------------------------------
@cli.group(name="settings")
def settings_group():
    """Station settings (radio.toml, overridden by values set here)."""


@settings_group.command(name="list")
@pass_station
def settings_list(station):
    """Show every setting with its effective value."""
    from ..outputs import masked

    for s in settings_mod.SETTINGS:
        value = masked(station.settings[s.name]) if s.name == "output" else station.settings[s.name]
        click.echo(f"{s.name:<22} {value!r:<40} {s.help}")


@settings_group.command(name="set")
@click.argument("name")
@click.argument("value")
@pass_station
def settings_set(station, name, value):
    """Save one setting in the station database.

    Example:

    \b
        radio settings set station_name "Đài truyền thanh xã Định Biên"
    """
    from ..store import bump_revision, write

    with write(station.db):
        coerced = settings_mod.save(station.db, name, value, actor=station.actor, now=CLOCK.now())
        bump_revision(station.db)
    if name == "output":
        from ..outputs import masked

        coerced = masked(coerced)
    click.echo(f"{name} = {coerced!r}")


@cli.group()
def user():
    """Admin accounts."""


@user.command(name="add")
@click.argument("username")
@click.option("--role", type=click.Choice(["officer", "leader", "admin"]), required=True, help="What the user may do")
@click.option("--name", "display_name", default="", help="Full name shown in the admin")
@click.password_option(help="Password (asked when not given)")
@pass_station
def user_add(station, username, role, display_name, password):
    """Add an admin account.

    Example:

    \b
        radio user add chutich --role leader --name "Nguyễn Văn A"
    """
    from ..users import add_user

    add_user(station.db, username=username, password=password, role=role, now=CLOCK.now(),
             display_name=display_name)
    click.echo(f"User {username} added ({role}).")
