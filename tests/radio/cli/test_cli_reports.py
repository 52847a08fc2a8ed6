"""``radio targets`` and ``radio log export``: status words, formats, periods, one-line errors."""

from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from radio.cli import cli
from radio.clock import STATION_TZ, ManualClock
from tests.support.proof import log_occurrence

SEEDS = "/work/shared/seeds"


#: what the commands' clock reads (given as the CLI takes it, in click's context object)
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=STATION_TZ)


def run(runner, *args, input=None):
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False,
                         obj={"clock": ManualClock(NOW)})


def test_targets_print_count_and_status_word(runner, db):
    log_occurrence(db, datetime(2026, 10, 5, 5, 30, tzinfo=STATION_TZ))
    log_occurrence(db, datetime(2026, 11, 5, 5, 30, tzinfo=STATION_TZ), status="partial")
    result = run(runner, "targets")
    assert result.exit_code == 0
    assert "2026-11" in result.output and "0/1" in result.output and "at risk" in result.output
    assert "partial occurrences do not count" in result.output
    lines = run(runner, "targets", "--period", "2026-Q4").output.splitlines()
    assert [line.split()[1:4] for line in lines[:3]] == [["2026-10", "1/1", "met"], ["2026-11", "0/1", "at"],
                                                         ["2026-12", "0/1", "upcoming"]]
    assert "missed" in run(runner, "targets", "--month", "2026-09").output


def test_targets_add_list_remove(runner):
    result = run(runner, "targets", "add", "--period", "quarter", "--minimum", "3")
    assert result.exit_code == 0 and result.output.strip() == "Added target #2: at least 3 cchc bulletins per quarter"
    assert "#2   at least 3 cchc bulletins per quarter" in run(runner, "targets", "list").output
    assert run(runner, "targets", "remove", "2").exit_code == 0
    result = run(runner, "targets", "remove", "2")
    assert result.exit_code == 1 and result.output == "Error: Target 2 does not exist.\n"
    result = run(runner, "targets", "add", "--minimum", "0")
    assert result.exit_code == 1 and result.output == "Error: A target's minimum must be at least 1.\n"


@pytest.mark.parametrize("seed, expected", [
    ("ke-hoach-thi-tran-thach-ha-2021.txt", ["at least 1 cchc bulletin per month (2021-01-01 to 2021-12-31)"]),
    ("ke-hoach-xa-dinh-bien-2022.txt", [
        "at least 1 cchc bulletin per quarter (2022-01-01 to 2022-03-31)",
        "at least 1 cchc bulletin per quarter (2022-04-01 to 2022-06-30)",
        "at least 1 cchc bulletin per quarter (2022-07-01 to 2022-09-30)"]),
    ("ke-hoach-xa-chien-thang-2022.txt", []),
    ("ke-hoach-xa-minh-duc-2023.txt", []),
    ("tin-bai-tinh-bac-kan-2022.txt", []),
])
def test_plan_import_on_every_seed(runner, seed, expected):
    result = run(runner, "targets", "import", f"{SEEDS}/{seed}", "--yes")
    assert result.exit_code == 0
    for line in expected:
        assert line in result.output
    listed = run(runner, "targets", "list").output
    assert listed.count("#") == 1 + len(expected)


def test_plan_import_asks_for_each(runner):
    result = run(runner, "targets", "import", f"{SEEDS}/ke-hoach-xa-dinh-bien-2022.txt", input="n\ny\nn\n")
    assert "Added 1 target(s): #2." in result.output
    assert "2022-04-01 to 2022-06-30" in run(runner, "targets", "list").output


def test_export_every_format_and_period(runner, db, tmp_path):
    log_occurrence(db, datetime(2026, 11, 14, 20, 0, tzinfo=STATION_TZ))
    log_occurrence(db, datetime(2026, 11, 16, 5, 30, tzinfo=STATION_TZ))
    out = tmp_path / "q4.xlsx"
    result = run(runner, "log", "export", "--format", "xlsx", "--period", "2026-Q4", "-o", str(out))
    assert result.exit_code == 0 and "Wrote 2 rows (2026-Q4)" in result.output and "chain head 2:" in result.output
    assert load_workbook(out)["Chi tiết"].max_row == 3
    out = tmp_path / "t11.docx"
    assert run(runner, "log", "export", "--format", "docx", "--month", "2026-11", "--cutoff", "-o", str(out)).exit_code == 0
    assert "từ ngày 15/10/2026 đến ngày 14/11/2026" in "\n".join(p.text for p in Document(out).paragraphs)
    out = tmp_path / "range.csv"
    result = run(runner, "log", "export", "--from", "2026-11-15", "--until", "2026-11-30", "-o", str(out))
    assert "Wrote 1 rows" in result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbfM\xc3\xa3 bu")


@pytest.mark.parametrize("args, message", [
    (["--period", "2026-Q5"], 'Error: Period "2026-Q5" is not YYYY-MM, YYYY-Qn'),
    (["--month", "2026-11", "--period", "2026-Q4"], "Error: Give only one of --month, --period or --from/--until"),
    (["--from", "2026-11-01"], "Error: Give both --from and --until"),
    (["--cutoff"], "Error: --cutoff needs --month or --period."),
    (["--format", "xlsx", "--english"], "Error: --english applies to --format csv only."),
])
def test_export_errors_are_one_line_and_write_nothing(runner, tmp_path, args, message):
    out = tmp_path / "x.out"
    result = run(runner, "log", "export", *args, "-o", str(out))
    assert result.exit_code == 1 and result.output.startswith(message) and result.output.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "station"]
