"""Ranges written with a dash whose ends carry a unit or a date.

"50.000đ-100.000đ", "3kg-6kg", "15°C-18°C" are *... đến ...* (the plain
number rule only sees a dash between two digits).  Two dates of one month
joined by a dash share the month and year, as an announcer reads them:
"12/6-15/6/2024" → *ngày mười hai đến ngày mười lăm tháng sáu năm ...*.
"""

from __future__ import annotations

import re

from content.numbers import read_int, read_month
from content.units import UNITS

_UNIT = "|".join(re.escape(u) for u in sorted([*UNITS, "k", "K", "%"], key=len, reverse=True))
_UNIT_DASH = re.compile(
    rf"(?<=[0-9])(\s?(?:{_UNIT}))(?![^\W\d_]|[0-9²³])\s*[-–—]\s*(?=[0-9])"
)
_SAME_MONTH = re.compile(
    r"(?<![0-9/.,])([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}))?\s*[-–—]\s*([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}))?"
    r"(?![0-9/]|\.[0-9])"
)


def unit_ranges(line: str) -> str:
    """A dash after "number + unit" and before a number is "đến"."""
    return _UNIT_DASH.sub(lambda m: f"{m.group(1)} đến ", line)


def _say_shared_month(match: re.Match[str]) -> str:
    day1, month1, year1, day2, month2, year2 = match.groups()
    # "1/8/2024 - 5/8" or different months or years: two full dates.
    if int(month1) != int(month2) or (year1 and year1 != year2):
        return match.group(0)
    d1, d2, month = int(day1), int(day2), int(month1)
    if not (1 <= d1 < d2 <= 31 and 1 <= month <= 12):
        return match.group(0)
    before = match.string[: match.start()].rstrip().lower()
    first = "" if re.search(r"(?<!\w)(?:ngày|mùng|mồng)$", before) else "ngày "
    year = f" năm {read_int(int(year2))}" if year2 else ""
    return f" {first}{read_int(d1)} đến ngày {read_int(d2)} tháng {read_month(month)}{year} "


def shared_month_dates(line: str) -> str:
    """"01/8/2024 - 05/8/2024", "12/6-15/6/2024", "10/5 - 20/5": one month."""
    return _SAME_MONTH.sub(_say_shared_month, line)
