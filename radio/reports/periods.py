"""Reporting periods: month, quarter, six months, year or a custom range.

Pure functions. Bounds are local dates in Asia/Ho_Chi_Minh (start inclusive,
end exclusive) and convert to UTC text for queries. Calendar periods are the
default; with ``cutoff=True`` a period follows the reporting cut-off of
Nghị định 09/2019/NĐ-CP Art. 12 (and 581/BNV-CCHC): it runs from the 15th of
the month before it to the 14th of its last month, so "December" is 15/11 to
14/12 and the year 2026 is 15/12/2025 to 14/12/2026.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from radio.clock import STATION_TZ, local, to_utc_text
from radio.errors import ValidationError
from radio.proof.log import MAX_YEAR, MIN_YEAR

KINDS = ("month", "quarter", "half", "year")
#: months in a period of each kind
_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
CUTOFF_DAY = 15
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    """A reporting period: local dates ``start`` (inclusive) to ``end`` (exclusive)."""

    kind: str            # month, quarter, half, year or custom
    key: str             # 2026-11, 2026-Q4, 2026-H1, 2026, or 2026-11-01..2026-11-30
    start: date
    end: date
    cutoff: bool = False

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def utc_bounds(self) -> tuple[str, str]:
        """UTC text bounds for ``scheduled_at >= ? AND scheduled_at < ?``."""
        return tuple(to_utc_text(datetime(d.year, d.month, d.day, tzinfo=STATION_TZ))
                     for d in (self.start, self.end))

    def contains(self, when: datetime) -> bool:
        return self.start <= local(when).date() < self.end

    def days_left(self, now: datetime) -> int:
        """Whole local days from *now*'s date to the end (0 once it has ended)."""
        return max((self.end - local(now).date()).days, 0)

    @property
    def label_vi(self) -> str:
        """How the report names it: ``tháng 11/2026``, ``quý IV/2026``, ``6 tháng đầu năm 2026``."""
        year = int(self.key[:4]) if self.kind != "custom" else None
        if self.kind == "month":
            text = f"tháng {int(self.key[5:7])}/{year}"
        elif self.kind == "quarter":
            text = f"quý {_ROMAN[int(self.key[-1])]}/{year}"
        elif self.kind == "half":
            text = f"6 tháng {'đầu' if self.key.endswith('H1') else 'cuối'} năm {year}"
        elif self.kind == "year":
            text = f"năm {year}"
        else:
            return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.last_day:%d/%m/%Y}"
        if self.cutoff:
            text += f" (từ ngày {self.start:%d/%m/%Y} đến ngày {self.last_day:%d/%m/%Y})"
        return text


def _period(kind: str, year: int, first_month: int, key: str, cutoff: bool) -> Period:
    end_y, end_m = _add_months(year, first_month, _MONTHS[kind])
    if cutoff:
        sy, sm = _add_months(year, first_month, -1)
        ey, em = _add_months(end_y, end_m, -1)
        return Period(kind, key, date(sy, sm, CUTOFF_DAY), date(ey, em, CUTOFF_DAY), True)
    return Period(kind, key, date(year, first_month, 1), date(end_y, end_m, 1), False)


def month(year: int, mon: int, *, cutoff: bool = False) -> Period:
    return _period("month", year, mon, f"{year:04d}-{mon:02d}", cutoff)


def quarter(year: int, q: int, *, cutoff: bool = False) -> Period:
    return _period("quarter", year, 3 * (q - 1) + 1, f"{year:04d}-Q{q}", cutoff)


def half(year: int, h: int, *, cutoff: bool = False) -> Period:
    return _period("half", year, 6 * (h - 1) + 1, f"{year:04d}-H{h}", cutoff)


def year(y: int, *, cutoff: bool = False) -> Period:
    return _period("year", y, 1, f"{y:04d}", cutoff)


def custom(start: date, until: date) -> Period:
    """A custom range; *until* is the last day included."""
    if until < start:
        raise ValidationError(f"The period ends ({until.isoformat()}) before it starts ({start.isoformat()}).")
    return Period("custom", f"{start.isoformat()}..{until.isoformat()}", start, until + timedelta(days=1))


