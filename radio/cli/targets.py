"""``radio targets ...``: how many bulletins of a topic must air per period, and whether they did."""

from __future__ import annotations

import getpass

import click

from radio.accounts.roles import Actor
from radio.cli.base import cli, pass_station
from radio.cli.log import period_options


def _operator() -> Actor:
    # Whoever can run the CLI on the station PC owns the data directory; audit names them.
    return Actor(f"cli:{getpass.getuser()}", "admin")


@cli.group(name="targets", invoke_without_command=True)
@period_options
@click.pass_context
def targets_group(ctx, month, period_text, from_text, until_text, cutoff):
    """Targets and their status: met, at risk or missed (default: the current periods).

    Only aired occurrences with a completed item of the topic count; a partial
    occurrence does not.

    Example:

    \\b
        radio targets
        radio targets --period 2026-Q4 --cutoff
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(targets_status, month=month, period_text=period_text, from_text=from_text,
                   until_text=until_text, cutoff=cutoff)


@pass_station
def targets_status(station, month, period_text, from_text, until_text, cutoff):
    from radio.reports import periods, targets

    period = periods.select(month_text=month, period_text=period_text, from_text=from_text,
                            until_text=until_text, cutoff=cutoff)
    results = targets.evaluate(station.db, station.clock.now(), period, cutoff=cutoff,
                               warning_days=station.settings["target_warning_days"])
    if not targets.list_targets(station.db):
        click.echo("No targets. Add one with `radio targets add --topic cchc --period month --minimum 1`.")
        return
    for r in results:
        days = f"  ({r.days_left} days left)" if r.status == "at risk" else ""
        click.echo(f"#{r.target['id']:<3} {r.period.key:<22} {r.count:>4}/{r.minimum:<4} {r.status:<8} "
                   f"{targets.describe(r.target)}{days}")
    if not results:
        click.echo("No target applies to this period.")
    click.echo(targets.COUNTING_RULE)


@targets_group.command(name="list")
@pass_station
def targets_list(station):
    """List the targets."""
    from radio.reports import targets

    rows = targets.list_targets(station.db)
    if not rows:
        click.echo("No targets.")
    for t in rows:
        click.echo(f"#{t['id']:<3} {targets.describe(t)}" + (f"  – {t['note']}" if t["note"] else ""))


@targets_group.command(name="add")
@click.option("--topic", default="cchc", show_default=True, help="Bulletin topic that counts")
@click.option("--period", "kind", type=click.Choice(["month", "quarter", "half", "year"]), default="month",
              show_default=True, help="Period kind")
@click.option("--minimum", default=1, show_default=True, help="Aired occurrences needed per period")
@click.option("--from", "applies_from", help="First day the target applies, YYYY-MM-DD (default: always)")
@click.option("--until", "applies_until", help="Last day the target applies, YYYY-MM-DD")
@click.option("--note", help="Where the target comes from, e.g. the plan's sentence")
@pass_station
def targets_add(station, topic, kind, minimum, applies_from, applies_until, note):
    """Add a target.

    Example:

    \\b
        radio targets add --topic cchc --period quarter --minimum 3
    """
    from radio.reports import targets

    target_id = targets.add_target(station.db, _operator(), topic=topic, period=kind, minimum=minimum,
                                   applies_from=applies_from, applies_until=applies_until, note=note,
                                   now=station.clock.now())
    click.echo(f"Added target #{target_id}: {targets.describe(targets.get_target(station.db, target_id))}")


@targets_group.command(name="remove")
@click.argument("target_id", type=int)
@pass_station
def targets_remove(station, target_id):
    """Remove a target (the log is not touched).

    Example:

    \\b
        radio targets remove 2
    """
    from radio.reports import targets

    row = targets.remove_target(station.db, _operator(), target_id, now=station.clock.now())
    click.echo(f"Removed target #{target_id}: {targets.describe(row)}")


@targets_group.command(name="import")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Add every proposal without asking")
@pass_station
def targets_import(station, plan, yes):
    """Propose targets from the commune's yearly plan (.docx or .txt) and add those confirmed.

    Reads sentences such as "Định kỳ hàng tháng có ít nhất một tin bài ..." and the
    quarterly timetable ("Quý I/2022: ...") when it names the loudspeaker system.

    Example:

    \b
        radio targets import ke-hoach-cchc-2026.docx
    """
    from pathlib import Path

    from radio.reports import plan_import

    proposals = plan_import.propose(Path(plan))
    if not proposals:
        click.echo(f"{plan}: no target found (no \"hàng tháng có ít nhất ... tin bài\" or "
                   "\"Quý I/YYYY: ...\" about the loudspeaker system).")
        return
    keep = []
    for n, p in enumerate(proposals, 1):
        click.echo(f"{n}. {p.describe()}\n   \"{p.sentence[:160]}\"")
        if yes or click.confirm("   Add this target?", default=True):
            keep.append(p)
    ids = plan_import.accept(station.db, _operator(), keep, now=station.clock.now())
    click.echo(f"Added {len(ids)} target(s)" + (f": {', '.join(f'#{i}' for i in ids)}" if ids else "") + ".")
