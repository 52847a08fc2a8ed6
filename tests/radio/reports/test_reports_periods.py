"""Reporting periods: calendar and the NĐ 09/2019 cut-off, across month, quarter and year ends."""

from datetime import UTC, date, datetime

import pytest

from radio.clock import STATION_TZ
from radio.errors import ValidationError
from radio.reports import periods


def local(y, m, d, hh=12, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=STATION_TZ)


@pytest.mark.parametrize("text, start, end", [
    ("2026-11", date(2026, 11, 1), date(2026, 12, 1)),
    ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
    ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1)),
    ("2026-q1", date(2026, 1, 1), date(2026, 4, 1)),
    ("2026-H1", date(2026, 1, 1), date(2026, 7, 1)),
    ("2026-H2", date(2026, 7, 1), date(2027, 1, 1)),
    ("2026", date(2026, 1, 1), date(2027, 1, 1)),
])
def test_calendar_periods(text, start, end):
    p = periods.parse(text)
    assert (p.start, p.end, p.cutoff) == (start, end, False)


@pytest.mark.parametrize("text, start, end", [
    # monthly report: 15th of the previous month to the 14th
    ("2026-12", date(2026, 11, 15), date(2026, 12, 15)),
    ("2027-01", date(2026, 12, 15), date(2027, 1, 15)),
    # 581/BNV-CCHC: Q1 15/12 to 14/3, six months to 14/6, Q3 15/6 to 14/9, year to 14/12
    ("2026-Q1", date(2025, 12, 15), date(2026, 3, 15)),
    ("2026-Q3", date(2026, 6, 15), date(2026, 9, 15)),
    ("2026-H1", date(2025, 12, 15), date(2026, 6, 15)),
    ("2026", date(2025, 12, 15), date(2026, 12, 15)),
])
def test_cutoff_periods(text, start, end):
    p = periods.parse(text, cutoff=True)
    assert (p.start, p.end, p.cutoff) == (start, end, True)
    assert p.last_day == date(end.year, end.month, 14)


def test_utc_bounds_are_local_midnight():
    assert periods.parse("2026-11").utc_bounds() == ("2026-10-31T17:00:00.000+00:00",
                                                     "2026-11-30T17:00:00.000+00:00")


@pytest.mark.parametrize("when, kind, cutoff, key", [
    # 23:59 local on 31/12 is still December and Q4 although UTC is 16:59
    (local(2026, 12, 31, 23, 59), "month", False, "2026-12"),
    (local(2026, 12, 31, 23, 59), "quarter", False, "2026-Q4"),
    (local(2027, 1, 1, 0, 1), "year", False, "2027"),
    # 00:30 local on 1/1 is 17:30 UTC on 31/12; the local date decides
    (datetime(2026, 12, 31, 17, 30, tzinfo=UTC), "year", False, "2027"),
    (local(2026, 3, 31), "quarter", False, "2026-Q1"),
    (local(2026, 4, 1), "quarter", False, "2026-Q2"),
    (local(2026, 6, 30), "half", False, "2026-H1"),
    (local(2026, 7, 1), "half", False, "2026-H2"),
    # cut-off: the 14th belongs to this month, the 15th to the next
    (local(2026, 11, 14, 23, 59), "month", True, "2026-11"),
    (local(2026, 11, 15, 0, 0), "month", True, "2026-12"),
    (local(2026, 12, 15), "year", True, "2027"),
    (local(2026, 12, 14), "year", True, "2026"),
    (local(2026, 3, 14), "quarter", True, "2026-Q1"),
    (local(2026, 3, 15), "quarter", True, "2026-Q2"),
    (local(2026, 6, 15), "half", True, "2026-H2"),
])
def test_containing(when, kind, cutoff, key):
    p = periods.containing(kind, when, cutoff=cutoff)
    assert p.key == key and p.contains(when)


def test_split_quarter_into_months_both_conventions():
    assert [p.key for p in periods.split(periods.parse("2026-Q4"), "month")] == ["2026-10", "2026-11", "2026-12"]
    parts = list(periods.split(periods.parse("2026-Q4", cutoff=True), "month"))
    assert [(p.key, p.start, p.end) for p in parts] == [
        ("2026-10", date(2026, 9, 15), date(2026, 10, 15)),
        ("2026-11", date(2026, 10, 15), date(2026, 11, 15)),
        ("2026-12", date(2026, 11, 15), date(2026, 12, 15)),
    ]
    assert len(list(periods.split(periods.parse("2026"), "month"))) == 12
    assert [p.key for p in periods.split(periods.parse("2026"), "quarter")] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def test_custom_range_is_clipped_months():
    p = periods.custom(date(2026, 11, 20), date(2027, 1, 5))
    assert (p.start, p.end) == (date(2026, 11, 20), date(2027, 1, 6))
    assert [(x.start, x.end) for x in periods.split(p, "month")] == [
        (date(2026, 11, 20), date(2026, 12, 1)), (date(2026, 12, 1), date(2027, 1, 1)),
        (date(2027, 1, 1), date(2027, 1, 6))]


def test_labels():
    assert periods.parse("2026-Q4").label_vi == "quý IV/2026"
    assert periods.parse("2026-H1").label_vi == "6 tháng đầu năm 2026"
    assert periods.parse("2026-11").label_vi == "tháng 11/2026"
    assert periods.parse("2026-12", cutoff=True).label_vi == "tháng 12/2026 (từ ngày 15/11/2026 đến ngày 14/12/2026)"


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "2026-H3", "26-11", "", "tháng 11", "2026-11-01"])
def test_bad_periods_are_refused(text):
    with pytest.raises(ValidationError, match="is not YYYY-MM, YYYY-Qn"):
        periods.parse(text)


def test_select_options():
    assert periods.select() is None
    assert periods.select(month_text="2026-11", cutoff=True).start == date(2026, 10, 15)
    assert periods.select(from_text="2026-11-01", until_text="2026-11-30").end == date(2026, 12, 1)
    with pytest.raises(ValidationError, match="Give only one of"):
        periods.select(month_text="2026-11", period_text="2026-Q4")
    with pytest.raises(ValidationError, match="--cutoff applies to --month or --period"):
        periods.select(from_text="2026-11-01", until_text="2026-11-30", cutoff=True)
    with pytest.raises(ValidationError, match="Give both --from and --until"):
        periods.select(from_text="2026-11-01")
    with pytest.raises(ValidationError, match='Month "2026-Q4" is not YYYY-MM'):
        periods.select(month_text="2026-Q4")
    with pytest.raises(ValidationError, match="ends"):
        periods.select(from_text="2026-11-30", until_text="2026-11-01")
    with pytest.raises(ValidationError, match='Date "30/11/2026" is not YYYY-MM-DD'):
        periods.select(from_text="30/11/2026", until_text="2026-12-01")
