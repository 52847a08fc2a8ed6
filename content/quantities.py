"""Numbers in running text: ranges, lists, ordinals, Roman numerals, units
and finally every remaining numeral.

The passes are ordered from the most specific context to the generic
numeral reader; each one leaves text it does not recognise unchanged.
"""

from __future__ import annotations

import re

from content import roman as _roman
from content import units as _units
from content.numbers import (
    read_digits,
    read_int,
    read_integer_text,
    read_numeral,
    read_ordinal,
)

_QUARTER_OF_YEAR = re.compile(r"(?i:(?<!\w)(quý))(\s+)0*([1-4])\s*/\s*([0-9]{4})(?![0-9])")
_RANGE_DASH = re.compile(r"(?:(?<=[0-9])|(?<=[0-9][hHg%'’′]))\s*[-–—]\s*(?=[0-9])")
_LIST_KEYWORDS = (r"mức\s+độ|cấp\s+độ|mức|cấp|khoản|điều|điểm|quý|lần|tiết|tuần|lớp|khối|tổ|thôn|xóm|ấp|bản"
                  r"|khu|đội|phường|chương|mục|phần|bước|nhóm|loại|hạng|câu|trang|số")
_LEVEL_LIST = re.compile(
    rf"(?i:(?<!\w)({_LIST_KEYWORDS}))(\s+)([0-9]{{1,2}}(?:\s*,\s*[0-9]{{1,2}})+)(?![0-9]|[.,][0-9])"
)
_QUANTITY_WORDS = re.compile(r"(?i)^\s*(%|triệu|nghìn|ngàn|tỷ|trăm|đồng|tấn|kg|km|ha|m|lít|phần)")
_ORDINAL = re.compile(r"(?i:(?<!\w)(thứ))(\s+)0*([0-9]{1,3})(?![0-9]|[.,][0-9])")
_NUMERAL = re.compile(
    r"(?<![0-9])(?:"
    r"(?P<thousands>[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]{1,3}(?:,[0-9]{3}){2,})(?![0-9]|\.[0-9])"
    r"|(?P<dotted>[0-9]+(?:\.[0-9]+)+)"
    r"|(?P<plain>[0-9]+(?:,[0-9]+)?)"
    r")(?![0-9])"
)

#: The unit table lives in :mod:`content.units`; kept here for old imports.
UNITS = _units.UNITS


def roman_numerals_in_context(line: str) -> str:
    """See :func:`content.roman.roman_numerals_in_context` (old import path)."""
    return _roman.roman_numerals_in_context(line)


def quarters_of_year(line: str) -> str:
    """"Quý 3/2022" is a quarter of a year, not the date 3/2022."""
    return _QUARTER_OF_YEAR.sub(
        lambda m: f"{m.group(1)}{m.group(2)}{read_int(int(m.group(3)))} năm {read_int(int(m.group(4)))} ", line
    )


_NEGATIVE_TEMPERATURE = re.compile(r"(?<![\w.,)-])[-–−](?=[0-9]+(?:,[0-9]+)?\s?(?:°|º|độ(?!\w)))")
_NEGATIVE_AFTER_WORD = re.compile(r"(?i)((?<!\w)(?:từ|xuống|còn|khoảng|đến|tới|dưới|là|nhiệt\s+độ)\s+)[-−](?=[0-9])")
_DEGREES_MINUTES = re.compile(r"(?<![0-9])([0-9]{1,3})\s?°\s?([0-9]{1,2})\s?['′](?:\s?([0-9]{1,2})\s?(?:\"|″|''))?")


def ranges(line: str) -> str:
    """A dash between two numbers (years, counts, times, dates) is "đến":
    "2021 - 2030", "5-7 người", "7h-11h", "cấp 10-11".  A minus sign before
    a temperature is "âm" ("-2°C"), and "21°35'" is degrees and minutes."""
    line = _NEGATIVE_TEMPERATURE.sub("âm ", line)
    line = _NEGATIVE_AFTER_WORD.sub(r"\1âm ", line)
    line = _DEGREES_MINUTES.sub(
        lambda m: f" {m.group(1)} độ {m.group(2)} phút " + (f"{m.group(3)} giây " if m.group(3) else ""), line)
    return _RANGE_DASH.sub(" đến ", line)


_SCALE = re.compile(r"(?i)(tỷ\s+lệ\s+)([0-9]+)\s*:\s*([0-9][0-9.]*)")
_UNIT_FRACTION = re.compile(r"(?<![0-9/.,])1/([2-9]|10)(?![0-9]|[.,/][0-9])")


