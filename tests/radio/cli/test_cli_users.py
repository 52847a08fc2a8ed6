"""``radio user ...``: thin commands over radio.accounts.users, one-line errors, nothing half-written."""

import pytest

from radio.accounts import audit
from radio.cli import cli
from radio.store.connection import connect

GOOD = "loa-thon-ba-2026"


def run(runner, *args, input=None):
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def test_user_lifecycle(runner, home):
    assert "No accounts yet" in run(runner, "user", "list").output
    assert run(runner, "user", "add", "quantri", "--role", "admin", "--password", GOOD).exit_code == 0
    result = run(runner, "user", "add", "xem", "--role", "viewer", "--name", "Người xem", "--password", GOOD)
    assert result.exit_code == 0 and "User xem added (viewer)." in result.output
    listing = run(runner, "user", "list").output.splitlines()
    assert listing[1].split()[:3] == ["xem", "viewer", "enabled"] and "Người xem" in listing[1]
    assert run(runner, "user", "role", "xem", "officer").output == "xem is now officer.\n"
    assert run(runner, "user", "disable", "xem").output == "User xem disabled.\n"
    assert "disabled" in run(runner, "user", "list").output
    assert run(runner, "user", "enable", "xem").output == "User xem enabled.\n"
    result = run(runner, "user", "passwd", "xem", input="mat-khau-moi-2027\nmat-khau-moi-2027\n")
    assert result.exit_code == 0 and "sessions were ended" in result.output
    db = connect(home.database)
    actions = [r["action"] for r in audit.entries(db)]
    assert actions == ["user.passwd", "user.enable", "user.disable", "user.role", "user.add", "user.add"]
    assert {r["username"] for r in audit.entries(db)} == {"cli"}


@pytest.mark.parametrize("args, message", [
    (["user", "add", "a1", "--role", "officer", "--password", "12345678"], "at least 10 characters"),
    (["user", "add", "a1", "--role", "officer", "--password", "password123"], "most common"),
    (["user", "add", "a1", "--role", "officer", "--password", "Aa1234567890"], "too easy to guess"),
    (["user", "add", "a1", "--role", "officer", "--password", "MinhDuc-2026"], "station name"),
    (["user", "add", "A B", "--role", "officer", "--password", GOOD], "Username: 2–32"),
    (["user", "passwd", "nobody", "--password", GOOD], 'User "nobody" does not exist.'),
    (["user", "disable", "quantri"], 'User "quantri" is the last admin'),
    (["user", "role", "quantri", "leader"], 'User "quantri" is the last admin'),
    (["user", "enable", "quantri"], 'User "quantri" is not disabled.'),
])
def test_user_errors_are_one_line(runner, home, args, message):
    run(runner, "user", "add", "quantri", "--role", "admin", "--password", GOOD)
    before = connect(home.database).execute("SELECT count(*) FROM audit").fetchone()[0]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert connect(home.database).execute("SELECT count(*) FROM audit").fetchone()[0] == before


def test_role_choice_includes_viewer(runner):
    result = runner.invoke(cli, ["user", "add", "--help"])
    assert "viewer|officer|leader|admin" in result.output
