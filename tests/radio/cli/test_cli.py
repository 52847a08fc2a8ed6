"""The CLI's contract: ids on stdout, one-line errors, non-zero exits, nothing half-written."""

import pytest

from radio.cli import cli
from radio.store.connection import connect


def run(runner, *args, input=None):
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def test_init_creates_the_data_directory(runner, home):
    result = run(runner, "init")
    assert result.exit_code == 0
    assert (home.root / "radio.db").exists() and (home.root / "radio.toml").exists()


def test_add_approve_list(runner, home):
    result = run(runner, "bulletin", "add", "--title", "Thông báo", "--text", "UBND xã thông báo.")
    assert result.exit_code == 0 and result.output.strip() == "1"
    result = run(runner, "bulletin", "approve", "1", "--by", "Chủ tịch", "--no-render")
    assert result.exit_code == 0 and "approved by Chủ tịch" in result.output
    result = run(runner, "bulletin", "list")
    assert "approved" in result.output and "Thông báo" in result.output


def test_add_from_a_text_file(runner, tmp_path):
    doc = tmp_path / "tin.txt"
    doc.write_text("Tin cải cách hành chính\nNội dung tin bài.\n", encoding="utf-8")
    result = run(runner, "bulletin", "add", "--file", str(doc))
    assert result.exit_code == 0
    assert "Tin cải cách hành chính" in run(runner, "bulletin", "list").output


@pytest.mark.parametrize("args, message", [
    (["bulletin", "add", "--title", "T", "--text", "   "], "empty"),
    (["bulletin", "add", "--title", "T", "--file", "/nonexistent/tin.docx"], "does not exist"),
    (["bulletin", "add", "--title", "T"], "exactly one of --text or --file"),
    (["bulletin", "approve", "99", "--by", "x"], "Bulletin 99 does not exist"),
    (["slot", "add", "--at", "08:00", "--date", "2020-01-01"], "in the past"),
    (["slot", "add", "--at", "27:00", "--days", "daily"], "not a time of day"),
    (["slot", "add", "--at", "08:00"], "--days"),
    (["log", "export", "--month", "2026-13", "-o", "x.csv"], "not YYYY-MM"),
    (["play", "--now", "5", "--no-wait"], "does not exist"),
])
def test_bad_input_is_one_clear_line_and_writes_nothing(runner, home, args, message):
    result = runner.invoke(cli, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    db = connect(home.database)
    assert db["bulletins"].count == 0 and db["slots"].count == 0 and db["commands"].count == 0


def test_normalize_keeps_one_line_per_input_line(runner):
    result = run(runner, "normalize", input="UBND xã\n\nngày 26/01/2022\n")
    lines = result.output.split("\n")[:-1]
    assert len(lines) == 3 and lines[1] == ""
    assert "Ủy ban nhân dân" in lines[0] and "hai mươi sáu" in lines[2]


def test_slot_outside_quiet_hours_warns(runner):
    result = runner.invoke(cli, ["slot", "add", "--at", "05:00", "--days", "daily"])
    assert result.exit_code == 0 and "Warning" in result.output


def test_log_verify(runner):
    assert "intact" in run(runner, "log", "verify").output


def test_station_lexicon_overrides_the_shipped_one(runner):
    assert run(runner, "normalize", "HTX Tân Tiến").output == "hợp tác xã Tân Tiến\n"
    assert run(runner, "lexicon", "set", "HTX", "hợp tác xã nông nghiệp").exit_code == 0
    assert "hợp tác xã nông nghiệp Tân Tiến" in run(runner, "normalize", "HTX Tân Tiến").output
    assert "HTX\thợp tác xã nông nghiệp" in run(runner, "lexicon", "list").output
    assert run(runner, "lexicon", "remove", "HTX").exit_code == 0
    result = runner.invoke(cli, ["lexicon", "remove", "HTX"])
    assert result.exit_code == 1 and "not in the station lexicon" in result.output
    result = runner.invoke(cli, ["lexicon", "set", "Nà Phặc", " "])
    assert result.exit_code == 1 and "spoken form is empty" in result.output
