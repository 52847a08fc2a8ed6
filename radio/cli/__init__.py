"""The ``radio`` command line. Commands stay thin: open the station, call one
library function, turn library errors into one-line messages."""

from radio.cli import admin, bulletins, hub, lexicon, link, log, outputs, slots, speech, station, targets, tokens  # noqa: F401  (they register commands)
from radio.cli.base import cli

__all__ = ["cli"]
