"""``radio log ...``: the proof log."""

from __future__ import annotations

from pathlib import Path

import click

from ..clock import local_text
from .base import cli, pass_station, written_whole


# -- proof log ---------------------------------------------------------------------
@cli.group(name="log")
def log_group():
    """The proof log: every occurrence, aired, partial, failed, missed or cancelled."""


@log_group.command(name="list")
@click.option("--month", help="Local month YYYY-MM")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1_000_000), help="Newest N occurrences")
@pass_station
def log_list(station, month, limit):
    """List logged occurrences, newest first.

    Example:

    \b
        radio log list --month 2026-11
    """
    from ..prooflog import entries

    rows = entries(station.db, month=month, limit=limit)
    if not rows:
        click.echo("The log is empty.")
    for r in rows:
        length = f"{r['seconds_played']:.1f}/{r['programme_seconds']:.1f} s" if r["programme_seconds"] else f"{r['seconds_played']:.1f} s"
        click.echo(f"{r['id']:>5}  {local_text(r['scheduled_at'])}  {r['status']:<9} {length:<16} "
                   f"{r['key']}  {r['reason'] or ''}".rstrip())
        for item in r["items"]:
            mark = "✓" if item["completed"] else "✗"
            click.echo(f"         {mark} #{item['bulletin_id']} {item['title']} ({item['engine']})")


@log_group.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True, help="File format")
@click.option("--month", help="Local month YYYY-MM (default: everything)")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="File to write ('-' for stdout)")
@pass_station
def log_export(station, fmt, month, output):
    """Export the proof log.

    Example:

    \b
        radio log export --format csv --month 2026-11 -o nhat-ky-11-2026.csv
    """
    from ..exports import write_csv

    if output == "-":
        write_csv(station.db, click.get_text_stream("stdout"), month)
        return
    with written_whole(Path(output)) as partial:
        count = write_csv(station.db, partial, month)
    click.echo(f"Wrote {count} rows to {output}")


@log_group.command(name="verify")
@pass_station
def log_verify(station):
    """Check that no logged row was altered (hash chain)."""
    from ..prooflog import verify_chain

    ok, bad = verify_chain(station.db)
    if not ok:
        raise click.ClickException(f"The proof log was altered at occurrence {bad}.")
    click.echo("The proof log is intact.")
