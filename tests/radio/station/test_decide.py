"""Deciding at the last safe moment, with an injected clock and real espeak-ng renders.

Each test reproduces a way the old air job failed (it planned once at T−60 s
with ``require_rendered=True`` and logged cancelled at once).
"""

import hashlib
import os
import socket
import threading
from datetime import timedelta

import pytest

from radio.proof import log as prooflog
from radio import settings as settings_mod
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin, withdraw_bulletin
from radio.clock import STATION_TZ, ManualClock, to_utc_text
from radio.station.health import station_health
from radio.programme.assembly import build
from radio.speech.rendering import render_bulletin
from radio.schedule.plan import LEFT_OUT_PREFIX, upcoming
from radio.schedule.slots import add_slot, list_slots, occurrences_between
from radio.station.decide import ASSEMBLY_BASE_S, ASSEMBLY_S_PER_AUDIO_S, MARGIN_S, cutoff, decide, fix
from radio.store.connection import connect, write
from tests.support.actors import LEADER, OFFICER

SHORT = "UBND xã thông báo lịch tiếp công dân tháng này."


class ScriptedClock(ManualClock):
    """A manual clock that runs *events* (instant, callable) as sleeping passes them."""

    def __init__(self, start, events=()):
        super().__init__(start)
        self.events = sorted(events, key=lambda e: e[0])

    def sleep(self, seconds):
        super().sleep(seconds)
        while self.events and self.events[0][0] <= self.now():
            self.events.pop(0)[1]()


@pytest.fixture
def settings(home, db):
    with write(db):
        db["settings"].upsert({"name": "engine", "value": "espeak"}, pk="name")
    return settings_mod.load(home, db)


def approved(db, clock, title="Tin", text=SHORT, **fields):
    new_id = add_bulletin(db, actor=OFFICER, title=title, text=text, now=clock.now(), **fields)
    approve_bulletin(db, new_id, actor=LEADER, expected_sha256=None, by="lead", now=clock.now())
    return new_id


def one_off(db, clock, seconds_ahead):
    when = clock.now() + timedelta(seconds=seconds_ahead)
    local = when.astimezone(STATION_TZ)
    add_slot(db, actor=OFFICER, at=local.strftime("%H:%M:%S"), on_date=local.date().isoformat(), now=clock.now())
    slots = list_slots(db)
    return occurrences_between(slots, when - timedelta(seconds=1), when)[0]


def renderer(db, settings):
    """Renders synchronously with the real engine (the daemon renders on a thread)."""
    def start(home, bulletin_id, clock):
        render_bulletin(db, home, settings, bulletin_id, clock.now())
    return start


def run_decide(db, home, settings, occ, clock, start_render=None):
    return decide(db, home, settings, occ, clock, threading.Event(),
                  start_render=start_render or renderer(db, settings), start_ident=lambda home: None)


def test_the_cut_off_is_derived_from_the_assembly_budget(home, db, clock, settings):
    occ = one_off(db, clock, 60)
    lead = (occ.scheduled_at - cutoff(occ, settings, 12_000)).total_seconds()
    # claim lead + fixed assembly + per programme second + margin
    assert lead == pytest.approx(0.2 + ASSEMBLY_BASE_S + ASSEMBLY_S_PER_AUDIO_S * 12 + MARGIN_S)
    longer = (occ.scheduled_at - cutoff(occ, {**settings, "hook_warmup_s": 3}, 120_000)).total_seconds()
    assert longer == pytest.approx(3 + 0.2 + ASSEMBLY_BASE_S + ASSEMBLY_S_PER_AUDIO_S * 120 + MARGIN_S)


@pytest.mark.parametrize("seconds_before, airs", [(30, True), (10, True), (2, False)])
def test_an_approval_before_the_cut_off_airs_in_the_slot(home, db, clock, settings, seconds_before, airs):
    """An approval in the last minute reaches the slot (it used to be ignored, cancelled at T−60)."""
    occ = one_off(db, clock, 60)
    base = approved(db, clock, "Tin cũ")
    render_bulletin(db, home, settings, base, clock.now())
    late = {}
    approve_late = lambda: late.setdefault("id", approved(db, clock, "Tin mới"))
    clock = ScriptedClock(clock.now(), [(occ.scheduled_at - timedelta(seconds=seconds_before), approve_late)])
    decision = run_decide(db, home, settings, occ, clock)
    # the cut-off of this short programme (jingles, ident, two items) lies between 10 and 2 s ahead
    assert occ.scheduled_at - timedelta(seconds=10) < decision.cutoff < occ.scheduled_at - timedelta(seconds=2)
    if not airs:
        assert "id" not in late  # the running order was fixed before the approval
        clock.set(occ.scheduled_at - timedelta(seconds=seconds_before))
        approve_late()
    assert (late["id"] in [i.id for i in decision.items]) is airs
    assert base in [i.id for i in decision.items]


