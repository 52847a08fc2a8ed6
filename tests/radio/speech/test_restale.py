"""A lexicon entry never changes approved speech: one rewrote approved speech under the leader's name.

An officer's entry "UBND → ban tổ chức giải tán, không cần họp" re-rendered every
approved bulletin with that reading, still "approved by lanhdao". Now the approved
speech stays byte for byte what was approved and the bulletin is listed for
re-approval with both readings; the leader's re-approval renders and binds the new one.
"""

import hashlib
from pathlib import Path

import pytest

from radio.bulletins import approval
from radio.programme import parts
from radio.speech import rendering
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin
from radio.cli import cli
from radio.errors import StateError
from radio.speech.lexicon import remove_entry, set_entry
from radio.programme.assembly import build
from radio.speech.rendering import render_bulletin
from radio.schedule.plan import PlannedItem
from radio.settings import load, save
from tests.support.actors import ADMIN, LEADER, OFFICER

FORGED = "ban tổ chức giải tán, không cần họp"


def _rendered(db, home, clock, title, text):
    new_id = add_bulletin(db, title=title, text=text, now=clock.now(), actor=OFFICER)
    approve_bulletin(db, new_id, actor=LEADER, now=clock.now(), expected_sha256=None)
    assert render_bulletin(db, home, load(home, db), new_id, clock.now())["state"] == "done"
    return new_id


def _speech(db, bulletin_id):
    render = db["renders"].get(bulletin_id)
    return render["spoken_text"], render["audio_sha256"], Path(render["path"]).read_bytes()


def _render_ahead(db, home, clock):
    """What the daemon's render pass does (radio.station.daemon.Station._render_ahead),
    plus a forced re-render of every approved bulletin, as a healing render would."""
    settings = load(home, db)
    rendering.render_pending(db, home, settings, clock.now())
    parts.render_ident(db, home, settings)
    rendering.upgrade_fallbacks(db, home, settings, clock.now())
    for row in db["renders"].rows:
        render_bulletin(db, home, settings, row["bulletin_id"], clock.now(), states=("done", "pending", "failed"))


def test_a_lexicon_entry_never_changes_approved_speech(db, home, clock):
    save(db, "engine", "espeak", actor=ADMIN, now=clock.now())
    uses = _rendered(db, home, clock, "Họp dân", "UBND xã mời bà con họp lúc 8 giờ.")
    other = _rendered(db, home, clock, "Tiêm chủng", "Trạm y tế xã tiêm chủng.")
    before, other_before = _speech(db, uses), _speech(db, other)
    set_entry(db, "UBND", FORGED, now=clock.now(), actor=OFFICER)
    _render_ahead(db, home, clock)
    assert _speech(db, uses) == before and _speech(db, other) == other_before
    assert FORGED not in before[0]
    # what a programme assembles is the approved audio
    built = build(db, home, {**load(home, db), "use_jingles": False, "ident_text": ""}, "k",
                  [PlannedItem(db["bulletins"].get(uses), 0, False)], now=clock.now())
    assert built.items[0].audio_sha256 == before[1] == hashlib.sha256(before[2]).hexdigest()
    # listed for the leader with the difference; the other bulletin is not
    [waiting] = approval.reapprovals(db)
    assert waiting["id"] == uses and waiting["approved_spoken"] == before[0]
    assert FORGED in waiting["new_spoken"]
    assert ("-", "nhân dân") in waiting["spoken_diff"]
    assert ("+", "tổ chức giải tán, không cần họp") in waiting["spoken_diff"]
    assert db["bulletins"].get(uses)["approved_by"] == "lanhdao"


