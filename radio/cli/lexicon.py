"""``radio lexicon ...``: the station's own pronunciations."""

from __future__ import annotations

import click

from radio.speech import lexicon as lexicon_mod
from radio.cli.base import cli, pass_station


@cli.group()
def lexicon():
    """How local names and abbreviations are read aloud (beats the shipped lexicon)."""


@lexicon.command(name="set")
@click.argument("term")
@click.argument("spoken")
@pass_station
def lexicon_set(station, term, spoken):
    """Read TERM as SPOKEN in every bulletin approved from now on.

    Approved bulletins keep their approved speech: those the entry would read
    differently are listed for re-approval (bulletin list, bulletin show).

    Example:

    \b
        radio lexicon set "HTX" "hợp tác xã"
        radio lexicon set "ĐB" "Định Biên"
    """
    row = lexicon_mod.set_entry(station.db, term, spoken, now=station.clock.now(), actor=station.actor)
    click.echo(f"{row['term']} → {row['spoken']}")


@lexicon.command(name="list")
@pass_station
def lexicon_list(station):
    """List the station's own entries."""
    rows = lexicon_mod.entries(station.db)
    if not rows:
        click.echo("The station lexicon is empty (the shipped lexicon still applies).")
    for row in rows:
        click.echo(f"{row['term']}\t{row['spoken']}")


@lexicon.command(name="remove")
@click.argument("term")
@pass_station
def lexicon_remove(station, term):
    """Remove one of the station's entries."""
    lexicon_mod.remove_entry(station.db, term, now=station.clock.now(), actor=station.actor)
    click.echo(f"Removed {term}.")
