"""``radio station``, ``serve``, ``play``, ``devices`` and ``demo``: running the station."""

from __future__ import annotations

import os
import signal

import click

from radio.clock import offset_clock_from
from radio.cli.base import EXIT_FAILED, ROW_ID, CommandError, cli, library_errors, pass_station


# -- station ----------------------------------------------------------------------
#: test-only: the daemon's clock, shifted from real time (see radio.clock.offset_clock_from),
#: so that an end-to-end test about a decision starts the daemon seconds before a slot
#: instead of waiting a real minute's lead. Never set on a station.
TEST_CLOCK_ENV = "RADIO_TEST_CLOCK"


def _daemon_clock(station):
    """The clock the daemon runs on: the command's own, unless RADIO_TEST_CLOCK shifts it."""
    value = os.environ.get(TEST_CLOCK_ENV)
    if not value:
        return station.clock
    try:
        clock = offset_clock_from(value)
    except ValueError as exc:
        raise click.ClickException(f"{TEST_CLOCK_ENV}: {exc}") from None
    click.echo(f"Test clock ({TEST_CLOCK_ENV}): the daemon runs {clock.offset.total_seconds():+.3f} s "
               "from real time.", err=True)
    return clock


def _run_daemon(station, output):
    """Start the daemon, say so, and block until SIGTERM/SIGINT."""
    from radio.station import Station

    daemon = Station(station.home, output=output, lock=station.lock, clock=_daemon_clock(station))

    def stop(signum, _frame):
        daemon.shutdown(signal_name=signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    daemon.start()
    click.echo(f"Station daemon for {station.home.root}, output {daemon.output_spec}. Ctrl-C stops it.")
    link = _start_link(station, daemon.clock)
    try:
        daemon.wait()
    finally:
        if link is not None:
            link.stop()


def _start_link(station, clock):
    """The province link beside the daemon, when the station has joined a province."""
    from radio.errors import ValidationError
    from radio.link import joined

    try:
        join = joined(station.home)
    except ValidationError as exc:
        click.echo(f"Province link: not started ({exc}); join again with radio link join.", err=True)
        return None
    if join is None:
        return None
    from radio.link import Link  # nats-py only in a station that has joined

    click.echo(f"Province link: station {join.code}, servers {', '.join(join.servers)}.")
    return Link(station.home, join, clock=clock).start()


@cli.command(name="station")
@click.option("--output", help="device, device:NAME, pulse:SINK[,SINK], file:DIR or icecast://... (default: setting)")
@pass_station(daemon=True)
def station_cmd(station, output):
    """Run the station daemon in the foreground (Ctrl-C or SIGTERM stops it cleanly).

    Example:

    \b
        radio station --output file:/srv/radio/aired
    """
    _run_daemon(station, output)


def _serve(station, host, port, output, no_station, *, demo=False):
    """Run the admin on waitress in a thread, and the daemon (unless *no_station*) here."""
    import secrets
    import threading

    from waitress import create_server

    from web import create_app

    from radio.accounts.users import list_users

    app = create_app(radio_home=str(station.home.root))
    app.config["DEMO"] = demo
    if not list_users(station.db):
        app.config["SETUP_CODE"] = secrets.token_hex(6)
    try:
        # ident: the Server header says "radio", not a server name and version
        server = create_server(app, host=host, port=port, threads=8, ident="radio")
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror}") from None
    thread = threading.Thread(target=server.run, daemon=True, name="admin")
    thread.start()
    click.echo(f"Admin: http://{host}:{getattr(server, 'effective_port', port)}/")
    if app.config["SETUP_CODE"]:
        click.echo("No account yet: open the admin on this PC to create the admin account, or from "
                   f"another computer with the one-time setup code {app.config['SETUP_CODE']}")
    try:
        if no_station:
            stop = threading.Event()
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
            stop.wait()
        else:
            _run_daemon(station, output)
    finally:
        server.close()
        server.task_dispatcher.shutdown()


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the admin listens on")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port of the admin")
@click.option("--output", help="Output of the daemon (default: setting)")
@click.option("--no-station", is_flag=True, help="Serve the admin only (the daemon runs elsewhere)")
@pass_station(daemon=True)
def serve(station, host, port, output, no_station):
    """Run the web admin (on waitress) and the station daemon together.

    Flask options such as SESSION_COOKIE_SECURE = True go in config.py in the
    data directory. With no account yet, the admin offers creating the admin
    account: from this PC, or elsewhere with the setup code printed here.

    Example:

    \b
        radio serve --host 0.0.0.0 --port 8080
    """
    _serve(station, host, port, output, no_station)


@cli.command()
@click.option("--now", "bulletin_id", type=ROW_ID, required=True, help="Approved bulletin to air immediately")
@click.option("--by", default="cli", help="Who asks")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="Wait until the daemon takes the request (at most urgent_expiry_s)")
@pass_station
def play(station, bulletin_id, by, wait):
    """Interrupt what is on air and play an urgent bulletin now (needs a running daemon).

    A request no station daemon takes within the setting urgent_expiry_s
    (30 s by default) expires and never airs later.

    Example:

    \b
        radio play --now 7
    """
    from radio.schedule import commands

    expiry_s = station.settings["urgent_expiry_s"]
    cmd_id = commands.request_play_now(station.db, bulletin_id, by=by, now=station.clock.now(), actor=station.actor,
                                       expires_in_s=expiry_s)
    click.echo(f"Urgent request {cmd_id} queued for bulletin {bulletin_id}; it expires in {expiry_s:g} s "
               "unless the station daemon takes it.")
    if not wait:
        return
    outcome = commands.await_outcome(station.db, cmd_id, station.clock)
    if outcome.state == commands.TAKEN:
        click.echo("The station daemon took it; it is going on air.")
        return
    raise CommandError(commands.expired_message(expiry_s), EXIT_FAILED)


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


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the admin listens on")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port of the admin")
@click.option("--output", help="Output (default: file:<home>/outputs when no sound card is found)")
@click.option("--province", "stations", type=click.IntRange(1, 9),
              help="A province's network instead: one NATS server, a hub and this many demo stations "
                   "(in <data dir>/province; the admins on --port and the next ports)")
@pass_station(daemon=True)
def demo(station, host, port, output, stations):
    """Seed a demo station (sample bulletins, slots, users) and serve it.

    The demo logins have published passwords: they work only while radio demo
    runs, until an admin gives them new ones (radio user passwd).

    With --province N: a NATS server, the province's hub and N demo stations joined to it;
    a minute after the start the province sends a khẩn cấp bulletin that every station airs.

    Example:

    \b
        RADIO_HOME=./.radio-demo radio demo
        RADIO_HOME=./.radio-demo radio demo --province 3
    """
    if stations:
        from radio.cli.demo_province import run

        run(station, host=host, port=port, count=stations)
        return
    from radio.cli.demo import seed

    accounts = seed(station.db, station.home, now=station.clock.now())
    out = output or f"file:{station.home.outputs}"
    click.echo(f"Demo station in {station.home.root}; programmes play to {out}.")
    for username, password, role in accounts:
        click.echo(f"Log in as {username} / {password} ({role})")
    _serve(station, host, port, out, False, demo=True)
