"""``radio station``, ``serve``, ``play``, ``devices`` and ``demo``: running the station."""

from __future__ import annotations

import signal
import time

import click

from .base import CLOCK, cli, library_errors, pass_station


# -- station ----------------------------------------------------------------------
def _run_daemon(station, output):
    """Start the daemon, say so, and block until SIGTERM/SIGINT."""
    from ..station import Station

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
def play(station, bulletin_id, by, wait):
    """Interrupt what is on air and play an urgent bulletin now (needs a running daemon).

    Example:

    \b
        radio play --now 7
    """
    from ..commands import command_status, request_play_now

    cmd_id = request_play_now(station.db, bulletin_id, by=by, now=CLOCK.now(), actor=station.actor)
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


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the admin listens on")
@click.option("--port", default=8080, show_default=True, type=int, help="Port of the admin")
@click.option("--output", help="Output (default: file:<home>/outputs when no sound card is found)")
@pass_station
def demo(station, host, port, output):
    """Seed a demo station (sample bulletins, slots, users) and serve it.

    Example:

    \b
        RADIO_HOME=./.radio-demo radio demo
    """
    from ..demo import seed

    accounts = seed(station.db, station.home, now=CLOCK.now())
    out = output or f"file:{station.home.outputs}"
    click.echo(f"Demo station in {station.home.root}; programmes play to {out}.")
    for username, password, role in accounts:
        click.echo(f"Log in as {username} / {password} ({role})")
    ctx = click.get_current_context()
    ctx.invoke(serve, host=host, port=port, output=out, no_station=False)
