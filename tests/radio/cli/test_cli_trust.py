"""The CLI acts as the local operator (an admin named after the OS user), audited like anyone."""

import getpass

from radio.accounts import audit
from radio.cli import cli
from radio.store.connection import connect


def test_cli_changes_are_audited_as_the_os_user(runner, home):
    bulletin_id = runner.invoke(cli, ["bulletin", "add", "--title", "Tin", "--text", "Nội dung."]).output.strip()
    shown = runner.invoke(cli, ["bulletin", "show", bulletin_id]).output
    (digest,) = [line.split(": ")[1] for line in shown.splitlines() if line.startswith("content sha256: ")]
    result = runner.invoke(cli, ["bulletin", "return", bulletin_id, "--reason", "Thêm thời hạn"])
    assert result.exit_code == 0 and "returned to its officer" in result.output
    stale = runner.invoke(cli, ["bulletin", "approve", bulletin_id, "--by", "Chủ tịch", "--sha256", "0" * 64,
                                "--no-render"])
    assert stale.exit_code == 1 and stale.output.startswith("Error: Bulletin 1 changed after you opened it")
    ok = runner.invoke(cli, ["bulletin", "approve", bulletin_id, "--by", "Chủ tịch", "--sha256", digest,
                             "--no-render"])
    assert ok.exit_code == 0, ok.output
    slot_id = runner.invoke(cli, ["slot", "add", "--at", "17:00", "--days", "daily"]).output.strip()
    assert runner.invoke(cli, ["slot", "pause", slot_id]).exit_code == 0
    assert runner.invoke(cli, ["slot", "resume", slot_id]).exit_code == 0
    assert runner.invoke(cli, ["slot", "remove", slot_id]).exit_code == 0
    db = connect(home.database)
    rows = audit.entries(db)
    user = f"cli:{getpass.getuser()}"
    assert {(r["username"], r["role"]) for r in rows} == {(user, "admin")}
    assert [r["action"] for r in reversed(rows)] == [
        "bulletin.create", "bulletin.return", "bulletin.approve", "slot.create", "slot.pause", "slot.pause",
        "slot.pause"]
    assert db["bulletins"].get(1)["approved_by"] == "Chủ tịch"


def test_cli_refusals_are_one_line(runner):
    result = runner.invoke(cli, ["slot", "pause", "1" * 23])
    assert result.exit_code == 1 and result.output.count("\n") == 1 and result.output.startswith("Error: Slot")