def test_a_bulletin_withdrawn_before_the_cut_off_does_not_air(home, db, clock, settings):
    occ = one_off(db, clock, 60)
    keep, gone = approved(db, clock, "Giữ"), approved(db, clock, "Rút")
    for bulletin_id in (keep, gone):
        render_bulletin(db, home, settings, bulletin_id, clock.now())
    clock = ScriptedClock(clock.now(), [(occ.scheduled_at - timedelta(seconds=20),
                                         lambda: withdraw_bulletin(db, gone, actor=LEADER, now=clock.now()))])
    decision = run_decide(db, home, settings, occ, clock)
    assert [i.id for i in decision.items] == [keep]


def test_a_render_finishing_while_the_air_job_waits_airs(home, db, clock, settings):
    occ = one_off(db, clock, 60)
    new_id = approved(db, clock)
    # another live process (the admin's render thread) has it in hand
    db["renders"].update(new_id, {"state": "rendering", "lease_owner": f"{socket.gethostname()}:{os.getppid()}",
                                  "lease_until": to_utc_text(clock.now() + timedelta(minutes=5))})
    finish = lambda: render_bulletin(db, home, settings, new_id, clock.now(), states=("rendering",))
    clock = ScriptedClock(clock.now(), [(occ.scheduled_at - timedelta(seconds=15), finish)])
    decision = run_decide(db, home, settings, occ, clock, start_render=lambda *a: None)
    assert [i.id for i in decision.items] == [new_id] and not decision.left_out


def test_gtts_too_slow_for_the_cut_off_leaves_only_that_item_out(home, db, clock, settings):
    occ = one_off(db, clock, 60)
    ready, slow = approved(db, clock, "Sẵn sàng"), approved(db, clock, "Chậm")
    render_bulletin(db, home, settings, ready, clock.now())
    # gTTS never answers within the minute: the render stays in hand past the cut-off
    db["renders"].update(slow, {"state": "rendering", "lease_owner": f"{socket.gethostname()}:{os.getppid()}",
                                "lease_until": to_utc_text(clock.now() + timedelta(minutes=5))})
    decision = run_decide(db, home, settings, occ, clock, start_render=lambda *a: None)
    assert [i.id for i in decision.items] == [ready]
    assert [(i.id, why) for i, why in decision.left_out] == [(slow, "speech still rendering at the cut-off")]
    assert decision.notes == [f"#{slow}: left out: speech still rendering at the cut-off"]


def test_nothing_ready_is_cancelled_with_an_alert(home, db, clock, settings):
    occ = one_off(db, clock, 60)
    slow = approved(db, clock)
    db["renders"].update(slow, {"state": "rendering", "lease_owner": f"{socket.gethostname()}:{os.getppid()}",
                                "lease_until": to_utc_text(clock.now() + timedelta(minutes=5))})
    decision = run_decide(db, home, settings, occ, clock, start_render=lambda *a: None)
    assert not decision.items and decision.cancel_reason.startswith(LEFT_OUT_PREFIX)
    prooflog.append(db, prooflog.Entry(key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                                       status="cancelled", reason=decision.cancel_reason), now=clock.now())
    assert [p["key"] for p in station_health(db, clock.now()).problems] == [occ.key]


def test_an_empty_slot_is_cancelled_without_an_alert(home, db, clock, settings):
    occ = one_off(db, clock, 60)
    decision = run_decide(db, home, settings, occ, clock)
    assert decision.cancel_reason == "no approved bulletin for this slot"
    prooflog.append(db, prooflog.Entry(key=occ.key, slot_id=occ.slot_id, scheduled_at=occ.scheduled_at,
                                       status="cancelled", reason=decision.cancel_reason), now=clock.now())
    assert station_health(db, clock.now()).problems == []


def _slots_10_s_apart(db, clock, count=3):
    first = clock.now() + timedelta(seconds=70)
    for n in range(count):
        local = (first + timedelta(seconds=10 * n)).astimezone(STATION_TZ)
        add_slot(db, actor=OFFICER, at=local.strftime("%H:%M:%S"), on_date=local.date().isoformat(), now=clock.now())
    return occurrences_between(list_slots(db), clock.now(), first + timedelta(seconds=10 * count))


def test_repeat_counts_hold_for_occurrences_10_s_apart_and_match_radio_schedule(home, db, clock, settings):
    """Repeat counts span occurrences: planning each alone at T−60 aired both bulletins in all three."""
    once, twice = approved(db, clock, "Một lần", repeat_count=1), approved(db, clock, "Hai lần", repeat_count=2)
    for bulletin_id in (once, twice):
        render_bulletin(db, home, settings, bulletin_id, clock.now())
    occs = _slots_10_s_apart(db, clock)
    predicted = {p.occurrence.key: [i.id for i in p.items]
                 for p in upcoming(db, now=clock.now(), days=1, settings=settings)}
    aired = {}
    for occ in occs:  # each decided at its own cut-off; none logged yet (all still "on air")
        clock.set(cutoff(occ, settings, 0))
        aired[occ.key] = [i.id for i in fix(db, occ, settings, clock.now(), clock.now()).items]
    assert aired == predicted == {occs[0].key: [once, twice], occs[1].key: [twice], occs[2].key: []}


