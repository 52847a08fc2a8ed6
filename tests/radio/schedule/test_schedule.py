from datetime import timedelta

from radio.bulletins.lifecycle import add_bulletin, approve_bulletin
from radio.schedule.plan import plan
from radio.settings import SETTINGS
from radio.schedule.slots import add_slot
from tests.support.actors import LEADER, OFFICER

SETTINGS_DEFAULTS = {s.name: s.default for s in SETTINGS}


def approved(db, clock, title, priority="normal", repeat=1, chars=140, **kw):
    new_id = add_bulletin(db, title=title, text="x" * chars, now=clock.now(), priority=priority,
                          repeat_count=repeat, **kw, actor=OFFICER)
    approve_bulletin(db, new_id, by="lead", now=clock.now(), actor=LEADER, expected_sha256=None)
    clock.advance(1)
    return new_id


def running_order(db, clock, days=3, **settings):
    s = {**SETTINGS_DEFAULTS, **settings}
    return [[i.id for i in p.items] for p in plan(db, start=clock.now(), end=clock.now() + timedelta(days=days),
                                                    settings=s, overhead_ms=0)]


def test_priority_then_age(fresh_db, clock):
    add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), actor=OFFICER)
    a = approved(fresh_db, clock, "old normal")
    b = approved(fresh_db, clock, "new normal")
    c = approved(fresh_db, clock, "priority", priority="priority")
    d = approved(fresh_db, clock, "urgent", priority="urgent")
    assert running_order(fresh_db, clock, days=1) == [[d, c, a, b]]


def test_repeats_spread_over_occurrences(fresh_db, clock):
    add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), actor=OFFICER)
    a = approved(fresh_db, clock, "three times", repeat=3)
    b = approved(fresh_db, clock, "once")
    assert running_order(fresh_db, clock, days=4) == [[a, b], [a], [a], []]


def test_cap_moves_what_does_not_fit_to_the_next_occurrence(fresh_db, clock):
    # 1 minute cap; each item is 840 chars ≈ 60 s at 14 chars/s, so one per programme
    add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), cap_minutes=1, actor=OFFICER)
    a = approved(fresh_db, clock, "a", chars=700)
    b = approved(fresh_db, clock, "b", chars=700)
    plans = plan(fresh_db, start=clock.now(), end=clock.now() + timedelta(days=2),
                 settings=SETTINGS_DEFAULTS, overhead_ms=0)
    assert [[i.id for i in p.items] for p in plans] == [[a], [b]]
    assert plans[0].deferred[0][0].id == b and "next occurrence" in plans[0].deferred[0][1]
    assert all(p.duration_ms <= p.cap_ms for p in plans)


def test_valid_window_and_topics(fresh_db, clock):
    add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), topics="cchc", actor=OFFICER)
    later = approved(fresh_db, clock, "from 25th", valid_from="2026-11-25")
    other = approved(fresh_db, clock, "health", topic="y-te")
    urgent = approved(fresh_db, clock, "storm", topic="thien-tai", priority="urgent")
    assert running_order(fresh_db, clock, days=3) == [[urgent], [], [later]]
    assert other not in sum(running_order(fresh_db, clock, days=3), [])


def test_long_week_simulation_is_fast_and_consistent(fresh_db, clock):
    for at in ("05:30", "11:00", "17:00"):
        add_slot(fresh_db, at=at, days="mon,tue,wed,thu,fri", now=clock.now(), cap_minutes=5, actor=OFFICER)
    ids = [approved(fresh_db, clock, f"b{i}", repeat=2, chars=1400) for i in range(20)]
    orders = running_order(fresh_db, clock, days=14)
    flat = sum(orders, [])
    assert sorted(flat) == sorted(ids * 2)  # every repeat placed once, none twice
    assert all(len(o) == len(set(o)) for o in orders)


def provincial(db, clock, title, priority="priority", topic="an-ninh"):
    """A provincial bulletin taken in by the link (radio.link.inbox) and approved in the province's name."""
    from radio.clock import to_utc_text
    from radio.link import inbox
    from radio.network.messages import ProvincialBulletin

    now = to_utc_text(clock.now())
    cls = {"priority": "uu-tien", "normal": "thuong"}[priority]
    row = inbox.receive(db, ProvincialBulletin(id=f"P-{title}", station="XA", cls=cls, title=title, text="y" * 140,
                                               sent_at=now, approved_by="Ban biên tập", approved_at=now,
                                               topic=topic), b"{}", now=clock.now()).row
    clock.advance(1)
    return row["bulletin_id"]


def test_a_provincial_priority_bulletin_comes_before_the_communes_own_by_default(fresh_db, clock):
    add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), actor=OFFICER)
    normal = approved(fresh_db, clock, "normal")
    local = approved(fresh_db, clock, "local priority", priority="priority")
    province = provincial(fresh_db, clock, "province")
    assert running_order(fresh_db, clock, days=1) == [[province, local, normal]]
    # the officer's rule: every ưu tiên item by approval time
    assert running_order(fresh_db, clock, days=1, province_priority_first=False) == [[local, province, normal]]


def test_a_provincial_priority_bulletin_airs_in_a_slot_of_other_topics(fresh_db, clock):
    add_slot(fresh_db, at="17:00", days="daily", topics="cchc", now=clock.now(), actor=OFFICER)
    province = provincial(fresh_db, clock, "province", topic="an-ninh")
    assert running_order(fresh_db, clock, days=1) == [[province]]
