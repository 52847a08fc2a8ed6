"""``radio slot ...`` and ``radio schedule``: slots and the running order."""

from __future__ import annotations


import click

from radio.cli.base import cli, pass_station, switch_commands


# -- slots and schedule ----------------------------------------------------------
@cli.group()
def slot():
    """Broadcast slots (recurring or one-off)."""


@slot.command(name="add")
@click.option("--at", "at", required=True, help="Local time HH:MM[:SS] (Asia/Ho_Chi_Minh)")
@click.option("--days", help="daily, weekdays, or mon,tue,wed,thu,fri,sat,sun")
@click.option("--date", "on_date", help="One-off date YYYY-MM-DD")
@click.option("--name", default="", help="Label, e.g. 'Buổi sáng'")
@click.option("--cap", "cap_minutes", type=click.IntRange(1, 1440), help="Longest programme in minutes")
@click.option("--topics", help="Comma list of topics this slot carries (default: any)")
@click.option("--from", "valid_from", help="First date the slot runs (YYYY-MM-DD)")
@click.option("--until", "valid_until", help="Last date the slot runs (YYYY-MM-DD)")
@click.option("--output", help="Air this slot to a named output (see radio output list), e.g. thon2")
@pass_station
def slot_add(station, at, days, on_date, name, cap_minutes, topics, valid_from, valid_until, output):
    """Add a slot and print its id.

    Example:

    \b
        radio slot add --at 05:30 --days daily --cap 15
        radio slot add --at 17:00:00 --date 2026-12-01
    """
    from radio.schedule.slots import add_slot, parse_time, quiet_hours_warning

    if days is None and on_date is None:
        raise click.UsageError("Give --days (recurring) or --date (one-off).")
    if days is not None and on_date is not None:
        raise click.UsageError("--days cannot be used with --date.")
    warning = quiet_hours_warning(parse_time(at), station.settings["quiet_before"], station.settings["quiet_after"])
    new_id = add_slot(station.db, at=at, now=station.clock.now(), days=days, on_date=on_date, name=name,
                      cap_minutes=cap_minutes, topics=topics, valid_from=valid_from, valid_until=valid_until,
                      output=output, actor=station.actor)
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(new_id)


@slot.command(name="edit")
@click.argument("slot_id", type=int)
@click.option("--at", "at", help="New local time HH:MM[:SS] (Asia/Ho_Chi_Minh)")
@click.option("--days", help="Make it recurring: daily, weekdays, or mon,tue,wed,thu,fri,sat,sun")
@click.option("--date", "on_date", help="Make it one-off on YYYY-MM-DD")
@click.option("--name", help="New label")
@click.option("--cap", "cap_minutes", help="Longest programme in minutes ('' for the station default)")
@click.option("--topics", help="Comma list of topics ('' for any topic)")
@click.option("--from", "valid_from", help="First date the slot runs, YYYY-MM-DD ('' for no start)")
@click.option("--until", "valid_until", help="Last date the slot runs, YYYY-MM-DD ('' for no end)")
@click.option("--output", help="A named output (see radio output list); '' for the station's output")
@pass_station
def slot_edit(station, slot_id, **changes):
    """Change some settings of a slot; the others keep their values.

    Occurrences not yet decided follow the edit; one already decided, claimed or
    on air keeps its running order and airs once. Moving the time or days owes
    the new instants from now on.

    Example:

    \b
        radio slot edit 3 --at 17:30 --days mon,wed,fri
        radio slot edit 3 --cap '' --output thon2
    """
    from radio.schedule.slots import quiet_hours_warning
    from radio.schedule.slot_edits import update_slot

    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise click.UsageError("Give at least one of --at, --days, --date, --name, --cap, --topics, "
                               "--from, --until, --output.")
    if "days" in changes and "on_date" in changes:
        raise click.UsageError("--days cannot be used with --date.")
    slot = update_slot(station.db, slot_id, actor=station.actor, now=station.clock.now(), **changes)
    warning = quiet_hours_warning(slot["at_time"], station.settings["quiet_before"],
                                  station.settings["quiet_after"])
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"Slot {slot['id']}: {slot['at_time']} {slot['date'] or slot['days']}.")


@slot.command(name="list")
@pass_station
def slot_list(station):
    """List slots."""
    from radio.schedule.slots import list_slots

    rows = list_slots(station.db)
    if not rows:
        click.echo("No slots.")
    for s in rows:
        when = s["date"] or s["days"]
        cap = f"cap {s['cap_minutes']} min" if s["cap_minutes"] else f"cap {station.settings['default_cap_minutes']} min (default)"
        state = "" if s["active"] else "  (inactive)"
        where = f"  -> {s['output']}" if s["output"] else ""
        click.echo(f"{s['id']:>4}  {s['at_time']}  {when:<28} {cap:<22} {s['topics'] or 'any topic'}  "
                   f"{s['name']}{where}{state}")


def _set_slot_active(station, slot_id, active):
    from radio.schedule.slots import set_slot_active

    set_slot_active(station.db, slot_id, active, actor=station.actor, now=station.clock.now())


slot_pause, slot_resume = switch_commands(
    slot, "slot_id", type=int, switch=_set_slot_active,
    off=("pause", "Pause a slot (it airs nothing until resumed).", "Slot {} paused."),
    on=("resume", "Resume a paused slot.", "Slot {} resumed."))


@slot.command(name="remove")
@click.argument("slot_id", type=int)
@pass_station
def slot_remove(station, slot_id):
    """Delete a slot (the proof log keeps what it aired)."""
    from radio.schedule.slots import remove_slot

    remove_slot(station.db, slot_id, actor=station.actor, now=station.clock.now())
    click.echo(f"Slot {slot_id} removed.")


@cli.command()
@click.option("--days", default=2.0, show_default=True, type=click.FloatRange(0, 366),
              help="How many days ahead (up to a year)")
@pass_station
def schedule(station, days):
    """Show the running order and length of the next occurrences.

    Example:

    \b
        radio schedule --days 7
    """
    from radio.schedule.plan import upcoming

    plans = upcoming(station.db, now=station.clock.now(), days=days, settings=station.settings)
    if not plans:
        click.echo("No occurrences in that window.")
    for p in plans:
        click.echo(f"{p.occurrence.local:%a %Y-%m-%d %H:%M:%S}  slot {p.slot['id']}  "
                   f"{p.duration_ms / 1000:.0f} s of {p.cap_ms / 60000:.0f} min  [{p.occurrence.key}]")
        if not p.items:
            click.echo("    (nothing to air)")
        for n, item in enumerate(p.items, 1):
            est = "~" if item.estimated else ""
            click.echo(f"    {n}. #{item.id} {item.bulletin['title']}  ({est}{item.duration_ms / 1000:.0f} s, "
                       f"{item.bulletin['priority']})")
        for item, why in p.deferred:
            click.echo(f"    deferred #{item.id} {item.bulletin['title']}: {why}")
