"""The ``radio`` command line. Commands stay thin: open the station, call one
library function, turn library errors into one-line messages."""

from __future__ import annotations

import functools
import logging
import signal
import sys
import time
from pathlib import Path

import click

from . import bulletins as bulletins_mod
from . import settings as settings_mod
from .clock import SystemClock, local_text
from .errors import RadioError
from .home import open_home
from .store import connect

CLOCK = SystemClock()


class StationContext:
    """What every command needs: the data directory, its database and settings."""

    def __init__(self, home_path: str | None):
        self.home = open_home(home_path)
        settings_mod.write_template(self.home)
        self.db = connect(self.home.database)
        self.settings = settings_mod.load(self.home, self.db)


def library_errors(fn):
    """Translate library errors into ``Error: ...`` and exit code 1 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RadioError as exc:
            raise click.ClickException(str(exc)) from None
        except (OSError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def pass_station(fn):
    """Open the station (on first use in this invocation) and pass it as the first argument.

    Opening is deferred to the command so ``--help`` works anywhere, and a broken
    ``radio.toml`` is a one-line error like any other.
    """

    @click.pass_context
    @functools.wraps(fn)
    def wrapper(ctx, *args, **kwargs):
        state = ctx.find_root().obj
        if "station" not in state:
            try:
                state["station"] = StationContext(state["home"])
            except RadioError as exc:
                raise click.ClickException(str(exc)) from None
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
@library_errors
def init(station):
    """Create the station data directory, database and radio.toml.

    Example:

    \b
        RADIO_HOME=/srv/radio radio init
    """
    click.echo(f"Station ready in {station.home.root}")
    click.echo(f"Settings: {station.home.settings_file}")


# -- bulletins -------------------------------------------------------------------
@cli.group()
def bulletin():
    """Queue, approve and list bulletins."""


@bulletin.command(name="add")
@click.option("--title", help="Title (default: the file's first line when --file is given)")
@click.option("--text", help="The bulletin's text")
@click.option("--file", "file_", type=click.Path(dir_okay=False), help="Read the text from a .txt or .docx file")
@click.option("--topic", default="cchc", show_default=True, help="Topic (cchc = administrative reform)")
@click.option("--priority", default="normal", show_default=True,
              help="normal (thường), priority (ưu tiên) or urgent (khẩn cấp)")
@click.option("--repeat", "repeat_count", default=1, show_default=True, type=int, help="How many airings")
@click.option("--from", "valid_from", help="First local date it may air (YYYY-MM-DD)")
@click.option("--until", "valid_until", help="Last local date it may air (YYYY-MM-DD)")
@click.option("--by", "created_by", help="Who wrote it")
@pass_station
@library_errors
def bulletin_add(station, title, text, file_, topic, priority, repeat_count, valid_from, valid_until, created_by):
    """Add a draft bulletin and print its id.

    Example:

    \b
        radio bulletin add --title "Dịch vụ công trực tuyến" --text "UBND xã thông báo ..."
        radio bulletin add --file thong-bao.docx --topic cchc --repeat 3
    """
    if (text is None) == (file_ is None):
        raise click.UsageError("Give exactly one of --text or --file.")
    if file_:
        from content.importers import DocumentError, read_document

        if not Path(file_).exists():
            raise click.ClickException(f'File "{file_}" does not exist.')
        try:
            file_title, text = read_document(Path(file_))
        except DocumentError as exc:
            raise click.ClickException(str(exc)) from None
        title = title or file_title
    new_id = bulletins_mod.add_bulletin(
        station.db, title=title or "", text=text, now=CLOCK.now(), topic=topic, priority=priority,
        repeat_count=repeat_count, valid_from=valid_from, valid_until=valid_until, created_by=created_by)
    click.echo(new_id)


@bulletin.command(name="approve")
@click.argument("bulletin_id", type=int)
@click.option("--by", required=True, help="Name of the leader who approves")
@click.option("--no-render", is_flag=True, help="Leave speech rendering to the station daemon")
@pass_station
@library_errors
def bulletin_approve(station, bulletin_id, by, no_render):
    """Approve a bulletin (its text is frozen) and render its speech.

    Example:

    \b
        radio bulletin approve 3 --by "Nguyễn Văn A"
    """
    from .rendering import render_bulletin

    row = bulletins_mod.approve_bulletin(station.db, bulletin_id, by=by, now=CLOCK.now())
    click.echo(f"Bulletin {row['id']} approved by {row['approved_by']}.")
    if no_render:
        return
    click.echo("Rendering speech...", nl=False)
    started = time.monotonic()
    render = render_bulletin(station.db, station.home, station.settings, row["id"], CLOCK.now())
    if render is None:
        click.echo(" already in progress elsewhere.")
    elif render["state"] == "done":
        click.echo(f" done with {render['engine']} ({render['duration_ms'] / 1000:.1f} s of audio, "
                   f"{time.monotonic() - started:.1f} s).")
    else:
        click.echo(f" failed: {render['error']}. The station daemon will retry.")


@bulletin.command(name="list")
@click.option("--status", type=click.Choice(["draft", "approved", "withdrawn"]), help="Only this status")
@pass_station
@library_errors
def bulletin_list(station, status):
    """List bulletins with their status and speech rendering.

    Example:

    \b
        radio bulletin list --status approved
    """
    rows = bulletins_mod.list_bulletins(station.db, status)
    if not rows:
        click.echo("No bulletins.")
        return
    for row in rows:
        render = row["render"] or {}
        speech = render.get("state") or "-"
        if render.get("engine"):
            speech += f" ({render['engine']})"
        click.echo(f"{row['id']:>4}  {row['status']:<9} {row['priority']:<8} x{row['repeat_count']:<3} "
                   f"{row['topic']:<8} {speech:<16} {row['title']}")


@bulletin.command(name="show")
@click.argument("bulletin_id", type=int)
@pass_station
@library_errors
def bulletin_show(station, bulletin_id):
    """Show one bulletin, its text and its spoken form."""
    row = bulletins_mod.get_bulletin(station.db, bulletin_id)
    render = station.db["renders"].get(bulletin_id) if station.db["renders"].count_where(
        "bulletin_id = ?", [bulletin_id]) else {}
    click.echo(f"#{row['id']} {row['title']}\nstatus: {row['status']}  priority: {row['priority']}  "
               f"topic: {row['topic']}  repeats: {row['repeat_count']}")
    if row["approved_by"]:
        click.echo(f"approved by {row['approved_by']} at {local_text(row['approved_at'])}")
    click.echo(f"speech: {render.get('state', '-')} {render.get('engine') or ''}".rstrip())
    click.echo(f"\n{row['text']}")


@bulletin.command(name="withdraw")
@click.argument("bulletin_id", type=int)
@pass_station
@library_errors
def bulletin_withdraw(station, bulletin_id):
    """Stop a bulletin from airing again (the log keeps what aired)."""
    bulletins_mod.withdraw_bulletin(station.db, bulletin_id)
    click.echo(f"Bulletin {bulletin_id} withdrawn.")


# -- speech ----------------------------------------------------------------------
@cli.command()
@click.argument("text", required=False)
def normalize(text):
    """Print the spoken form of TEXT (or of stdin, one output line per input line).

    Example:

    \b
        radio normalize "Căn cứ Kế hoạch số 26/KH-UBND ngày 26/01/2022"
        cat ke-hoach.txt | radio normalize
    """
    from content.normalize import normalize_lines

    if text is None:
        for line in normalize_lines(line.rstrip("\n") for line in sys.stdin):
            click.echo(line)
    else:
        for line in normalize_lines(text.split("\n")):
            click.echo(line)


@cli.command()
@click.argument("text", required=False)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="WAV file to write")
@click.option("--engine", type=click.Choice(["auto", "gtts", "espeak", "piper"]), default=None,
              help="Speech engine (default: the station's setting, normally auto)")
@pass_station
@library_errors
def speak(station, text, output, engine):
    """Normalise TEXT (or stdin) and render it to a WAV file; says which engine spoke.

    Example:

    \b
        radio speak "UBND xã thông báo" -o thong-bao.wav --engine auto
    """
    import shutil

    from .rendering import render_speech

    if text is None:
        text = sys.stdin.read()
    if not text.strip():
        raise click.ClickException("Nothing to say: the text is empty.")
    if not Path(output).resolve().parent.is_dir():
        raise click.ClickException(f'Folder "{Path(output).parent}" does not exist; cannot write {output}.')
    rendering = render_speech(text, station.home, station.settings, station.db, engine=engine)
    shutil.copyfile(rendering.path, output)
    click.echo(f"Wrote {output}: {rendering.duration_ms / 1000:.1f} s, engine {rendering.engine}")


# -- slots and schedule ----------------------------------------------------------
@cli.group()
def slot():
    """Broadcast slots (recurring or one-off)."""


@slot.command(name="add")
@click.option("--at", "at", required=True, help="Local time HH:MM[:SS] (Asia/Ho_Chi_Minh)")
@click.option("--days", help="daily, weekdays, or mon,tue,wed,thu,fri,sat,sun")
@click.option("--date", "on_date", help="One-off date YYYY-MM-DD")
@click.option("--name", default="", help="Label, e.g. 'Buổi sáng'")
@click.option("--cap", "cap_minutes", type=int, help="Longest programme in minutes")
@click.option("--topics", help="Comma list of topics this slot carries (default: any)")
@click.option("--from", "valid_from", help="First date the slot runs (YYYY-MM-DD)")
@click.option("--until", "valid_until", help="Last date the slot runs (YYYY-MM-DD)")
@click.option("--output", help="Air this slot to its own output, e.g. pulse:thon1,thon2 (zones)")
@pass_station
@library_errors
def slot_add(station, at, days, on_date, name, cap_minutes, topics, valid_from, valid_until, output):
    """Add a slot and print its id.

    Example:

    \b
        radio slot add --at 05:30 --days daily --cap 15
        radio slot add --at 17:00:00 --date 2026-12-01
    """
    from .slots import add_slot, parse_time, quiet_hours_warning

    if days is None and on_date is None:
        raise click.UsageError("Give --days (recurring) or --date (one-off).")
    if days is not None and on_date is not None:
        raise click.UsageError("--days cannot be used with --date.")
    warning = quiet_hours_warning(parse_time(at), station.settings["quiet_before"], station.settings["quiet_after"])
    new_id = add_slot(station.db, at=at, now=CLOCK.now(), days=days, on_date=on_date, name=name,
                      cap_minutes=cap_minutes, topics=topics, valid_from=valid_from, valid_until=valid_until,
                      output=output)
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(new_id)


@slot.command(name="list")
@pass_station
@library_errors
def slot_list(station):
    """List slots."""
    from .slots import list_slots

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


@cli.command()
@click.option("--days", default=2.0, show_default=True, type=float, help="How many days ahead")
@pass_station
@library_errors
def schedule(station, days):
    """Show the running order and length of the next occurrences.

    Example:

    \b
        radio schedule --days 7
    """
    from .schedule import upcoming

    plans = upcoming(station.db, now=CLOCK.now(), days=days, settings=station.settings)
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


# -- station ----------------------------------------------------------------------
def _run_daemon(station, output):
    """Start the daemon, say so, and block until SIGTERM/SIGINT."""
    from .station import Station

    daemon = Station(station.home, output=output)

    def stop(signum, _frame):
        daemon.shutdown(f"station stopped by {signal.Signals(signum).name}")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    daemon.start()
    click.echo(f"Station daemon for {station.home.root}, output {daemon.output_spec}. Ctrl-C stops it.")
    daemon.wait()


@cli.command(name="station")
@click.option("--output", help="device, device:NAME, pulse:SINK[,SINK], file:DIR or icecast://... (default: setting)")
@pass_station
@library_errors
def station_cmd(station, output):
    """Run the station daemon in the foreground (Ctrl-C or SIGTERM stops it cleanly).

    Example:

    \b
        radio station --output file:/srv/radio/aired
    """
    _run_daemon(station, output)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the admin listens on")
@click.option("--port", default=8080, show_default=True, type=int, help="Port of the admin")
@click.option("--output", help="Output of the daemon (default: setting)")
@click.option("--no-station", is_flag=True, help="Serve the admin only (the daemon runs elsewhere)")
@pass_station
@library_errors
def serve(station, host, port, output, no_station):
    """Run the web admin and the station daemon together.

    Example:

    \b
        radio serve --host 0.0.0.0 --port 8080
    """
    import threading

    from werkzeug.serving import make_server

    from web import create_app

    app = create_app({"RADIO_HOME": str(station.home.root)})
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror}") from None
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="admin")
    thread.start()
    click.echo(f"Admin: http://{host}:{server.server_port}/")
    try:
        if no_station:
            signal.signal(signal.SIGTERM, lambda *_: server.shutdown())
            thread.join()
        else:
            _run_daemon(station, output)
    finally:
        server.shutdown()


@cli.command()
@click.option("--now", "bulletin_id", type=int, required=True, help="Approved bulletin to air immediately")
@click.option("--by", default="cli", help="Who asks")
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait for the daemon to take it")
@pass_station
@library_errors
def play(station, bulletin_id, by, wait):
    """Interrupt what is on air and play an urgent bulletin now (needs a running daemon).

    Example:

    \b
        radio play --now 7
    """
    from .commands import command_status, request_play_now

    cmd_id = request_play_now(station.db, bulletin_id, by=by, now=CLOCK.now())
    click.echo(f"Urgent request {cmd_id} queued for bulletin {bulletin_id}.")
    if not wait:
        return
    for _ in range(50):
        if command_status(station.db, cmd_id)["handled_at"]:
            click.echo("The station daemon took it.")
            return
        time.sleep(0.1)
    raise click.ClickException("No station daemon took the request within 5 s; is `radio station` running?")


@cli.command()
@library_errors
def devices():
    """List sound devices and PulseAudio sinks usable as outputs."""
    from audio.outputs import list_devices

    found = list_devices()
    if not found:
        click.echo("No sound devices found.")
    for d in found:
        click.echo(f"{d.kind:<12} {d.name:<40} {d.description}")


# -- proof log ---------------------------------------------------------------------
@cli.group(name="log")
def log_group():
    """The proof log: every occurrence, aired, partial, failed, missed or cancelled."""


@log_group.command(name="list")
@click.option("--month", help="Local month YYYY-MM")
@click.option("--limit", default=50, show_default=True, type=int, help="Newest N occurrences")
@pass_station
@library_errors
def log_list(station, month, limit):
    """List logged occurrences, newest first.

    Example:

    \b
        radio log list --month 2026-11
    """
    from .prooflog import entries

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
@library_errors
def log_export(station, fmt, month, output):
    """Export the proof log.

    Example:

    \b
        radio log export --format csv --month 2026-11 -o nhat-ky-11-2026.csv
    """
    from .exports import write_csv

    if output == "-":
        write_csv(station.db, click.get_text_stream("stdout"), month)
        return
    count = write_csv(station.db, Path(output), month)
    click.echo(f"Wrote {count} rows to {output}")


@log_group.command(name="verify")
@pass_station
@library_errors
def log_verify(station):
    """Check that no logged row was altered (hash chain)."""
    from .prooflog import verify_chain

    ok, bad = verify_chain(station.db)
    if not ok:
        raise click.ClickException(f"The proof log was altered at occurrence {bad}.")
    click.echo("The proof log is intact.")


# -- settings, users, demo ----------------------------------------------------------
@cli.group(name="settings")
def settings_group():
    """Station settings (radio.toml, overridden by values set here)."""


@settings_group.command(name="list")
@pass_station
def settings_list(station):
    """Show every setting with its effective value."""
    for s in settings_mod.SETTINGS:
        click.echo(f"{s.name:<22} {station.settings[s.name]!r:<40} {s.help}")


@settings_group.command(name="set")
@click.argument("name")
@click.argument("value")
@pass_station
@library_errors
def settings_set(station, name, value):
    """Save one setting in the station database.

    Example:

    \b
        radio settings set station_name "Đài truyền thanh xã Định Biên"
    """
    from .store import bump_revision, write

    with write(station.db):
        coerced = settings_mod.save(station.db, name, value)
        bump_revision(station.db)
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
@library_errors
def user_add(station, username, role, display_name, password):
    """Add an admin account.

    Example:

    \b
        radio user add chutich --role leader --name "Nguyễn Văn A"
    """
    from .users import add_user

    add_user(station.db, username=username, password=password, role=role, now=CLOCK.now(),
             display_name=display_name)
    click.echo(f"User {username} added ({role}).")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the admin listens on")
@click.option("--port", default=8080, show_default=True, type=int, help="Port of the admin")
@click.option("--output", help="Output (default: file:<home>/outputs when no sound card is found)")
@pass_station
@library_errors
def demo(station, host, port, output):
    """Seed a demo station (sample bulletins, slots, users) and serve it.

    Example:

    \b
        RADIO_HOME=./.radio-demo radio demo
    """
    from .demo import seed

    accounts = seed(station.db, station.home, now=CLOCK.now())
    out = output or f"file:{station.home.outputs}"
    click.echo(f"Demo station in {station.home.root}; programmes play to {out}.")
    for username, password, role in accounts:
        click.echo(f"Log in as {username} / {password} ({role})")
    ctx = click.get_current_context()
    ctx.invoke(serve, host=host, port=port, output=out, no_station=False)


def main():  # pragma: no cover - console entry for python -m
    cli()
