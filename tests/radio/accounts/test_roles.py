"""Every mutating library call checks the actor's role first.

One contract over (library call × role): allowed exactly when
:func:`radio.accounts.roles.can` says so; refused calls change nothing and leave no
audit row; allowed calls leave exactly one.
"""

from __future__ import annotations

import pytest

from radio.schedule import slot_edits
from radio.bulletins import lifecycle as bulletins
from radio.schedule import commands, outputs, slots
from radio.speech import lexicon
from radio import settings
from radio.accounts.roles import ACTIONS, ROLES, Actor, PermissionDeniedError, can, require
from radio.reports import targets

def _draft(db, now, owner="tester"):
    # written under the acting user's name: ownership is tested in test_bulletins
    return bulletins.add_bulletin(db, title="Tin", text="Nội dung.", now=now, actor=Actor("w", "officer"),
                                  created_by=owner)


def _approved(db, now):
    new_id = _draft(db, now)
    bulletins.approve_bulletin(db, new_id, actor=Actor("boss", "leader"), now=now, expected_sha256=None)
    return new_id


def _slot(db, now, owner="tester"):
    slot_id = slots.add_slot(db, at="17:00", days="daily", now=now, actor=Actor("tester", "officer"))
    db["slots"].update(slot_id, {"created_by": owner})  # an officer edits only their own slots
    return slot_id


def _output(db, now):
    outputs.add_output(db, name="thon2", spec="pulse:thon2", actor=Actor("root", "admin"), now=now)
    return "thon2"


def _entry(db, now):
    lexicon.set_entry(db, "HTX", "hợp tác xã", now=now, actor=Actor("root", "admin"))
    return "HTX"


#: action → (setup(db, now) → target, call(db, actor, target, now))
CALLS = {
    "target.manage": (None, lambda db, a, t, now: targets.add_target(
        db, a, topic="cchc", period="quarter", minimum=2, now=now)),
    "bulletin.create": (None, lambda db, a, t, now: bulletins.add_bulletin(
        db, title="T", text="x", now=now, actor=a)),
    "bulletin.import": (None, lambda db, a, t, now: bulletins.add_bulletin(
        db, title="T", text="x", now=now, actor=a, imported_from="thong-bao.docx")),
    "bulletin.edit": (_draft, lambda db, a, t, now: bulletins.update_bulletin(
        db, t, text="y", actor=a, now=now)),
    "bulletin.approve": (_draft, lambda db, a, t, now: bulletins.approve_bulletin(
        db, t, actor=a, now=now, expected_sha256=bulletins.content_sha256(bulletins.get_bulletin(db, t)))),
    "bulletin.return": (_draft, lambda db, a, t, now: bulletins.return_bulletin(
        db, t, actor=a, reason="Sửa lại", now=now)),
    "bulletin.withdraw": (_approved, lambda db, a, t, now: bulletins.withdraw_bulletin(db, t, actor=a, now=now)),
    "bulletin.urgent": (_approved, lambda db, a, t, now: commands.request_play_now(db, t, actor=a, now=now)),
    "slot.create": (None, lambda db, a, t, now: slots.add_slot(db, at="18:00", days="daily", now=now, actor=a)),
    "slot.edit": (_slot, lambda db, a, t, now: slot_edits.update_slot(db, t, name="Buổi chiều", actor=a, now=now)),
    "slot.pause": (_slot, lambda db, a, t, now: slots.set_slot_active(db, t, False, actor=a, now=now)),
    "lexicon.edit": (_entry, lambda db, a, t, now: lexicon.remove_entry(db, t, now=now, actor=a)),
    "settings.edit": (None, lambda db, a, t, now: settings.save(db, "grace_minutes", "3", actor=a, now=now)),
    "output.manage": (_output, lambda db, a, t, now: outputs.remove_output(db, t, actor=a, now=now)),
}


def _counts(db):
    tables = ("bulletins", "slots", "lexicon", "settings", "outputs", "commands", "renders")
    state = {t: list(db[t].rows) for t in tables}
    return state, db["audit"].count


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(CALLS))
def test_library_call_allowed_exactly_for_roles_that_can(fresh_db, clock, action, role):
    setup, call = CALLS[action]
    actor = Actor(f"someone-{role}", role)
    target = None
    if setup is _draft or (setup is _slot and action == "slot.edit"):
        target = setup(fresh_db, clock.now(), owner=actor.username)
    elif setup:
        target = setup(fresh_db, clock.now())
    before, audit_before = _counts(fresh_db)
    if can(role, action):
        call(fresh_db, actor, target, clock.now())
        rows = list(fresh_db["audit"].rows_where("id > ?", [audit_before]))
        assert [(r["username"], r["role"], r["action"]) for r in rows] == [(actor.username, role, action)]
    else:
        with pytest.raises(PermissionDeniedError):
            call(fresh_db, actor, target, clock.now())
        assert _counts(fresh_db) == (before, audit_before)


def test_every_writing_action_has_a_library_call_in_the_contract():
    # the others are owned by accounts/tokens (trustweb) or are reads
    elsewhere = {"read", "report.export", "user.manage", "token.manage", "log.manual",
                 "bulletin.record", "audit.read",
                 "speech.render"}  # writes no audit row: tests/radio/speech/test_speech_cache.py
    assert set(ACTIONS) - elsewhere == set(CALLS)


@pytest.mark.parametrize("actor", [None, Actor("x", "nobody")])
def test_no_actor_or_unknown_role_is_refused(fresh_db, clock, actor):
    with pytest.raises(PermissionDeniedError):
        bulletins.add_bulletin(fresh_db, title="T", text="x", now=clock.now(), actor=actor)
    with pytest.raises(PermissionDeniedError):
        require(actor, "read")
    assert fresh_db["bulletins"].count == 0


def test_readme_lists_every_action_with_its_role():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    roles = list(ROLES)
    for action, role in ACTIONS.items():
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{action}` |"))
        ticks = [cell.strip() for cell in row.split("|")[3:-1]]
        assert ticks == ["✓" if roles.index(r) >= roles.index(role) else "" for r in roles], action