def ratios(line: str) -> str:
    """A slash left between two numbers after the date rules is a ratio:
    "3/5 thôn" → "ba trên năm thôn"; a unit fraction "1/2" is "một phần hai"."""
    line = _SCALE.sub(lambda m: f"{m.group(1)}{m.group(2)} phần {m.group(3)}", line)
    line = _UNIT_FRACTION.sub(lambda m: f" một phần {read_int(int(m.group(1)))} ", line)
    return re.sub(r"(?<=[0-9])\s*/\s*(?=[0-9])", " trên ", line)


_WEEKDAY_ABBREVIATION = re.compile(r"(?<![\w/.])T([2-7])(?![\w/]|[.,][0-9]|\s*-\s*[0-9])")
_WEEKDAY_RANGE = re.compile(r"(thứ (?:hai|ba|tư|năm|sáu|bảy))\s*[-–]\s*(?=thứ |chủ nhật|CN(?!\w))")
_SUNDAY_AFTER_WEEKDAY = re.compile(r"(thứ (?:hai|ba|tư|năm|sáu|bảy)\s*(?:,|-|–|và|đến|hoặc)\s*)CN(?![\w/]|[.-]\w)")
_WEEKDAY_BEFORE = re.compile(r"(?i)(?:(?<!\w)(?:ngày|sáng|chiều|tối|trưa|đêm|từ|đến|tới|vào|các|và|hoặc|lịch|trực|họp)|T[2-7]\s*[,;-]|CN\s*[,;-])\s*$")
_WEEKDAY_AFTER = re.compile(r"^\s*(?:[,;-]\s*T[2-7](?!\w)|[,;-]?\s*CN(?!\w)|[,(]?\s*(?:ngày\s+)?[0-9]{1,2}/[0-9]{1,2})")


def weekdays(line: str) -> str:
    """"T2", "T7" are weekdays (thứ hai, thứ bảy); "CN" right after one is
    Sunday ("T7, CN").  Elsewhere CN may be "công nhân", so it is left to
    the lexicon."""
    def say(match: re.Match[str]) -> str:
        before, after = match.string[: match.start()], match.string[match.end():]
        if not (_WEEKDAY_BEFORE.search(before) or _WEEKDAY_AFTER.match(after)):
            return match.group(0)  # "T3" alone may be a code
        return f"thứ {read_ordinal(int(match.group(1)))}"
    line = _WEEKDAY_ABBREVIATION.sub(say, line)
    line = _WEEKDAY_RANGE.sub(r"\1 đến ", line)
    return _SUNDAY_AFTER_WEEKDAY.sub(lambda m: f"{m.group(1)}chủ nhật", line)


def level_lists(line: str) -> str:
    """"mức độ 3,4" means levels three and four, not 3.4.

    After a counting keyword, comma-separated small integers are a list,
    unless a quantity word follows ("mức 1,5 triệu đồng" stays decimal).
    """
    def say(match: re.Match[str]) -> str:
        if _QUANTITY_WORDS.match(match.string[match.end():]):
            return match.group(0)
        items = [read_int(int(n)) for n in re.split(r"\s*,\s*", match.group(3))]
        return f"{match.group(1)}{match.group(2)}{', '.join(items)} "
    return _LEVEL_LIST.sub(say, line)


def ordinals(line: str) -> str:
    """"thứ 2" → "thứ hai", "thứ 4" → "thứ tư", "lần thứ 1" → "lần thứ nhất"."""
    return _ORDINAL.sub(lambda m: f"{m.group(1)}{m.group(2)}{read_ordinal(int(m.group(3)))} ", line)


def units(line: str) -> str:
    """See :func:`content.units.units` (kept here for old imports)."""
    return _units.units(line)


def numerals(line: str) -> str:
    """Every remaining numeral, then "%" → "phần trăm".

    "1.500.000" (dot groups thousands), "12,5" (comma is decimal), "02"
    (leading zero dropped).  A dot that does not group thousands ("3.1")
    is read "chấm".
    """
    def say(match: re.Match[str]) -> str:
        text = match.group(0)
        glued_to_letters = match.start() > 0 and match.string[match.start() - 1].isalpha()
        if glued_to_letters and match.group("plain") and len(text) >= 4 and text.isdigit():
            return " " + read_digits(text) + " "  # a code such as a passport number "B1234567"
        if match.group("dotted"):
            return " " + " chấm ".join(read_integer_text(p) for p in text.split(".")) + " "
        if text.count(",") > 1:  # English-style thousands: 1,500,000
            text = text.replace(",", "")
        return f" {read_numeral(text)} "
    line = _NUMERAL.sub(say, line)
    return line.replace("%", " phần trăm ")
