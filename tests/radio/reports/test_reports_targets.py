"""Targets judged with an injected clock across month, quarter and year ends."""

from datetime import UTC, datetime

import pytest

from radio.accounts.roles import Actor, PermissionDeniedError
from radio.clock import STATION_TZ
from radio.errors import NotFoundError, ValidationError
from radio.reports import periods, targets
from radio.store.connection import connect
from tests.support.proof import log_occurrence

LEADER = Actor("lanhdao", "leader")
OFFICER = Actor("canbo", "officer")


def local(y, m, d, hh=12, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=STATION_TZ)


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "radio.db")
    yield database
    database.conn.close()


def test_migration_turns_monthly_target_into_a_row(db):
    assert [(t["topic"], t["period"], t["minimum"]) for t in targets.list_targets(db)] == [("cchc", "month", 1)]


def test_migration_keeps_a_saved_monthly_target(tmp_path):
    import sqlite3

    from sqlite_utils import Database

    from radio.store.migrations import migrations

    # a station created before targets existed, with monthly_target saved from the admin
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(old, stop_before="m160_reports_targets")
    old["settings"].insert({"name": "monthly_target", "value": "3"})
    old.conn.close()
    db = connect(path)
    assert [(t["topic"], t["period"], t["minimum"]) for t in targets.list_targets(db)] == [("cchc", "month", 3)]
    assert db.execute("SELECT count(*) FROM settings WHERE name = 'monthly_target'").fetchone()[0] == 0
    db.conn.close()


def test_only_aired_completed_items_of_the_topic_count(db):
    now = local(2026, 11, 20)
    log_occurrence(db, local(2026, 11, 2))                          # counts
    log_occurrence(db, local(2026, 11, 3), status="partial")        # partial: no
    log_occurrence(db, local(2026, 11, 4), completed=False)         # item cut short: no
    log_occurrence(db, local(2026, 11, 5), topic="nongnghiep")      # other topic: no
    log_occurrence(db, local(2026, 11, 6), status="missed")         # no
    log_occurrence(db, local(2026, 10, 31, 23, 59))                 # October, local time
    assert targets.count(db, "cchc", periods.parse("2026-11")) == 1
    [result] = targets.evaluate(db, now)
    assert (result.period.key, result.count, result.status) == ("2026-11", 1, "met")


def test_at_risk_then_warning_then_missed(db):
    targets.add_target(db, LEADER, topic="cchc", period="month", minimum=2, now=local(2026, 11, 1))
    log_occurrence(db, local(2026, 11, 3))
    [_, two] = targets.evaluate(db, local(2026, 11, 10), warning_days=7)
    assert (two.count, two.status, two.warn, two.days_left) == (1, "at risk", False, 21)
    [_, two] = targets.evaluate(db, local(2026, 11, 24), warning_days=7)
    assert (two.status, two.warn, two.days_left) == ("at risk", True, 7)
    assert [w.target["minimum"] for w in targets.warnings(db, local(2026, 11, 24), warning_days=7)] == [2]
    # 00:00 local on 1/12 (17:00 UTC on 30/11): November is over
    november = periods.parse("2026-11")
    [_, two] = targets.evaluate(db, datetime(2026, 11, 30, 17, 0, tzinfo=UTC), november)
    assert (two.status, two.days_left) == ("missed", 0)
    [_, two] = targets.evaluate(db, local(2026, 11, 10), periods.parse("2026-12"))
    assert two.status == "upcoming"


