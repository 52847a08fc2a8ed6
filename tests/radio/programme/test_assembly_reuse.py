"""Building a programme again from the same parts takes the file already built (a daemon
killed after building and started again), and only when it is still what was built."""

import pytest

from radio import settings as settings_mod
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin
from radio.programme import assembly
from radio.programme.assembly import build
from radio.schedule.plan import PlannedItem
from radio.speech.rendering import render_bulletin
from radio.store.connection import write
from tests.support.actors import LEADER, OFFICER

KEY = "slot1_2026-05-01T06-30-00"


@pytest.fixture
def settings(home, db):
    with write(db):
        for name, value in (("engine", "espeak"), ("use_jingles", "false"), ("ident_text", "")):
            db["settings"].upsert({"name": name, "value": value}, pk="name")
    return settings_mod.load(home, db)


@pytest.fixture
def items(db, home, clock, settings):
    new_id = add_bulletin(db, actor=OFFICER, title="Tin", text="UBND xã thông báo lịch tiếp công dân.",
                          now=clock.now())
    approve_bulletin(db, new_id, actor=LEADER, expected_sha256=None, by="lead", now=clock.now())
    render_bulletin(db, home, settings, new_id, clock.now())
    return [PlannedItem(db["bulletins"].get(new_id), 0, False)]


def assembled(monkeypatch):
    """Count the assemblies from here on."""
    calls = []
    real = assembly.assemble_file

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(assembly, "assemble_file", counting)
    return calls


def test_the_same_parts_take_the_programme_already_built(db, home, settings, items, monkeypatch):
    first = build(db, home, settings, KEY, items)
    calls = assembled(monkeypatch)
    again = build(db, home, settings, KEY, items)
    assert calls == []
    assert again.path == first.path and again.sha256 == first.sha256
    assert again.item_cues == first.item_cues and again.seconds == first.seconds
    assert again.programme.measured_lufs == first.programme.measured_lufs
    assert again.items == first.items


def test_a_programme_changed_on_disk_is_assembled_again(db, home, settings, items, monkeypatch):
    first = build(db, home, settings, KEY, items)
    data = bytearray(first.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    first.path.write_bytes(bytes(data))
    calls = assembled(monkeypatch)
    again = build(db, home, settings, KEY, items)
    assert len(calls) == 1 and again.sha256 == first.sha256  # the same bytes, built anew


def test_other_settings_assemble_again(db, home, settings, items, monkeypatch):
    build(db, home, settings, KEY, items)
    calls = assembled(monkeypatch)
    build(db, home, {**settings, "gap_ms": settings["gap_ms"] + 100}, KEY, items)
    assert len(calls) == 1


def test_a_programme_whose_recipe_is_not_recorded_is_assembled_again(db, home, settings, items, monkeypatch):
    first = build(db, home, settings, KEY, items)
    with write(db):
        db.execute("DELETE FROM programme_recipes WHERE sha256 = ?", [first.sha256])
    calls = assembled(monkeypatch)
    build(db, home, settings, KEY, items)
    assert len(calls) == 1


def test_notes_of_programmes_that_are_gone_go(db, home, settings, items):
    first = build(db, home, settings, KEY, items)
    first.path.unlink()
    build(db, home, settings, "slot1_2026-05-01T07-00-00", items)
    notes = sorted(p.name for p in home.programmes.glob(".*.built.json"))
    assert notes == [".slot1_2026-05-01T07-00-00.built.json"]


def test_a_build_reads_each_file_for_its_hash_once(db, home, settings, items, monkeypatch):
    """The parts are hashed when they are verified, the programme once after it is written
    (and once more when it is taken as built before: to know it is still what was built)."""
    hashed = []
    real = assembly.replay.file_sha256
    monkeypatch.setattr(assembly.replay, "file_sha256", lambda path: hashed.append(path) or real(path))
    first = build(db, home, settings, KEY, items)
    assert hashed == [first.path]
    hashed.clear()
    build(db, home, settings, KEY, items)
    assert hashed == [first.path]
