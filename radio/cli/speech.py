"""``radio normalize`` and ``radio speak``: text to its spoken form and to audio."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from radio.cli.base import cli, pass_station


@cli.command()
@click.argument("text", required=False)
@click.option("--explain", is_flag=True,
              help="After each spoken line, list the spans read by a guess (one indented line each)")
@pass_station
def normalize(station, text, explain):
    """Print the spoken form of TEXT (or of stdin, one output line per input line).

    Uses the shipped lexicon and the station's own entries (radio lexicon).
    With --explain, each spoken line is followed by one line per unsure span:
    its character offsets in that input line, its kind (unknown_abbreviation,
    spelled, code, foreign), the written token and what it became. A line with
    none prints nothing extra; `radio lexicon set TERM SPOKEN` resolves a span.

    Example:

    \b
        radio normalize "Căn cứ Kế hoạch số 26/KH-UBND ngày 26/01/2022"
        cat ke-hoach.txt | radio normalize
        radio normalize --explain "Ban XKLĐ xã họp"
    """
    from content.normalize import analyse, normalize_lines

    from radio.bulletins.spoken import station_lexicon

    lexicon = station_lexicon(station.db)
    lines = (line.rstrip("\n") for line in sys.stdin) if text is None else iter(text.split("\n"))
    if not explain:
        for spoken in normalize_lines(lines, lexicon=lexicon):
            click.echo(spoken)
        return
    for line in lines:
        analysis = analyse(line, lexicon)
        click.echo(analysis.spoken)
        for span in analysis.unsure:
            click.echo(f"  ? {span.start}-{span.end} {span.kind}: {span.original} -> {span.spoken}")


@cli.command()
@click.argument("text", required=False)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="WAV file to write")
@click.option("--engine", type=click.Choice(["auto", "gtts", "espeak", "piper"]), default=None,
              help="Speech engine (default: the station's setting, normally auto)")
@pass_station
def speak(station, text, output, engine):
    """Normalise TEXT (or stdin) and render it to a WAV file; says which engine spoke.

    Example:

    \b
        radio speak "UBND xã thông báo" -o thong-bao.wav --engine auto
    """
    import shutil

    from radio.speech.rendering import render_speech

    if text is None:
        text = sys.stdin.read()
    if not text.strip():
        raise click.ClickException("Nothing to say: the text is empty.")
    if not Path(output).resolve().parent.is_dir():
        raise click.ClickException(f'Folder "{Path(output).parent}" does not exist; cannot write {output}.')
    rendering = render_speech(text, station.home, station.settings, station.db, engine=engine)
    shutil.copyfile(rendering.path, output)
    click.echo(f"Wrote {output}: {rendering.duration_ms / 1000:.1f} s, engine {rendering.engine}")
