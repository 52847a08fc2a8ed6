"""`radio log verify / add-manual / correct / replay` from the command line."""

import sqlite3

from radio.cli import cli
from radio.proof.log import chain_head
from radio.store.connection import connect


def run(runner, *args):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_manual_entry_correction_and_verify(runner, home):
    result = run(runner, "log", "add-manual", "--at", "2026-11-20 17:00", "--minutes", "12",
                 "--title", "Thông báo tiêm chủng", "--reason", "Mất điện, đọc qua micrô", "--by", "chutich")
    assert result.exit_code == 0 and result.output == "Logged manual entry 1 (no topic: it counts toward no target).\n"
    result = run(runner, "log", "correct", "1", "--status", "void", "--reason", "Nhập nhầm ngày", "--by", "chutich")
    assert result.output == "Logged correction 2 of entry 1.\n"
    db = connect(home.database)
    rows = list(db["occurrences"].rows_where(order_by="id"))
    assert [(r["kind"], r["status"], r["entered_by"], r["corrects_id"]) for r in rows] == [
        ("manual", "aired", "chutich", None), ("correction", "void", "chutich", 1)]
    assert rows[0]["scheduled_at"] == "2026-11-20T10:00:00.000+00:00" and rows[0]["seconds_played"] == 720
    count, head = chain_head(db)
    db.conn.close()
    result = run(runner, "log", "verify", "--expect", f"{count}:{head}")
    assert result.exit_code == 0
    assert result.output == f"The proof log is intact: 2 entries, head 2:{head}, 2 signed heads checked.\n"


def test_verify_names_what_is_missing(runner, home):
    for day in ("20", "21", "22"):
        run(runner, "log", "add-manual", "--at", f"2026-11-{day} 17:00", "--minutes", "5",
            "--title", "Tin", "--reason", "Mất điện")
    attacker = sqlite3.connect(home.database, isolation_level=None)
    for trigger in ("occurrences_no_delete", "occurrence_items_no_delete"):
        attacker.execute(f"DROP TRIGGER {trigger}")
    attacker.execute("DELETE FROM occurrence_items WHERE occurrence_id = 3")
    attacker.execute("DELETE FROM occurrences WHERE id = 3")
    attacker.close()
    result = runner.invoke(cli, ["log", "verify"])
    assert result.exit_code == 1
    assert "Entry 3 is missing.\n" in result.output
    assert "The log tables' schema (columns or triggers) changed" in result.output
    assert result.output.endswith("Error: The proof log was altered (2 problems, first at entry 3).\n")


def test_bad_input_is_one_line_and_writes_nothing(runner, home):
    cases = [
        (["log", "add-manual", "--at", "20/11/2026", "--minutes", "5", "--title", "T", "--reason", "R"],
         'Error: Time "20/11/2026" is not YYYY-MM-DD HH:MM (station time).\n'),
        (["log", "add-manual", "--at", "2026-11-20 17:00", "--minutes", "5", "--title", " ", "--reason", "R"],
         "Error: Name at least one bulletin that was read.\n"),
        (["log", "add-manual", "--at", "2026-11-20 17:00", "--minutes", "5", "--title", "T", "--reason", " "],
         "Error: A reason is required (what happened, e.g. power cut, read by microphone).\n"),
        (["log", "correct", "9", "--reason", "x"], "Error: Proof log entry 9 does not exist.\n"),
        (["log", "verify", "--expect", "12:abc"],
         'Error: Expected head "12:abc" is not COUNT:HASH (a number, a colon, 64 hex digits).\n'),
        (["log", "replay", "9"], "Error: Proof log entry 9 does not exist.\n"),
    ]
    for args, message in cases:
        result = runner.invoke(cli, args)
        assert (result.exit_code, result.output) == (1, message), args
    db = connect(home.database)
    assert db["occurrences"].count == 0
    db.conn.close()


def test_add_manual_with_a_topic_counts_and_its_replay_says_it_is_manual(runner, home):
    """A manual entry takes --topic: without it a live reading counted toward no target; its replay
    said "Entry 1 did not air (aired)"."""
    result = run(runner, "log", "add-manual", "--at", "2026-11-20 17:00", "--minutes", "12", "--topic", "cchc",
                 "--title", "Thông báo dịch vụ công", "--reason", "Mất điện, đọc qua micrô", "--by", "chutich")
    assert result.output == "Logged manual entry 1 (topic cchc).\n"
    assert "   1/1    met" in run(runner, "targets", "--month", "2026-11").output
    result = runner.invoke(cli, ["log", "replay", "1"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Entry 1 is a manual entry (a reading done outside the system")
    db = connect(home.database)
    try:
        (action,) = [r[0] for r in db.execute("SELECT action FROM audit WHERE target = 'log:1'")]
    finally:
        db.conn.close()
    assert action == "log.manual"


def test_log_list_flags_an_airing_that_reached_no_loudspeaker(runner, home):
    from datetime import UTC, datetime

    from radio.proof import log as prooflog

    db = connect(home.database)
    when = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    prooflog.append(db, prooflog.Entry(key="slot1@x", scheduled_at=when, status="aired", seconds_played=5.0,
                                       output="file:/srv/ghi-am"), now=when)
    db.conn.close()
    (line,) = run(runner, "log", "list").output.splitlines()
    assert line.endswith("slot1@x  [no loudspeakers]")
