"""``radio hub ...``: the province's side of the network, in a data directory of its own.

The CLI acts as the hub's admin. Every command opens the hub (``--hub-home`` or
``$RADIO_HUB_HOME``) on first use and turns library errors into one ``Error:`` line; the
servers not answering exit 3, like the station's other failures of the machine.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click

from radio.clock import local_text
from radio.cli.base import cli, cli_actor
from radio.cli.failures import EXIT_FAILED, CommandError, translate
from radio.network.messages import CLASSES

CLASS_WORDS = {"thuong": "ordinary (thông thường)", "uu-tien": "priority (ưu tiên)", "khan-cap": "emergency (khẩn cấp)"}


class HubGroup(click.Group):
    """``radio hub``: errors name the hub's database, and unreachable servers exit 3."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            from radio.hub import HubUnreachableError, hub_home

            database = hub_home(ctx.params.get("hub_home")).database
            error = translate(exc, database)
            error.message = error.message.replace("The station database", "The hub database", 1)
            if isinstance(exc, HubUnreachableError):
                error.exit_code = EXIT_FAILED
            raise error from None


def pass_hub(fn):
    """Open the hub (on first use in this invocation) and pass it as the first argument."""

    @click.pass_context
    @functools.wraps(fn)
    def wrapper(ctx, *args, **kwargs):
        from radio.hub import open_hub

        state = ctx.find_root().obj
        if "hub" not in state:
            state["hub"] = open_hub(state.get("hub_home"), clock=state["clock"])
            ctx.find_root().call_on_close(state["hub"].close)
        return fn(state["hub"], *args, **kwargs)

    return wrapper


@cli.group(cls=HubGroup)
@click.option("--hub-home", envvar="RADIO_HUB_HOME", type=click.Path(file_okay=False),
              help="Hub data directory (default: $RADIO_HUB_HOME or ~/.local/share/radio-hub)")
@click.pass_context
def hub(ctx, hub_home):
    """The province's hub: stations, provincial bulletins, and what every station did with them."""
    ctx.find_root().obj["hub_home"] = hub_home


# -- making the hub --------------------------------------------------------------------------------
@hub.command(name="init")
@click.option("--name", help="The province's name, written into its keys (default: province)")
@click.option("--servers", help="The NATS servers' client URLs, comma-separated (nats://HOST:PORT,...)")
@click.pass_context
def hub_init(ctx, name, servers):
    """Create the hub's data directory, its database and the province's keys.

    Run again, it keeps them and records new --servers.

    Example:

    \b
        radio hub init --name "Tỉnh Thử" --servers nats://10.0.0.1:4222,nats://10.0.0.2:4222
    """
    from radio.hub import init_hub, parse_servers

    state = ctx.find_root().obj
    recorded = parse_servers(servers) if servers is not None else None
    made, created = init_hub(state.get("hub_home"), clock=state["clock"], name=name, servers=recorded)
    ctx.find_root().call_on_close(made.close)
    click.echo(f"Hub of {made.province} {'ready' if created else 'already'} in {made.home.root} "
               f"(the province's keys in {made.home.authority})")
    _echo_servers(made.servers)


def _echo_servers(servers: list[str]) -> None:
    if servers:
        click.echo(f"Servers: {', '.join(servers)}")
    else:
        click.echo("No servers recorded yet: radio hub nats-config --servers 3 --base-port 4222 --dir DIR, "
                   "or radio hub init --servers URL,...")


@hub.command(name="nats-config")
@click.option("--servers", "count", required=True, type=click.IntRange(1, 9), help="How many servers (3 for a cluster)")
@click.option("--base-port", required=True, type=click.IntRange(1, 65535),
              help="The first server's client port; routes at +2000, monitoring at +4000")
@click.option("--dir", "directory", required=True, type=click.Path(file_okay=False),
              help="Where the files and the servers' JetStream storage go")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address they listen on and clients dial")
