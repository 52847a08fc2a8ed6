"""``radio log ...``: the proof log."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from radio.clock import local_text
from radio.cli.base import cli, pass_station


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
    from radio.proof.log import entries

    rows = entries(station.db, month=month, limit=limit)
    if not rows:
        click.echo("The log is empty.")
    for r in rows:
        length = f"{r['seconds_played']:.1f}/{r['programme_seconds']:.1f} s" if r["programme_seconds"] else f"{r['seconds_played']:.1f} s"
        # an airing that reached no loudspeaker (a file) never counts toward a target
        silent = "" if r["loudspeakers"] else "  [no loudspeakers]"
        click.echo(f"{r['id']:>5}  {local_text(r['scheduled_at'])}  {r['status']:<9} {length:<16} "
                   f"{r['key']}  {r['reason'] or ''}".rstrip() + silent)
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
    checked later with `radio log verify --expect`: the XLSX and DOCX inside, a CSV
    in its companion file NAME.head (with the CSV's sha256). A partial occurrence
    never counts toward a target.

    Example:

    \b
        radio log export --format docx --period 2026-Q4 --cutoff -o bao-cao-quy-4.docx
        radio log export --format xlsx --month 2026-11 -o nhat-ky-11-2026.xlsx
        radio log export --format csv --from 2026-11-01 --until 2026-11-30 -o nhat-ky.csv
    """
    from radio.reports import csv_export, exports, periods, rows

    period = periods.select(month_text=month, period_text=period_text, from_text=from_text,
                            until_text=until_text, cutoff=cutoff)
    if cutoff and period is None:
        raise click.ClickException("--cutoff needs --month or --period.")
    if english and fmt != "csv":
        raise click.ClickException("--english applies to --format csv only.")
    if output == "-":
        if fmt != "csv":
            raise click.ClickException(f"--format {fmt} cannot go to stdout; give a file name with -o.")
        stats: dict = {}
        csv_export.write(station.db, click.get_text_stream("stdout"), period, english=english, stats=stats)
        click.echo(f"chain head {stats['head'].text}", err=True)  # not in the CSV: readers trip on it
        return
    snapshot = rows.head(station.db)
    shown = sys.stderr.isatty()
    # the count is a scan of its own: only for a bar someone sees
    total = rows.count_rows(station.db, period, snapshot.last_id) if shown else 0
    with click.progressbar(length=total, label=f"Exporting {fmt}", file=sys.stderr, show_pos=True,
                           hidden=not shown) as bar:
        count = exports.export(station.db, Path(output), fmt, period, now=station.clock.now(), settings=station.settings,
                               english=english, progress=bar.update)
    label = period.key if period else "everything"
    click.echo(f"Wrote {count} rows ({label}) to {output}; chain head {snapshot.text}")


@log_group.command(name="verify")
@click.option("--expect", metavar="COUNT:HASH",
              help="A chain head written down earlier (from an export, a report or the API)")
@pass_station
def log_verify(station, expect):
    """Check the whole proof log: hashes, the signed heads file and an expected head.

    Names every entry that is missing, altered, rewritten or out of order.

    Example:

    \b
        radio log verify --expect 1000:3f5a...c2
    """
    from radio.proof.chain import parse_expect, verify

    report = verify(station.db, expect=parse_expect(expect) if expect else None,
                    settings=station.settings, now=station.clock.now())
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    if not report.ok:
        for problem in report.problems:
            click.echo(problem[0].upper() + problem[1:] + ".", err=True)
        if report.more:
            click.echo(f"... and {report.more} more problems.", err=True)
        total = len(report.problems) + report.more
        where = f", first at entry {report.first_broken_id}" if report.first_broken_id else ""
        raise click.ClickException(
            f"The proof log was altered ({total} problem{'s' if total != 1 else ''}{where}).")
    click.echo(f"The proof log is intact: {report.count} entries, head {report.count}:{report.head_hash}"
               + (f", {report.heads_checked} signed heads checked." if report.heads_checked else "."))