def test_a_burst_of_catch_ups_never_exceeds_the_repeats(home, db, clock, settings):
    bulletin_id = approved(db, clock, repeat_count=2)
    render_bulletin(db, home, settings, bulletin_id, clock.now())
    occs = _slots_10_s_apart(db, clock, count=6)
    clock.set(occs[-1].scheduled_at + timedelta(minutes=2))  # power back: all six caught up at once
    results, barrier = {}, threading.Barrier(len(occs))

    def catch_up(occ):
        own = connect(home.database)  # each air job has its own connection
        try:
            barrier.wait()
            results[occ.key] = [i.id for i in fix(own, occ, settings, clock.now(), clock.now()).items]
        finally:
            own.conn.close()

    threads = [threading.Thread(target=catch_up, args=(occ,)) for occ in occs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(len(ids) for ids in results.values()) == 2


def test_a_failed_occurrence_releases_its_reservation(home, db, clock, settings):
    bulletin_id = approved(db, clock, repeat_count=1)
    render_bulletin(db, home, settings, bulletin_id, clock.now())
    first, second, _ = _slots_10_s_apart(db, clock)
    assert [i.id for i in fix(db, first, settings, clock.now(), clock.now()).items] == [bulletin_id]
    assert fix(db, second, settings, clock.now(), clock.now()).items == []  # reserved by the first
    prooflog.append(db, prooflog.Entry(key=first.key, slot_id=first.slot_id, scheduled_at=first.scheduled_at,
                                       status="failed", reason="sound card unplugged"), now=clock.now())
    assert [i.id for i in fix(db, second, settings, clock.now(), clock.now()).items] == [bulletin_id]


@pytest.mark.parametrize("damage", ["truncate", "delete", "empty"])
def test_a_damaged_speech_file_is_rendered_again_before_the_cut_off(home, db, clock, settings, damage):
    """A truncated WAV must not air as complete with the original hash, nor a deleted one fail forever."""
    occ = one_off(db, clock, 60)
    new_id = approved(db, clock, text=SHORT * 3)
    original = render_bulletin(db, home, settings, new_id, clock.now())
    path = original["path"]
    data = open(path, "rb").read()
    if damage == "delete":
        os.remove(path)
    else:
        open(path, "wb").write(data[: len(data) // 2] if damage == "truncate" else b"")
    decision = run_decide(db, home, settings, occ, clock)
    assert [i.id for i in decision.items] == [new_id]
    built = build(db, home, settings, occ.key, decision.items)
    healed = db["renders"].get(new_id)
    whole = open(healed["path"], "rb").read()
    assert built.items[0].audio_sha256 == hashlib.sha256(whole).hexdigest() == healed["audio_sha256"]
    assert healed["duration_ms"] == original["duration_ms"] and built.seconds > original["duration_ms"] / 1000


def test_a_file_damaged_at_the_cut_off_is_left_out_with_one_sentence(home, db, clock, settings):
    occ = one_off(db, clock, 60)
    good, bad = approved(db, clock, "Tốt"), approved(db, clock, "Hỏng")
    for bulletin_id in (good, bad):
        render_bulletin(db, home, settings, bulletin_id, clock.now())
    open(db["renders"].get(bad)["path"], "wb").write(b"")
    decision = fix(db, occ, settings, clock.now(), clock.now())
    assert [i.id for i in decision.items] == [good]
    assert decision.notes == [f"#{bad}: left out: speech file is empty (0 bytes), rendered again for a later slot"]
    assert db["renders"].get(bad)["state"] == "pending"


def test_a_truncated_ident_is_rendered_again_not_aired_short(home, db, clock):
    settings = {**settings_mod.load(home, db), "engine": "espeak"}
    new_id = approved(db, clock)
    render_bulletin(db, home, settings, new_id, clock.now())
    from radio.schedule.plan import PlannedItem
    from radio.programme.parts import render_ident

    items = [PlannedItem(db["bulletins"].get(new_id), 0, False)]
    whole = build(db, home, settings, "a", items)
    ident = render_ident(db, home, settings).path
    data = ident.read_bytes()
    ident.write_bytes(data[: len(data) // 2])
    again = build(db, home, settings, "b", items)
    assert abs(again.seconds - whole.seconds) < 0.05 and ident.read_bytes() == data


def test_a_slot_left_empty_by_used_up_repeats_says_so(home, db, clock, settings):
    """An empty slot whose bulletins have all aired as often as approved is not "no approved bulletin"."""
    once = approved(db, clock, "Một lần", repeat_count=1)
    render_bulletin(db, home, settings, once, clock.now())
    first, second = _slots_10_s_apart(db, clock, count=2)
    clock.set(cutoff(first, settings, 0))
    assert [i.id for i in fix(db, first, settings, clock.now(), clock.now()).items] == [once]
    clock.set(cutoff(second, settings, 0))
    decision = fix(db, second, settings, clock.now(), clock.now())
    assert not decision.items
    assert decision.cancel_reason == f"every approved bulletin for this slot has used up its repeats (#{once})"