@click.option("--max-file-store", help="Cap on each server's JetStream disk (e.g. 20G)")
@click.option("--tls-cert", type=click.Path(dir_okay=False), help="PEM certificate: clients connect over TLS")
@click.option("--tls-key", type=click.Path(dir_okay=False), help="The certificate's PEM key")
@pass_hub
def hub_nats_config(hub, count, base_port, directory, host, max_file_store, tls_cert, tls_key):
    """Write DIR/nats-1.conf ... nats-N.conf for the province's NATS cluster and record their URLs.

    Adding stations later changes nothing in them. With --tls-cert and --tls-key stations
    and the hub connect over TLS (the hub trusts that certificate).

    Example:

    \b
        radio hub nats-config --servers 3 --base-port 4222 --dir /srv/nats
        radio hub nats-config --servers 3 --base-port 4222 --dir /srv/nats --host hub.tinh.gov.vn \\
            --tls-cert /etc/ssl/hub.pem --tls-key /etc/ssl/hub.key
    """
    from radio.hub.hub import write_server_configs

    layout = write_server_configs(hub, servers=count, base_port=base_port, directory=directory, host=host,
                                  max_file_store=max_file_store, tls_cert=tls_cert, tls_key=tls_key)
    click.echo(f"Wrote {', '.join(s.path.name for s in layout)} in {layout[0].path.parent} "
               "(JetStream storage beside them). Run each server:")
    for server in layout:
        click.echo(f"  nats-server -c {server.path}")
    _echo_servers(hub.servers)


# -- stations --------------------------------------------------------------------------------------
@hub.group(name="station")
def hub_station():
    """Register the province's stations and list them."""


@hub_station.command(name="add")
@click.argument("code")
@click.option("--name", required=True, help="The station's name (the commune's)")
@click.option("--zone", default="", help="A zone of stations that bulletins can target (--to zone:NAME)")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the station's join file (CODE.creds)")
@pass_hub
def hub_station_add(hub, code, name, zone, output):
    """Register a station and write the file it joins with (mode 0600).

    Its consumer is made on the servers now if they answer, else at the next send or serve.

    Example:

    \b
        radio hub station add XA-TAN-AN --name "Xã Tân An" --zone bac -o XA-TAN-AN.creds
        (on the station: radio link join --credentials XA-TAN-AN.creds)
    """
    from radio.hub import HubUnreachableError, add_station
    from radio.hub.servers import JS_TIMEOUT_S, connect, prepare, run

    row = add_station(hub, code, name=name, zone=zone, join_path=Path(output), now=hub.clock.now(),
                      by=cli_actor().username)
    click.echo(f"Station {row['code']} ({row['name']}) registered; its join file: {output}. On the station: "
               f"radio link join --credentials {Path(output).name}")

    async def make_consumer():
        nc = await connect(hub)
        try:
            await prepare(hub, nc.jetstream(timeout=JS_TIMEOUT_S))
        finally:
            await nc.close()

    try:
        run(hub, make_consumer(), timeout=20)
        click.echo("Its consumer is ready on the servers.")
    except HubUnreachableError as exc:
        click.echo(f"Warning: {exc.why or 'the servers did not answer'}: its consumer is made at the next "
                   "radio hub send or radio hub serve.", err=True)


@hub_station.command(name="list")
@pass_hub
def hub_station_list(hub):
    """The registered stations."""
    from radio.hub import list_stations

    rows = list_stations(hub.db)
    if not rows:
        click.echo("No station registered (radio hub station add CODE --name NAME -o CODE.creds).")
    for row in rows:
        click.echo(f"{row['code']:<14} {row['name']}" + (f"  [zone {row['zone']}]" if row["zone"] else "")
                   + f"  added {local_text(row['added_at'])}"
                   + ("" if row["consumer_at"] else "  (consumer not made yet: the servers did not answer)"))


# -- bulletins -------------------------------------------------------------------------------------
@hub.command(name="send")
@click.option("--class", "cls", required=True, type=click.Choice(CLASSES),
              help="thuong (the commune chooses when), uu-tien (priority), khan-cap (at once)")