_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{2})"), lambda m, c: month(int(m[1]), int(m[2]), cutoff=c)),
    (re.compile(r"(\d{4})-Q([1-4])", re.I), lambda m, c: quarter(int(m[1]), int(m[2]), cutoff=c)),
    (re.compile(r"(\d{4})-H([12])", re.I), lambda m, c: half(int(m[1]), int(m[2]), cutoff=c)),
    (re.compile(r"(\d{4})"), lambda m, c: year(int(m[1]), cutoff=c)),
)


def parse(text: str, *, cutoff: bool = False) -> Period:
    """``2026-11``, ``2026-Q4``, ``2026-H1`` or ``2026``.

    :raise ValidationError: anything else, or month 13.
    """
    cleaned = (text or "").strip()
    for pattern, build in _PATTERNS:
        m = pattern.fullmatch(cleaned) if cleaned.isascii() else None
        if m:
            if pattern is _PATTERNS[0][0] and not 1 <= int(m[2]) <= 12:
                break
            if not MIN_YEAR <= int(m[1]) <= MAX_YEAR:  # 9999-12 would overflow the next month
                break
            return build(m, cutoff)
    raise ValidationError(
        f'Period "{text}" is not YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY (e.g. 2026-11, 2026-Q4, 2026-H1, 2026).')


def parse_date(text: str) -> date:
    try:
        day = date.fromisoformat((text or "").strip())
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise ValueError(text)
        return day
    except ValueError:
        raise ValidationError(f'Date "{text}" is not YYYY-MM-DD.') from None


def containing(kind: str, when: datetime, *, cutoff: bool = False) -> Period:
    """The period of *kind* that contains the instant *when* (local date)."""
    day = local(when).date()
    y, m = day.year, day.month
    if cutoff and day.day >= CUTOFF_DAY:
        # from the 15th on, the day belongs to the next month's reporting period
        y, m = _add_months(y, m, 1)
    if kind == "month":
        return month(y, m, cutoff=cutoff)
    if kind == "quarter":
        return quarter(y, (m - 1) // 3 + 1, cutoff=cutoff)
    if kind == "half":
        return half(y, 1 if m <= 6 else 2, cutoff=cutoff)
    if kind == "year":
        return year(y, cutoff=cutoff)
    raise ValidationError(f'Unknown period kind "{kind}"; use month, quarter, half or year.')


def split(period: Period, kind: str) -> Iterator[Period]:
    """The periods of *kind* that make up *period*; a custom range gives the
    (cut-off or calendar) months it overlaps, clipped to the range."""
    if period.kind != "custom" and KINDS.index(kind) > KINDS.index(period.kind):
        raise ValueError(f"a {period.kind} does not split into {kind}s")
    when = datetime(period.start.year, period.start.month, period.start.day, 12, tzinfo=STATION_TZ)
    while True:
        part = containing(kind, when, cutoff=period.cutoff)
        if part.start >= period.end:
            return
        following = part.end
        if period.kind == "custom":
            part = Period(part.kind, part.key, max(part.start, period.start), min(part.end, period.end), part.cutoff)
        yield part
        when = datetime(following.year, following.month, following.day, 12, tzinfo=STATION_TZ)


def select(*, month_text: str | None = None, period_text: str | None = None,
           from_text: str | None = None, until_text: str | None = None,
           cutoff: bool = False) -> Period | None:
    """The period chosen by the CLI/admin options, or ``None`` for everything.

    :raise ValidationError: conflicting or malformed options.
    """
    given = [name for name, v in (("--month", month_text), ("--period", period_text),
                                  ("--from/--until", from_text or until_text)) if v]
    if len(given) > 1:
        raise ValidationError(f"Give only one of --month, --period or --from/--until (got {' and '.join(given)}).")
    if month_text:
        if not re.fullmatch(r"\d{4}-\d{2}", month_text.strip()):
            raise ValidationError(f'Month "{month_text}" is not YYYY-MM.')
        return parse(month_text, cutoff=cutoff)
    if period_text:
        return parse(period_text, cutoff=cutoff)
    if from_text or until_text:
        if cutoff:
            raise ValidationError("--cutoff applies to --month or --period, not to --from/--until.")
        if not (from_text and until_text):
            raise ValidationError("Give both --from and --until (YYYY-MM-DD).")
        return custom(parse_date(from_text), parse_date(until_text))
    return None
