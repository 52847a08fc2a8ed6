"""Generate the README's CLI reference from the commands' own ``--help``.

``python -m radio.cli_reference --write`` rewrites the block between the
markers; the test suite fails when the README is stale (like ``cog --check``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from .cli import cli

BEGIN = "<!-- [[[cli-reference -->"
END = "<!-- ]]] -->"


def walk(group: click.Group, prefix: tuple[str, ...] = ()):
    for name in sorted(group.commands):
        command = group.commands[name]
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from walk(command, path)


def help_text(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="radio", terminal_width=100)
    return result.output.rstrip()


def reference() -> str:
    parts = [BEGIN, ""]
    for path, _ in walk(cli):
        parts += [f"### radio {' '.join(path)}", "", "```", help_text(path), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def updated(readme: str) -> str:
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    return readme[:start] + reference() + readme[end:]


def main() -> None:
    path = Path(__file__).resolve().parent.parent / "README.md"
    text = path.read_text(encoding="utf-8")
    new = updated(text)
    if "--write" in sys.argv:
        path.write_text(new, encoding="utf-8")
    elif new != text:
        sys.exit("README.md CLI reference is stale: run python -m radio.cli_reference --write")


if __name__ == "__main__":
    main()