@click.option("--to", "to", required=True, help="all, or station codes and zone:NAME, comma-separated")
@click.option("--title", help="Title (with --file: default the file's first paragraph)")
@click.option("--text", help="The bulletin's text")
@click.option("--file", "file_", type=click.Path(dir_okay=False), help="Read the text from a .txt or .docx file")
@click.option("--audio", type=click.Path(dir_okay=False), help="A recording (not yet: send its text)")
@click.option("--topic", default="", help="Topic")
@click.option("--from", "valid_from", help="First local date it may air (YYYY-MM-DD)")
@click.option("--until", "valid_until", help="Last local date it may air (YYYY-MM-DD)")
@click.option("--repeat", default=1, show_default=True, type=int, help="How many airings")
@click.option("--by", "by", required=True, help="The province leader who approves it (named on every station)")
@pass_hub
def hub_send(hub, cls, to, title, text, file_, audio, topic, valid_from, valid_until, repeat, by):
    """Write, approve and send a provincial bulletin; print its id.

    One signed copy goes to each target station, each acknowledged by JetStream; if the
    servers fail half-way, radio hub resend ID sends the rest.

    Example:

    \b
        radio hub send --class khan-cap --to all --title "Bão số 9" --text "..." --by "Nguyễn Văn A"
        radio hub send --class thuong --to XA-TAN-AN,zone:bac --file thong-bao.docx --by "Trần Thị B"
    """
    from radio.hub import Targets, approve, send, write_bulletin
    from radio.hub.bulletins import read_file

    if audio:
        raise CommandError("Provincial recordings (--audio) are not supported yet; send the text with --text or --file.")
    if (text is None) == (file_ is None):
        raise click.UsageError("Give exactly one of --text or --file.")
    imported_from = None
    if file_:
        if not Path(file_).exists():
            raise CommandError(f'File "{file_}" does not exist.')
        title, text, note = read_file(Path(file_), title)
        imported_from = Path(file_).name
        if note:
            click.echo(f"Note: {note}", err=True)
    elif not (title or "").strip():
        raise click.UsageError("--title is needed with --text.")
    now = hub.clock.now()
    bulletin_id = write_bulletin(hub.db, cls=cls, title=title, text=text, targets=Targets.parse(to), now=now,
                                 topic=topic, valid_from=valid_from, valid_until=valid_until, repeat=repeat,
                                 by=cli_actor().username, imported_from=imported_from)
    approve(hub.db, bulletin_id, by=by, now=now)
    click.echo(bulletin_id)  # before sending: a failed send names it, and resend takes it
    _sent(send(hub, bulletin_id))


def _sent(report) -> None:
    if report.delivered:
        click.echo(f"Sent to {len(report.delivered)} station(s): {', '.join(report.delivered)}", err=True)
    if report.already:
        click.echo(f"Delivered before: {', '.join(report.already)}", err=True)


@hub.command(name="resend")
@click.argument("bulletin_id")
@pass_hub
def hub_resend(hub, bulletin_id):
    """Send an approved bulletin's copies that were not delivered (the servers failed half-way).

    Example:

    \b
        radio hub resend P-20261208-0001
    """
    from radio.hub import send

    report = send(hub, bulletin_id)
    if not report.delivered:
        click.echo(f"Bulletin {report.bulletin_id} was delivered to all {len(report.stations)} station(s) already.")
        return
    click.echo(f"Bulletin {report.bulletin_id}: sent to {', '.join(report.delivered)}"
               + (f"; delivered before to {', '.join(report.already)}" if report.already else ""))


# -- following the stations ------------------------------------------------------------------------
@hub.command(name="serve")
@click.option("--once", is_flag=True, help="Apply what the stations sent up, then stop")
@pass_hub
def hub_serve(hub, once):
    """Follow what the stations send up (proof entries, acknowledgements, heartbeats) until stopped.

    Each station's chain is checked as its entries arrive; a gap, a fork or an edit is an alert.

    Example:

    \b
        RADIO_HUB_HOME=/srv/radio-hub radio hub serve
    """
    from radio.hub import apply_pending, serve_forever

    if once:
        click.echo(f"Applied {apply_pending(hub, timeout=60)} message(s).")
        return
    click.echo(f"Hub of {hub.province}: following the stations on {', '.join(hub.servers) or 'no servers'}. "
               "Ctrl-C stops it.")
    serve_forever(hub)