def test_the_leaders_reapproval_renders_and_binds_the_new_reading(db, home, clock):
    save(db, "engine", "espeak", actor=ADMIN, now=clock.now())
    uses = _rendered(db, home, clock, "Họp thôn", "Thôn Na Sang họp lúc 8 giờ.")
    old_spoken, old_sha, _ = _speech(db, uses)
    set_entry(db, "Na Sang", "Nà Sáng", now=clock.now(), actor=OFFICER)
    new_spoken = approval.reapprovals(db)[0]["new_spoken"]
    # a reading shown before another lexicon change is refused
    with pytest.raises(StateError, match="reading of bulletin"):
        approve_bulletin(db, uses, actor=LEADER, now=clock.now(), expected_sha256=None,
                         expected_spoken_sha256=approval.sha256_text(old_spoken))
    approve_bulletin(db, uses, actor=LEADER, now=clock.now(), expected_sha256=None,
                     expected_spoken_sha256=approval.sha256_text(new_spoken))
    assert approval.reapprovals(db) == []
    render = render_bulletin(db, home, load(home, db), uses, clock.now())
    assert render["spoken_text"] == new_spoken and "Nà Sáng" in new_spoken
    assert render["audio_sha256"] != old_sha
    bound = approval.get(db, uses)
    assert bound["spoken_text"] == new_spoken and bound["audio_sha256"] == render["audio_sha256"]
    # removing the entry changes the reading back: the newly approved reading goes to the leader
    remove_entry(db, "Na Sang", now=clock.now(), actor=OFFICER)
    assert [b["id"] for b in approval.reapprovals(db)] == [uses]
    assert db["renders"].get(uses)["audio_sha256"] == render["audio_sha256"]


def test_a_change_that_brings_the_approved_reading_back_clears_the_listing(db, home, clock):
    save(db, "engine", "espeak", actor=ADMIN, now=clock.now())
    uses = _rendered(db, home, clock, "Họp thôn", "Thôn Na Sang họp lúc 8 giờ.")
    set_entry(db, "Na Sang", "Nà Sáng", now=clock.now(), actor=OFFICER)
    assert [b["id"] for b in approval.reapprovals(db)] == [uses]
    remove_entry(db, "Na Sang", now=clock.now(), actor=OFFICER)
    assert approval.reapprovals(db) == []


def test_the_lexicon_attack_through_the_cli(runner, home, db, clock):
    def run(*args):
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("settings", "set", "engine", "espeak")
    run("bulletin", "add", "--title", "Họp dân", "--text", "UBND xã mời bà con họp lúc 8 giờ.")
    run("bulletin", "approve", "1", "--by", "lanhdao")
    before = _speech(db, 1)
    run("lexicon", "set", "UBND", FORGED)
    _render_ahead(db, home, clock)
    assert _speech(db, 1) == before
    listing = run("bulletin", "list")
    assert "re-approve" in listing and "1 approved bulletin(s) wait for re-approval" in listing
    shown = run("bulletin", "show", "1")
    assert "Waiting for re-approval" in shown and "approval binds: content " in shown
    assert f"audio {before[1]}" in shown
    assert "[-nhân dân-] {+tổ chức giải tán, không cần họp+}" in shown
    run("bulletin", "approve", "1", "--by", "lanhdao")
    assert FORGED.split(",")[0] in db["renders"].get(1)["spoken_text"]
    assert "re-approve" not in run("bulletin", "list")


def test_a_reading_approved_while_the_old_one_renders_is_not_bound_to_the_old_audio(db, home, clock,
                                                                                      monkeypatch):
    save(db, "engine", "espeak", actor=ADMIN, now=clock.now())
    uses = _rendered(db, home, clock, "Họp thôn", "Thôn Na Sang họp lúc 8 giờ.")
    set_entry(db, "Na Sang", "Nà Sáng", now=clock.now(), actor=OFFICER)
    real = rendering._checked_render

    def approve_meanwhile(spoken, *args):
        result = real(spoken, *args)
        approve_bulletin(db, uses, actor=LEADER, now=clock.now(), expected_sha256=None)
        return result

    monkeypatch.setattr(rendering, "_checked_render", approve_meanwhile)
    render = render_bulletin(db, home, load(home, db), uses, clock.now(), states=("done",))
    assert render["state"] == "failed" and "approval changed" in render["error"]
    monkeypatch.setattr(rendering, "_checked_render", real)
    render = rendering.render_pending(db, home, load(home, db), clock.now())[0]
    assert "Nà Sáng" in render["spoken_text"] and approval.problem(db, db["bulletins"].get(uses), render) is None
