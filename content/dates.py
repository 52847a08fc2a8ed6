"""Dates and clock times written with digits.

Each pass is a ``str -> str`` function over one line of canonical text.
Invalid day/month/hour values are left alone so that the generic number
rules (or the range rule) read them instead of inventing a date.
"""

from __future__ import annotations

import re

from content.numbers import read_int, read_month

_DAY_MONTH_YEAR_DASHED = re.compile(r"(?<![0-9/.,-])([0-9]{1,2})([-.])([0-9]{1,2})\2([0-9]{4})(?![0-9/.,-]?[0-9])")
_DAY_MONTH_YEAR = re.compile(r"(?<![0-9/.,])([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?![0-9/]|\.[0-9])")
_MONTH_YEAR = re.compile(r"(?<![0-9/.,])([0-9]{1,2})/([0-9]{4})(?![0-9/]|\.[0-9])")
_DAY_MONTH_DASHED = re.compile(
    r"(?i:(?<!\w)(ngày|mùng|mồng)(\s+))([0-9]{1,2})[-.]([0-9]{1,2})(?![0-9]|[-.,/][0-9])"
)
_DAY_MONTH = re.compile(r"(?<![0-9/.,])([0-9]{1,2})/([0-9]{1,2})(?![0-9/]|[.,][0-9])")
_MONTH_WORD_NUMBER = re.compile(r"(?i)(?<!\w)(tháng)(\s+)0*([0-9]{1,2})(?![0-9]|[.,][0-9]|/)")
_CLOCK_H = re.compile(r"(?<![0-9.,:/])([0-9]{1,2})\s?[hH]([0-9]{2})?(?![0-9])(?![^\W\d_])")
_HOUR_ZERO_MINUTES = re.compile(r"(?i)(?<![0-9])([0-9]{1,2}\s*giờ)\s*00(?![0-9]|[.,][0-9])(?:\s*phút(?!\w))?")
#: "7g30", "14g00" (Southern and Zalo spelling of 7h30); a bare "11g" is a
#: time only after a time word ("lúc 8g", "đến 11g"), otherwise grams.
_CLOCK_G = re.compile(r"(?<![0-9.,:/])([0-9]{1,2})g([0-9]{2})(?![0-9])(?![^\W\d_])")
_CLOCK_G_BARE = re.compile(
    r"(?i:(?<!\w)(lúc|từ|đến|tới|trước|sau|vào|khoảng)(\s+))?(?<![0-9.,:/])([0-9]{1,2})g(?![\w])"
    r"(?=(?i:\s+(ngày|sáng|chiều|tối|trưa|đêm|hôm|hằng|thứ|chủ\s+nhật)(?!\w))?)"
)
_CLOCK_G_TOKEN = re.compile(r"(?<![0-9.,:/])[0-9]{1,2}g(?:[0-9]{2})?(?!\w)|(?<!\w)giờ(?!\w)")


def _say_bare_g(match: re.Match[str]) -> str:
    """"lúc 8g", "17g ngày 30/6", "từ 7g đến 11g" are times; "từ 5g đến
    200g" or "500g muối" are grams."""
    keyword, after = (match.group(1) or "").lower(), match.group(4)
    starts_range = re.match(r"\s+(?:đến|tới)\s+[0-9]{1,2}g", match.string[match.end():])
    is_time = bool(after) or keyword in ("lúc", "trước", "sau", "vào") or (
        (keyword or starts_range) and len(_CLOCK_G_TOKEN.findall(match.string)) >= 2)
    if not is_time:
        return match.group(0)
    return (match.group(1) or "") + (match.group(2) or "") + _say_clock_hour(match.group(3))
#: "7 giờ 30'": the minute mark after "giờ" is the word "phút".
_MINUTE_MARK = re.compile(r"(?i)(?<![0-9])([0-9]{1,2}\s*giờ\s*)([0-9]{1,2})\s*['’′](?![\w'’′])")
_CLOCK_COLON = re.compile(r"(?<![0-9.,:/])([0-9]{1,2}):([0-9]{2})(?![0-9]|:[0-9])")


def _preceded_by(match: re.Match[str], *words: str) -> bool:
    """True if the text just before the match ends with one of ``words``, so
    that "ngày 26/01/2022" is not read as "ngày ngày ..."."""
    before = match.string[: match.start()].rstrip().lower()
    return any(before.endswith(word) and not before[: -len(word)][-1:].isalpha() for word in words)


#: "ngày 14, 15 và 16/9": the last day of a list already has its "ngày".
_DAY_LIST_BEFORE = re.compile(
    r"(?i)(?<!\w)(?:ngày|mùng|mồng)\s+[0-9]{1,2}(?:\s*(?:,|và)\s*[0-9]{1,2})*\s*(?:,|và)\s*$"
)


def _valid(day: int | None, month: int) -> bool:
    return 1 <= month <= 12 and (day is None or 1 <= day <= 31)