@hub.command(name="rebuild")
@pass_hub
def hub_rebuild(hub):
    """Drop the hub's projection and recompute it from the streams (RADIO_DOWN and RADIO_UP).

    Example:

    \b
        radio hub rebuild && radio hub status
    """
    from radio.hub import rebuild

    done = rebuild(hub)
    click.echo(f"Rebuilt from the streams: {done.down} message(s) of RADIO_DOWN, {done.up} of RADIO_UP.")


@hub.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON")
@pass_hub
def hub_status(hub, as_json):
    """Each station (online, last heartbeat, its chain) and each bulletin at each station.

    Example:

    \b
        radio hub status --json
    """
    from radio.hub import status

    found = status(hub, now=hub.clock.now())
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2, sort_keys=True))
        return
    for line in _status_lines(found):
        click.echo(line)


def _short(value: str | None) -> str:
    return f"{value[:12]}…" if value else "-"


def _station_line(station: dict) -> str:
    chain = station["chain"]
    seen = (f"last heartbeat {local_text(station['last_heartbeat'])}" if station["last_heartbeat"]
            else "no heartbeat yet")
    held = (f"{chain['entries']} entr{'y' if chain['entries'] == 1 else 'ies'}, head {_short(chain['head_hash'])}, "
            + ("verified" if chain["verified"] else f"{chain['alerts']} alert(s)")) if chain["entries"] \
        else ("no entries" if chain["verified"] else f"no entries, {chain['alerts']} alert(s)")
    name = station["name"] or "(not registered)"
    zone = f" [zone {station['zone']}]" if station["zone"] else ""
    return f"  {station['code']:<14} {name}{zone}: {'online' if station['online'] else 'offline'}, {seen}; chain: {held}"


def _copy_line(copy: dict) -> str:
    parts = [f"sent {local_text(copy['sent_at'])}" + ("" if copy["delivered"] else ", not delivered yet")]
    if copy["received_at"]:
        parts.append(f"received {local_text(copy['received_at'])}")
    if copy["scheduled_at"]:
        parts.append(f"scheduled {local_text(copy['scheduled_at'])}"
                     + (f" for {local_text(copy['scheduled_for'])}" if copy["scheduled_for"] else ""))
    for outcome in copy["outcomes"]:
        entry = (f"entry {outcome['entry_id']}, {_short(outcome['entry_hash'])}"
                 + (", in the chain" if outcome["verified"] else ", NOT in the verified chain")
                 if outcome["entry_id"] is not None else "no entry")
        parts.append(f"{outcome['state']} {local_text(outcome['at'])} ({entry})"
                     + (f": {outcome['reason']}" if outcome["reason"] else ""))
    if not copy["delivered"] and copy["last_error"]:
        parts.append(f"last error: {copy['last_error']}")
    return f"    {copy['code']:<14} " + "; ".join(parts)


def _status_lines(found: dict):
    yield f"Province {found['province']}: servers {', '.join(found['servers']) or 'none recorded'}"
    yield "Stations:" if found["stations"] else "Stations: none registered"
    yield from (_station_line(s) for s in found["stations"])
    if found["alerts"]:
        yield "Alerts:"
        for alert in found["alerts"]:
            yield f"  {alert['station']} ({alert['kind']}, {local_text(alert['at'])}): {alert['detail']}"
    yield "Bulletins:" if found["bulletins"] else "Bulletins: none"
    for bulletin in found["bulletins"]:
        approved = (f"approved by {bulletin['approved_by']} {local_text(bulletin['approved_at'])}"
                    if bulletin["approved_by"] else bulletin["status"])
        yield (f"  {bulletin['id']}  {CLASS_WORDS.get(bulletin['class'], bulletin['class'])}  {bulletin['title']!r}, "
               f"{approved}; delivered {bulletin['delivered']}/{len(bulletin['stations'])}, "
               f"aired {bulletin['aired']}/{len(bulletin['stations'])}")
        yield from (_copy_line(c) for c in bulletin["stations"])


# -- the province's report -------------------------------------------------------------------------
@hub.command(name="report")
@click.option("--month", required=True, help="Local month YYYY-MM")
@click.option("--format", "fmt", required=True, type=click.Choice(["xlsx", "docx"]),
              help="xlsx (one sheet per part) or docx (the report, NĐ 30/2020 layout)")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="File to write")
@click.option("--target", "minimum", default=1, show_default=True, type=click.IntRange(1, 10_000),
              help="CCHC airings each commune must reach in the month")
