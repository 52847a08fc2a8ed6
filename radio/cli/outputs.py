"""``radio output ...``: the named outputs slots may air to (admin configuration)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import click

from radio.schedule import outputs as outputs_mod
from radio.cli.base import cli, pass_station


@cli.group()
def output():
    """Named outputs: sound devices, PulseAudio sinks (zones), Icecast mounts, files."""


def _with_password(spec: str) -> str:
    """Ask for an Icecast password not given in *spec*, so it stays out of shell history."""
    parts = urlsplit(spec)
    if not spec.startswith("icecast://") or parts.password is not None:
        return spec
    password = click.prompt("Icecast source password", hide_input=True)
    user = parts.username or "source"
    port = f":{parts.port}" if parts.port else ""
    return f"icecast://{quote(user, safe='')}:{quote(password, safe='')}@{parts.hostname}{port}{parts.path}"


@output.command(name="add")
@click.argument("name")
@click.argument("spec")
@click.option("--label", default="", help="What it is, e.g. 'Cụm loa thôn 2'")
@click.option("--zone", default="", help="The loudspeaker zone (cụm loa) it reaches")
@click.option("--loudspeakers/--no-loudspeakers", "loudspeakers", default=None,
              help="Whether it feeds loudspeakers (default: by kind; a file output does not). "
                   "Airings to an output that does not never count toward a target.")
@pass_station
def output_add(station, name, spec, label, zone, loudspeakers):
    """Define output NAME as SPEC (device, device:NAME, pulse:SINK[,SINK2], file:DIR,
    icecast://source@host:port/mount; the Icecast password is asked for, then never shown).

    Example:

    \b
        radio output add thon2 pulse:thon2 --label "Cụm loa thôn 2" --zone "Thôn 2"
        radio output add loa-ip icecast://source@192.168.1.20:8000/xa --zone "Loa IP"
    """
    row = outputs_mod.add_output(station.db, name=name, spec=_with_password(spec), label=label,
                                 zone=zone, actor=station.actor, now=station.clock.now(), loudspeakers=loudspeakers)
    click.echo(f"Output {row['name']} ({row['kind']}) -> {row['spec']}")
    if not outputs_mod.feeds_loudspeakers(row):
        what = "a file output writes WAV files" if row["kind"] == "file" else "it is set as feeding no loudspeakers"
        click.echo(f"Note: {what}; nothing reaches the loudspeakers: its airings are labelled so in the log "
                   "and the reports and never count toward a target.", err=True)


@output.command(name="list")
@pass_station
def output_list(station):
    """List the named outputs (passwords masked)."""
    rows = outputs_mod.list_outputs(station.db)
    if not rows:
        click.echo("No named outputs; every slot airs to the station's output "
                   f"({outputs_mod.masked(station.settings['output'])}).")
    for row in rows:
        feeds = "loudspeakers" if outputs_mod.feeds_loudspeakers(row) else "no-loudspeakers"
        click.echo(f"{row['name']:<16} {row['kind']:<8} {row['spec']:<40} {feeds:<15} {row['zone'] or '-'}  "
                   f"{row['label']}")


@output.command(name="remove")
@click.argument("name")
@pass_station
def output_remove(station, name):
    """Remove a named output (refused while a slot airs to it)."""
    outputs_mod.remove_output(station.db, name, actor=station.actor, now=station.clock.now())
    click.echo(f"Removed output {name}.")


@output.command(name="loudspeakers")
@click.argument("name")
@click.argument("feeds", type=click.Choice(["yes", "no", "auto"]))
@pass_station
def output_loudspeakers(station, name, feeds):
    """Say whether output NAME feeds loudspeakers: yes, no, or auto (by kind: a file
    output does not; a device, PulseAudio sink or Icecast stream does).

    Airings to an output that does not feed loudspeakers are labelled so in every
    export and never count toward a target. Past entries keep what they reached.

    Example:

    \b
        radio output loudspeakers ghi-am no
    """
    row = outputs_mod.set_loudspeakers(station.db, name, {"yes": True, "no": False, "auto": None}[feeds],
                                       actor=station.actor, now=station.clock.now())
    shown = "feeds loudspeakers" if outputs_mod.feeds_loudspeakers(row) else "does not feed loudspeakers"
    click.echo(f"Output {row['name']} {shown}" + (" (by its kind)." if feeds == "auto" else "."))
