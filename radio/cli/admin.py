"""``radio settings ...`` and ``radio user ...``."""

from __future__ import annotations

import click

from radio import settings as settings_mod
from radio.accounts import users
from radio.accounts.roles import ROLES
from radio.cli.base import cli, echo_rows, pass_station, switch_commands


# -- settings, users, demo ----------------------------------------------------------
@cli.group(name="settings")
def settings_group():
    """Station settings (radio.toml, overridden by values set here)."""


@settings_group.command(name="list")
@pass_station
def settings_list(station):
    """Show every setting with its effective value."""
    from radio.schedule.outputs import masked

    for s in settings_mod.SETTINGS:
        value = masked(station.settings[s.name]) if s.name == "output" else station.settings[s.name]
        click.echo(f"{s.name:<22} {value!r:<40} {s.help} ({s.allowed()})")


# negative values (-16 LUFS, an operator's -1) are values, not options
@settings_group.command(name="set", context_settings={"ignore_unknown_options": True})
@click.argument("name")
@click.argument("value")
@pass_station
def settings_set(station, name, value):
    """Save one setting in the station database (refused unless in its allowed range).

    Example:

    \b
        radio settings set station_name "Đài truyền thanh xã Định Biên"
    """
    from radio.store.connection import bump_revision, write

    with write(station.db):
        coerced = settings_mod.save(station.db, name, value, actor=station.actor, now=station.clock.now())
        bump_revision(station.db)
    if name == "output":
        from radio.schedule.outputs import masked

        coerced = masked(coerced)
    click.echo(f"{name} = {coerced!r}")


@cli.group()
def user():
    """Admin accounts: add, list, change password or role, disable, enable."""


def _station_name(station) -> str:
    return station.settings["station_name"]


@user.command(name="add")
@click.argument("username")
@click.option("--role", type=click.Choice(list(ROLES)), required=True, help="What the user may do")
@click.option("--name", "display_name", default="", help="Full name shown in the admin")
@click.password_option(help="Password (asked when not given): 10+ characters, not a common one")
@pass_station
def user_add(station, username, role, display_name, password):
    """Add an admin account.

    Example:

    \b
        radio user add chutich --role leader --name "Nguyễn Văn A"
    """
    users.add_user(station.db, username=username, password=password, role=role, now=station.clock.now(),
                   display_name=display_name, actor=users.OPERATOR, station_name=_station_name(station))
    click.echo(f"User {username} added ({role}).")


@user.command(name="list")
@pass_station
def user_list(station):
    """List the accounts with their role and state."""
    def line(row) -> str:
        state = "disabled" if row["disabled_at"] else "enabled"
        if users.is_untouched_demo(row):
            state += ", demo password"
        return f"{row['username']:<20} {row['role']:<8} {state:<24} {row['display_name']}"

    echo_rows(users.list_users(station.db),
              "No accounts yet: run radio user add, or open the admin to create the first admin.", line)


@user.command(name="passwd")
@click.argument("username")
@click.password_option(help="New password (asked when not given)")
@pass_station
def user_passwd(station, username, password):
    """Set a new password; the user's sessions in the admin end.

    Example:

    \b
        radio user passwd canbo
    """
    users.set_password(station.db, users.OPERATOR, username, password, now=station.clock.now(),
                       station_name=_station_name(station))
    click.echo(f"Password of {username} changed; their sessions were ended.")


@user.command(name="role")
@click.argument("username")
@click.argument("role", type=click.Choice(list(ROLES)))
@pass_station
def user_role(station, username, role):
    """Change what a user may do (viewer, officer, leader, admin).

    Example:

    \b
        radio user role canbo viewer
    """
    users.set_role(station.db, users.OPERATOR, username, role, now=station.clock.now())
    click.echo(f"{username} is now {role}.")


def _switch_user(station, username, enabled):
    (users.enable_user if enabled else users.disable_user)(station.db, users.OPERATOR, username,
                                                           now=station.clock.now())


user_disable, user_enable = switch_commands(
    user, "username", switch=_switch_user,
    off=("disable", """Stop an account from logging in (its sessions end; its history stays).

    Example:

    \b
        radio user disable canbo
    """, "User {} disabled."),
    on=("enable", """Let a disabled account log in again.

    Example:

    \b
        radio user enable canbo
    """, "User {} enabled."))
