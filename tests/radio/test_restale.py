"""A lexicon change sends exactly the approved renders it alters back to be rendered."""

from radio.bulletins import add_bulletin, approve_bulletin
from radio.lexicon import remove_entry, set_entry
from radio.rendering import render_bulletin
from radio.settings import load, save
from tests.support.actors import ADMIN, LEADER, OFFICER


def _rendered(db, home, clock, title, text):
    new_id = add_bulletin(db, title=title, text=text, now=clock.now(), actor=OFFICER)
    approve_bulletin(db, new_id, actor=LEADER, now=clock.now(), expected_sha256=None)
    assert render_bulletin(db, home, load(home, db), new_id, clock.now())["state"] == "done"
    return new_id


def test_only_the_bulletins_using_the_entry_go_stale(db, home, clock):
    save(db, "engine", "espeak", actor=ADMIN, now=clock.now())
    uses = _rendered(db, home, clock, "Họp thôn", "Thôn Na Sang họp lúc 8 giờ.")
    other = _rendered(db, home, clock, "Tiêm chủng", "Trạm y tế xã tiêm chủng.")
    set_entry(db, "Na Sang", "Na Xang", now=clock.now(), actor=OFFICER)
    assert db["renders"].get(uses)["state"] == "pending"
    assert db["renders"].get(other)["state"] == "done"
    rerendered = render_bulletin(db, home, load(home, db), uses, clock.now())
    assert "Na Xang" in rerendered["spoken_text"] and rerendered["state"] == "done"
    # removing it changes the reading back: stale again
    remove_entry(db, "Na Sang", now=clock.now(), actor=OFFICER)
    assert db["renders"].get(uses)["state"] == "pending"
    assert db["renders"].get(other)["state"] == "done"