@click.option("--number", default="", help="The report's number before /BC-UBND (default: ... to fill in)")
@click.option("--signer", default="", help="The signer's full name (default: left blank to sign by hand)")
@pass_hub
def hub_report(hub, month, fmt, output, minimum, number, signer):
    """The province's monthly report: which communes met their CCHC target, how each
    provincial bulletin of the month aired at each station, and each station's chain.

    Made from hub.db alone (what the stations sent up): an airing counts toward the
    target as on the commune (aired whole, a completed CCHC item, to loudspeakers, not
    to a file). The file is written whole or not at all.

    Example:

    \b
        radio hub report --month 2026-12 --format docx -o bao-cao-tinh-12-2026.docx
        radio hub report --month 2026-12 --format xlsx -o bao-cao-tinh-12-2026.xlsx --target 2
    """
    from radio.hub.report import export
    from radio.reports import periods

    if output.strip() in ("", "-"):
        raise click.ClickException(f"--format {fmt} cannot go to stdout; give a file name with -o.")
    period = periods.select(month_text=month)
    report = export(hub, Path(output), fmt, period, now=hub.clock.now(), minimum=minimum,
                    settings={"report_number": number, "report_signer": signer})
    click.echo(f"Wrote {output} ({report.month_vi}): {report.met}/{len(report.stations)} station(s) met the "
               f"target of {minimum}; {len(report.bulletins)} provincial bulletin(s); "
               f"{len(report.alerts)} chain alert(s).")


@hub.group(name="user")
def hub_user():
    """Accounts of the province admin (radio hub admin)."""


@hub_user.command(name="add")
@click.argument("username")
@click.option("--role", type=click.Choice(["viewer", "editor", "leader", "admin"]), required=True,
              help="viewer reads; editor writes drafts; leader approves and sends; admin registers stations, users")
@click.option("--name", "display_name", default="", help="Full name shown in the admin (a leader's is on every station)")
@click.password_option(help="Password (asked when not given): 10+ characters, not a common one")
@pass_hub
def hub_user_add(hub, username, role, display_name, password):
    """Add an account of the province admin.

    Example:

    \b
        radio hub user add thamdinh --role leader --name "Trần Thị B"
    """
    from radio.hub.accounts import add_hub_user

    add_hub_user(hub.db, username=username, password=password, role=role, now=hub.clock.now(),
                 display_name=display_name, province=hub.province)
    click.echo(f"User {username} added ({role}).")


@hub_user.command(name="list")
@pass_hub
def hub_user_list(hub):
    """List the province admin's accounts with their role and state."""
    from radio.hub.accounts import list_hub_users

    rows = list_hub_users(hub.db)
    if not rows:
        click.echo("No accounts yet: radio hub user add USERNAME --role admin")
    for row in rows:
        state = "disabled" if row["disabled_at"] else "enabled"
        click.echo(f"{row['username']:<20} {row['role']:<8} {state:<10} {row['display_name']}")


@hub.command(name="admin")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the province admin listens on")
@click.option("--port", default=8090, show_default=True, type=click.IntRange(0, 65535), help="Its port")
@click.option("--demo", is_flag=True, hidden=True, help="radio demo --province: its published logins work")
@pass_hub
def hub_admin(hub, host, port, demo):
    """Run the province admin (Vietnamese, on waitress); radio hub serve keeps the projection.

    Example:

    \b
        radio hub admin --host 0.0.0.0 --port 8090
    """
    import signal
    import threading

    from waitress import create_server

    from web.hub import create_hub_app

    app = create_hub_app(str(hub.home.root))
    app.config["DEMO"] = demo
    try:
        server = create_server(app, host=host, port=port, threads=8, ident="radio")
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror}") from None
    thread = threading.Thread(target=server.run, daemon=True, name="hub-admin")
    thread.start()
    click.echo(f"Province admin: http://{host}:{getattr(server, 'effective_port', port)}/")
    if not hub.db.execute("SELECT 1 FROM users LIMIT 1").fetchone():
        click.echo("No account yet: radio hub user add USERNAME --role admin")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        server.close()
        server.task_dispatcher.shutdown()
