"""With the real daemon: a lexicon entry set while the station runs
(its render pass picks the change up at once) never changes an approved bulletin's speech;
the slot airs the approved audio and the bulletin waits for re-approval."""

import pytest

from tests.e2e.station_process import items_of, logged, query, quick_station, stop, wait_for

pytestmark = pytest.mark.e2e

FORGED = "ban tổ chức giải tán, không cần họp"


def test_a_lexicon_entry_set_while_the_daemon_runs_airs_the_approved_speech(tmp_path):
    cli = quick_station(tmp_path / "home")
    bulletin = cli.add_approved("Họp dân", "UBND xã mời bà con họp lúc 8 giờ tại hội trường.")
    (approved,) = query(cli.home, "SELECT * FROM renders WHERE bulletin_id = ?", [bulletin])
    assert approved["state"] == "done" and FORGED not in approved["spoken_text"]
    when = cli.one_off_slot(25)
    # about what airs, not when: the daemon starts 13 s before the slot on its clock
    proc = cli.start_station(f"file:{tmp_path / 'aired'}", ahead_s=12)
    try:
        wait_for(lambda: query(cli.home, "SELECT 1 FROM station_state WHERE name = 'heartbeat'"), timeout=30)
        cli.run("lexicon", "set", "UBND", FORGED)
        (row,) = wait_for(lambda: logged(cli.home), timeout=90)
    finally:
        output = stop(proc)
    assert "Traceback" not in output
    assert row["status"] == "aired", output
    (item,) = items_of(cli.home, row["key"])
    assert item["bulletin_id"] == bulletin and item["audio_sha256"] == approved["audio_sha256"]
    (render,) = query(cli.home, "SELECT * FROM renders WHERE bulletin_id = ?", [bulletin])
    assert (render["spoken_text"], render["audio_sha256"]) == (approved["spoken_text"], approved["audio_sha256"])
    (bound,) = query(cli.home, "SELECT * FROM approvals WHERE bulletin_id = ?", [bulletin])
    assert FORGED in bound["reapprove_spoken"] and bound["spoken_text"] == approved["spoken_text"]
    assert "re-approve" in cli.run("bulletin", "list").stdout
    assert when.isoformat()[:19] in row["key"]
