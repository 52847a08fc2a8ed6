"""No traceback reaches a user: the machine's failures are one ``Error:`` line with the fix.
Exit codes: 1 refused, 3 the machine failed, 4 a bug."""

import sqlite3
import subprocess
import sys

import pytest

from radio.store import connection as store
from radio.cli import cli
from radio.store.connection import connect
from tests.support import disks
from tests.support.fake_gtts import refused_url

RADIO = [sys.executable, "-m", "radio"]


def one_error_line(result, exit_code=3):
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_a_locked_database_is_one_line_and_nothing_is_written(runner, home, monkeypatch):
    assert runner.invoke(cli, ["init"]).exit_code == 0
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.3)  # the real wait is 30 s
    holder = sqlite3.connect(home.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = runner.invoke(cli, ["bulletin", "add", "--title", "Tin", "--text", "Nội dung."])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    line = one_error_line(result)
    assert f"The station database {home.database} is locked by another program" in line
    assert "0.3 s" in line and "try again" in line
    assert connect(home.database)["bulletins"].count == 0


def test_a_damaged_database_says_so_and_how_to_recover(runner, home):
    home.database.write_bytes(b"this is not sqlite" * 100)
    line = one_error_line(runner.invoke(cli, ["bulletin", "list"]))
    assert "is damaged (file is not a database)" in line and "backup" in line


def test_gtts_unreachable_is_one_line_naming_the_fix(runner, tmp_path, monkeypatch):
    proxy = refused_url()
    for name in ("HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.setenv("NO_PROXY", "")
    out = tmp_path / "out.wav"
    line = one_error_line(runner.invoke(cli, ["speak", "Xin chào", "-o", str(out), "--engine", "gtts"]))
    assert line.startswith("Error: Speech could not be made:") and "gTTS: cannot reach" in line
    assert "--engine espeak" in line
    assert not out.exists()


def test_a_missing_folder_for_an_export_is_one_line(runner, tmp_path):
    line = one_error_line(runner.invoke(cli, ["log", "export", "--month", "2026-11", "-o",
                                              str(tmp_path / "no" / "such" / "log.csv")]))
    assert "does not exist" in line or "no such" in line.lower()


def test_a_bug_is_one_line_with_its_own_exit_code(runner, monkeypatch):
    from radio.bulletins import lifecycle as bulletins

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(bulletins, "list_bulletins", broken)
    line = one_error_line(runner.invoke(cli, ["bulletin", "list"]), exit_code=4)
    assert line == "Error: Unexpected RuntimeError: boom. This is a bug; run again with -v to see where, and report it."


def test_warnings_for_misspelt_radio_toml_keys_reach_every_command(runner, home):
    runner.invoke(cli, ["init"])
    home.settings_file.write_text("keep_programme_days = 30\n", encoding="utf-8")
    result = runner.invoke(cli, ["bulletin", "list"])
    assert result.exit_code == 0
    assert ('Warning: ' f'{home.settings_file}: unknown setting "keep_programme_days" is ignored. '
            'Did you mean "keep_programmes_days"?') in result.output


def test_a_bad_value_in_radio_toml_stops_every_command_with_one_line(runner, home):
    runner.invoke(cli, ["init"])
    home.settings_file.write_text("grace_minutes = -5\n", encoding="utf-8")
    line = one_error_line(runner.invoke(cli, ["slot", "list"]), exit_code=1)
    assert line == (f'Error: {home.settings_file}: Setting "grace_minutes" must be an integer from 0 to 720; '
                    'got -5.')


@pytest.mark.parametrize("name, value", [("keep_programmes_days", "0"), ("grace_minutes", "-1"),
                                         ("espeak_rate", "0")])
def test_settings_set_refuses_the_known_killers(runner, home, name, value):
    line = one_error_line(runner.invoke(cli, ["settings", "set", name, value]), exit_code=1)
    assert f'Setting "{name}" must be' in line
    assert connect(home.database)["settings"].count == 0


def run(home, *args):
    return subprocess.run([*RADIO, "--home", str(home), *args], capture_output=True, text=True, timeout=60)


def assert_one_line(done, *fragments):
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.e2e
def test_a_full_disk_is_one_line_and_writes_nothing(tmp_path):
    with disks.tmpfs(tmp_path / "disk", 2048) as disk:
        home = disk / "station"
        assert run(home, "init").returncode == 0
        disks.fill(disk)
        done = run(home, "bulletin", "add", "--title", "Tin", "--text", "Nội dung bản tin. " * 2000)
        assert_one_line(done, "could not be written", "disk is probably full", "free some space")
        # a first start on the full disk: no half-written radio.toml, one line
        assert_one_line(run(disk / "new-station", "init"), "the disk is full")
        assert not (disk / "new-station" / "radio.toml").exists()
        disks.empty(disk)
        assert run(home, "bulletin", "list").stdout == "No bulletins.\n"  # nothing half-written


@pytest.mark.e2e
def test_a_read_only_data_directory_is_one_line(tmp_path):
    with disks.tmpfs(tmp_path / "disk", 2048) as disk:
        home = disk / "station"
        assert run(home, "init").returncode == 0
        disks.read_only(disk)
        assert_one_line(run(home, "bulletin", "add", "--title", "Tin", "--text", "Nội dung."),
                        str(home / "radio.db"))
        assert_one_line(run(disk / "other", "init"), "read-only")


def test_an_export_interrupted_by_a_full_disk_leaves_no_half_file(runner, home, tmp_path, monkeypatch):
    from radio.reports import csv_export

    def full_disk(db, target, period=None, **options):
        target.write_text("id,scheduled_at\n1,", encoding="utf-8")  # part of it, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csv_export, "write", full_disk)
    out = tmp_path / "log.csv"
    out.write_text("an older, whole export\n", encoding="utf-8")
    line = one_error_line(runner.invoke(cli, ["log", "export", "-o", str(out)]))
    assert "the disk is full" in line
    assert out.read_text(encoding="utf-8") == "an older, whole export\n"
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_a_reader_that_closes_the_pipe_ends_the_export_quietly(tmp_path):
    """``radio log export -o - | head -1``: no ``Error: Broken pipe`` line, SIGPIPE's status."""
    import subprocess
    import sys

    env = {**__import__("os").environ, "RADIO_HOME": str(tmp_path / "station")}
    radio = [sys.executable, "-m", "radio"]
    subprocess.run([*radio, "init"], env=env, check=True, capture_output=True)
    for n in range(6):  # ~130 kB of CSV, twice a pipe buffer: the export cannot finish unread
        subprocess.run([*radio, "log", "add-manual", "--at", f"2026-11-2{n} 06:00", "--minutes", "5",
                        "--title", "Thông báo " + "rất dài " * 2000, "--reason", "Mất điện"],
                       env=env, check=True, capture_output=True)
    export = subprocess.Popen([*radio, "log", "export", "--format", "csv", "-o", "-"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    export.stdout.read(100)
    export.stdout.close()  # the reader goes away, as head does
    assert export.wait(timeout=60) == 141
    assert export.stderr.read() == b""
