"""``radio slot edit``: flags mirror update_slot, errors are one line and change nothing."""

import pytest

from radio.cli import cli
from radio.store.connection import connect


def run(runner, *args):
    return runner.invoke(cli, list(args))


@pytest.fixture
def slot(runner, home):
    result = run(runner, "slot", "add", "--at", "06:00", "--days", "daily", "--cap", "15", "--name", "Sáng")
    assert result.exit_code == 0, result.output
    return result.output.strip()


def stored(home):
    db = connect(home.database)
    try:
        return dict(db["slots"].get(1)), db["audit"].count
    finally:
        db.conn.close()


def test_edit_changes_only_what_is_given(runner, home, slot):
    result = run(runner, "slot", "edit", slot, "--at", "17:30", "--days", "mon,wed", "--topics", "cchc")
    assert result.exit_code == 0, result.output
    assert result.output == "Slot 1: 17:30:00 mon,wed.\n"
    row, _ = stored(home)
    assert (row["at_time"], row["days"], row["topics"], row["cap_minutes"], row["name"]) == (
        "17:30:00", "mon,wed", "cchc", 15, "Sáng")
    assert "17:30:00  mon,wed" in run(runner, "slot", "list").output


def test_empty_values_clear_and_one_off_switch(runner, home, slot):
    result = run(runner, "slot", "edit", slot, "--cap", "", "--date", "2099-01-02")
    assert result.exit_code == 0, result.output
    row, _ = stored(home)
    assert (row["cap_minutes"], row["days"], row["date"]) == (None, None, "2099-01-02")


def test_quiet_hours_warning_on_stderr(runner, home, slot):
    result = runner.invoke(cli, ["slot", "edit", slot, "--at", "04:00"])
    assert result.exit_code == 0
    assert "Warning: Slot at 04:00 is outside" in result.stderr
    assert result.stdout == "Slot 1: 04:00:00 daily.\n"


@pytest.mark.parametrize("args, message", [
    (["--at", "27:00"], "Error: Time \"27:00\" is not a time of day."),
    (["--days", "mon,xyz"], "Error: Unknown day \"xyz\""),
    (["--date", "2020-01-01"], "in the past"),
    (["--cap", "0"], "Error: A slot's cap must be at least 1 minute."),
    (["--from", "2099-02-01", "--until", "2099-01-01"], "Error: The slot's valid window ends before it starts."),
    (["--output", "file:/tmp/x"], "is not one of the station's outputs"),
    (["--days", "daily", "--date", "2099-01-01"], "--days cannot be used with --date"),
])
def test_bad_edit_is_one_line_and_changes_nothing(runner, home, slot, args, message):
    before = stored(home)
    result = run(runner, "slot", "edit", slot, "--name", "Đổi", *args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert stored(home) == before


def test_no_flag_is_a_usage_error(runner, home, slot):
    before = stored(home)
    result = run(runner, "slot", "edit", slot)
    assert result.exit_code == 2 and "Give at least one of --at" in result.output
    assert stored(home) == before


def test_unknown_slot(runner, home, slot):
    result = run(runner, "slot", "edit", "9", "--at", "07:00")
    assert result.exit_code == 1 and result.output == "Error: Slot 9 does not exist.\n"