def test_quarter_and_year_boundaries(db):
    targets.add_target(db, LEADER, topic="cchc", period="quarter", minimum=2, now=local(2026, 1, 1))
    targets.add_target(db, LEADER, topic="cchc", period="year", minimum=3, now=local(2026, 1, 1))
    log_occurrence(db, local(2026, 12, 31, 23, 30))   # Q4 2026, local
    log_occurrence(db, local(2027, 1, 1, 0, 30))      # Q1 2027 (17:30 UTC on 31/12)
    log_occurrence(db, local(2026, 10, 1, 6, 0))
    now = local(2027, 2, 1)
    q4 = {(r.target["period"], r.period.key): (r.count, r.status)
          for r in targets.evaluate(db, now, periods.parse("2026-Q4"))}
    assert q4 == {("month", "2026-10"): (1, "met"), ("month", "2026-11"): (0, "missed"),
                  ("month", "2026-12"): (1, "met"), ("quarter", "2026-Q4"): (2, "met"),
                  ("year", "2026"): (2, "missed")}
    current = {r.target["period"]: (r.period.key, r.count, r.status) for r in targets.evaluate(db, now)}
    assert current == {"month": ("2027-02", 0, "at risk"), "quarter": ("2027-Q1", 1, "at risk"),
                       "year": ("2027", 1, "at risk")}


def test_cutoff_convention_moves_the_15th(db):
    log_occurrence(db, local(2026, 11, 14, 20, 0))
    log_occurrence(db, local(2026, 11, 15, 5, 30))
    now = local(2026, 12, 20)
    calendar = targets.evaluate(db, now, periods.parse("2026-11"))
    assert [(r.period.key, r.count) for r in calendar] == [("2026-11", 2)]
    cut = targets.evaluate(db, now, periods.parse("2026-Q4", cutoff=True))
    assert [(r.period.key, r.count, r.status) for r in cut] == [
        ("2026-10", 0, "missed"), ("2026-11", 1, "met"), ("2026-12", 1, "met")]
    # the current cut-off month on 20/12 is January (15/12 to 14/1)
    [r] = targets.evaluate(db, now, cutoff=True)
    assert (r.period.key, r.period.start.isoformat()) == ("2027-01", "2026-12-15")


def test_windowed_target_applies_only_inside_its_window(db):
    targets.add_target(db, LEADER, topic="cchc", period="quarter", minimum=1, now=local(2022, 1, 1),
                       applies_from="2022-01-01", applies_until="2022-03-31", note="Quý I/2022")
    keys = [(r.target["period"], r.period.key) for r in targets.evaluate(db, local(2022, 6, 1), periods.parse("2022"))]
    assert ("quarter", "2022-Q1") in keys and ("quarter", "2022-Q2") not in keys


def test_add_and_remove_need_a_leader_and_are_audited(db):
    with pytest.raises(PermissionDeniedError):
        targets.add_target(db, OFFICER, topic="cchc", period="month", minimum=1, now=local(2026, 11, 1))
    target_id = targets.add_target(db, LEADER, topic=" CCHC ", period="quarter", minimum="3", now=local(2026, 11, 1))
    assert targets.get_target(db, target_id)["topic"] == "cchc"
    with pytest.raises(PermissionDeniedError):
        targets.remove_target(db, OFFICER, target_id, now=local(2026, 11, 2))
    targets.remove_target(db, LEADER, target_id, now=local(2026, 11, 2))
    with pytest.raises(NotFoundError, match=f"Target {target_id} does not exist"):
        targets.remove_target(db, LEADER, target_id, now=local(2026, 11, 2))
    actions = [r["action"] for r in db["audit"].rows]
    assert actions == ["target.manage", "target.manage"]


@pytest.mark.parametrize("fields, message", [
    (dict(topic="", period="month", minimum=1), "needs a topic"),
    (dict(topic="cchc", period="week", minimum=1), 'Unknown period kind "week"'),
    (dict(topic="cchc", period="month", minimum=0), "at least 1"),
    (dict(topic="cchc", period="month", minimum="một"), 'Minimum "một" is not a number'),
    (dict(topic="cchc", period="month", minimum=1, applies_from="2022-03-01", applies_until="2022-01-01"), "ends before"),
])
def test_bad_targets_are_refused_and_nothing_written(db, fields, message):
    with pytest.raises(ValidationError, match=message):
        targets.add_target(db, LEADER, now=local(2026, 11, 1), **fields)
    assert len(targets.list_targets(db)) == 1
