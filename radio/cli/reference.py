"""Generate the README's CLI and settings references from the code itself.

``python -m radio.cli.reference --write`` rewrites the blocks between the
markers (CLI, settings, who may do what); the test suite fails when the README
is stale (like ``cog --check``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from radio.accounts.roles import ACTIONS, ROLES, can
from radio.cli import cli
from radio.settings import SETTINGS

BEGIN = "<!-- [[[cli-reference -->"
END = "<!-- ]]] -->"
SETTINGS_BEGIN = "<!-- [[[settings-reference -->"
SETTINGS_END = "<!-- ]]] settings -->"
PERMISSIONS_BEGIN = "<!-- [[[permissions-reference -->"
PERMISSIONS_END = "<!-- ]]] permissions -->"


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


#: what each action covers, for the README's table (an action missing here gets no text)
ACTION_HELP = {
    "read": "see bulletins, slots, the running order and the proof log",
    "audit.read": "read the audit trail (who did what, when)",
    "target.manage": "add, remove and import the plan's targets",
    "report.export": "download the proof log and reports",
    "bulletin.create": "write a draft bulletin",
    "bulletin.edit": "change a draft",
    "bulletin.import": "import a draft from .docx or .txt",
    "bulletin.record": "attach a human reading to a draft",
    "lexicon.edit": "change the station's pronunciations",
    "speech.render": "render a speech preview (Nghe thử, a draft's audio not made yet)",
    "slot.create": "add a broadcast slot (on the outputs the admin defined)",
    "slot.edit": "change a slot",
    "bulletin.approve": "approve a draft for air (freezes it)",
    "bulletin.return": "return a draft to its officer",
    "bulletin.urgent": "interrupt the air with an urgent bulletin",
    "bulletin.withdraw": "withdraw an approved bulletin",
    "log.manual": "enter manual proof-log entries and corrections",
    "slot.pause": "pause or resume a slot",
    "output.manage": "define outputs and loudspeaker zones",
    "settings.edit": "change station settings and hooks",
    "token.manage": "issue and revoke API tokens",
    "user.manage": "add, disable, enable accounts; set passwords and roles",
}


def permissions_reference() -> str:
    """Who may do what: one row per action of :data:`radio.accounts.roles.ACTIONS`."""
    header = " | ".join(f"{role} ({label})" for role, label in ROLES.items())
    rows = [PERMISSIONS_BEGIN, "", f"| action | meaning | {header} |",
            "| --- | --- |" + " :-: |" * len(ROLES)]
    for action in sorted(ACTIONS, key=lambda a: (list(ROLES).index(ACTIONS[a]), a)):
        ticks = " | ".join("✓" if can(role, action) else "" for role in ROLES)
        rows.append(f"| `{action}` | {ACTION_HELP.get(action, '')} | {ticks} |")
    return "\n".join([*rows, "", PERMISSIONS_END])


def _replace(text: str, begin: str, end: str, block: str) -> str:
    start, stop = text.index(begin), text.index(end) + len(end)
    return text[:start] + block + text[stop:]


def updated(readme: str) -> str:
    readme = _replace(readme, BEGIN, END, reference())
    readme = _replace(readme, PERMISSIONS_BEGIN, PERMISSIONS_END, permissions_reference())
    return _replace(readme, SETTINGS_BEGIN, SETTINGS_END, settings_reference())


def main() -> None:
    path = Path(__file__).resolve().parents[2] / "README.md"  # radio/cli/reference.py → the root
    text = path.read_text(encoding="utf-8")
    new = updated(text)
    if "--write" in sys.argv:
        path.write_text(new, encoding="utf-8")
    elif new != text:
        sys.exit("README.md CLI reference is stale: run python -m radio.cli.reference --write")


if __name__ == "__main__":
    main()
