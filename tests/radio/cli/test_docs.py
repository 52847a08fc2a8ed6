"""README and --help agree (as sqlite-utils' test_docs does)."""

from pathlib import Path

import pytest

from radio.cli import reference as cli_reference
from radio.cli import cli

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
COMMANDS = [path for path, _ in cli_reference.walk(cli)]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p))
def test_every_command_is_documented_and_has_help(path):
    assert f"### radio {' '.join(path)}\n" in README
    assert cli_reference.help_text(path).splitlines()[0].startswith("Usage: radio")


def test_cli_reference_is_up_to_date():
    assert cli_reference.updated(README) == README, "run python -m radio.cli.reference --write"