def _operator(by: str | None):
    """The operator at the CLI: shell access to the data directory is admin access."""
    import getpass

    from radio.accounts.roles import Actor

    return Actor(by or getpass.getuser(), "admin")


@log_group.command(name="add-manual")
@click.option("--at", "at", required=True, help="When the reading started, station time YYYY-MM-DD HH:MM")
@click.option("--minutes", required=True, type=click.FloatRange(min=0, min_open=True), help="How long it lasted")
@click.option("--title", "titles", multiple=True, required=True, help="A bulletin read (repeat for several)")
@click.option("--reason", required=True, help="Why it was done outside the system (power cut, microphone)")
@click.option("--status", type=click.Choice(["aired", "partial"]), default="aired", show_default=True)
@click.option("--topic", help="Topic of what was read (e.g. cchc, thien-tai), so an aired reading counts "
                              "toward that topic's target; without it the entry counts toward none")
@click.option("--by", help="Who enters it (default: your login name)")
@pass_station
def log_add_manual(station, at, minutes, titles, reason, status, topic, by):
    """Enter a live reading done outside the system; it is flagged manual and audited.

    Example:

    \b
        radio log add-manual --at "2026-11-20 17:00" --minutes 12 --topic cchc \\
            --title "Thông báo lịch tiêm chủng" --reason "Mất điện, đọc trực tiếp qua micrô"
    """
    from radio.proof.corrections import add_manual, parse_local

    entry_id = add_manual(station.db, _operator(by), started_at=parse_local(at), seconds=minutes * 60,
                          reason=reason, titles=list(titles), status=status, topic=topic, now=station.clock.now())
    click.echo(f"Logged manual entry {entry_id}" + (f" (topic {topic.strip().lower()})." if topic and topic.strip()
                                                    else " (no topic: it counts toward no target)."))


@log_group.command(name="correct")
@click.argument("entry_id", type=int)
@click.option("--reason", required=True, help="What was wrong")
@click.option("--status", type=click.Choice(["aired", "partial", "failed", "missed", "cancelled", "void"]),
              help="What the entry should have said (void withdraws it)")
@click.option("--by", help="Who enters it (default: your login name)")
@pass_station
def log_correct(station, entry_id, reason, status, by):
    """Add a correction of a logged entry (the entry itself never changes).

    Example:

    \b
        radio log correct 42 --status partial --reason "Loa cụm 3 mất điện giữa buổi"
    """
    from radio.proof.corrections import correct

    new_id = correct(station.db, _operator(by), entry_id, reason=reason, status=status, now=station.clock.now())
    click.echo(f"Logged correction {new_id} of entry {entry_id}.")


@log_group.command(name="replay")
@click.argument("entry_id", type=int)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False),
              help="WAV file to write (default: replay-ID.wav here)")
@click.option("--play", is_flag=True, help="Also play it through the station's output setting")
@pass_station
def log_replay(station, entry_id, output, play):
    """Re-create the audio of an aired or partial entry and check it against the log.

    The file is the whole programme as assembled (what programme_sha256 names): for a
    partial entry it says how much listeners heard, and it names the other entries the
    same programme is logged for. A manual entry has no audio to replay.
    Exits 1 if the audio does not hash to the logged programme_sha256.

    Example:

    \b
        radio log replay 42 -o buoi-phat-42.wav
    """
    from radio.proof.replay import replay

    target = Path(output or f"replay-{entry_id}.wav")
    result = replay(station.db, station.home, entry_id, target)
    click.echo(f"Wrote {target}")
    for note in result.notes():
        click.echo(f"Note: {note}")
    if play:
        import threading

        from audio.outputs import open_output
        from audio.outputs.base import OutputError

        try:
            open_output(station.settings["output"]).play(target, threading.Event())
        except OutputError as exc:
            raise click.ClickException(f"Could not play it: {exc}") from None
    if not result.matches:
        raise click.ClickException(
            f"The replayed audio does not match the log: sha256 {result.sha256}, logged {result.logged_sha256}.")
    click.echo(f"sha256 {result.sha256} matches the log.")
