"""``radio log ...``: the proof log."""

from __future__ import annotations

import sys
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


def period_options(fn):
    """--month / --period / --from / --until / --cutoff, shared by export and targets."""
    for option in reversed((
        click.option("--month", help="Local month YYYY-MM"),
        click.option("--period", "period_text", help="Quarter 2026-Q4, six months 2026-H1, year 2026, or YYYY-MM"),
        click.option("--from", "from_text", help="First day of a custom period, YYYY-MM-DD"),
        click.option("--until", "until_text", help="Last day of a custom period, YYYY-MM-DD (included)"),
        click.option("--cutoff", is_flag=True,
                     help="Reporting cut-off (NĐ 09/2019 Art. 12): 15th of the previous month to the 14th"),
    )):
        fn = option(fn)
    return fn


@log_group.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "docx"]), default="csv", show_default=True,
              help="csv (UTF-8 with BOM), xlsx (summary and detail sheets) or docx (the report, NĐ 30/2020 layout)")
@period_options
@click.option("--english", is_flag=True, help="CSV only: the English columns and status words of earlier versions")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="File to write ('-' for stdout, csv only)")
@pass_station
def log_export(station, fmt, month, period_text, from_text, until_text, cutoff, english, output):
    """Export the proof log, or the report on it, for a period (default: everything).

    Every file states the chain head (entry count and last hash) so the log can be
    checked later with `radio log verify`. A partial occurrence never counts toward
    a target.

    Example:

    \b
        radio log export --format docx --period 2026-Q4 --cutoff -o bao-cao-quy-4.docx
        radio log export --format xlsx --month 2026-11 -o nhat-ky-11-2026.xlsx
        radio log export --format csv --from 2026-11-01 --until 2026-11-30 -o nhat-ky.csv
    """
    from ..reports import csv_export, docx_export, periods, rows, xlsx_export
    from .base import CLOCK

    period = periods.select(month_text=month, period_text=period_text, from_text=from_text,
                            until_text=until_text, cutoff=cutoff)
    if cutoff and period is None:
        raise click.ClickException("--cutoff needs --month or --period.")
    if english and fmt != "csv":
        raise click.ClickException("--english applies to --format csv only.")
    if output == "-":
        if fmt != "csv":
            raise click.ClickException(f"--format {fmt} cannot go to stdout; give a file name with -o.")
        csv_export.write(station.db, click.get_text_stream("stdout"), period, english=english)
        return
    path = Path(output)
    snapshot = rows.head(station.db)
    total = rows.count_rows(station.db, period, snapshot.last_id)
    now = CLOCK.now()
    # written aside and renamed: a full disk or Ctrl-C never leaves half a report behind
    with written_whole(path) as partial, click.progressbar(
            length=total, label=f"Exporting {fmt}", file=sys.stderr, show_pos=True,
            hidden=not sys.stderr.isatty()) as bar:
        if fmt == "csv":
            count = csv_export.write(station.db, partial, period, english=english, progress=bar.update)
        elif fmt == "xlsx":
            count = xlsx_export.write(station.db, partial, period, now=now, progress=bar.update,
                                      station_name=station.settings["station_name"])
        else:
            docx_export.write(station.db, partial, period, now=now, settings=station.settings)
            bar.update(total)
            count = total
    label = period.key if period else "everything"
    click.echo(f"Wrote {count} rows ({label}) to {output}; chain head {snapshot.text}")


@log_group.command(name="verify")
@pass_station
def log_verify(station):
    """Check that no logged row was altered (hash chain)."""
    from ..prooflog import verify_chain

    ok, bad = verify_chain(station.db)
    if not ok:
        raise click.ClickException(f"The proof log was altered at occurrence {bad}.")
    click.echo("The proof log is intact.")