def _say_date(match: re.Match[str], day: str | None, month: str, year: str | None) -> str:
    """Spoken date with "ngày"/"tháng" added only when not already written."""
    d = int(day) if day is not None else None
    m = int(month)
    if not _valid(d, m):
        return match.group(0)
    words: list[str] = []
    if d is not None:
        in_day_list = _DAY_LIST_BEFORE.search(match.string[: match.start()])
        words += ([] if in_day_list or _preceded_by(match, "ngày", "mùng", "mồng") else ["ngày"])
        words += [read_int(d), "tháng"]
    else:
        words += [] if _preceded_by(match, "tháng") else ["tháng"]
    words.append(read_month(m))
    if year is not None:
        words += ["năm", read_int(int(year))]
    return " " + " ".join(words) + " "


def dashed_dates(line: str) -> str:
    """dd-mm-yyyy and dd.mm.yyyy, read before the range rule would take the
    dashes for "đến"; also "ngày 30-4" (a day-month right after "ngày")."""
    line = _DAY_MONTH_YEAR_DASHED.sub(lambda m: _say_date(m, m.group(1), m.group(3), m.group(4)), line)

    def say_day_month(match: re.Match[str]) -> str:
        day, month = int(match.group(3)), int(match.group(4))
        if not _valid(day, month):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{read_int(day)} tháng {read_month(month)} "
    return _DAY_MONTH_DASHED.sub(say_day_month, line)


def slashed_dates(line: str) -> str:
    """dd/mm/yyyy, then mm/yyyy, then dd/mm (most specific first)."""
    line = _DAY_MONTH_YEAR.sub(lambda m: _say_date(m, m.group(1), m.group(2), m.group(3)), line)
    line = _MONTH_YEAR.sub(lambda m: _say_date(m, None, m.group(1), m.group(2)), line)
    return _DAY_MONTH.sub(_say_day_month_in_context, line)


_DATE_CONTEXT = re.compile(r"(?i)(?<!\w)(?:ngày|mùng|hôm|tháng|năm|sáng|chiều|tối|trưa|đêm|từ|đến|tới)(?!\w)")


_COUNTED_NOUN = re.compile(
    r"(?i)\s*(?:thôn|xóm|bản|ấp|xã|phường|huyện|tỉnh|hộ|người|tiêu\s+chí|chỉ\s+tiêu|phiếu|trường|lớp"
    r"|đơn\s+vị|cơ\s+quan|tổ|khu|điểm|nhiệm\s+vụ|thành\s+viên|câu|học\s+sinh|xe|con)(?!\w)"
)


def _say_day_month_in_context(match: re.Match[str]) -> str:
    """"15/3" is a date only where dates are being talked about (a date
    word earlier in the line); "3/5 thôn" is a ratio and left alone."""
    day, month = match.group(1), match.group(2)
    # Without a date word, a day-month still shows itself by a leading zero
    # ("05/9") or by a day larger than the month ("31/12"): ratios are
    # written small over large ("3/5 thôn").  "24/7" is round the clock.
    looks_like_date = day.startswith("0") or month.startswith("0") or int(day) > int(month)
    if match.group(0) == "24/7" and not _preceded_by(match, "ngày", "mùng", "mồng"):
        return match.group(0)
    if not (looks_like_date or _DATE_CONTEXT.search(match.string[: match.start()])):
        return match.group(0)
    # "9/9 thôn đạt chuẩn": a count out of a total, followed by what is counted.
    if (int(day) <= int(month) and not _preceded_by(match, "ngày", "mùng", "mồng")
            and _COUNTED_NOUN.match(match.string[match.end():])):
        return match.group(0)
    return _say_date(match, match.group(1), match.group(2), None)


def month_names(line: str) -> str:
    """"tháng 4"/"tháng 04" → "tháng tư"; other months fall to the number rule
    (whose leading-zero handling already gives "tháng một")."""
    def say(match: re.Match[str]) -> str:
        month = int(match.group(3))
        if not 1 <= month <= 12:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{read_month(month)} "
    return _MONTH_WORD_NUMBER.sub(say, line)


def _say_clock(match: re.Match[str]) -> str:
    hour = int(match.group(1))
    minute = int(match.group(2)) if match.group(2) else 0
    if hour > 24 or minute > 59:
        return match.group(0)
    spoken = f"{read_int(hour)} giờ"
    if minute:
        spoken += f" {read_int(minute)}"
    return f" {spoken} "


def _say_clock_hour(hour: str) -> str:
    return f" {read_int(int(hour))} giờ " if int(hour) <= 24 else f" {hour}g "


def clock_times(line: str) -> str:
    """17h30, 7h, 7h00, 05h30, 7g30, 17:30 → "mười bảy giờ ba mươi".

    An ``h`` followed by a letter is not a time ("5ha" is hectares).
    """
    line = _CLOCK_H.sub(_say_clock, line)
    line = _CLOCK_G.sub(_say_clock, line)
    line = _CLOCK_G_BARE.sub(_say_bare_g, line)
    line = _MINUTE_MARK.sub(lambda m: f"{m.group(1)}{m.group(2)} phút ", line)
    line = _HOUR_ZERO_MINUTES.sub(r"\1 ", line)  # "14 giờ 00" is "mười bốn giờ"
    return _CLOCK_COLON.sub(_say_clock, line)
