"""``radio output ...``: the named outputs slots may air to (admin configuration)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import click

from .. import outputs as outputs_mod
from .base import CLOCK, cli, pass_station


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
@pass_station
def output_add(station, name, spec, label, zone):
    """Define output NAME as SPEC (device, device:NAME, pulse:SINK[,SINK2], file:DIR,
    icecast://source@host:port/mount; the Icecast password is asked for, then never shown).

    Example:

    \b
        radio output add thon2 pulse:thon2 --label "Cụm loa thôn 2" --zone "Thôn 2"
        radio output add loa-ip icecast://source@192.168.1.20:8000/xa --zone "Loa IP"
    """
    row = outputs_mod.add_output(station.db, name=name, spec=_with_password(spec), label=label,
                                 zone=zone, actor=station.actor, now=CLOCK.now())
    click.echo(f"Output {row['name']} ({row['kind']}) -> {row['spec']}")
    if row["kind"] == "file":
        click.echo("Note: a file output writes WAV files; nothing reaches the loudspeakers, "
                   "and the log says so.", err=True)


@output.command(name="list")
@pass_station
def output_list(station):
    """List the named outputs (passwords masked)."""
    rows = outputs_mod.list_outputs(station.db)
    if not rows:
        click.echo("No named outputs; every slot airs to the station's output "
                   f"({outputs_mod.masked(station.settings['output'])}).")
    for row in rows:
        click.echo(f"{row['name']:<16} {row['kind']:<8} {row['spec']:<40} {row['zone'] or '-'}  {row['label']}")


@output.command(name="remove")
@click.argument("name")
@pass_station
def output_remove(station, name):
    """Remove a named output (refused while a slot airs to it)."""
    outputs_mod.remove_output(station.db, name, actor=station.actor, now=CLOCK.now())
    click.echo(f"Removed output {name}.")
