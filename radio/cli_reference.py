"""Generate the README's CLI and settings references from the code itself.

``python -m radio.cli_reference --write`` rewrites the block between the
markers; the test suite fails when the README is stale (like ``cog --check``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from .cli import cli
from .settings import SETTINGS

BEGIN = "<!-- [[[cli-reference -->"
END = "<!-- ]]] -->"
SETTINGS_BEGIN = "<!-- [[[settings-reference -->"
SETTINGS_END = "<!-- ]]] settings -->"


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


def settings_reference() -> str:
    rows = [SETTINGS_BEGIN, "", "| setting | default | allowed | meaning |", "| --- | --- | --- | --- |"]
    rows += [f"| `{s.name}` | `{s.default!r}` | {s.allowed()} | {s.help} |" for s in SETTINGS]
    return "\n".join([*rows, "", SETTINGS_END])


def _replace(text: str, begin: str, end: str, block: str) -> str:
    start, stop = text.index(begin), text.index(end) + len(end)
    return text[:start] + block + text[stop:]


def updated(readme: str) -> str:
    readme = _replace(readme, BEGIN, END, reference())
    return _replace(readme, SETTINGS_BEGIN, SETTINGS_END, settings_reference())


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
